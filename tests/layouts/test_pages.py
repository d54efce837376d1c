"""Pages show a form as its layout prints it; rules run only on the columns a layout has."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st
from layout_samples import sample_site, table_cells
from sitetest import copy_site, run_cli

from site_builder.model.forms import lay_out

COUNTY_LAYOUT = """\
id: county-project-2024
kind: project-evaluation
name: 某县项目支出绩效自评表
title: 项目支出绩效自评表
header:
  - {key: project, label: 项目名称, role: name, required: true}
  - {key: leader, label: 项目负责人及电话}
blocks:
  - key: funds
    type: table
    label: 预算执行情况（10分）
    unit: 万元
    columns:
      - {key: adjusted, label: 调整后预算数, role: adjusted_budget}
      - {key: executed, label: 预算执行数, role: executed}
      - {key: score, label: 得分, role: score}
    rows:
      - {key: total, label: 总额, role: total}
      - {key: fiscal, label: 财政资金, role: part}
      - {key: own, label: 单位资金, role: part}
  - {key: conclusion, type: text, label: 评价结论}
footer:
  - {key: finance_lead, label: 财务负责人}
"""

COUNTY_RECORD = """\
kind: project-evaluation
layout: county-project-2024
year: 2023
slug: county
project: 乡村学校校舍维修
# 项目负责人及电话照原表
leader: 张三
funds:
  total: {adjusted: "100.00", executed: "90.00", score: "9"}
  fiscal: {adjusted: "80.00", executed: "70.00", score: }
  own: {adjusted: "20.00", executed: "", score: }
conclusion: 项目按计划完成。
footer:
  finance_lead: 李四
"""


def _county_site(tmp_path):
    site = copy_site(tmp_path / "site")
    (site / "layouts").mkdir()
    (site / "layouts" / "county.yaml").write_text(COUNTY_LAYOUT, encoding="utf-8")
    (site / "content" / "2023" / "projects" / "county.yaml").write_text(COUNTY_RECORD, encoding="utf-8")
    return site


def _check(site):
    code, out, err = run_cli("check", "--site", site, "--format", "json")
    assert "Traceback" not in out + err
    return code, json.loads(out)


def test_a_site_layout_prints_exactly_its_labels(tmp_path):
    site = _county_site(tmp_path)
    with open(site / "content" / "2023" / "projects" / "county.yaml", "a", encoding="utf-8") as record:
        record.write("acknowledgements:\n  - {code: F301, reason: 原表如此}\n")
    code, out, err = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 0, out + err
    html = (tmp_path / "out" / "disclosure" / "2023" / "county.html").read_text(encoding="utf-8")
    rows = table_cells(html, "funds")
    assert [(tag, text) for tag, text, _ in rows[0]] == [
        ("td", ""), ("th", "调整后预算数"), ("th", "预算执行数"), ("th", "得分")]
    assert [row[0][1] for row in rows[1:]] == ["总额", "财政资金", "单位资金"]
    assert [text for _, text, _ in rows[1]] == ["总额", "100.00", "90.00", "9"]
    assert [text for _, text, _ in rows[3]] == ["单位资金", "20.00", "", ""]  # blank cells stay blank
    assert [attrs.get("blank-mark") for _, _, attrs in rows[3][2:]] == ["1", "1"]  # and say so alike (issue 14)
    for absent in ("年初预算数", "全年预算数", "合计", "资金来源", "绩效指标", "填表人", "分值"):
        assert absent not in html.split("<article", 1)[1], absent
    assert "<dt>项目负责人及电话</dt><dd>张三</dd>" in html
    assert '<h2 id="funds-heading">预算执行情况（10分）</h2>' in html
    assert '<h2 id="conclusion-heading">评价结论</h2>' in html and "项目按计划完成。" in html
    assert "<dt>财务负责人</dt><dd>李四</dd>" in html


def test_rules_run_only_on_the_columns_a_layout_has(tmp_path):
    site = _county_site(tmp_path)
    code, findings = _check(site)
    mine = [f for f in findings if f["path"] == "content/2023/projects/county.yaml"
            and f["code"] != "P711"]  # no publication date in the sample: its own warning (issue 15)
    # 执行数: 70 + (blank) ≠ 90 is reported; 调整后预算数 80 + 20 = 100 adds up.
    assert [(f["code"], f["line"]) for f in mine] == [("F301", 9)], mine
    assert "预算执行数" in mine[0]["message"]
    # no 分值 and no 执行率 column: neither the rate nor the score of the budget row is checked,
    # and the absent 分值 is not taken for 0 (which would make the score 9 exceed it).
    assert not {"F303", "F304", "F305", "F308"} & {f["code"] for f in mine}
    assert code == 1


def test_a_column_the_layout_lacks_cannot_be_typed(tmp_path):
    site = _county_site(tmp_path)
    path = site / "content" / "2023" / "projects" / "county.yaml"
    path.write_text(COUNTY_RECORD.replace('total: {adjusted: "100.00"', 'total: {initial: "100.00", adjusted: "100.00"'),
                    encoding="utf-8")
    code, findings = _check(site)
    [finding] = [f for f in findings if f["code"] == "S202"]
    assert "initial" in finding["message"] and finding["line"] == 9
    assert "这一层可以写的项：adjusted、executed、score" in finding["hint"]


def test_overriding_a_shipped_layout_changes_the_real_pages(tmp_path):
    site = copy_site(tmp_path / "site")
    (site / "layouts").mkdir()
    shipped = (__import__("site_builder.layouts", fromlist=["SHIPPED_DIR"]).SHIPPED_DIR
               / "yueyang-project-2023.yaml").read_text(encoding="utf-8")
    (site / "layouts" / "ours.yaml").write_text(
        shipped.replace("label: 全年预算数", "label: 调整后全年预算数").replace("label: 偏差原因分析及改进措施", "label: 原因"),
        encoding="utf-8")
    code, out, err = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 0, out + err
    html = (tmp_path / "out" / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    assert ">调整后全年预算数</th>" in html and ">全年预算数</th>" not in html
    assert [text for _, text, _ in table_cells(html, "ind")[0]][-1] == "原因"


def test_an_unknown_layout_id_is_an_error_with_a_guess(tmp_path):
    site = copy_site(tmp_path / "site")
    path = site / "content" / "2023" / "department-evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("layout: standard", "layout: standrad"), encoding="utf-8")
    code, findings = _check(site)
    [finding] = [f for f in findings if f["path"].endswith("department-evaluation.yaml") and f["code"] == "S204"]
    assert "standrad" in finding["message"] and "您是不是想写 standard" in finding["hint"]
    assert "layout: grid" in finding["hint"]
    assert code == 1


def test_a_form_of_unknown_layout_is_published_cell_for_cell_with_a_warning(tmp_path):
    site = sample_site(tmp_path / "site")
    code, findings = _check(site)
    warning = [f for f in findings if f["path"] == "content/2024/merged-grid.yaml"
               and f["code"] != "P711"]  # the sample has no publication date: a warning of its own (issue 15)
    assert [(f["code"], f["severity"], f["line"]) for f in warning] == [("F319", "warning", 2)]
    code, out, err = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 0, out + err
    html = (tmp_path / "out" / "disclosure" / "2024" / "merged-grid.html").read_text(encoding="utf-8")
    rows = table_cells(html, "grid-1")
    assert [(text, attrs.get("colspan"), attrs.get("rowspan")) for _, text, attrs in rows[0]] == [
        ("项目", None, None), ("收入", "2", None), ("支出", "2", None)]
    assert rows[1][0][1:] == ("基本经费", {"scope": "row", "id": "grid-1-r-1", "rowspan": "2"})
    assert [text for _, text, _ in rows[2]] == ["20.00", "10.00", "5.00", "5.00"]  # under the merged 基本经费
    assert rows[2][0][2]["headers"] == "grid-1-h-0-1 grid-1-r-1"
    assert [text for _, text, _ in rows[3]] == ["合计", "120.00", "90.00", "65.00", "45.00"]
    assert "收支情况表" in html


OVERLAPPING_GRID = """\
kind: project-evaluation
layout: grid
year: 2024
name: 乡村学校校舍维修
tables:
  - title: 收支情况表
    rows:
      - [项目, {text: 收入, rowspan: 2}, 支出]
      - [{text: 基本经费, colspan: 3}]
      - ["20.00", "10.00", "5.00"]
"""


def test_merged_cells_that_overlap_are_an_error_at_the_cell_and_never_a_crash(tmp_path):
    """A 横跨 cell under a 竖跨 one from above: XlsxWriter refused the overlapping merge and the build
    stopped with an internal error (exit 3); now the checker says where, and the preview shows the table."""
    site = sample_site(tmp_path / "site")
    (site / "content" / "2024" / "overlapping.yaml").write_text(OVERLAPPING_GRID, encoding="utf-8")
    code, findings = _check(site)
    [finding] = [f for f in findings if f["code"] == "F321"]
    assert (finding["path"], finding["line"], finding["column"], finding["severity"]) == (
        "content/2024/overlapping.yaml", 9, 17, "error")
    assert "基本经费" in finding["message"] and "竖跨下来的位置" in finding["hint"]
    code, out, err = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert code == 1 and "F321" in out + err and "内部错误" not in out + err


@given(st.lists(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4),
                min_size=1, max_size=5))
def test_laid_out_merges_never_share_a_place(rows):
    placed, width, overlapping = lay_out(rows, lambda spans: spans)
    taken: set[tuple[int, int]] = set()
    for r, slots in enumerate(placed):
        for c, _, colspan, rowspan in slots:
            places = {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
            assert not places & taken and all(column < width for _, column in places)
            taken |= places
    assert (overlapping == []) == all(
        (colspan, rowspan) == (cell[0], min(cell[1], len(rows) - r))
        for r, slots in enumerate(placed) for _, cell, colspan, rowspan in slots)
