"""Forging an archive, as an attacker would, is found by verify, check and build (issue 13, point 4).

Each attack keeps the archive consistent with its own manifest (the manifest
line is rewritten too), so that only the archive log, the supersede chain,
the zip or a copy held elsewhere can expose it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PAGE = "gaosan-fuxi-yingkao.html"
REASON = "高三复习迎考项目得分录入错误，按签字原表更正"


def _rewrite_with_manifest(folder: Path, name: str, data: bytes) -> None:
    """Replace an archived file and its line in manifest.json, so that the two agree."""
    path = folder / name
    if not path.is_symlink():
        path.write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        if item["path"] == name:
            item["sha256"], item["size"] = hashlib.sha256(data).hexdigest(), len(data)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                          encoding="utf-8")


def _forged_page(folder: Path) -> bytes:
    return (folder / PAGE).read_text(encoding="utf-8").replace("高三复习迎考", "高三复习迎考（悄悄改过）").encode("utf-8")


def _all_refuse(arc, site, code: str, where: str) -> str:
    """verify, check and build each exit 1 naming `where` with `code`; build/ is left as it was."""
    out = site / "build"
    before = arc.tree(out) if out.is_dir() else None
    messages = ""
    for command in ("verify", "check", "build"):
        exit_code, stdout, stderr = arc.run(command, "--site", site)
        text = stdout + stderr
        assert exit_code == 1, f"{command} exited {exit_code}:\n{text}"
        assert f"{where}: {code}" in text, f"{command}:\n{text}"
        assert "提示：" in text and "Traceback" not in text
        messages += text
    assert (arc.tree(out) if out.is_dir() else None) == before
    return messages


def _supersede(arc, site, monkeypatch, *extra):
    project = site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("project: 高三复习迎考", "project: 高三复习迎考（更正）"),
                       encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740000000")  # 2025-02-19
    arc.ok("archive", "2023", "--site", site, "--supersede", "--reason", REASON, *extra)


def _log_entries(site: Path) -> list[dict]:
    return [json.loads(line) for line in (site / "archives" / "log.jsonl").read_text(encoding="utf-8").splitlines()]


# --- the attacks of the issue -------------------------------------------------------------


def test_editing_a_page_and_its_manifest_line_is_refused(arc, archived):
    arc.build(archived)
    folder = archived / "archives" / "2023"
    _rewrite_with_manifest(folder, PAGE, _forged_page(folder))
    text = _all_refuse(arc, archived, "A614", "archives/2023/manifest.json")
    assert "归档日志第 1 条" in text and "改写" in text


def test_deleting_a_whole_archive_and_its_zip_is_refused(arc, site):
    arc.ok("archive", "2023", "--site", site, "--zip")
    arc.build(site)
    shutil.rmtree(site / "archives" / "2023")
    (site / "archives" / "2023-r1.zip").unlink()
    text = _all_refuse(arc, site, "A613", "archives/2023")
    assert "archives/2023-r1.zip: A613" in text and "不见了" in text


def test_rewriting_a_superseded_revision_breaks_its_chain_hash(arc, archived, monkeypatch):
    _supersede(arc, archived, monkeypatch)
    old = archived / "archives" / "2023-r1"
    _rewrite_with_manifest(old, PAGE, _forged_page(old))
    text = _all_refuse(arc, archived, "A617", "archives/2023/manifest.json")
    assert "replaces_manifest_sha256" in text and "archives/2023-r1/manifest.json: A614" in text


def test_the_chain_hash_is_checked_even_without_the_log(arc, archived, monkeypatch):
    """The supersede chain is a check of its own: forging the log away does not hide a rewritten old revision."""
    _supersede(arc, archived, monkeypatch)
    old = archived / "archives" / "2023-r1"
    _rewrite_with_manifest(old, PAGE, _forged_page(old))
    (archived / "archives" / "log.jsonl").unlink()
    code, _, stderr = arc.run("verify", "--site", archived)
    assert code == 1 and "archives/2023/manifest.json: A617" in stderr and "A611" in stderr


def test_a_stale_zip_is_compared_with_its_folder(arc, site):
    """A zip consistent with its own manifest, but not with the folder, is refused."""
    arc.ok("archive", "2023", "--site", site, "--zip")
    path = site / "archives" / "2023-r1.zip"
    with zipfile.ZipFile(path) as original:
        members = [(info, original.read(info)) for info in original.infolist()]
    forged = {info.filename: data for info, data in members}
    page = forged["2023-r1/" + PAGE].decode("utf-8").replace("高三复习迎考", "高三复习迎考（旧稿）").encode("utf-8")
    forged["2023-r1/" + PAGE] = page
    manifest = json.loads(forged["2023-r1/manifest.json"])
    for item in manifest["files"]:
        if item["path"] == PAGE:
            item["sha256"], item["size"] = hashlib.sha256(page).hexdigest(), len(page)
    forged["2023-r1/manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                                       + "\n").encode("utf-8")
    with zipfile.ZipFile(path, "w") as changed:
        for info, _ in members:
            changed.writestr(info, forged[info.filename])
    text = _all_refuse(arc, site, "A606", "archives/2023-r1.zip")
    assert f"2023-r1/{PAGE} 与 archives/2023/{PAGE} 不一致" in text
    assert "2023-r1/manifest.json 与 archives/2023/manifest.json 不一致" in text


def test_a_symlink_inside_an_archive_is_refused_and_never_published(arc, archived):
    """The attack: a page replaced by a link to /etc/passwd, its manifest line rewritten to match."""
    folder = archived / "archives" / "2023"
    secret = archived / "secret.txt"  # a file outside the archive, as /etc/passwd is
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (folder / PAGE).unlink()
    os.symlink(secret, folder / PAGE)
    _rewrite_with_manifest(folder, PAGE, secret.read_bytes())
    text = _all_refuse(arc, archived, "A616", f"archives/2023/{PAGE}")
    assert "符号链接" in text and str(secret) in text
    assert not (archived / "build").exists()


def test_a_special_file_inside_an_archive_is_refused(arc, archived):
    os.mkfifo(archived / "archives" / "2023" / "pipe.html")
    _all_refuse(arc, archived, "A616", "archives/2023/pipe.html")


def test_a_symlinked_archive_folder_is_refused(arc, archived, tmp_path):
    elsewhere = shutil.move(archived / "archives" / "2023", tmp_path / "2023")
    os.symlink(elsewhere, archived / "archives" / "2023")
    text = _all_refuse(arc, archived, "A616", "archives/2023")
    assert "archives/2023: A613" in text  # the log's archive is not taken from a link


# --- the log itself ------------------------------------------------------------------------


def test_the_log_is_appended_one_line_per_archive_and_chained(arc, archived, monkeypatch):
    first = (archived / "archives" / "log.jsonl").read_bytes()
    _supersede(arc, archived, monkeypatch, "--zip")
    data = (archived / "archives" / "log.jsonl").read_bytes()
    assert data.startswith(first)  # appended: not a byte of the first line rewritten
    entries = _log_entries(archived)
    assert [(e["number"], e["year"], e["revision"], e["zip"]) for e in entries] == [
        (1, 2023, 1, None), (2, 2023, 2, "2023-r2.zip")]
    manifests = [(archived / "archives" / name / "manifest.json").read_bytes() for name in ("2023-r1", "2023")]
    assert [e["manifest_sha256"] for e in entries] == [hashlib.sha256(m).hexdigest() for m in manifests]
    assert entries[0]["previous"] == "0" * 64 and entries[1]["previous"] == entries[0]["hash"]
    assert entries[1]["replaces_manifest_sha256"] == entries[0]["manifest_sha256"]
    for entry in entries:
        body = {k: v for k, v in entry.items() if k != "hash"}
        canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        assert entry["hash"] == hashlib.sha256(canonical).hexdigest()
    with zipfile.ZipFile(archived / "archives" / "2023-r2.zip") as opened:
        assert f"SHA-256: {entries[1]['hash']}" in opened.read("2023-r2/archive-log.txt").decode("utf-8")


def test_an_edited_log_line_is_refused_with_its_line_number(arc, archived, monkeypatch):
    _supersede(arc, archived, monkeypatch)
    path = archived / "archives" / "log.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace('"archived_on":"2025-01-01"', '"archived_on":"2024-12-31"')
    path.write_text("".join(lines), encoding="utf-8")
    text = _all_refuse(arc, archived, "A612", "archives/log.jsonl:1:1")
    assert "第 1 行" in text and "修改" in text


def test_dropping_the_last_log_line_and_the_archive_is_refused(arc, archived, monkeypatch):
    """Undoing a correction by deleting it everywhere leaves the copy and the log's head to tell."""
    _supersede(arc, archived, monkeypatch)
    path = archived / "archives" / "log.jsonl"
    path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    _all_refuse(arc, archived, "A615", "archives/2023-r1")


def test_an_archive_the_log_does_not_list_is_refused(arc, archived):
    shutil.copytree(archived / "archives" / "2023", archived / "archives" / "2022")
    _all_refuse(arc, archived, "A615", "archives/2022")


def test_archiving_is_refused_while_the_history_is_in_doubt(arc, archived, monkeypatch):
    folder = archived / "archives" / "2023"
    _rewrite_with_manifest(folder, PAGE, _forged_page(folder))
    before = arc.tree(archived / "archives")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740000000")
    code, _, stderr = arc.run("archive", "2023", "--site", archived, "--supersede", "--reason", REASON)
    assert code == 1 and "A614" in stderr
    assert arc.tree(archived / "archives") == before


# --- published: the head on 历年公开, the log beside the archives ----------------------------


def test_the_log_and_its_head_are_published(arc, archived):
    out = arc.build(archived)
    head = _log_entries(archived)[-1]["hash"]
    assert (out / "archive" / "log.jsonl").read_bytes() == (archived / "archives" / "log.jsonl").read_bytes()
    page = (out / "disclosure" / "linian-gongkai.html").read_text(encoding="utf-8")
    shown = " ".join(head[i:i + 8] for i in range(0, 64, 8))
    assert f'<code id="archive-log-head">{shown}</code>' in page
    assert "归档日志" in arc.visible_text(out / "disclosure" / "linian-gongkai.html")
    assert 'href="../archive/log.jsonl"' in page


# --- verify --against a copy held elsewhere ---------------------------------------------------


def _forge_log_too(site: Path) -> None:
    """The attacker's complete rewrite: page, manifest line and a recomputed log (every hash fresh)."""
    folder = site / "archives" / "2023"
    _rewrite_with_manifest(folder, PAGE, _forged_page(folder))
    from site_builder.archive import log

    entries: list = []
    logged = _log_entries(site)
    for old in logged:
        latest = max(e["revision"] for e in logged if e["year"] == old["year"])
        name = str(old["year"]) if old["revision"] == latest else f"{old['year']}-r{old['revision']}"
        sha = hashlib.sha256((site / "archives" / name / "manifest.json").read_bytes()).hexdigest()
        entries.append(log.new_entry(entries, old["year"], old["revision"], old["archived_on"], sha,
                                     old["replaces_manifest_sha256"], old["zip"]))
    (site / "archives" / "log.jsonl").write_bytes(b"".join(e.line() for e in entries))


def test_a_complete_rewrite_passes_locally_but_not_against_a_saved_copy_of_the_site(arc, archived, tmp_path):
    saved = shutil.copytree(arc.build(archived), tmp_path / "saved-site")
    assert arc.run("verify", "--site", archived, "--against", saved)[0] == 0
    _forge_log_too(archived)
    assert arc.run("verify", "--site", archived)[0] == 0  # nothing left inside the site to tell

    code, stdout, stderr = arc.run("verify", "--site", archived, "--against", saved)
    assert code == 1
    assert f"{saved}/archive/2023/{PAGE}: A619" in stderr and "被改写过" in stderr
    assert f"{saved}/archive/log.jsonl:1:1: A619" in stderr
    assert f"{saved}/disclosure/linian-gongkai.html: A619" in stderr and "找不到" in stderr
    assert "Traceback" not in stderr


def test_a_complete_rewrite_is_exposed_by_the_archive_offices_zip(arc, site, tmp_path):
    arc.ok("archive", "2023", "--site", site, "--zip")
    office = shutil.copy(site / "archives" / "2023-r1.zip", tmp_path / "档案室-2023.zip")
    assert arc.run("verify", "--site", site, "--against", office)[0] == 0
    _forge_log_too(site)
    (site / "archives" / "2023-r1.zip").unlink()  # the attacker drops the zip he cannot forge...
    entries = _log_entries(site)  # ...and rewrites the log so that it never mentions it
    from site_builder.archive import log

    forged: list = []
    for old in entries:
        forged.append(log.new_entry(forged, old["year"], old["revision"], old["archived_on"], old["manifest_sha256"],
                                    old["replaces_manifest_sha256"], None))
    (site / "archives" / "log.jsonl").write_bytes(b"".join(e.line() for e in forged))
    assert arc.run("verify", "--site", site)[0] == 0

    code, _, stderr = arc.run("verify", "--site", site, "--against", office)
    assert code == 1
    assert f"{office}:2023-r1/{PAGE}: A619" in stderr
    assert f"{office}:2023-r1/archive-log.txt: A619" in stderr and "改写" in stderr


def test_a_copy_saved_before_a_correction_still_matches(arc, archived, monkeypatch, tmp_path):
    """A correction is not a rewrite: the first revision moved to 2023-r1 and the log grew."""
    saved = shutil.copytree(arc.build(archived), tmp_path / "saved")
    _supersede(arc, archived, monkeypatch)
    arc.build(archived)
    code, stdout, stderr = arc.run("verify", "--site", archived, "--against", saved)
    assert code == 0, stderr
    assert "与副本" in stdout and "一致" in stdout and "1 个归档版本" in stdout


def test_against_a_copy_missing_an_archive_we_deleted(arc, archived, tmp_path):
    saved = shutil.copytree(archived / "archives", tmp_path / "archives-copy")
    shutil.rmtree(archived / "archives" / "2023")
    (archived / "archives" / "log.jsonl").unlink()
    code, _, stderr = arc.run("verify", "--site", archived, "--against", saved)
    assert code == 1
    assert "副本中有 2023 年度第 1 版" in stderr and "被删除" in stderr
    assert f"{saved}/log.jsonl:1:1: A619" in stderr and "截短" in stderr


def test_against_something_that_is_no_copy(arc, archived, tmp_path):
    code, _, stderr = arc.run("verify", "--site", archived, "--against", tmp_path / "nothing-here")
    assert code == 1 and "A619" in stderr and "找不到" in stderr


# --- migration: archives made before the log ---------------------------------------------------


def test_archives_without_a_log_are_reported_and_init_log_seals_them_once(arc, archived):
    made_by_archive = (archived / "archives" / "log.jsonl").read_bytes()
    (archived / "archives" / "log.jsonl").unlink()
    text = _all_refuse(arc, archived, "A611", "archives/log.jsonl")
    assert "site-builder archive --init-log" in text

    stdout = arc.ok("archive", "--init-log", "--site", archived)
    assert "已根据现有的 1 个归档写出归档日志" in stdout and "只此一次" in stdout
    assert (archived / "archives" / "log.jsonl").read_bytes() == made_by_archive
    assert arc.run("verify", "--site", archived)[0] == 0

    code, _, stderr = arc.run("archive", "--init-log", "--site", archived)
    assert code == 1 and "A620" in stderr and "已经存在" in stderr
    assert (archived / "archives" / "log.jsonl").read_bytes() == made_by_archive


def test_init_log_refuses_to_seal_a_tampered_archive(arc, archived):
    (archived / "archives" / "log.jsonl").unlink()
    folder = archived / "archives" / "2023"
    (folder / PAGE).write_text("改过了", encoding="utf-8")
    code, _, stderr = arc.run("archive", "--init-log", "--site", archived)
    assert code == 1 and f"archives/2023/{PAGE}: A606" in stderr
    assert not (archived / "archives" / "log.jsonl").exists()


def test_init_log_without_archives_writes_nothing(arc, site):
    stdout = arc.ok("archive", "--init-log", "--site", site)
    assert "不需要" in stdout and not (site / "archives").exists()


# --- the log's parser: any change to a valid log is found ----------------------------------------


def _valid_log(count: int) -> bytes:
    from site_builder.archive import log

    entries: list = []
    for number in range(count):
        year, revision = 2020 + number // 2, number % 2 + 1
        replaces = entries[-1].manifest_sha256 if revision == 2 else None
        entries.append(log.new_entry(entries, year, revision, f"2025-01-{number + 1:02d}",
                                     hashlib.sha256(str(number).encode()).hexdigest(), replaces, None))
    return b"".join(entry.line() for entry in entries)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(1, 4), where=st.integers(0, 10_000), byte=st.integers(0, 255))
def test_any_changed_byte_of_the_log_is_found(count, where, byte):
    data = bytearray(_valid_log(count))
    where %= len(data)
    if data[where] == byte:
        byte = (byte + 1) % 256
    data[where] = byte
    from site_builder.archive import log

    entries, findings = log.parse(bytes(data), "archives/log.jsonl")
    assert findings and findings[0].code == "A612" and findings[0].line >= 1


@settings(max_examples=100, deadline=None)
@given(count=st.integers(2, 5), data=st.data())
def test_any_removed_or_swapped_line_is_found(count, data):
    lines = _valid_log(count).splitlines(keepends=True)
    if data.draw(st.booleans()):
        del lines[data.draw(st.integers(0, count - 2))]  # any line but the last (dropping it is A615/A613)
    else:
        first = data.draw(st.integers(0, count - 2))
        lines[first], lines[first + 1] = lines[first + 1], lines[first]
    from site_builder.archive import log

    entries, findings = log.parse(b"".join(lines), "archives/log.jsonl")
    assert findings and findings[0].code == "A612"


def test_a_valid_log_parses_back_to_its_entries():
    from site_builder.archive import log

    data = _valid_log(4)
    entries, findings = log.parse(data, "archives/log.jsonl")
    assert findings == [] and len(entries) == 4
    assert b"".join(entry.line() for entry in entries) == data


def test_init_log_is_used_alone_and_archive_needs_a_year(arc, archived):
    before = arc.tree(archived / "archives")
    code, _, stderr = arc.run("archive", "2023", "--init-log", "--site", archived)
    assert code == 1 and "A620" in stderr and "单独使用" in stderr
    code, _, stderr = arc.run("archive", "--site", archived)
    assert code == 1 and "A601" in stderr and "site-builder archive 2023" in stderr
    assert arc.tree(archived / "archives") == before
