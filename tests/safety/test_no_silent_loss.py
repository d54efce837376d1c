"""Issue 13, point 1: a build never publishes fewer records than content/ holds without saying why.

An unreadable folder, a file that cannot be read while the build runs, a page
address that collides with another page or a reserved name: each is an error
naming the file, exit 1, and the previous build/ stays exactly as it was.
"""

from __future__ import annotations

import os

import pytest

from sitetest import run_cli, snapshot

from .conftest import PROJECT, REPORT, edit, run_restricted

PROJECTS = "content/2023/projects"


def _built(site):
    code, out, err = run_cli("build", "--site", site)
    assert code == 0, out + err
    return snapshot(site / "build")


def _assert_refused(site, before, code, out, err, *expected):
    """Exit 1, no traceback, every `expected` text in the report, build/ untouched."""
    assert code == 1, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err and "内部错误" not in err
    for text in expected:
        assert text in err, err
    assert snapshot(site / "build") == before


def test_an_unreadable_folder_stops_the_build_and_names_the_folder(site):
    before = _built(site)
    os.chmod(site / PROJECTS, 0)
    try:
        code, out, err = run_restricted("build", "--site", site)
        check_code, check_out, check_err = run_restricted("check", "--site", site)
    finally:
        os.chmod(site / PROJECTS, 0o755)
    _assert_refused(site, before, code, out, err, f"{PROJECTS}: L120", "无法读取文件夹")
    assert check_code == 1 and f"{PROJECTS}: L120" in check_out + check_err  # check no longer says all is well


def test_an_unreadable_folder_is_reported_in_process_too(site, monkeypatch):
    """The same, with the folder made unreadable by failing os.scandir: any user can run this."""
    before = _built(site)
    real_scandir = os.scandir
    denied = str(site / PROJECTS)

    def scandir(path="."):
        if not isinstance(path, int) and os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run_cli("build", "--site", site)
    _assert_refused(site, before, code, out, err, f"{PROJECTS}: L120 错误 无法读取文件夹（没有读取权限）")
    code, out, err = run_cli("check", "--site", site)
    assert code == 1 and f"{PROJECTS}: L120" in out + err


def test_a_file_that_cannot_be_read_during_the_build_is_an_error(site, monkeypatch):
    """Listed, then gone or unreadable when its turn comes: not left out of the site quietly."""
    before = _built(site)
    edit(site, PROJECT, "project: 高三复习迎考", "project: 高三复习迎考（修订）")  # read again by the next build
    from site_builder.pipeline import one_file

    real_load = one_file.load_file

    def load_file(path, site_dir):
        if path.name == "gaosan-fuxi-yingkao.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_load(path, site_dir)

    monkeypatch.setattr(one_file, "load_file", load_file)
    code, out, err = run_cli("build", "--site", site)
    _assert_refused(site, before, code, out, err, f"{PROJECT}: L108 错误 无法读取文件")


def test_slug_index_does_not_replace_the_year_page(site):
    before = _built(site)
    line = edit(site, REPORT, "slug: bumen-zhengti-zhichu-jixiao-zipingbaogao", "slug: index")
    code, out, err = run_cli("build", "--site", site)
    _assert_refused(site, before, code, out, err, f"{REPORT}:{line}:1: S209", "index")
    code, out, err = run_cli("check", "--site", site)
    assert code == 1 and f"{REPORT}:{line}:1: S209" in out + err


@pytest.mark.parametrize("slug", ["404", "assets", "archive", "archives", "downloads", "search", "catalogue",
                                  "feed", "sitemap", "con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"])
def test_reserved_names_are_refused(site, slug):
    line = edit(site, REPORT, "slug: bumen-zhengti-zhichu-jixiao-zipingbaogao", f"slug: {slug}")
    code, out, err = run_cli("build", "--site", site)
    assert code == 1, out + err
    assert f"{REPORT}:{line}:1: S209" in err and f"{slug}.html" in err
    assert not (site / "build").exists()


def test_a_title_whose_pinyin_is_reserved_points_at_the_title(site):
    """No slug: the name comes from the title, and the finding says where the title is."""
    edit(site, REPORT, "slug: bumen-zhengti-zhichu-jixiao-zipingbaogao\n", "")
    line = edit(site, REPORT, "title: 2023年度部门整体支出绩效自评报告", "title: '404'")
    code, out, err = run_cli("build", "--site", site)
    assert code == 1, out + err
    assert f"{REPORT}:{line}:1: S209" in err


def test_an_acknowledged_clash_still_stops_the_build(site):
    """Two records on one address lose one page: acknowledging S205 cannot allow that."""
    before = _built(site)
    other = "content/2023/projects/jiaoxue-zhiliang-jiance.yaml"
    text = (site / other).read_text(encoding="utf-8")
    slug_line = next(line for line in text.splitlines() if line.startswith("slug:"))
    edit(site, other, slug_line, "slug: gaosan-fuxi-yingkao")
    with open(site / other, "a", encoding="utf-8") as file:
        file.write("\n" if not text.endswith("\n") else "")
    text = (site / other).read_text(encoding="utf-8")
    if "acknowledgements:" in text:
        edit(site, other, "acknowledgements:\n", "acknowledgements:\n  - {code: S205, reason: 两份记录用同一个网页}\n")
    else:
        (site / other).write_text(text + "acknowledgements:\n  - {code: S205, reason: 两份记录用同一个网页}\n",
                                  encoding="utf-8")
    code, out, err = run_cli("build", "--site", site)
    _assert_refused(site, before, code, out, err, "S205 错误")


def test_the_build_counts_record_pages_against_content(site, monkeypatch):
    """The last check before anything is written: a record without a page (here: a fault
    injected into the build, which no earlier check reports) stops the build."""
    before = _built(site)
    edit(site, PROJECT, "project: 高三复习迎考", "project: 高三复习迎考（修订）")
    from site_builder.pipeline import incremental

    real_read = incremental.read_one

    def read_one(path, frame, now=None):
        result = real_read(path, frame, now)
        if path.name == "gaosan-fuxi-yingkao.yaml":
            result.entry.summary, result.page_digest = None, None  # the record's page is lost
        return result

    monkeypatch.setattr(incremental, "read_one", read_one)
    code, out, err = run_cli("build", "--site", site)
    _assert_refused(site, before, code, out, err, f"{PROJECT}: S210", "没有生成网页", "只能生成")



@pytest.mark.parametrize("saved_next", [PROJECT, "content/2021/work-summary.md"])
def test_the_preview_reports_an_unreadable_folder_and_recovers(site, monkeypatch, saved_next):
    """serve rebuilds file by file: a folder that became unreadable is an error there too, not pages dropped;
    once mended, the next save lists content/ again, whichever file it is (the preview does not keep
    reporting a folder that was mended meanwhile)."""
    from site_builder.serve import Preview

    preview = Preview(site)
    assert preview.build().ok
    page = "disclosure/2023/gaosan-fuxi-yingkao.html"
    assert page in preview.files
    real_scandir = os.scandir
    denied = str(preview.site_dir / PROJECTS)

    def scandir(path="."):
        if not isinstance(path, int) and os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    update = preview.update([site / PROJECT])
    assert not update.ok
    assert any(f.code == "L120" and f.path == PROJECTS for f in update.findings)

    monkeypatch.setattr(os, "scandir", real_scandir)
    update = preview.update([site / saved_next])
    assert update.ok, [f.format() for f in update.findings if f.is_error]
    assert page in preview.files
