"""The preview's incremental rebuild equals a full build, byte for byte.

These tests use the preview's own API (site_builder.serve.Preview) for speed:
after every kind of change they compare the files the preview would serve with
what `site-builder build` writes for the same content, and check that only
the pages showing the change were rendered again.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from serve_support import CONTENT, PROJECT, PROJECT_PAGE, REPO, edit, snapshot

from site_builder import downloads, pipeline
from site_builder.cli import main as site_builder
from site_builder.serve import Preview

RECORDS = sorted(p.relative_to(CONTENT.parent).as_posix() for p in CONTENT.rglob("*")
                 if p.suffix in (".yaml", ".md") and p.name != "site.yaml")
# Pages listing every year's records (the catalogue and the search page's fallback since issue 15).
SITE_WIDE = {"index.html", "disclosure/index.html", "404.html", "disclosure/gongkai-mulu.html", "search.html",
            "disclosure/bumen-linian.html"}
DEPARTMENT_2021 = "disclosure/2021/bumen-zhengti-zhichu-jixiao-zipingbiao.html"
# The report and the department form of a year link to the year's forms (issue 14).
LINKED_2023 = {"disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html",
               "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbiao.html"}


def full_build(site: Path) -> dict[str, bytes]:
    out = site.parent / "full-build"
    shutil.rmtree(out, ignore_errors=True)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = site_builder(["build", "--site", str(site), "--out", str(out)])
    assert code == 0, err.getvalue()
    # The preview builds no search index (its search page says so and shows the catalogue): issue 15.
    return {path: data for path, data in snapshot(out).items() if not path.startswith("pagefind/")}


def assert_equals_full_build(preview: Preview, site: Path) -> None:
    expected = full_build(site)
    assert sorted(preview.files) == sorted(expected)
    different = [path for path in expected if preview.files[path] != expected[path]]
    assert not different, f"incremental result differs from a full build in {different}"


def assert_same_model(site, fresh) -> None:
    """The preview's site and a fresh check's: the same records with the same published notes, years and pages."""
    assert [(r.path, r.notes) for r in site.records] == [(r.path, r.notes) for r in fresh.records]
    assert [(y.year, [(g.kind, [r.path for r in g.records]) for g in y.groups]) for y in site.years] == [
        (y.year, [(g.kind, [r.path for r in g.records]) for g in y.groups]) for y in fresh.years]
    assert [(p.url, p.title, p.record and p.record.path) for p in site.pages] == [
        (p.url, p.title, p.record and p.record.path) for p in fresh.pages]


def changed(preview: Preview, site: Path, *relative: str):
    update = preview.update([site / path for path in relative])
    assert update.ok, [f.format() for f in update.findings if f.is_error] or update.internal_error
    return update


def revise(path: Path) -> None:
    """A change that shows: the title-like fields get a suffix; documents get a paragraph."""
    text = re.sub(r"(?m)^(form_title|project|title): ([^#\n]*?)(\s+#.*)?$",
                  lambda m: f"{m[1]}: {m[2]}（修订）{m[3] or ''}", path.read_text(encoding="utf-8"))
    if path.suffix == ".md":
        text += "\n\n预览测试补充的一段。\n"
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def preview(preview_site) -> Preview:
    preview = Preview(preview_site)
    assert preview.build().ok
    return preview


def test_the_first_build_equals_a_full_build(preview, preview_site):
    assert_equals_full_build(preview, preview_site)


def test_a_change_to_any_record_equals_a_full_build(preview, preview_site):
    """Every record of the real site changed in turn, one saved file at a time."""
    pages = len([path for path in preview.files if path.endswith(".html")])
    for record in RECORDS:
        before = dict(preview.files)
        revise(preview_site / record)
        update = changed(preview, preview_site, record)
        expected = full_build(preview_site)
        assert sorted(preview.files) == sorted(expected), record
        different = [path for path in expected if preview.files[path] != expected[path]]
        assert not different, f"after a change to {record}, the preview differs from a full build in {different}"
        pages_changed = {path for path in preview.files if preview.files[path] != before.get(path)}
        remade = {path for path in pages_changed if downloads.year_of(path) in update.years or path == downloads.PACKAGE}
        assert pages_changed and pages_changed <= set(update.outdated) | remade, record
        if record != "content/organization.md":  # the organisation is in every page's navigation
            assert len(update.outdated) < pages // 2, (record, update.outdated)


def test_a_project_rebuilds_its_page_its_year_and_the_site_wide_pages(preview, preview_site):
    edit(preview_site / PROJECT, "project: 高三复习迎考", "project: 高三复习")
    update = changed(preview, preview_site, PROJECT)
    assert set(update.outdated) == {PROJECT_PAGE, "disclosure/2023/index.html"} | LINKED_2023 | SITE_WIDE
    assert not update.full


def test_a_document_rebuilds_the_form_embedding_it(preview, preview_site):
    edit(preview_site / "content/2021/work-summary.md", "2021年是建党百年华诞", "2021年是建党一百周年")
    update = changed(preview, preview_site, "content/2021/work-summary.md")
    assert set(update.outdated) == {"disclosure/2021/gongzuo-zongjie.html", DEPARTMENT_2021,
                                    "disclosure/2021/index.html"} | SITE_WIDE
    assert "建党一百周年" in preview.files[DEPARTMENT_2021].decode("utf-8")
    assert_equals_full_build(preview, preview_site)


def test_site_yaml_rebuilds_everything(preview, preview_site):
    edit(preview_site / "content/site.yaml", "short_name: 岳阳市教科院", "short_name: 市教科院")
    update = changed(preview, preview_site, "content/site.yaml")
    assert update.full and set(update.outdated) == {p for p in preview.files if p.endswith(".html")}
    assert_equals_full_build(preview, preview_site)


def test_a_template_rebuilds_the_pages_using_it(preview_site):
    theme = preview_site / "theme"
    (theme / "templates" / "_macros").mkdir(parents=True)
    edit(preview_site / "content/site.yaml", "address:", "theme_dir: theme\naddress:")
    preview = Preview(preview_site)
    assert preview.build().ok

    default = REPO / "themes/default/templates"
    year = (default / "year.html").read_text(encoding="utf-8").replace("<h1>", '<h1 class="year-title">')
    (theme / "templates" / "year.html").write_text(year, encoding="utf-8")
    update = changed(preview, preview_site, "theme/templates/year.html")
    assert set(update.outdated) == {"disclosure/2021/index.html", "disclosure/2022/index.html",
                                    "disclosure/2023/index.html"}
    assert_equals_full_build(preview, preview_site)

    text = (default / "_macros/text.html").read_text(encoding="utf-8").replace("<dl ", '<dl data-test="1" ')
    (theme / "templates" / "_macros" / "text.html").write_text(text, encoding="utf-8")
    update = changed(preview, preview_site, "theme/templates/_macros/text.html")
    assert PROJECT_PAGE in update.outdated and "index.html" not in update.outdated
    assert_equals_full_build(preview, preview_site)

    (theme / "assets").mkdir()
    (theme / "assets" / "style.css").write_text("body { color: #000; }\n", encoding="utf-8")
    update = changed(preview, preview_site, "theme/assets/style.css")
    assert update.outdated == ["404.html"]  # it carries the style sheet inline (issue 14)
    assert preview.files["assets/style.css"] == b"body { color: #000; }\n"
    assert_equals_full_build(preview, preview_site)


def test_added_and_removed_records(preview, preview_site):
    plan = preview_site / "content/2024/work-plan.md"
    plan.parent.mkdir()
    plan.write_text("---\nkind: plan\nyear: 2024\ntitle: 2024年工作计划\nslug: gongzuo-jihua\n---\n\n正文。\n",
                    encoding="utf-8")
    update = changed(preview, preview_site, "content/2024/work-plan.md")
    assert {"disclosure/2024/index.html", "disclosure/2024/gongzuo-jihua.html"} <= set(update.outdated)
    assert_equals_full_build(preview, preview_site)

    plan.unlink()
    (preview_site / PROJECT).unlink()
    update = changed(preview, preview_site, "content/2024/work-plan.md", PROJECT)
    assert {"disclosure/2024/index.html", "disclosure/2024/gongzuo-jihua.html", PROJECT_PAGE} <= set(update.removed)
    assert_equals_full_build(preview, preview_site)


def test_changes_made_while_broken_are_all_rebuilt_once_fixed(preview, preview_site):
    record = preview_site / PROJECT
    edit(record, "project: 高三复习迎考", 'project: "高三复习迎考')
    broken = preview.update([record])
    assert not broken.ok and not preview.ok
    assert any(f.path == PROJECT and f.line == 9 for f in broken.findings)
    status = preview.response("/" + PROJECT_PAGE)
    assert status.status == 500 and "预览暂停".encode("utf-8") in status.body

    other = preview_site / "content/2023/projects/jiaoyu-xinxihua.yaml"
    edit(other, "project: 教育信息化", "project: 教育信息化建设")
    assert not preview.update([other]).ok

    edit(record, 'project: "高三复习迎考', "project: 高三复习迎考")
    assert preview.update([record]).ok and preview.ok
    assert "教育信息化建设".encode("utf-8") in preview.files["disclosure/2023/jiaoyu-xinxihua.html"]
    assert_equals_full_build(preview, preview_site)


def test_a_broken_theme_shows_the_error_page_and_recovers(preview_site):
    theme = preview_site / "theme"
    (theme / "templates").mkdir(parents=True)
    edit(preview_site / "content/site.yaml", "address:", "theme_dir: theme\naddress:")
    preview = Preview(preview_site)
    assert preview.build().ok
    broken = theme / "templates" / "home.html"
    broken.write_text('{% extends "base.html" %}\n{% block main %}{% if %}{% endblock %}\n', encoding="utf-8")
    update = preview.update([broken])
    assert not update.ok and update.findings[0].code == "T501"
    assert "theme/templates/home.html".encode("utf-8") in preview.response("/").body
    broken.unlink()
    assert preview.update([broken]).ok
    assert_equals_full_build(preview, preview_site)


def test_a_save_is_answered_before_anything_is_rendered(preview, preview_site):
    """The reload waits for reading and checking only: the pages a change touched, and the
    downloads of its year, are made when the reloading browser asks for them."""
    workbook, _zip = downloads.year_paths(2023)
    preview.response("/" + PROJECT_PAGE)
    preview.response("/" + workbook)
    edit(preview_site / PROJECT, "project: 高三复习迎考", "project: 高三复习迎考（改）")
    update = changed(preview, preview_site, PROJECT)
    assert PROJECT_PAGE in update.outdated and 2023 in update.years
    assert not preview.files.is_made(PROJECT_PAGE) and not preview.files.is_made(workbook)

    answer = preview.response("/" + PROJECT_PAGE)
    assert answer.status == 200 and "高三复习迎考（改）".encode("utf-8") in answer.body
    assert preview.files.is_made(PROJECT_PAGE) and not preview.files.is_made("disclosure/2021/index.html")
    year_page = preview.response("/disclosure/2023/")
    assert year_page.status == 200 and preview.files.is_made(workbook)  # the page shows the workbook's size
    package = preview.response("/" + downloads.PACKAGE)
    assert package.status == 200 and package.body.startswith(b'{"$schema"')
    assert_equals_full_build(preview, preview_site)


def test_a_page_that_cannot_be_rendered_shows_the_error_page_when_it_is_opened(preview_site):
    """A template that parses but fails on a page's data fails when that page is asked for: the
    browser shows the error page with the finding, the console is told, and a fix recovers."""
    theme = preview_site / "theme" / "templates"
    theme.mkdir(parents=True)
    edit(preview_site / "content/site.yaml", "address:", "theme_dir: theme\naddress:")
    failures = []
    preview = Preview(preview_site, on_failure=failures.append)
    assert preview.build().ok
    broken = theme / "project-evaluation.html"
    broken.write_text('{% extends "base.html" %}\n{% block main %}{{ no_such_thing.name }}{% endblock %}\n',
                      encoding="utf-8")
    assert changed(preview, preview_site, "theme/templates/project-evaluation.html").ok
    assert preview.response("/").status == 200  # the home page does not use it

    answer = preview.response("/" + PROJECT_PAGE)
    assert answer.status == 500 and "no_such_thing".encode("utf-8") in answer.body
    assert not preview.ok and [f.code for f in failures[-1].findings] == ["T503"]
    assert preview.response("/").status == 500  # the site is not shown half-working

    broken.unlink()
    assert changed(preview, preview_site, "theme/templates/project-evaluation.html").ok
    assert preview.response("/" + PROJECT_PAGE).status == 200 and preview.ok
    assert_equals_full_build(preview, preview_site)


def test_a_project_moved_to_another_year_and_back_equals_a_full_build(preview, preview_site):
    """The preview keeps each year's group and pages while the year's records are the same: a record
    that changes year changes both years' groups, and its return restores them."""
    moved = PROJECT.replace("2023", "2022")
    (preview_site / moved).parent.mkdir(exist_ok=True)
    (preview_site / PROJECT).rename(preview_site / moved)
    edit(preview_site / moved, "year: 2023", "year: 2022")
    update = changed(preview, preview_site, PROJECT, moved)
    assert {"disclosure/2022/index.html", "disclosure/2023/index.html",
            "disclosure/2022/gaosan-fuxi-yingkao.html"} <= set(update.outdated)
    assert PROJECT_PAGE in update.removed
    assert_equals_full_build(preview, preview_site)

    edit(preview_site / moved, "year: 2022", "year: 2023")
    (preview_site / moved).rename(preview_site / PROJECT)
    changed(preview, preview_site, PROJECT, moved)
    assert_equals_full_build(preview, preview_site)


def test_a_record_replaced_by_a_link_out_of_the_site_is_not_read(preview, preview_site, tmp_path):
    """A saved file is read again without listing content/ once more, unless it is no longer the plain
    file it was: a link to a file outside the site folder is reported, as a build reports it."""
    outside = tmp_path / "outside.yaml"
    outside.write_text((preview_site / PROJECT).read_text(encoding="utf-8").replace("高三复习迎考", "外面的文件"),
                       encoding="utf-8")
    (preview_site / PROJECT).unlink()
    (preview_site / PROJECT).symlink_to(outside)
    update = preview.update([preview_site / PROJECT])
    assert "L121" in {f.code for f in update.findings if f.path == PROJECT}
    assert all("外面的文件".encode("utf-8") not in data for data in preview.files.values())


def test_a_save_parses_only_the_file_saved(preview, preview_site, monkeypatch):
    """The preview lets the parsed values of the files it keeps go (they are most of its memory); a save
    parses the saved file and nothing else again, and still equals a full build."""
    import site_builder.load as load

    parsed = []
    real = load.parse_yaml
    monkeypatch.setattr(load, "parse_yaml", lambda source: parsed.append(source.name) or real(source))
    edit(preview_site / PROJECT, "project: 高三复习迎考", "project: 高三复习")
    changed(preview, preview_site, PROJECT)
    assert parsed == [PROJECT]
    assert all(loaded._parsed is None for loaded in preview._loaded.files)  # let go again after the save
    monkeypatch.undo()
    assert_equals_full_build(preview, preview_site)


def test_the_findings_after_every_save_equal_a_fresh_check(preview, preview_site):
    """A save re-models, re-checks and re-acknowledges only the file saved and the files whose findings
    across files changed (site_builder.model.ModelMemo.changed): after every kind of save the preview's
    findings, its records' published notes, years and pages equal those of a check from scratch."""
    other = "content/2023/projects/jiaoyu-xinxihua.yaml"
    acknowledging = "content/2023/projects/jiaoyu-guihua-yu-fazhan.yaml"
    department = "content/2021/department-evaluation.yaml"
    saves = [
        (other, "project: 教育信息化", "project: 教育信息化建设"),  # a new series, the same address
        (PROJECT, "slug: gaosan-fuxi-yingkao", "slug: jiaoyu-xinxihua"),  # S205 on the file not saved
        (PROJECT, "slug: jiaoyu-xinxihua", "slug: gaosan-fuxi-yingkao"),  # ... and gone again
        (acknowledging, "{code: F309, at:", "{code: F308, at:"),  # an acknowledgement of nothing: F399
        (acknowledging, "{code: F308, at:", "{code: F309, at:"),
        (department, "  - 2022/work-plan ", "  - 2022/no-such-plan "),  # S207 across files
        ("content/2021/work-summary.md", "title: 岳阳市教育科学技术研究院2021年工作总结", "title: 2021年工作总结"),
        (department, "  - 2022/no-such-plan ", "  - 2022/work-plan "),
        (other, "year: 2023", "year: 2022"),  # another year, in the same folder: P-findings
        (other, "year: 2022", "year: 2023"),
        (other, "kind: project-evaluation", "kind: project-evaluation\nkind: x"),  # no record any more
        (other, "kind: project-evaluation\nkind: x", "kind: project-evaluation"),
        (other, "total:         {initial: 8,", "total:         {initial: 9,"),  # a sum that no longer adds up
        (other, "total:         {initial: 9,", "total:         {initial: 8,"),
        ("content/organization.md", "title: 机构概况", "title: 本院概况"),
    ]
    short_ways = 0
    for path, old, new in saves:
        edit(preview_site / path, old, new)
        update = preview.update([preview_site / path])
        short_ways += preview._memo.model.changed is not None  # only the saved file modelled again
        fresh_site, fresh = pipeline.load_and_check(preview_site)
        assert [f.format() for f in update.findings] == [f.format() for f in fresh], (path, new)
        assert update.findings == fresh, (path, new)
        if update.ok:
            assert_same_model(preview.site, fresh_site)
    assert short_ways >= 10
    assert_equals_full_build(preview, preview_site)


def test_the_first_build_reads_each_file_once_and_keeps_none_of_their_values(preview_site, monkeypatch):
    """The preview models and checks each file as soon as it is read and lets its parsed values go
    (pipeline.load_each): every file is parsed once, none is held parsed afterwards (a large site's
    values would be most of the memory), and the findings are those of a check from scratch."""
    import site_builder.load as load

    parsed = []
    real = load._parse
    monkeypatch.setattr(load, "_parse", lambda source: parsed.append(source.name) or real(source))
    preview = Preview(preview_site)
    update = preview.build()
    assert update.ok
    files = [loaded.source.name for loaded in preview._loaded.files]
    assert sorted(parsed) == sorted(files + ["content/site.yaml"])
    assert all(loaded._parsed is None for loaded in preview._loaded.files)
    monkeypatch.undo()
    assert update.findings == pipeline.load_and_check(preview_site)[1]
    assert any(f.acknowledged for f in update.findings)


# Saves that can be undone: (file, one text, the other). Between them they make every kind of change the
# short way handles (addresses, series, clashes, references, acknowledgements, years, sums) and some it
# hands to the long way (a file that no longer makes a record, the organisation).
TOGGLES = [
    ("content/2023/projects/jiaoyu-xinxihua.yaml", "project: 教育信息化", "project: 教育信息化建设"),
    (PROJECT, "slug: gaosan-fuxi-yingkao", "slug: jiaoyu-xinxihua"),
    (PROJECT, "project: 高三复习迎考", "project: 高三复习"),
    ("content/2023/projects/jiaoyu-guihua-yu-fazhan.yaml", "{code: F309, at:", "{code: F308, at:"),
    ("content/2021/department-evaluation.yaml", "  - 2022/work-plan ", "  - 2022/no-such-plan "),
    ("content/2021/work-summary.md", "title: 岳阳市教育科学技术研究院2021年工作总结", "title: 2021年工作总结"),
    ("content/2023/projects/jiaoyu-xinxihua.yaml", "year: 2023", "year: 2022"),
    ("content/2023/projects/jiaoyu-xinxihua.yaml", "kind: project-evaluation", "kind: project-evaluation\nkind: x"),
    ("content/2023/projects/jiaoyu-xinxihua.yaml", "total:         {initial: 8,", "total:         {initial: 9,"),
    ("content/organization.md", "title: 机构概况", "title: 本院概况"),
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(steps=[[1], [1]])  # a clash on the file not saved, then gone from it
@example(steps=[[0, 6, 2], [6, 8], [4, 5]])  # several files of one year at once; a reference and its document
@given(steps=st.lists(st.lists(st.integers(0, len(TOGGLES) - 1), min_size=1, max_size=3), min_size=1, max_size=5))
def test_any_saves_one_or_several_files_at_a_time_equal_a_fresh_check(tmp_path_factory, steps):
    """Saves in any order, several files at once (a checkout, a search and replace): after each, the
    preview's findings, notes, years and pages equal a check from scratch."""
    site = tmp_path_factory.mktemp("toggles") / "site"
    shutil.copytree(CONTENT, site / "content")
    preview = Preview(site)
    preview.build()
    for step in steps:
        for toggle in set(step):
            path, one, other = TOGGLES[toggle]
            text = (site / path).read_text(encoding="utf-8")
            (site / path).write_text(text.replace(one, other, 1) if one in text else text.replace(other, one, 1),
                                     encoding="utf-8")
        update = preview.update([site / TOGGLES[toggle][0] for toggle in step])
        fresh_site, fresh = pipeline.load_and_check(site)
        assert update.findings == fresh, step
        if update.ok:
            assert_same_model(preview.site, fresh_site)


def test_the_error_page_masks_a_number_a_documents_emphasis_splits(preview_site):
    """A broken line of a document quoting a phone number written 139**7303**2708 (which a page shows as
    13973032708): the error page masks it where it quotes the line, as every answer of the preview is."""
    report = preview_site / "content/2023/self-evaluation-report.md"
    preview = Preview(preview_site)
    assert preview.build().ok
    text = report.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    report.write_text(text.replace(title, 'title: "联系 139**7303**2708', 1), encoding="utf-8")
    update = preview.update([report])
    assert not update.ok
    page = preview.response("/").body.decode("utf-8")
    assert "联系 139" in page and "2708" in page  # the line is quoted…
    assert "7303" not in page  # …without the hidden digits


def test_a_large_site_s_preview_equals_a_full_build_before_and_after_a_change(preview_site, monkeypatch):
    """Past 1,000 items (5 here) the catalogue is a page per year and each year's downloads are described
    in its folder: the preview serves them as build writes them, before and after a change."""
    import site_builder.model.site as model_site

    monkeypatch.setattr(model_site, "CATALOGUE_ONE_PAGE_AT_MOST", 5)
    preview = Preview(preview_site)
    assert preview.build().ok
    assert "downloads/2023/datapackage.json" in preview.files and "disclosure/gongkai-mulu-2023.html" in preview.files
    assert_equals_full_build(preview, preview_site)
    revise(preview_site / PROJECT)
    changed(preview, preview_site, PROJECT)
    assert_equals_full_build(preview, preview_site)


def test_a_site_growing_past_one_catalogue_page_and_back_equals_a_full_build(preview_site, monkeypatch):
    """A record added past the limit (the real site's 15 items here) makes the catalogue a page per year and
    its downloads described a year apart; deleted again, one page and one package: as build makes them."""
    import site_builder.model.site as model_site

    monkeypatch.setattr(model_site, "CATALOGUE_ONE_PAGE_AT_MOST", 15)
    preview = Preview(preview_site)
    assert preview.build().ok
    assert "disclosure/gongkai-mulu-2023.html" not in preview.files
    added = preview_site / "content/2023/projects/xin-xiangmu.yaml"
    text = re.sub(r"(?m)^slug: .*$", "slug: xin-xiangmu", (preview_site / PROJECT).read_text(encoding="utf-8"), count=1)
    added.write_text(re.sub(r"(?m)^project: .*$", "project: 新项目", text, count=1), encoding="utf-8")
    changed(preview, preview_site, added.relative_to(preview_site).as_posix())
    assert "disclosure/gongkai-mulu-2023.html" in preview.files and "downloads/2021/datapackage.json" in preview.files
    assert_equals_full_build(preview, preview_site)
    added.unlink()
    changed(preview, preview_site, added.relative_to(preview_site).as_posix())
    assert "disclosure/gongkai-mulu-2023.html" not in preview.files
    assert_equals_full_build(preview, preview_site)
