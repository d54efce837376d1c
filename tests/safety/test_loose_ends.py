"""Issue 13, point 8: a YAML tag is a finding, not silently ignored; a figure written
with digits other than ASCII 0–9 (８, ٨) is a finding, not read as a number.

(A content file linking outside the site: test_links.py.)
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.model.numbers import parse_number, parse_percent
from sitetest import run_cli

from .conftest import PROJECT, REPORT, edit


def _check(site):
    code, out, err = run_cli("check", "--site", site)
    assert "Traceback" not in out + err and "内部错误" not in out + err
    return code, out + err


@pytest.mark.parametrize("tagged", ["!foo 高三复习迎考", "!!python/object:os.system 高三复习迎考", "!!int 8"])
def test_a_yaml_tag_in_a_record_is_a_finding(site, tagged):
    line = edit(site, PROJECT, "project: 高三复习迎考", f"project: {tagged}")
    code, report = _check(site)
    assert code == 1, report
    assert f"{PROJECT}:{line}:10: L124" in report
    assert tagged.split()[0] in report  # the tag as written


def test_a_yaml_tag_in_front_matter_is_a_finding(site):
    line = edit(site, REPORT, "title: 2023年度部门整体支出绩效自评报告", "title: !foo 2023年度部门整体支出绩效自评报告")
    code, report = _check(site)
    assert code == 1 and f"{REPORT}:{line}:8: L124" in report, report
    code, out, err = run_cli("build", "--site", site)
    assert code == 1 and not (site / "build").exists()


def test_a_quoted_value_starting_with_an_exclamation_mark_is_text(site):
    edit(site, PROJECT, "project: 高三复习迎考", "project: '!高三复习迎考'")
    code, report = _check(site)
    assert "L124" not in report


@pytest.mark.parametrize("digit", ["８", "٨", "৮"])
def test_a_score_in_other_digits_is_a_finding(site, digit):
    old = "- {level3: 1.培训高中骨干教师, target: 450人, actual: 100%, weight: 8, score: 8, deviation: }"
    line = edit(site, PROJECT, old, old.replace("score: 8", f"score: {digit}"))
    code, report = _check(site)
    assert code == 1, report
    assert f"{PROJECT}:{line}:" in report and "F317" in report and f"“{digit}”" in report
    assert "请改为半角数字：8" in report


def test_an_amount_in_full_width_digits_is_a_finding(site):
    old = "total:         {initial: 50, annual: 50,"
    line = edit(site, PROJECT, old, "total:         {initial: ５０, annual: 50,")
    code, report = _check(site)
    assert code == 1 and f"{PROJECT}:{line}:" in report and "F317" in report, report
    assert "年初预算数“５０”" in report


@pytest.mark.parametrize("written, reported", [("50.0.0", True), ("5e1", True), ("五十", True), ("−50", True),
                                               ("NaN", True), ("50万元", False), ("1,463.31", False), ("—", False),
                                               ("/", False), ("无", False), ("５０", False)])
def test_an_amount_that_is_not_a_number_is_pointed_out(site, written, reported):
    """F322 (warning): a figure the arithmetic rules cannot read is left out of every sum, and said so; a
    dash, a slash or 无 is how forms print no figure, and full-width digits are F317's."""
    old = "total:         {initial: 50, annual: 50,"
    line = edit(site, PROJECT, old, f"total:         {{initial: \"{written}\", annual: 50,")
    code, report = _check(site)
    found = f"{PROJECT}:{line}:" in report and "F322" in report
    assert found == reported, report
    if reported:
        assert f"年初预算数“{written}”不是数字" in report and "F317" not in report and code == 0


_OTHER_DIGITS = st.characters(categories=["Nd"]).filter(lambda ch: not ch.isascii())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,", max_size=8), _OTHER_DIGITS, st.text(alphabet="0123456789.,%", max_size=8))
def test_other_digits_are_never_read_as_a_number(before, digit, after):
    """Whatever surrounds it, a cell holding a non-ASCII digit is not a figure, and the rule sees that digit."""
    from site_builder.check.rules.figures import non_ascii_digits

    text = before + digit + after
    assert parse_number(text) is None
    assert parse_percent(text) is None
    assert digit in non_ascii_digits(text)
    assert unicodedata.digit(digit) in range(10)  # a digit a reader may well take for one


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_ascii_figures_are_still_read(whole, cents):
    from site_builder.check.rules.figures import non_ascii_digits

    assert parse_number(f"{whole}.{cents:02d}") is not None
    assert non_ascii_digits(f"{whole:,}.{cents:02d}") == []
