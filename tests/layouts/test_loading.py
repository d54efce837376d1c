"""Layout files: the shipped ones read cleanly, a site's own add and override, mistakes are findings."""

from __future__ import annotations

from pathlib import Path

from site_builder.layouts import GRID_LAYOUT, default_layout, load_layouts

SHIPPED_IDS = {"yueyang-project-2023", "yueyang-department-2023", "yueyang-department-2021", "mof-project-2020",
               "mof-department-2020", "sichuan-project-2023", "department-simple-2022", GRID_LAYOUT}


def test_shipped_layouts_read_without_findings():
    layouts = load_layouts(None)
    assert layouts.findings == []
    assert {layout.id for layout in layouts.distinct()} == SHIPPED_IDS
    assert layouts["standard"].id == "yueyang-department-2023"
    assert layouts["yueyang-2021"].id == "yueyang-department-2021"
    assert default_layout("project-evaluation").id == "yueyang-project-2023"


def test_shipped_layouts_keep_printed_order_and_roles():
    layout = load_layouts(None)["sichuan-project-2023"]
    assert [c.label for c in layout.header] == ["报表编号", "项目名称", "主管部门", "实施单位（盖章）"]
    funds = layout.block("funds")
    assert [c.label for c in funds.columns] == ["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"]
    assert funds.column("adjusted_budget").key == "adjusted"
    assert funds.column("annual_budget") is None
    assert [r.key for r in funds.rows_with_role("part")] == ["fiscal", "special_account", "own", "other"]
    assert [b.key for b in layout.blocks] == ["goals", "process", "funds", "indicators", "conclusion", "problems", "measures"]


def _site_with_layout(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "layouts").mkdir(exist_ok=True)
    (tmp_path / "layouts" / name).write_text(text, encoding="utf-8")
    return tmp_path


CUSTOM = """\
id: county-project
kind: project-evaluation
name: 某县项目表
title: 项目绩效自评表
header:
  - {key: project, label: 项目名称, role: name}
blocks:
  - key: funds
    type: table
    label: 资金情况
    columns:
      - {key: budget, label: 预算数, role: annual_budget}
      - {key: executed, label: 执行数, role: executed}
    rows:
      - {key: total, label: 合计, role: total}
"""


def test_a_site_adds_and_overrides_layouts(tmp_path):
    site = _site_with_layout(tmp_path, "county.yaml", CUSTOM)
    _site_with_layout(site, "standard.yaml", CUSTOM.replace("county-project", "yueyang-project-2023"))
    layouts = load_layouts(site)
    assert layouts.findings == []
    assert layouts["county-project"].source == "layouts/county.yaml"
    assert layouts["yueyang-project-2023"].shipped is False
    assert [c.label for c in layouts["yueyang-project-2023"].header] == ["项目名称"]
    assert "mof-project-2020" in layouts  # the others stay


def test_mistakes_in_a_layout_file_are_findings_with_their_place(tmp_path):
    site = _site_with_layout(tmp_path, "bad.yaml", CUSTOM.replace("type: table", "type: tabel")
                             .replace("role: executed", "role: excuted").replace("label: 资金情况", "lable: 资金情况"))
    layouts = load_layouts(site)
    assert "county-project" not in layouts
    messages = [(f.path, f.line, f.code, f.message + f.hint) for f in layouts.findings]
    assert any(path == "layouts/bad.yaml" and line == 9 and "tabel" in text and "table" in text
               for path, line, _, text in messages), messages
    assert any(line == 10 and "lable" in text and "您是不是想写 label" in text for _, line, _, text in messages)
    assert all(code == "S210" for _, _, code, _ in messages)


def test_an_unknown_role_is_named_with_a_guess(tmp_path):
    site = _site_with_layout(tmp_path, "bad.yaml", CUSTOM.replace("role: executed", "role: excuted"))
    layouts = load_layouts(site)
    assert "county-project" not in layouts
    [finding] = layouts.findings
    assert (finding.line, finding.code) == (13, "S210")
    assert "excuted" in finding.message and "您是不是想写 executed" in finding.hint
