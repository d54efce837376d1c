"""Rules that read the layout: the 一级/二级 vocabulary, blank scores and 完成值, template instructions left in."""

from __future__ import annotations

import json

from sitetest import copy_site, run_cli
from site_builder.layouts import SHIPPED_DIR

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"


def _findings(site, path=PROJECT):
    code, out, err = run_cli("check", "--site", site, "--format", "json")
    assert "Traceback" not in out + err
    return code, [f for f in json.loads(out) if f["path"] == path]


def _edit(site, old, new, path=PROJECT):
    file = site / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1)


def test_the_indicator_vocabulary_comes_from_the_layout(tmp_path):
    site = copy_site(tmp_path / "site")
    _edit(site, "- level2: 时效指标", "- level2: 时效性指标")
    code, findings = _findings(site)
    assert [f["code"] for f in findings] == ["F313"] and "时效性指标" in findings[0]["message"]
    (site / "layouts").mkdir()
    shipped = (SHIPPED_DIR / "yueyang-project-2023.yaml").read_text(encoding="utf-8")
    (site / "layouts" / "ours.yaml").write_text(
        shipped.replace("产出指标: [数量指标, 质量指标, 时效指标, 成本指标]", "产出指标: [数量指标, 质量指标, 时效指标, 时效性指标, 成本指标]"),
        encoding="utf-8")
    code, findings = _findings(site)
    assert findings == [] and code == 0


def test_a_score_left_blank_where_the_form_prints_a_weight(tmp_path):
    site = copy_site(tmp_path / "site")
    text = _edit(site, "{level3: 骨干教师培训合格率, target: 100%, actual: 100%, weight: 4, score: 4,",
                 "{level3: 骨干教师培训合格率, target: 100%, actual: 100%, weight: 4, score: ,")
    code, findings = _findings(site)
    blank = [f for f in findings if f["code"] == "F320"]
    assert [(f["severity"], f["line"]) for f in blank] == [
        ("warning", next(n for n, line in enumerate(text.splitlines(), 1) if "骨干教师培训合格率" in line))]
    assert "骨干教师培训合格率" in blank[0]["message"] and "得分" in blank[0]["message"]


def test_a_whole_actual_column_left_blank(tmp_path):
    site = copy_site(tmp_path / "site")
    file = site / PROJECT
    lines = file.read_text(encoding="utf-8").splitlines()
    file.write_text("\n".join(line.replace("actual: 100%", "actual: ").replace("actual: 95%", "actual: ")
                              if "level3:" in line else line for line in lines) + "\n", encoding="utf-8")
    code, findings = _findings(site)
    assert [f["message"] for f in findings if f["code"] == "F320"] == ["“实际完成值”整列都没有填写"]


def test_template_instructions_published_unfilled(tmp_path):
    site = copy_site(tmp_path / "site")
    record = """\
kind: project-evaluation
layout: sichuan-project-2023
year: 2023
slug: sichuan
project: 校舍维修
goals:
  expected: 完成校舍维修
  actual: 对照年度目标，说明相关任务目标的完成情况（100字以内）
conclusion: 结合自评情况，说明项目自评总分，说明项目实施取得的成效或成果。（200字以内）
problems: 报账不及时。
funds:
  total: {adjusted: "10.00", executed: "10.00", rate: 100%, weight: 100, score: 100}
indicators: []
total: {label: 合计, weight: 100, score: 100}
"""
    path = "content/2023/projects/sichuan.yaml"
    (site / path).write_text(record, encoding="utf-8")
    code, findings = _findings(site, path)
    assert sorted((f["code"], f["line"]) for f in findings if f["code"] == "F318") == [("F318", 8), ("F318", 9)]
    assert code == 1 and {f["code"] for f in findings if f["severity"] == "error"} == {"F318"}, findings
    assert all("填写说明" in f["message"] for f in findings if f["code"] == "F318")


def test_the_national_layouts_take_the_second_levels_bureaus_print(tmp_path):
    """时效性指标, 经济成本指标 and 群众满意度指标 are printed for 时效指标, 成本指标 and 服务对象满意度指标
    on forms of the Ministry's layouts across the country: their vocabulary takes them (no F313)."""
    site = copy_site(tmp_path / "site")
    text = _edit(site, "kind: project-evaluation\n", "kind: project-evaluation\nlayout: mof-project-2020\n")
    (site / PROJECT).write_text(text[:text.index("\nnote:")] + "\n", encoding="utf-8")  # the Ministry's form prints neither
    _, before = _findings(site)
    assert not [f for f in before if f["severity"] == "error" and f["code"].startswith("S")], before
    for old, new in (("- level2: 时效指标", "- level2: 时效性指标"), ("- level2: 成本指标", "- level2: 经济成本指标"),
                     ("- level2: 服务对象满意度指标", "- level2: 群众满意度指标")):
        _edit(site, old, new)
    code, findings = _findings(site)
    assert not [f for f in findings if f["code"] == "F313"]
    assert [f["code"] for f in findings] == [f["code"] for f in before]
    _edit(site, "- level2: 群众满意度指标", "- level2: 社会效益指标")  # still checked: it belongs to 效益指标
    code, findings = _findings(site)
    assert [f["message"] for f in findings if f["code"] == "F313"] == ["二级指标“社会效益指标”不属于一级指标“满意度指标”"]
