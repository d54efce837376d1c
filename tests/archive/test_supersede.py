"""`--supersede --reason`: the old snapshot stays (as a numbered revision), the correction is public."""

from __future__ import annotations

import hashlib
import shutil

REASON = "高三复习迎考项目得分录入错误，按签字原表更正"


def _correct(arc, site, monkeypatch, epoch="1740000000"):  # 2025-02-19
    project = site / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("project: 高三复习迎考", "project: 高三复习迎考（更正）"),
                       encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    return arc.run("archive", "2023", "--site", site, "--supersede", "--reason", REASON)


def test_supersede_keeps_both_versions_and_shows_the_reason(arc, archived, monkeypatch):
    first = arc.tree(archived / "archives" / "2023")
    code, stdout, stderr = _correct(arc, archived, monkeypatch)
    assert code == 0, stderr
    assert "第 2 版" in stdout and "2023-r1" in stdout

    assert arc.tree(archived / "archives" / "2023-r1") == first  # the old snapshot, byte for byte
    manifest = arc.manifest(archived / "archives" / "2023")
    assert manifest["revision"] == 2 and manifest["archived_on"] == "2025-02-19"
    assert manifest["correction"]["reason"] == REASON
    assert manifest["correction"]["replaces"] == "2023-r1"
    assert manifest["correction"]["replaces_manifest_sha256"] == hashlib.sha256(first["manifest.json"]).hexdigest()
    assert arc.run("verify", "--site", archived)[0] == 0

    out = arc.build(archived)
    old = arc.visible_text(out / "archive" / "2023-r1" / "gaosan-fuxi-yingkao.html")
    new = arc.visible_text(out / "archive" / "2023" / "gaosan-fuxi-yingkao.html")
    assert "高三复习迎考（更正）" not in old and "高三复习迎考（更正）" in new
    assert "归档日期：2025-01-01" in old
    assert "归档日期：2025-02-19" in new and "第2版" in new and REASON in new
    assert arc.tree(out / "archive" / "2023-r1") == first

    corrections = out / "disclosure" / "gengzheng-jilu.html"
    text = arc.visible_text(corrections)
    assert "更正记录" in text and "2025-02-19" in text and "2023年度" in text and REASON in text
    assert {"../archive/2023/index.html", "../archive/2023-r1/index.html"} <= set(arc.links(corrections))
    history = out / "disclosure" / "linian-gongkai.html"
    assert "gengzheng-jilu.html" in arc.links(history)
    assert REASON in arc.visible_text(history)
    for page in (corrections, history):
        for link in arc.links(page):
            assert arc.resolve(page, link).is_file(), link
    banner_link = arc.resolve(out / "archive" / "2023" / "index.html", "../../disclosure/gengzheng-jilu.html")
    assert banner_link == corrections.resolve()


def test_a_second_correction_keeps_every_revision(arc, archived, monkeypatch):
    assert _correct(arc, archived, monkeypatch)[0] == 0
    second = arc.tree(archived / "archives" / "2023")
    code, _, stderr = arc.run("archive", "2023", "--site", archived, "--supersede", "--reason", "再次更正", "--zip")
    assert code == 0, stderr
    assert sorted(p.name for p in (archived / "archives").iterdir()) == ["2023", "2023-r1", "2023-r2", "2023-r3.zip",
                                                                     "log.jsonl"]  # issue 13: the archive log
    assert arc.tree(archived / "archives" / "2023-r2") == second
    assert arc.manifest(archived / "archives" / "2023")["revision"] == 3
    assert arc.run("verify", "--site", archived)[0] == 0
    out = arc.build(archived)
    text = arc.visible_text(out / "disclosure" / "gengzheng-jilu.html")
    assert "再次更正" in text and REASON in text


def test_a_deleted_current_revision_is_reported(arc, archived, monkeypatch):
    assert _correct(arc, archived, monkeypatch)[0] == 0
    shutil.rmtree(archived / "archives" / "2023")
    code, _, stderr = arc.run("verify", "--site", archived)
    assert code == 1 and "archives/2023: A604" in stderr
    code, _, stderr = arc.run("archive", "2023", "--site", archived)
    assert code == 1 and "A604" in stderr
