"""`site-builder check` on the repository's real content/ reports exactly the signed forms' known problems.

The expected lines are found by searching each file's text (the 一级 label, the
top-level `total:` line, the 时效指标 row), never hard-coded, so the test keeps
pointing at the right place when a file is re-typed. An independent reading
of the tables (plain yaml.safe_load and arithmetic) confirms which tables do
and do not add up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

PROJECTS = "content/2023/projects"
DEPARTMENT = "content/2023/department-evaluation.yaml"

# The four 2023 project tables whose signed originals do not add up: the 一级 labels
# whose rows do not sum to the printed weight (F306), and F309/F310 on `total:`.
INCONSISTENT = {
    f"{PROJECTS}/jiaoyu-guihua-yu-fazhan.yaml": ["产出指标（50分）", "效益指标（30分）"],
    f"{PROJECTS}/jiaoyu-keyan-chengguo-tuiguang.yaml": ["产出指标（50分）", "效益指标（30分）"],
    f"{PROJECTS}/jiaoyu-xinxihua.yaml": ["产出指标（50分）"],
    f"{PROJECTS}/xinli-jiankang-jiaoyu.yaml": ["产出指标（50分）", "效益指标（30分）"],
}
MISSING_REASON = f"{PROJECTS}/shiyan-jiaoxue-guanli.yaml"
CONSISTENT_PROJECTS = [
    f"{PROJECTS}/gaosan-fuxi-yingkao.yaml",
    f"{PROJECTS}/jiaoxue-zhiliang-jiance.yaml",
    f"{PROJECTS}/jichu-kecheng-gaige.yaml",
    f"{PROJECTS}/shiyan-jiaoxue-guanli.yaml",
    f"{PROJECTS}/sizhengke-jianshe.yaml",
    f"{PROJECTS}/zhongzhi-keyan-chengguo-tuiguang.yaml",
]
SUM_CODES = {"F301", "F306", "F308", "F309", "F310"}


# --- where the findings must be, computed from the files' text ---------------------------


def _text(helpers, relative: str) -> str:
    return helpers.read_real(relative)


def _level1_place(text: str, label: str) -> tuple[int, int]:
    """(line, column) of the 一级 label value `label` (as in `- level1: 产出指标（50分）`)."""
    matches = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
               if re.match(r"\s*-\s+level1:\s*" + re.escape(label) + r"\s*$", line)]
    assert len(matches) == 1, f"{label} found {len(matches)} times"
    number, line = matches[0]
    return number, line.index(label) + 1


def _total_line(text: str) -> tuple[int, str]:
    """The top-level `total:` line (not the funds row `  total:`)."""
    matches = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.startswith("total:")]
    assert len(matches) == 1
    return matches[0]


def _value_column(line: str, key: str) -> int:
    """1-based column of the value of `key: value` inside a one-line {…} mapping."""
    match = re.search(r"\b" + key + r":\s*", line)
    assert match, (key, line)
    return match.end() + 1


def _time_row_line(text: str) -> int:
    """The indicator row under `level2: 时效指标` (the first `level3:` line after it)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\s*-\s+level2:\s*时效指标\s*$", line))
    return next(i for i in range(start + 1, len(lines)) if "level3:" in lines[i]) + 1


def expected_findings(helpers) -> set[tuple[str, int, int, str]]:
    """(path, line, column, code) of every finding the real content must give."""
    expected = set()
    for path, labels in INCONSISTENT.items():
        text = _text(helpers, path)
        for label in labels:
            line, column = _level1_place(text, label)
            expected.add((path, line, column, "F306"))
        number, line = _total_line(text)
        expected.add((path, number, _value_column(line, "weight"), "F309"))
        expected.add((path, number, _value_column(line, "score"), "F310"))
    text = _text(helpers, MISSING_REASON)
    row = _time_row_line(text)
    expected.add((MISSING_REASON, row, _value_column(text.splitlines()[row - 1], "deviation"), "F312"))
    text = _text(helpers, DEPARTMENT)
    funds_total = next(n for n, line in enumerate(text.splitlines(), start=1)
                       if re.match(r"\s+total:\s*\{", line))
    expected.add((DEPARTMENT, funds_total, _value_column(text.splitlines()[funds_total - 1], "annual"), "F302"))
    return expected


def _places(findings) -> set[tuple[str, int, int, str]]:
    return {(f["path"], f["line"], f["column"], f["code"]) for f in findings}


# --- an independent reading of the tables ----------------------------------------------------


def _number(value) -> Decimal | None:
    if value is None:
        return None
    text = str(value).strip().replace(",", "")
    text = re.sub(r"(万元|万|分)$", "", text)
    try:
        return Decimal(text) if text else None
    except ArithmeticError:
        return None


def _oracle(relative: str, helpers) -> set[str]:
    """Which sum codes a plain reading of the table says apply (F301, F306, F309, F310)."""
    data = yaml.safe_load(_text(helpers, relative))
    codes = set()
    rows = [(level1["level1"], row) for level1 in data["indicators"]
            for group in level1["groups"] for row in group["rows"]]
    for level1 in data["indicators"]:
        printed = re.search(r"（(\d+)分）", level1["level1"])
        subtotal = sum((_number(row.get("weight")) or 0 for group in level1["groups"] for row in group["rows"]),
                       Decimal(0))
        if printed and Decimal(printed.group(1)) != subtotal:
            codes.add("F306")
    funds = data["funds"]
    weights = (_number(funds["total"].get("weight")) or 0) + sum((_number(r.get("weight")) or 0 for _, r in rows),
                                                                 Decimal(0))
    scores = (_number(funds["total"].get("score")) or 0) + sum((_number(r.get("score")) or 0 for _, r in rows),
                                                               Decimal(0))
    if weights != _number(data["total"]["weight"]):
        codes.add("F309")
    if scores != _number(data["total"]["score"]):
        codes.add("F310")
    if "appropriation" in funds:
        for column in ("initial", "annual", "executed"):
            parts = [_number((funds.get(k) or {}).get(column)) for k in ("appropriation", "carryover", "other")]
            parts = [p for p in parts if p is not None]
            total = _number(funds["total"].get(column))
            if parts and total is not None and sum(parts, Decimal(0)) != total:
                codes.add("F301")
    return codes


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_check(check_helpers, tmp_path_factory):
    """check --format json on a copy of the real content: (exit code, findings)."""
    site = check_helpers.copy_real_site(tmp_path_factory.mktemp("real") / "site")
    return check_helpers.check_json(site)


def test_the_repository_itself_checks_clean_with_exit_0(check_helpers):
    code, out, err = check_helpers.run("check", "--site", check_helpers.REPO)
    assert code == 0, out + err
    assert "Traceback" not in out + err


def test_exactly_the_expected_findings_at_the_right_file_line_and_column(real_check, check_helpers):
    code, findings = real_check
    assert code == 0
    expected = expected_findings(check_helpers)
    assert len(expected) == 17  # 7 × F306, 4 × F309, 4 × F310, F312, F302
    assert _places(findings) == expected
    assert len(findings) == len(expected), "a finding is reported twice"


def test_every_expected_finding_is_acknowledged_in_content(real_check):
    _, findings = real_check
    for finding in findings:
        assert finding["acknowledged"], finding
        assert finding["code"] != "F399"


def test_severities_are_errors_except_the_rounding_warning(real_check):
    _, findings = real_check
    for finding in findings:
        assert finding["severity"] == ("warning" if finding["code"] == "F302" else "error"), finding


def test_each_finding_quotes_its_own_source_line(real_check, check_helpers):
    _, findings = real_check
    for finding in findings:
        lines = _text(check_helpers, finding["path"]).splitlines()
        assert finding["source_line"] == lines[finding["line"] - 1], finding
        assert finding["hint"] and check_helpers.has_chinese(finding["hint"])


@pytest.mark.parametrize("path", list(INCONSISTENT), ids=lambda p: Path(p).stem)
def test_inconsistent_tables_have_f306_f309_f310(path, real_check, check_helpers):
    _, findings = real_check
    codes = {f["code"] for f in findings if f["path"] == path}
    assert codes == {"F306", "F309", "F310"}
    assert _oracle(path, check_helpers) == {"F306", "F309", "F310"}, "the content is no longer as expected"
    f306_lines = sorted(f["line"] for f in findings if f["path"] == path and f["code"] == "F306")
    text = _text(check_helpers, path)
    assert f306_lines == sorted(_level1_place(text, label)[0] for label in INCONSISTENT[path])
    total_line, _ = _total_line(text)
    assert {f["line"] for f in findings if f["path"] == path and f["code"] in ("F309", "F310")} == {total_line}


def test_missing_deviation_reason_on_the_time_indicator_row(real_check, check_helpers):
    _, findings = real_check
    mine = [f for f in findings if f["path"] == MISSING_REASON]
    assert [f["code"] for f in mine] == ["F312"]
    text = _text(check_helpers, MISSING_REASON)
    assert mine[0]["line"] == _time_row_line(text)
    assert "改善全市教育单位教学装备" in mine[0]["source_line"]


def test_rounding_warning_on_the_department_table(real_check, check_helpers):
    _, findings = real_check
    mine = [f for f in findings if f["path"] == DEPARTMENT]
    assert [(f["code"], f["severity"]) for f in mine] == [("F302", "warning")]
    assert "1,463.32" in mine[0]["message"] and "1,463.31" in mine[0]["message"]


@pytest.mark.parametrize("path", CONSISTENT_PROJECTS + [DEPARTMENT], ids=lambda p: Path(p).stem)
def test_tables_that_add_up_have_no_sum_findings(path, real_check, check_helpers):
    _, findings = real_check
    wrong = [f for f in findings if f["path"] == path and f["code"] in SUM_CODES]
    assert wrong == []
    if path != DEPARTMENT:
        assert _oracle(path, check_helpers) == set(), "the content is no longer as expected"


def test_no_findings_on_the_2021_form_and_the_documents(real_check):
    _, findings = real_check
    for finding in findings:
        assert finding["path"].startswith("content/2023/")
        assert finding["path"].endswith(".yaml")


def test_without_acknowledgements_check_exits_1_with_the_same_findings(check_helpers, tmp_path):
    site = check_helpers.copy_real_site(tmp_path / "site")
    stripped = 0
    for path in sorted((site / "content").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?m)^acknowledgements:", text):
            path.write_text(check_helpers.strip_acknowledgements(text), encoding="utf-8")
            stripped += 1
    assert stripped == 6  # the four tables, shiyan-jiaoxue-guanli and the department table
    code, findings = check_helpers.check_json(site)
    assert code == 1
    assert _places(findings) == expected_findings(check_helpers)
    assert all(not f["acknowledged"] for f in findings)
    errors = {(f["path"], f["line"], f["code"]) for f in findings if f["severity"] == "error"}
    assert len(errors) == 16
    assert {code for _, _, code in errors} == {"F306", "F309", "F310", "F312"}

    code, out, _ = check_helpers.check_text(site)
    assert code == 1
    assert "已确认" not in out
    assert out.rstrip().endswith("\n共 16 个错误、1 个警告。")


def test_the_real_content_text_report_marks_all_as_acknowledged(check_helpers, tmp_path):
    site = check_helpers.copy_real_site(tmp_path / "site")
    # Issue 16: the acknowledged findings are counted by default and listed with --all.
    code, out, err = check_helpers.check_text(site)
    assert code == 0
    assert out.strip() == "共 0 个错误、0 个警告；17 个已确认的问题未列出（--all 列出）。"
    code, out, err = check_helpers.run("check", "--all", "--site", site)
    assert code == 0
    assert out.count("（已确认）") == 17
    assert out.count("  说明：") == 17
    assert "共 0 个错误、0 个警告、17 个已确认的问题。" in out
