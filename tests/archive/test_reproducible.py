"""Reproducible builds: the same content and theme give the same bytes, on every run and machine."""

from __future__ import annotations

import json
import zipfile


def test_two_builds_are_byte_identical(arc, site, tmp_path):
    first = arc.tree(arc.build(site, tmp_path / "first"))
    second = arc.tree(arc.build(site, tmp_path / "second"))
    assert len(first) > 20
    assert first == second


def test_two_sites_in_different_folders_give_identical_archives_and_builds(arc, tmp_path):
    """Another folder stands for another machine: nothing depends on where the site is."""
    one = arc.new_site(tmp_path / "one" / "site")
    other = arc.new_site(tmp_path / "somewhere" / "else" / "site")
    for site in (one, other):
        arc.ok("archive", "2023", "--site", site, "--zip")
    assert arc.tree(one / "archives") == arc.tree(other / "archives")
    assert arc.tree(arc.build(one)) == arc.tree(arc.build(other))


def test_archive_date_comes_from_source_date_epoch(arc, site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    arc.ok("archive", "2023", "--site", site)
    assert arc.manifest(site / "archives" / "2023")["archived_on"] == "2026-01-01"
    assert "归档日期：2026-01-01" in arc.visible_text(site / "archives" / "2023" / "index.html")


def test_invalid_source_date_epoch_is_a_finding(arc, site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2025-01-01")
    code, _, stderr = arc.run("archive", "2023", "--site", site)
    assert code == 1
    assert "A609" in stderr and "SOURCE_DATE_EPOCH" in stderr
    assert not (site / "archives" / "2023").exists()


def test_zip_is_reproducible_sorted_and_holds_the_snapshot_with_its_manifest(arc, tmp_path):
    zips = []
    for name in ("a", "b"):
        site = arc.new_site(tmp_path / name)
        stdout = arc.ok("archive", "2023", "--site", site, "--zip")
        path = site / "archives" / "2023-r1.zip"
        assert str(path) in stdout
        zips.append(path)
    assert zips[0].read_bytes() == zips[1].read_bytes()

    snapshot = arc.tree(zips[0].parent / "2023")
    with zipfile.ZipFile(zips[0]) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(names)
        assert all(name.startswith("2023-r1/") for name in names)
        assert {info.date_time for info in infos} == {(2025, 1, 1, 0, 0, 0)}
        members = {name.removeprefix("2023-r1/"): archive.read(name) for name in names}
    # issue 13: besides the snapshot, the zip names the archive log's head when it was made
    head = members.pop("archive-log.txt").decode("utf-8")
    assert members == snapshot
    assert "manifest.json" in snapshot
    log_line = (zips[0].parent / "log.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert f"SHA-256: {json.loads(log_line)['hash']}" in head
