"""Issue 16, point 2: slips of Chinese input methods are found where they happen, named, shown
corrected, and every one of them in a file is reported in the same run.

Most tests run `site-builder check` on a temporary site and read the report as an editor does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteError
from site_builder.load import Source
from site_builder.load.yaml_text import parse_yaml
from sitetest import copy_site, run_cli

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
HEADER = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3}) 错误 (?P<message>.*)$")


def findings_of(text: str) -> list:
    try:
        parse_yaml(Source(Path("x.yaml"), "x.yaml", text))
    except SiteError as error:
        return error.findings
    return []


def one(text: str):
    found = findings_of(text)
    assert len(found) == 1, [f.format() for f in found]
    return found[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return copy_site(tmp_path_factory.mktemp("slips") / "site")


def check_with(site: Path, edit) -> tuple[list[dict], str]:
    """Write edit(original text) into the project table, run `check`, restore: (findings, report)."""
    path = site / PROJECT
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(edit(original), encoding="utf-8")
        code, out, err = run_cli("check", "--site", site)
    finally:
        path.write_text(original, encoding="utf-8")
    assert code == 1 and "Traceback" not in out + err
    found = []
    lines = out.split("\n")
    for index, line in enumerate(lines):
        match = HEADER.match(line)
        if match and match["path"] == PROJECT:
            hint = next(l for l in lines[index:] if l.startswith("  提示："))
            found.append({**match.groupdict(), "hint": hint[len("  提示："):]})
    return found, out


def replace_line(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_number(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if fragment in line)


# --- through the command, as an editor sees it ----------------------------------------------------


def test_full_width_colon_after_a_key_is_named_on_its_own_line(site):
    text = (site / PROJECT).read_text(encoding="utf-8")
    line = line_number(text, "department: ")
    found, out = check_with(site, lambda t: replace_line(t, "department: ", "department："))
    assert len(found) == 1, out
    finding = found[0]
    assert (finding["code"], int(finding["line"]), int(finding["column"])) == ("L110", line, len("department") + 1)
    assert "中文全角冒号“：”" in finding["message"] and "英文冒号“:”" in finding["message"]
    corrected = text.split("\n")[line - 1].strip()
    assert finding["hint"] == f"请改为：{corrected}"
    assert "缺少冒号" not in out


def test_every_slip_of_a_file_in_one_run(site):
    """A tab no longer hides the rest: tab, full-width colon, comma, brackets, quotes, space — all listed."""
    text = (site / PROJECT).read_text(encoding="utf-8")
    lines = text.split("\n")
    funds = next(n for n, l in enumerate(lines) if re.match(r"  total: +\{", l))
    prepared = next(n for n, l in enumerate(lines) if l.strip().startswith("prepared_by:"))

    def edit(original: str) -> str:
        changed = original.split("\n")
        changed[funds] = changed[funds].replace("annual: ", "annual： ", 1)
        changed[funds + 1] = changed[funds + 1].replace(", ", "，", 1)
        changed[prepared] = "\t" + changed[prepared].lstrip(" ")
        year = next(n for n, l in enumerate(changed) if l.startswith("year: "))
        changed[year] = changed[year].replace("year: ", "year:\u3000")
        return "\n".join(changed)

    found, out = check_with(site, edit)
    places = sorted((int(f["line"]), f["code"]) for f in found)
    year_line = line_number(text, "year: ")
    assert places == sorted([(year_line, "L110"), (funds + 1, "L110"), (funds + 2, "L110"), (prepared + 1, "L104")]), out
    for finding in found:
        assert finding["hint"].startswith(("请改为：", "请把这一行开头换成")), finding


@pytest.mark.parametrize("slipped, named, fixed", [
    ("department：岳阳市", "：", "department: 岳阳市"),
    ("total: {initial: 50，annual: 50}", "，", "total: {initial: 50, annual: 50}"),
    ("rows: [{a: 1}，{b: 2}]", "，", "rows: [{a: 1}, {b: 2}]"),
    ("total: {initial: “1,463.31”, annual: 50}", "“", 'total: {initial: "1,463.31", annual: 50}'),
    ("reason: “说明: 原表”", "“", 'reason: "说明: 原表"'),
    ("reason: ‘说明: 原表’", "‘", 'reason: "说明: 原表"'),
    ("total: ｛initial: 50, annual: 50｝", "｛", "total: {initial: 50, annual: 50}"),
    ("total: {initial: 50, annual: 50｝", "｝", "total: {initial: 50, annual: 50}"),
    ("- （level3: 学校, weight: 2）", "（", "- {level3: 学校, weight: 2}"),
    ("total: {initial： 50, annual: 50}", "：", "total: {initial: 50, annual: 50}"),
    ("项目名称：高三复习迎考", "：", "项目名称: 高三复习迎考"),
])
def test_each_slip_is_named_with_its_column_and_the_corrected_line(slipped, named, fixed):
    text = f"kind: project-evaluation\n{slipped}\nyear: 2024\n"
    found = findings_of(text)
    assert found, slipped
    first = found[0]
    assert first.line == 2, first.format()
    assert first.column == slipped.index(named) + 1, first.format()
    assert f"“{named}”" in first.message or f"{named} " in first.message or named in first.message
    assert first.hint == f"请改为：{fixed}" or fixed in "".join(f.hint for f in found), [f.format() for f in found]


def test_full_width_space_in_indentation_and_after_a_colon():
    finding = one("footer:\n\u3000prepared_by: 卢彦军\n  head: 李\n")
    assert (finding.code, finding.line, finding.column) == ("L110", 2, 1)
    assert "全角空格" in finding.message and "U+3000" in finding.message
    assert finding.hint.endswith("改为：prepared_by: 卢彦军") and "2 个英文空格" in finding.hint
    finding = one("year:\u30002024\nkind: plan\n")
    assert (finding.line, finding.column) == (1, 6) and "全角空格" in finding.message


def test_a_tab_is_reported_and_reading_goes_on():
    found = findings_of("footer:\n\tprepared_by: 卢\n\thead: 李\nfunds：1\nx: [1, 2\ny: 3\n")
    assert [(f.code, f.line) for f in found] == [("L104", 2), ("L104", 3), ("L110", 4), ("L103", 5)]


def test_a_missing_closing_brace_is_reported_on_its_own_line():
    text = "funds:\n  total: {initial: 50, annual: 50\n  appropriation: {initial: 50}\n"
    finding = one(text)
    assert (finding.code, finding.line) == ("L103", 2)
    assert finding.column == len("  total: {initial: 50, annual: 50") + 1
    assert "缺少“}”" in finding.message
    assert finding.hint == "请改为：total: {initial: 50, annual: 50}"
    finding = one("rows:\n  - {a: 1, b: 2\n  - {a: 3}\n")
    assert finding.line == 2 and "缺少“}”" in finding.message


@pytest.mark.parametrize("text", [
    "项目: 其中：当年财政拨款\n",
    "label: {label: 其中：当年，拨款, value: 1}\n",
    "title: （一）工作目标\n",
    "reason: 开展“金鹗奖”教师教学竞赛，‘双减’\n",
    "rows: [2021/总结，2021/计划]\n",
    "notes: 【注】单位：万元（含结转）\n",
    "text: |\n  目标1：教育教学调研\n  \u3000\u3000段首空两格\n  department：不是键\n",
    "a: 甲\u3000乙\n",
    "list:\n  - 其中：当年财政拨款\n",
])
def test_full_width_characters_in_values_are_text(text):
    assert findings_of(text) == []


def test_the_real_content_has_no_slips():
    code, out, err = run_cli("check", "--site", Path(__file__).resolve().parents[2])
    assert "L110" not in out + err and "L104" not in out + err


# --- the loader never crashes -----------------------------------------------------------------------

_SLIPPY = st.text(alphabet=st.sampled_from(list("ab: -{}[],\"'#|>\n\t\u3000：，“”‘’｛｝［］【】（）甲乙1")), max_size=120)


@given(_SLIPPY)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_gives_values_or_findings_never_a_crash(text):
    try:
        parse_yaml(Source(Path("x.yaml"), "x.yaml", text))
    except SiteError as error:
        assert error.findings
        for finding in error.findings:
            assert finding.code.startswith("L") and finding.message and finding.hint
            assert 0 <= finding.line <= text.count("\n") + 2


def test_full_width_space_in_a_key():
    found = findings_of("department\u3000: 岳阳市教育科学技术研究院\nyear: 2024\n")
    assert [(f.code, f.line, f.column) for f in found] == [("L110", 1, 11)]
    assert "全角空格" in found[0].message and found[0].hint == "请改为：department: 岳阳市教育科学技术研究院"


def test_text_near_an_unrelated_error_is_not_taken_for_a_slip():
    found = findings_of("list:\n  - 其中：当年财政拨款\n  - a: b: c\n")
    assert [(f.code, f.line) for f in found] == [("L103", 3)]
    found = findings_of("footer:\n  填表人：卢彦军\n  head: 李\n")
    assert [(f.code, f.line, f.column) for f in found] == [("L110", 2, 6)]


@pytest.mark.parametrize("text", ["rows: ［甲, 乙］", "rows: 【甲, 乙】", "items:\n  - ｛", "note: 【重要】按原表录入"])
def test_a_full_width_bracket_in_a_value_that_parses_is_text(text):
    """YAML reads these as text, and so do we: no slip is claimed (the schema says when a list was meant)."""
    assert findings_of(f"kind: project-evaluation\n{text}\nyear: 2024\n") == []
