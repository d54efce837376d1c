"""The 公开目录 and its 索引号 (issue 15): numbers given out once and kept, the
format checked, the table sortable and filterable in Chromium and whole without it."""

from __future__ import annotations

import re
import shutil
import string

from hypothesis import given, settings, strategies as st

from sitetest import copy_site, run_cli

from site_builder.load.source import Source
from site_builder.load.yaml_text import parse_yaml
from site_builder.model.index_numbers import index_format

CATALOGUE = "disclosure/gongkai-mulu.html"
FORMAT = 'index_number: {format: "{org_code}/{year}-{serial:05d}", org_code: "43060012X"}\n'
GAOSAN = "content/2023/projects/gaosan-fuxi-yingkao.yaml"


def _numbered_site(tmp_path):
    site = copy_site(tmp_path / "site")
    settings_file = site / "content" / "site.yaml"
    settings_file.write_text(settings_file.read_text(encoding="utf-8") + FORMAT, encoding="utf-8")
    return site


def _numbers(out) -> dict[str, str]:
    """索引号 by page, as the catalogue shows them."""
    html = (out / CATALOGUE).read_text(encoding="utf-8")
    rows = re.findall(r'<td headers="catalogue-h-index [^"]+">([^<]*)</td>\s*<th scope="row"[^>]*><a href="([^"]+)"', html)
    return {href: number for number, href in rows}


def _add_project(site, slug: str, project: str, date: str = "2024-09-11") -> None:
    text = (site / GAOSAN).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^slug: .*$", f"slug: {slug}", text, count=1)
    text = re.sub(r"(?m)^project: .*$", f"project: {project}", text, count=1)
    text = re.sub(r"(?m)^date: .*$", f"date: {date}", text, count=1)
    (site / "content" / "2023" / "projects" / f"{slug}.yaml").write_text(text, encoding="utf-8")


def test_every_item_has_a_number_shown_on_its_page_and_kept_in_the_site_folder(tmp_path):
    site = _numbered_site(tmp_path)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    numbers = _numbers(out)
    assert len(numbers) == 15 and len(set(numbers.values())) == 15
    assert all(re.fullmatch(r"43060012X/20(21|22|23)-\d{5}", n) for n in numbers.values()), numbers
    assert sorted(n for n in numbers.values() if "/2023-" in n)[0] == "43060012X/2023-00001"
    gaosan = (out / "disclosure/2023/gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    shown = re.search(r"<dt>索引号</dt><dd>([^<]+)</dd>", gaosan).group(1)
    assert shown == next(n for href, n in numbers.items() if href.endswith("gaosan-fuxi-yingkao.html"))
    kept = (site / "content" / "index-numbers.yaml").read_text(encoding="utf-8")
    assert f'"2023/projects/gaosan-fuxi-yingkao": "{shown}"' in kept
    assert run_cli("check", "--site", site)[0] == 0  # the file is not taken for a record


def test_numbers_stay_when_items_are_added_and_deleted(tmp_path):
    site = _numbered_site(tmp_path)
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _numbers(out)
    _add_project(site, "xin-xiangmu", "新项目", date="2024-01-02")  # dated before all others of 2023
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = _numbers(out)
    assert {href: after[href] for href in before} == before
    new = after[next(href for href in after if "xin-xiangmu" in href)]
    assert new == "43060012X/2023-00013"  # 12 items of 2023 were numbered before it
    (site / "content" / "2023" / "projects" / "xin-xiangmu.yaml").unlink()
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    _add_project(site, "ling-yige", "另一个项目")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    latest = _numbers(out)
    assert latest[next(href for href in latest if "ling-yige" in href)] == "43060012X/2023-00014"  # 13 is never reused
    assert {href: latest[href] for href in before} == before


def test_a_fresh_build_gives_the_same_numbers_and_a_record_s_own_number_wins(tmp_path):
    site = _numbered_site(tmp_path)
    record = site / GAOSAN
    record.write_text(record.read_text(encoding="utf-8").replace("\ndate:", "\nindex_number: 自编-001\ndate:", 1),
                      encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("build", "--site", site, "--out", first)[0] == 0
    kept = (site / "content" / "index-numbers.yaml").read_bytes()
    (site / "content" / "index-numbers.yaml").unlink()
    shutil.rmtree(site / ".site-builder-cache")
    assert run_cli("build", "--site", site, "--out", second)[0] == 0
    assert (site / "content" / "index-numbers.yaml").read_bytes() == kept
    assert _numbers(first) == _numbers(second)
    assert _numbers(first)[next(h for h in _numbers(first) if "gaosan" in h)] == "自编-001"
    assert b"gaosan" not in kept


def test_a_wrong_format_is_reported_in_chinese_at_its_line(tmp_path):
    site = copy_site(tmp_path / "site")
    settings_file = site / "content" / "site.yaml"
    text = settings_file.read_text(encoding="utf-8") + 'index_number: {format: "{org}/{year}"}\n'
    settings_file.write_text(text, encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    line = len(text.splitlines())
    assert re.search(rf"content/site\.yaml:{line}:\d+: P713 错误 索引号格式里的 \{{org\}} 不认识", stderr), stderr
    assert "提示：" in stderr and "{serial}" in stderr


def test_a_damaged_assignment_file_stops_the_build(tmp_path):
    site = _numbered_site(tmp_path)
    (site / "content" / "index-numbers.yaml").write_text(
        'numbers:\n  "2023/a": "X-1"\n  "2023/b": "X-1"\n', encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 1
    assert "content/index-numbers.yaml:3:" in stderr and "P714" in stderr and "git checkout" in stderr


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + "{}:/-_%.!0d 年", max_size=30))
def test_any_format_is_either_usable_or_a_finding(pattern):
    source = Source(None, "content/site.yaml", f"index_number:\n  format: {pattern!r}\n  org_code: X1\n")
    try:
        data = parse_yaml(source)
    except Exception:  # not YAML at all: the loader reports that
        return
    found, findings = index_format(data, source)
    if found is None:
        assert findings == [] or (findings[0].code == "P713" and findings[0].line == 2)
    else:
        assert findings == []
        assert found.number(2024, 1) != found.number(2024, 2)


def test_the_catalogue_is_complete_without_javascript_and_sortable_and_filterable_with_it(browser, real_build):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((real_build / CATALOGUE).as_uri())
        assert page.locator("#catalogue tbody tr").count() == 15
        headers = page.eval_on_selector_all("#catalogue thead th", "ths => ths.map(th => th.textContent.trim())")
        assert headers == ["索引号", "名称", "发布机构", "文号", "发布日期", "主题分类", "时效性"]
        assert page.locator("#catalogue-tools").is_hidden()
    finally:
        context.close()
    page = browser.new_page()
    try:
        page.goto((real_build / CATALOGUE).as_uri())
        date_button = page.locator("#catalogue-h-date button")
        date_button.focus()
        page.keyboard.press("Enter")
        assert page.get_attribute("#catalogue-h-date", "aria-sort") == "ascending"
        dates = page.eval_on_selector_all("#catalogue tbody td[headers^='catalogue-h-date']",
                                          "cells => cells.map(c => c.textContent.trim())")
        filled = [d for d in dates if d]
        assert filled == sorted(filled) and dates[:len(filled)] == filled  # undated items last
        page.keyboard.press("Enter")
        assert page.get_attribute("#catalogue-h-date", "aria-sort") == "descending"
        page.select_option("#catalogue-year", "2021")
        assert page.locator("#catalogue tbody tr:visible").count() == 2
        assert "显示 2 项，共 15 项" in page.inner_text(".catalogue-count")
        page.select_option("#catalogue-year", "")
        page.fill("#catalogue-words", "心理健康")
        assert page.locator("#catalogue tbody tr:visible").count() == 1
    finally:
        page.close()


def test_a_recurring_projects_page_shows_its_number_also_on_a_build_without_cache(tmp_path):
    """Pages of a project that recurs are rendered a second time, with the whole site: with its 索引号."""
    site = _numbered_site(tmp_path)
    source = site / "content/2023/projects/jiaoyu-xinxihua.yaml"
    (site / "content/2022/projects").mkdir(parents=True)
    (site / "content/2022/projects/jiaoyu-xinxihua.yaml").write_text(
        source.read_text(encoding="utf-8").replace("year: 2023", "year: 2022").replace("2023年度", "2022年度"),
        encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", tmp_path / "first")[0] == 0  # numbers given out
    shutil.rmtree(site / ".site-builder-cache")
    out = tmp_path / "second"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0  # every number known from the start
    numbers = _numbers(out)
    for year in (2022, 2023):
        page = (out / f"disclosure/{year}/jiaoyu-xinxihua.html").read_text(encoding="utf-8")
        assert 'href="../%d/jiaoyu-xinxihua.html"' % (2022 if year == 2023 else 2023) in page
        shown = re.search(r"<dt>索引号</dt><dd>([^<]+)</dd>", page)
        assert shown and shown.group(1) == next(n for href, n in numbers.items()
                                               if href.endswith(f"{year}/jiaoyu-xinxihua.html")), year


def test_every_text_of_a_row_is_escaped(tmp_path):
    """The rows escape each text from the records and the settings (the table is written with
    escaping spelled out, for speed): markup typed into a name or a setting shows as typed."""
    site = copy_site(tmp_path / "site")
    settings_file = site / "content" / "site.yaml"
    settings_file.write_text(settings_file.read_text(encoding="utf-8")
                             .replace("publisher: 岳阳市教育科学技术研究院", "publisher: '<b>研究院</b> & 中心'")
                             .replace("default_validity: 有效", "default_validity: '<i>有效</i>'"), encoding="utf-8")
    _add_project(site, "markup", '"<script>alert(1)</script> 甲&乙"')
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    for page in (CATALOGUE, "search.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>研究院" not in html and "<i>有效" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; 甲&amp;乙" in html
        assert "&lt;b&gt;研究院&lt;/b&gt; &amp; 中心" in html and "&lt;i&gt;有效&lt;/i&gt;" in html


# --- a large site's catalogue: a page per year ---------------------------------------------------

def _rows(html: str) -> list[str]:
    """The items a catalogue table lists: each row's link."""
    return re.findall(r'<th scope="row" id="[^"]+" headers="[^"]+"><a href="([^"]+)"', html)


def test_a_large_catalogue_is_a_page_per_year_made_again_only_for_the_year_that_changed(tmp_path, monkeypatch):
    """Past CATALOGUE_ONE_PAGE_AT_MOST items (1,000; 5 here, for the real site's 15) the catalogue page lists
    the years, each with its count and a page of its items; the search page shows readers without
    JavaScript the years instead of a table of every item (9 MB at 10,000 items). Together the years'
    pages list every item, each once, as the one-page catalogue does. A changed record makes its
    year's page again, not the other years'."""
    import site_builder.model.site as model_site

    site = copy_site(tmp_path / "site")
    whole = tmp_path / "whole"
    assert run_cli("build", "--site", site, "--out", whole)[0] == 0
    one_page = (whole / CATALOGUE).read_text(encoding="utf-8")
    assert not list((whole / "disclosure").glob("gongkai-mulu-*.html"))  # 15 items: one page, as before

    monkeypatch.setattr(model_site, "CATALOGUE_ONE_PAGE_AT_MOST", 5)
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    index = (out / CATALOGUE).read_text(encoding="utf-8")
    years = re.findall(r'<li><a href="(gongkai-mulu-(\d{4})\.html)">\2年度公开目录</a>（(\d+) 项）</li>', index)
    assert [year for _, year, _ in years] == ["2023", "2022", "2021"] and "<table" not in index
    listed = []
    for page, year, count in years:
        html = (out / "disclosure" / page).read_text(encoding="utf-8")
        rows = _rows(html)
        assert len(rows) == int(count) and all(row.startswith(f"{year}/") for row in rows), (page, rows)
        assert f"<h1>{year}年度公开目录</h1>" in html and 'href="gongkai-mulu.html">公开目录</a>' in html
        listed += [f"disclosure/{row}" for row in rows]
    assert sorted(listed) == sorted(f"disclosure/{row}" for row in _rows(one_page)) and len(listed) == 15
    search = (out / "search.html").read_text(encoding="utf-8")
    assert "<table" not in search and 'href="disclosure/gongkai-mulu-2021.html">2021年度公开目录</a>（2 项）' in search

    before = {p.name: p.stat().st_ino for p in (out / "disclosure").glob("gongkai-mulu*.html")}
    record = site / GAOSAN
    record.write_text(record.read_text(encoding="utf-8").replace("\nproject: ", "\nproject: 改", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = {p.name: p.stat().st_ino for p in (out / "disclosure").glob("gongkai-mulu*.html")}
    assert "改高三复习迎考" in (out / "disclosure" / "gongkai-mulu-2023.html").read_text(encoding="utf-8")
    assert after["gongkai-mulu-2023.html"] != before["gongkai-mulu-2023.html"]
    assert after["gongkai-mulu-2021.html"] == before["gongkai-mulu-2021.html"]
    assert after["gongkai-mulu-2022.html"] == before["gongkai-mulu-2022.html"]

    monkeypatch.setattr(model_site, "CATALOGUE_ONE_PAGE_AT_MOST", 14)  # a record deleted: one page again
    record.unlink()
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert not list((out / "disclosure").glob("gongkai-mulu-*.html"))
    assert len(_rows((out / CATALOGUE).read_text(encoding="utf-8"))) == 14
    assert not list((out / "downloads").glob("*/datapackage.json"))  # one package again, describing every file
    assert '"path":"2023/gaosan-fuxi-yingkao.json"' not in (out / "downloads/datapackage.json").read_text(encoding="utf-8")
    assert '"path":"2023/jiaoxue-zhiliang-jiance.json"' in (out / "downloads/datapackage.json").read_text(encoding="utf-8")
