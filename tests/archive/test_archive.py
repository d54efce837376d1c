"""`site-builder archive YEAR`: a self-contained snapshot with a manifest; `verify` checks it."""

from __future__ import annotations

import hashlib
import shutil

from site_builder import __version__

YEAR_PAGES = {"index.html", "gaosan-fuxi-yingkao.html", "bumen-zhengti-zhichu-jixiao-zipingbiao.html",
              "bumen-zhengti-zhichu-jixiao-zipingbaogao.html"}


def test_archive_then_verify_passes(arc, site):
    code, stdout, stderr = arc.run("archive", "2023", "--site", site)
    assert code == 0, stderr
    assert "已归档 2023 年度" in stdout and "2025-01-01" in stdout
    code, stdout, stderr = arc.run("verify", "--site", site)
    assert code == 0, stderr
    assert "与清单一致" in stdout and "2023" in stdout


def test_manifest_lists_every_file_with_hash_and_size_the_version_and_the_sources(arc, archived):
    folder = archived / "archives" / "2023"
    manifest = arc.manifest(folder)
    files = {f["path"]: f for f in manifest["files"]}
    on_disk = arc.tree(folder)
    assert set(files) == set(on_disk) - {"manifest.json"}
    assert YEAR_PAGES <= set(files)
    assert "assets/style.css" in files
    for path, data in on_disk.items():
        if path != "manifest.json":
            assert files[path]["sha256"] == hashlib.sha256(data).hexdigest()
            assert files[path]["size"] == len(data)
    assert manifest["year"] == 2023 and manifest["revision"] == 1
    assert manifest["archived_on"] == arc.ARCHIVED_ON
    assert manifest["generator"]["version"] == __version__
    sources = {s["path"]: s["sha256"] for s in manifest["sources"]}
    project = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
    assert sources[project] == hashlib.sha256((archived / project).read_bytes()).hexdigest()
    assert "content/site.yaml" in sources
    assert not any(path.startswith("content/2022/") for path in sources)
    assert manifest["correction"] is None


def test_only_the_year_is_archived(arc, archived):
    assert sorted(p.name for p in (archived / "archives").iterdir()) == ["2023", "log.jsonl"]  # issue 13: the archive log
    names = set(arc.tree(archived / "archives" / "2023"))
    assert not any("2021" in name or "2022" in name or "jigou" in name for name in names)


def test_every_archived_page_carries_the_banner_with_date_and_a_link_to_the_live_year(arc, archived):
    out = arc.build(archived)
    pages = sorted((out / "archive" / "2023").glob("*.html"))
    assert {p.name for p in pages} >= YEAR_PAGES
    for page in pages:
        text = arc.visible_text(page)
        assert "本页为2023年度归档版本" in text, page.name
        assert "归档日期：2025-01-01" in text, page.name
        html = page.read_text(encoding="utf-8")
        assert 'href="../../disclosure/2023/index.html"' in html, page.name
    assert (out / "disclosure" / "2023" / "index.html").is_file()
    # the live pages carry no banner
    assert "归档版本" not in arc.visible_text(out / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html")


def test_snapshot_is_self_contained_and_its_other_links_reach_the_live_site(arc, archived):
    """From file://: links of the year stay inside archives/2023/; the rest lead to the live site."""
    snapshot = (archived / "archives" / "2023").resolve()
    out = arc.build(archived).resolve()
    published = out / "archive" / "2023"
    leaving = set()
    for page in sorted(snapshot.glob("*.html")):
        for link in arc.links(page):
            target = arc.resolve(page, link)
            if target.is_relative_to(snapshot):
                assert target.is_file(), f"{page.name}: {link} is missing from the snapshot"
            else:
                leaving.add(link)
                live = arc.resolve(published / page.name, link)
                assert live.is_relative_to(out) and live.is_file(), f"{page.name}: {link} leads nowhere"
    assert "../../index.html" in leaving
    html = (snapshot / "index.html").read_text(encoding="utf-8")
    assert 'href="gaosan-fuxi-yingkao.html"' in html
    assert 'href="assets/style.css"' in html


def test_snapshot_opens_on_its_own_from_a_copied_folder(arc, archived, tmp_path):
    """Copied anywhere (a records office's disk), its pages and styles still work."""
    copy = shutil.copytree(archived / "archives" / "2023", tmp_path / "elsewhere" / "2023")
    for page in sorted(copy.glob("*.html")):
        for link in arc.links(page):
            target = arc.resolve(page, link)
            if target.is_relative_to(copy.resolve()):
                assert target.is_file(), f"{page.name}: {link}"


def test_the_snapshot_keeps_the_years_downloads_and_its_pages_link_them(arc, archived, tmp_path):
    """The Excel, CSV and JSON files of every 2023 form and the year's workbook and zip are frozen
    with the pages, byte for byte as the live site offered them when the year was archived."""
    live = arc.build(archived, tmp_path / "live")
    snapshot = archived / "archives" / "2023"
    frozen = {path.removeprefix("downloads/"): data for path, data in arc.tree(snapshot).items()
              if path.startswith("downloads/")}
    offered = arc.tree(live / "downloads" / "2023")
    assert frozen == offered and "2023-all-forms.xlsx" in frozen and "gaosan-fuxi-yingkao.xlsx" in frozen
    page = snapshot / "gaosan-fuxi-yingkao.html"
    links = [link for link in arc.links(page) if "downloads/" in link]
    assert "downloads/gaosan-fuxi-yingkao.xlsx" in links and "downloads/gaosan-fuxi-yingkao.json" in links
    assert all(arc.resolve(page, link).is_relative_to(snapshot.resolve()) for link in links)
    year_links = arc.links(snapshot / "index.html")
    assert "downloads/2023-all-forms.xlsx" in year_links and "downloads/2023-downloads.zip" in year_links


def test_mobile_numbers_stay_masked_in_the_archive(arc, archived):
    for path, data in arc.tree(archived / "archives" / "2023").items():
        if path.endswith((".html", ".csv", ".json")) and path != "manifest.json":  # its digests are hex
            assert not arc.MOBILE.search(data.decode("utf-8-sig")), path
    assert "139****2708" in arc.visible_text(archived / "archives" / "2023" / "gaosan-fuxi-yingkao.html")
    assert "139****2708" in (archived / "archives" / "2023" / "downloads" / "gaosan-fuxi-yingkao.json").read_text(
        encoding="utf-8")


def test_build_copies_the_archive_byte_for_byte(arc, archived):
    out = arc.build(archived)
    assert arc.tree(out / "archive" / "2023") == arc.tree(archived / "archives" / "2023")


def test_theme_change_and_rebuild_leave_archived_bytes_unchanged(arc, archived):
    before = arc.tree(archived / "archives" / "2023")
    theme = archived / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "style.css").write_text("body { color: #222; } /* 新主题 */\n", encoding="utf-8")
    (theme / "templates").mkdir()
    (theme / "templates" / "year.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>新主题年度页 {{ page.year.year }}</h1>{% endblock %}\n',
        encoding="utf-8")
    config = archived / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "theme_dir: theme\n", encoding="utf-8")

    out = arc.build(archived)

    assert "新主题年度页2023" in arc.visible_text(out / "disclosure" / "2023" / "index.html")
    assert "新主题" in (out / "assets" / "style.css").read_text(encoding="utf-8")
    assert arc.tree(archived / "archives" / "2023") == before
    assert arc.tree(out / "archive" / "2023") == before
    assert arc.run("verify", "--site", archived)[0] == 0


def test_content_change_and_rebuild_leave_archived_bytes_unchanged(arc, archived):
    before = arc.tree(archived / "archives" / "2023")
    project = archived / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("project: 高三复习迎考", "project: 高三复习迎考（修订）"),
                       encoding="utf-8")
    out = arc.build(archived)
    assert "高三复习迎考（修订）" in arc.visible_text(out / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html")
    assert arc.tree(out / "archive" / "2023") == before


def test_archiving_a_year_twice_is_refused_and_changes_nothing(arc, archived):
    before = arc.tree(archived / "archives")
    code, stdout, stderr = arc.run("archive", "2023", "--site", archived)
    assert code == 1
    assert "A602" in stderr and "已经归档" in stderr and "--supersede" in stderr
    assert "Traceback" not in stderr
    assert arc.tree(archived / "archives") == before


def test_a_year_without_records_cannot_be_archived(arc, site):
    code, _, stderr = arc.run("archive", "2030", "--site", site)
    assert code == 1
    assert "A601" in stderr and "2030" in stderr and "2023" in stderr
    code, _, stderr = arc.run("archive", "二〇二三", "--site", site)
    assert code == 1 and "A601" in stderr
    assert not (site / "archives").exists()


def test_supersede_needs_a_reason_and_an_existing_archive(arc, site):
    code, _, stderr = arc.run("archive", "2023", "--site", site, "--supersede", "--reason", "更正")
    assert code == 1 and "A603" in stderr and "还没有归档" in stderr
    arc.ok("archive", "2023", "--site", site)
    code, _, stderr = arc.run("archive", "2023", "--site", site, "--supersede")
    assert code == 1 and "A603" in stderr and "原因" in stderr
    code, _, stderr = arc.run("archive", "2023", "--site", site, "--supersede", "--reason", "   ")
    assert code == 1 and "A603" in stderr
    code, _, stderr = arc.run("archive", "2021", "--site", site, "--reason", "更正")
    assert code == 1 and "A603" in stderr
    assert sorted(p.name for p in (site / "archives").iterdir()) == ["2023", "log.jsonl"]  # issue 13: the archive log


def test_no_archives_means_no_archive_pages(arc, site):
    out = arc.build(site)
    assert not (out / "archive").exists()
    assert not (out / "disclosure" / "linian-gongkai.html").exists()
    assert "历年公开" not in arc.visible_text(out / "disclosure" / "index.html")
    code, stdout, _ = arc.run("verify", "--site", site)
    assert code == 0 and "没有归档" in stdout


def test_live_site_lists_archived_years_on_the_history_page_linked_from_the_column(arc, site):
    arc.ok("archive", "2023", "--site", site)
    arc.ok("archive", "2021", "--site", site)
    out = arc.build(site)
    column = (out / "disclosure" / "index.html").read_text(encoding="utf-8")
    assert 'href="linian-gongkai.html"' in column
    history = out / "disclosure" / "linian-gongkai.html"
    text = arc.visible_text(history)
    assert "历年公开" in text
    assert text.index("2023年度（归档版本）") < text.index("2021年度（归档版本）")
    for link in arc.links(history):
        assert arc.resolve(history, link).is_file(), link
    assert "../archive/2021/index.html" in arc.links(history)
    assert not (out / "disclosure" / "gengzheng-jilu.html").exists()  # nothing corrected yet


def test_the_2021_snapshot_links_the_2022_plan_on_the_live_site(arc, site):
    """A page of another year is not copied into the snapshot: its link leads to the live page."""
    arc.ok("archive", "2021", "--site", site)
    page = site / "archives" / "2021" / "bumen-zhengti-zhichu-jixiao-zipingbiao.html"
    assert "../../disclosure/2022/gongzuo-jihua.html" in arc.links(page)
    assert "gongzuo-zongjie.html" in arc.links(page)  # the 2021 summary is in the snapshot
    sources = {s["path"] for s in arc.manifest(site / "archives" / "2021")["sources"]}
    assert "content/2022/work-plan.md" in sources


def test_rules_explain_the_archive_codes(arc):
    code, stdout, _ = arc.run("rules")
    assert code == 0
    assert "年度归档" in stdout and "A606" in stdout
    code, stdout, _ = arc.run("rules", "A606")
    assert code == 0 and "归档文件被改动" in stdout and "--supersede" in stdout


def test_a_theme_without_the_banner_cannot_archive(arc, site):
    theme = site / "theme" / "templates"
    theme.mkdir(parents=True)
    base = (arc.REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    (theme / "base.html").write_text(base.replace('{% include "_archive_banner.html" %}', ""), encoding="utf-8")
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "theme_dir: theme\n", encoding="utf-8")
    code, _, stderr = arc.run("archive", "2023", "--site", site)
    assert code == 1
    assert "A610" in stderr and "本页为2023年度归档版本" in stderr and "_archive_banner.html" in stderr
    assert not (site / "archives" / "2023").exists()
