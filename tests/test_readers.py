"""What readers need from the pages (issue 14), read from the built HTML:
the year overview and its charts, the department's history, the summary a
form opens with, the notes explaining what the signed forms print, blank
cells, the 404 page, the footer's phone and the links between a report, its
forms and other years. Expected figures are read from the content files with
PyYAML, independently of the generator's own reader."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from sitetest import CONTENT, run_cli, snapshot, squeeze, visible_text

from site_builder.render.charts import nice_ticks, wrap_label

YEAR_2023 = "disclosure/2023/index.html"
HISTORY = "disclosure/bumen-linian.html"
DEPARTMENT_2023 = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbiao.html"
REPORT_2023 = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"
# The four project forms whose printed 合计 differs from the rows' sum (domain reference, "The seeds").
INCONSISTENT = ("教育规划与发展专项经费（青少年科技活动）", "教育科研与成果推广专项", "教育信息化", "全市中小学心理健康教育")


def _projects(site: Path, year: int = 2023) -> dict[Path, dict]:
    return {path: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((site / "content" / str(year) / "projects").glob("*.yaml"))}


def _number(value) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", "")
    return Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _build(site: Path, out: Path) -> str:
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    return stdout


def _section(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i)]


# --- the year overview -------------------------------------------------------------------


def test_year_page_lists_every_form_with_its_printed_figures(real_build, site):
    html = (real_build / YEAR_2023).read_text(encoding="utf-8")
    table = _section(html, '<table class="form-table overview-table', "</table>")
    rows = re.findall(r"<tr>\s*<th scope=\"row\"[^>]*><a href=\"[^\"]+\">([^<]+)</a></th>(.*?)</tr>", table, re.S)
    titles = [title for title, _ in rows]
    projects = _projects(site)
    assert len(rows) == len(projects) + 1, titles  # the department form and every project
    by_title = {title: visible_text(cells) for title, cells in rows}
    for data in projects.values():
        total = data["funds"]["total"]
        cells = squeeze(by_title[data["project"]])
        for column in ("annual", "executed", "rate"):
            assert squeeze(str(total[column])) in cells, (data["project"], column, cells)
        assert squeeze(str(data["total"]["score"])) in cells


def test_a_year_without_forms_says_so_and_a_year_with_forms_does_not(real_build, site):
    years = {path.name: {record.name for record in path.rglob("*.yaml")}
             for path in (site / "content").iterdir() if path.is_dir() and path.name.isdigit()}
    assert any(not records for records in years.values()) and any(records for records in years.values())
    for year, records in years.items():
        text = visible_text((real_build / f"disclosure/{year}/index.html").read_text(encoding="utf-8"))
        assert (f"本站没有{year}年度的绩效自评表" in text) == (not records), (year, records)


def test_year_totals_add_the_project_forms_and_say_how(real_build, site):
    html = (real_build / YEAR_2023).read_text(encoding="utf-8")
    foot = visible_text(_section(html, "<tfoot>", "</tfoot>"))
    budgets = [_number(d["funds"]["total"]["annual"]) for d in _projects(site).values()]
    executed = [_number(d["funds"]["total"]["executed"]) for d in _projects(site).values()]
    assert f"{sum(budgets):,.2f}" in foot and f"{sum(executed):,.2f}" in foot
    assert f"（{len(budgets)} 张项目表）" in foot
    assert "部门整体支出已包含项目支出，不重复相加" in visible_text(html)


@pytest.mark.parametrize("value", ["待定", "500元"])
def test_a_total_is_not_given_when_one_addend_is_not_an_amount_in_wan_yuan(site, tmp_path, value):
    path = next(p for p in _projects(site) if "gaosan" in p.name)
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.strip().startswith("total:") and "annual" in line)
    edited = text.replace(line, re.sub(r"annual: [^,]+,", f"annual: {value},", line, count=1))
    # 500元 no longer adds up with its parts, nor matches 执行率: acknowledged, as an editor would
    if value == "500元":
        edited += "\nacknowledgements:\n  - {code: F301, reason: 测试}\n  - {code: F303, reason: 测试}\n"
    path.write_text(edited, encoding="utf-8")
    code, out, err = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 0, out + err
    html = (tmp_path / "out" / YEAR_2023).read_text(encoding="utf-8")
    foot = _section(html, "<tfoot>", "</tfoot>")
    budget_cell = re.search(r'data-label="全年预算数">(.*?)</td>', foot, re.S).group(1)
    assert visible_text(budget_cell).strip().startswith("—"), budget_cell
    assert "不相加" in budget_cell
    executed_cell = re.search(r'data-label="全年执行数">(.*?)</td>', foot, re.S).group(1)
    assert re.fullmatch(r"[\d,]+\.\d\d", visible_text(executed_cell).strip())  # the other column still adds up


def test_year_chart_is_an_image_with_a_title_and_a_description_and_bars_in_proportion(real_build, site):
    html = (real_build / YEAR_2023).read_text(encoding="utf-8")
    svg = _section(html, '<svg class="bar-chart"', "</svg>")
    title_id, desc_id = re.search(r'role="img" aria-labelledby="([^"]+)"', svg).group(1).split()
    assert f'<title id="{title_id}">' in svg and f'<desc id="{desc_id}">' in svg
    assert "<script" not in html.split("</head>", 1)[1]
    bars = [float(w) for w in re.findall(r'<rect class="bar s0"[^>]* width="([\d.]+)%"', svg)]
    budgets = [_number(d["funds"]["total"]["annual"]) for d in _projects(site).values()]
    order = [d["funds"]["total"]["annual"] for d in sorted(_projects(site).values(), key=lambda d: d.get("order", 0))]
    assert len(bars) == len(budgets)
    largest = max(budgets)
    ratios = [round(bar / max(bars), 2) for bar in bars]
    assert ratios == [round(float(_number(v) / largest), 2) for v in order]


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2))
def test_ticks_start_at_zero_step_evenly_and_reach_the_largest_value(largest):
    ticks = nice_ticks(largest)
    assert ticks[0] == 0 and ticks[-1] >= largest
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and 2 <= len(ticks) <= 12, ticks
    assert ticks[-2] < largest


@given(st.text(alphabet=st.sampled_from("教育信息化项目（）ABC12，。、 "), max_size=60))
def test_chart_labels_wrap_without_losing_a_character(text):
    lines = wrap_label(text)
    assert "".join(lines) == text
    assert all(sum(0.5 if ord(c) < 0x2E80 else 1 for c in line) <= 15 + 1 for line in lines)


def test_year_page_and_lists_mark_the_forms_that_carry_notes(real_build, site):
    noted = {d["project"] for d in _projects(site).values() if d.get("acknowledgements")}
    html = (real_build / YEAR_2023).read_text(encoding="utf-8")
    lists = _section(html, '<section aria-labelledby="kind-project-evaluation">', "</section>")
    marked = set(re.findall(r'<a href="[^"]+">([^<]+)</a>\s*<a class="has-notes"', lists))
    assert marked == noted
    table = _section(html, '<table class="form-table overview-table', "</table>")
    assert table.count('class="has-notes"') == len(noted) + 1  # and the department form


# --- history and other years --------------------------------------------------------------


def test_history_page_shows_the_department_year_by_year_and_is_linked(real_build):
    html = (real_build / HISTORY).read_text(encoding="utf-8")
    rows = re.findall(r'<th scope="row"[^>]*><a href="([^"]+)">', html)
    assert rows == ["2021/bumen-zhengti-zhichu-jixiao-zipingbiao.html", "2023/bumen-zhengti-zhichu-jixiao-zipingbiao.html"]
    assert "本表式未印" in html  # the 2021 layout prints no such figures
    assert 'role="img"' in html
    assert "bumen-linian.html" in (real_build / "disclosure/index.html").read_text(encoding="utf-8")
    assert "bumen-linian.html" in (real_build / DEPARTMENT_2023).read_text(encoding="utf-8")


def test_no_history_page_with_one_year_of_department_forms(site, tmp_path):
    shutil.rmtree(site / "content/2021")
    _build(site, tmp_path / "out")
    assert not (tmp_path / "out" / HISTORY).exists()
    assert "bumen-linian" not in (tmp_path / "out/disclosure/index.html").read_text(encoding="utf-8")


def test_a_recurring_project_links_its_other_years_also_after_an_incremental_build(site, tmp_path):
    source = site / "content/2023/projects/jiaoyu-xinxihua.yaml"
    (site / "content/2022/projects").mkdir(parents=True)
    earlier = site / "content/2022/projects/jiaoyu-xinxihua.yaml"
    earlier.write_text(source.read_text(encoding="utf-8").replace("year: 2023", "year: 2022")
                       .replace("2023年度", "2022年度"), encoding="utf-8")
    out = tmp_path / "out"
    _build(site, out)
    page_2023 = (out / "disclosure/2023/jiaoyu-xinxihua.html").read_text(encoding="utf-8")
    page_2022 = (out / "disclosure/2022/jiaoyu-xinxihua.html").read_text(encoding="utf-8")
    assert 'href="../2022/jiaoyu-xinxihua.html"' in page_2023
    assert 'href="../2023/jiaoyu-xinxihua.html"' in page_2022
    assert "jiaoyu-xinxihua" not in _section((out / "disclosure/2023/gaosan-fuxi-yingkao.html").read_text("utf-8"),
                                             "<main", "</main>").replace("gaosan", "")
    # Removing the earlier year: a rebuild into the same folder drops the link, as a fresh build does.
    earlier.unlink()
    _build(site, out)
    _build(site, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")
    assert "../2022/" not in (out / "disclosure/2023/jiaoyu-xinxihua.html").read_text(encoding="utf-8")


def test_overview_follows_a_changed_figure_in_an_incremental_build(site, tmp_path):
    out = tmp_path / "out"
    _build(site, out)
    path = site / "content/2023/projects/gaosan-fuxi-yingkao.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"(  total: +\{initial: 50, annual: 50, executed: )50,", r"\g<1>50.00,", text, count=1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    _build(site, out)
    assert ">50.00<" in (out / YEAR_2023).read_text(encoding="utf-8")
    _build(site, tmp_path / "fresh")
    assert snapshot(out) == snapshot(tmp_path / "fresh")


# --- the summary a form opens with ----------------------------------------------------------


def test_every_form_opens_with_its_key_figures_and_a_derived_grade_says_so(real_build, site):
    for path, data in _projects(site).items():
        html = (real_build / f"disclosure/2023/{data['slug']}.html").read_text(encoding="utf-8")
        main = _section(html, "<main", "</main>")
        summary = visible_text(_section(main, '<section class="key-figures"', "</section>"))
        assert main.index('class="key-figures"') < main.index("<table")
        total = data["funds"]["total"]
        for label, value in (("全年预算数", total["annual"]), ("全年执行数", total["executed"]),
                             ("执行率", total["rate"]), ("总分", data["total"]["score"])):
            assert re.search(re.escape(label) + r"\s*" + re.escape(str(value)), summary), (path.name, label, summary)
        score = _number(data["total"]["score"])
        grade = "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"
        if data.get("grade"):
            assert str(data["grade"]) in summary and "推算" not in summary
        else:
            assert re.search(f"评价等级\\s*{grade}\\s*（根据总分推算", summary), summary


# --- notes in public --------------------------------------------------------------------------


def _rows_sum(data: dict, column: str) -> Decimal:
    total = _number(data["funds"]["total"][column]) or Decimal(0)
    for level1 in data["indicators"]:
        for group in level1["groups"]:
            for row in group["rows"]:
                total += _number(row.get(column)) or Decimal(0)
    return total


@pytest.mark.parametrize("project", INCONSISTENT)
def test_an_inconsistent_form_shows_beside_its_total_the_printed_figure_the_rows_sum_and_the_reason(
        real_build, site, project):
    data = next(d for d in _projects(site).values() if d["project"] == project)
    html = (real_build / f"disclosure/2023/{data['slug']}.html").read_text(encoding="utf-8")
    foot = _section(html, "<tfoot>", "</tfoot>")
    beside = squeeze(visible_text(_section(foot, '<tr class="total-notes">', "</tr>")))
    reasons = {ack["code"]: ack["reason"] for ack in data["acknowledgements"]}
    for code, column, label in (("F309", "weight", "分值"), ("F310", "score", "得分")):
        printed, rows = _number(data["total"][column]), _rows_sum(data, column)
        assert printed != rows
        assert f"合计{label}印为{_fmt(printed)}，各行{label}之和为{_fmt(rows)}" in beside, beside
        assert f'data-printed="{_fmt(printed)}" data-computed="{_fmt(rows)}"' in foot  # and as data
        assert squeeze(reasons[code]) in beside
    # the notice at the top links to each note, and each note is on the page
    notice = _section(html, '<aside class="notes-notice" id="notes"', "</aside>")
    targets = re.findall(r'href="#(note-\d+)"', notice)
    assert len(targets) == len(data["acknowledgements"])
    assert all(f'id="{target}"' in html for target in targets)


def test_the_department_form_explains_its_rounding_where_it_occurs(real_build, site):
    data = yaml.safe_load((site / "content/2023/department-evaluation.yaml").read_text(encoding="utf-8"))
    parts = [_number(str(row["expenditure"]["value"]).replace("万元", "")) for row in data["funds"]["by_nature"]
             if row["expenditure"]["label"] in ("基本支出", "项目支出")]
    html = (real_build / DEPARTMENT_2023).read_text(encoding="utf-8")
    funds = _section(html, '<table class="form-table funds-table', "</table>")
    assert 'class="note-ref"' in funds  # the printed total is marked
    footnote = squeeze(visible_text(_section(html, '<div class="table-notes-block">', "</div>")))
    assert f"之和为{sum(parts):,}，年度资金总额印为{data['funds']['total']['annual']}" in footnote, footnote
    assert "四舍五入到0.01万元" in footnote and "允许" in footnote
    assert html.index('<div class="table-notes-block">') - html.index("</table>") < 200  # right below the table


def test_blank_cells_are_marked_alike_in_every_form_table(real_build):
    for page in sorted((real_build / "disclosure").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for table in re.findall(r'<table class="form-table (?:funds|indicator|goals|nature|overview)-table.*?</table>', html, re.S):
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S):
                if not cell.strip():
                    continue  # the total row's own empty cells, which the form does not have
                assert visible_text(cell).strip(), (page.name, cell)
            for blank in re.findall(r'<span class="blank" data-pagefind-ignore>(.*?)</span></span>', table):
                assert blank == '<span aria-hidden="true">—</span><span class="visually-hidden">空'


# --- smaller things ------------------------------------------------------------------------------


def test_the_404_page_carries_its_styles_and_build_says_when_links_need_base_url(site, tmp_path):
    out = _build(site, tmp_path / "out")
    page = (tmp_path / "out/404.html").read_text(encoding="utf-8")
    assert "<style>" in page and 'rel="stylesheet"' not in page and "<script src" not in page
    assert ".site-header" in page  # the theme's own rules, inline
    assert "base_url" in out
    settings_file = site / "content/site.yaml"
    settings_file.write_text(settings_file.read_text(encoding="utf-8").replace(
        "base_url:  ", "base_url: https://www.example.gov.cn/jky/  ", 1), encoding="utf-8")
    assert "https://www.example.gov.cn/jky/" in settings_file.read_text(encoding="utf-8")
    out = _build(site, tmp_path / "out2")
    assert "base_url" not in out


@pytest.mark.parametrize("phone,area,shown", [("8805696", "0730", "0730-8805696"), ("8805696", "", "8805696"),
                                              ("0730-8805696", "0730", "0730-8805696")])
def test_the_footer_phone_shows_its_area_code_when_configured(site, tmp_path, phone, area, shown):
    settings_file = site / "content/site.yaml"
    text = re.sub(r"^office_phone:.*$", f"office_phone: {phone}", settings_file.read_text(encoding="utf-8"), flags=re.M)
    text = re.sub(r"^area_code:.*$", f'area_code: "{area}"', text, flags=re.M)
    settings_file.write_text(text, encoding="utf-8")
    _build(site, tmp_path / "out")
    assert f"联系电话：{shown}</p>" in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_a_wrong_area_code_is_reported_in_chinese(site):
    settings_file = site / "content/site.yaml"
    settings_file.write_text(re.sub(r"^area_code:.*$", 'area_code: "730"', settings_file.read_text(encoding="utf-8"),
                                    flags=re.M), encoding="utf-8")
    code, out, err = run_cli("check", "--site", site)
    assert code == 1 and "S204" in out and "区号" in out and "site.yaml:" in out


def test_the_report_links_to_the_forms_it_explains_and_they_link_back(real_build):
    report = (real_build / REPORT_2023).read_text(encoding="utf-8")
    related = _section(report, '<nav class="related-forms"', "</nav>")
    assert 'href="bumen-zhengti-zhichu-jixiao-zipingbiao.html"' in related
    assert 'href="index.html#overview-heading"' in related
    department = (real_build / DEPARTMENT_2023).read_text(encoding="utf-8")
    assert 'href="bumen-zhengti-zhichu-jixiao-zipingbaogao.html"' in _section(department, '<nav class="related-years"', "</nav>")


def test_every_note_is_written_out_exactly_once(real_build):
    pages = 0
    for page in sorted((real_build / "disclosure").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'class="notes-notice"' not in html:
            continue
        pages += 1
        notice = _section(html, '<aside class="notes-notice" id="notes"', "</aside>")
        for target in re.findall(r'href="#(note-\d+)"', notice):
            assert html.count(f'id="{target}"') == 1, (page.name, target)
    acknowledging = [p for p in CONTENT.rglob("*.yaml") if "\nacknowledgements:" in p.read_text(encoding="utf-8")]
    assert pages == len(acknowledging) > 0  # every form with acknowledgements, and only those
