"""Acknowledgements keyed to a finding's place survive edits; `site-builder acknowledge` writes them."""

from __future__ import annotations

import json

from sitetest import copy_site, run_cli

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
SATISFACTION_ROW = "- {level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 10, deviation: }"


def _check(site):
    code, out, err = run_cli("check", "--site", site, "--format", "json")
    assert "Traceback" not in out + err
    return code, [f for f in json.loads(out) if f["path"] == PROJECT]


def _site_with_a_lost_point(tmp_path):
    """The real site, with 学校满意率 scored 8 of 10: F312 (no reason) and F310 (total 100 ≠ 98)."""
    site = copy_site(tmp_path / "site")
    path = site / PROJECT
    text = path.read_text(encoding="utf-8")
    assert SATISFACTION_ROW in text
    path.write_text(text.replace(SATISFACTION_ROW, SATISFACTION_ROW.replace("score: 10", "score: 8")), encoding="utf-8")
    return site, path


def test_acknowledge_writes_acknowledgements_and_check_then_passes(tmp_path):
    site, path = _site_with_a_lost_point(tmp_path)
    code, findings = _check(site)
    assert code == 1 and sorted(f["code"] for f in findings) == ["F310", "F312"]
    before = path.read_text(encoding="utf-8")

    code, out, err = run_cli("acknowledge", path, "--reason", "照签字原表公开", "--site", site)
    assert code == 0, out + err
    assert "共确认 2 个问题" in out

    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # nothing above was touched, comments kept
    assert '{code: F310, at: "total/score", reason: "照签字原表公开"}' in after
    assert '"indicators/满意度指标（10分）/groups/服务对象满意度指标/rows/学校满意率/deviation"' in after

    code, findings = _check(site)
    assert code == 0
    assert sorted((f["code"], f["acknowledged"]) for f in findings) == [("F310", "照签字原表公开"), ("F312", "照签字原表公开")]
    code, out, err = run_cli("check", "--all", "--site", site)
    assert "F312 错误（已确认）" in out and "F310 错误（已确认）" in out


def test_acknowledgements_by_place_survive_inserted_comment_lines(tmp_path):
    site, path = _site_with_a_lost_point(tmp_path)
    assert run_cli("acknowledge", path, "--reason", "照签字原表公开", "--site", site)[0] == 0
    text = path.read_text(encoding="utf-8")
    text = text.replace("funds:\n", "# 资金按签字原表录入\n# （第二行说明）\nfunds:\n", 1)
    text = text.replace("indicators:\n", "indicators:   # 绩效指标\n  # 照原表分组\n", 1)
    path.write_text(text, encoding="utf-8")
    code, findings = _check(site)
    assert code == 0, findings
    assert all(f["acknowledged"] for f in findings) and "F399" not in {f["code"] for f in findings}
    assert {f["code"] for f in findings} == {"F310", "F312"}


def test_acknowledgements_by_line_still_work_and_move_with_nothing(tmp_path):
    site, path = _site_with_a_lost_point(tmp_path)
    text = path.read_text(encoding="utf-8")
    row_line = next(n for n, line in enumerate(text.splitlines(), 1) if "学校满意率" in line)
    total_line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("total:"))
    path.write_text(text + f"acknowledgements:\n  - {{code: F312, line: {row_line}, reason: 旧写法}}\n"
                    f"  - {{code: F310, line: {total_line}, reason: 旧写法}}\n", encoding="utf-8")
    code, findings = _check(site)
    assert code == 0 and all(f["acknowledged"] == "旧写法" for f in findings)
    path.write_text("# 新加的一行说明\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, findings = _check(site)  # line numbers moved: the old form no longer matches, as before
    assert code == 1 and "F399" in {f["code"] for f in findings}


def test_acknowledge_only_one_code_and_appends_to_an_existing_list(tmp_path):
    site = copy_site(tmp_path / "site")
    path = site / "content/2023/department-evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("score: 6, deviation: 原因：部分学校心理活动开展不规范；措施：应加强交流和指导。}",
                                 "score: 6, deviation: }"), encoding="utf-8")
    code, out, err = run_cli("acknowledge", "content/2023/department-evaluation.yaml", "--reason", "原表此格空白",
                             "--code", "F312", "--site", site)
    assert code == 0, out + err
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("acknowledgements:")
    assert lines[start + 1].startswith("  - {code: F302, at: \"funds/total/annual\"")  # the old one stays first
    assert lines[start + 2].startswith("  - {code: F312, at: ")
    code, out, err = run_cli("check", "--site", site)
    assert code == 0, out + err


def test_acknowledge_with_nothing_to_acknowledge_says_so(tmp_path):
    site = copy_site(tmp_path / "site")
    code, out, err = run_cli("acknowledge", "content/2023/projects/jiaoyu-xinxihua.yaml", "--reason", "x",
                             "--code", "F301", "--site", site)
    assert code == 1
    assert "C701" in err and "没有需要确认的规则 F301 的问题" in err
