"""site_builder.model.numbers: reading figures out of cells kept as printed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.model.numbers import parse_number, parse_percent, printed_weight, strip_printed_weight


@pytest.mark.parametrize("text, value", [
    ("10", Decimal("10")),
    ("0", Decimal("0")),
    ("08", Decimal("8")),
    ("1,463.31", Decimal("1463.31")),
    ("1,463.31万元", Decimal("1463.31")),
    ("333.56万元", Decimal("333.56")),
    ("50万", Decimal("50")),
    ("450人", Decimal("450")),
    ("14 次", Decimal("14")),
    (" 1,463.31 ", Decimal("1463.31")),
    ("1，463.31", Decimal("1463.31")),  # full-width comma
    ("96．5", Decimal("96.5")),  # full-width full stop
    ("-3", Decimal("-3")),
    ("+2.5", Decimal("2.5")),
    ("1,000,000", Decimal("1000000")),
])
def test_parse_number_reads_plain_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", [
    "", None, "100%", "=<50万", "≤50万元", "2次，3万人", "全年", "无", "3次/年", "1,46", "1,4633",
    "12,34.5", "1.", ".5", "1e3", "0x10", "2023.12.31", "10分以上", "约10",
])
def test_parse_number_rejects_what_is_not_a_single_number(text):
    assert parse_number(text) is None


def test_parse_number_keeps_the_decimal_exactly():
    assert str(parse_number("1,463.31")) == "1463.31"
    assert parse_number("0.1") + parse_number("0.2") == Decimal("0.3")


@pytest.mark.parametrize("text, value", [
    ("100%", Decimal("100")),
    ("95%", Decimal("95")),
    ("95 ％", Decimal("95")),
    ("99.5%", Decimal("99.5")),
    (" 0% ", Decimal("0")),
])
def test_parse_percent(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["", None, "100", "%", "全部%", "=<50%", "100%以上", "2次，3万人"])
def test_parse_percent_rejects(text):
    assert parse_percent(text) is None


@pytest.mark.parametrize("label, weight", [
    ("产出指标（50分）", Decimal("50")),
    ("效益指标（30分）　", Decimal("30")),
    ("满意度指标（10分）", Decimal("10")),
    ("满意度\n指标\n（10分）", Decimal("10")),
    ("产出指标(50分)", Decimal("50")),
    ("产出指标（ 50 分 ）", Decimal("50")),
    ("产出指标（12.5分）", Decimal("12.5")),
])
def test_printed_weight(label, weight):
    assert printed_weight(label) == weight


@pytest.mark.parametrize("label", ["产出指标", "", None, "产出指标（50）", "产出指标50分", "（分）"])
def test_printed_weight_absent(label):
    assert printed_weight(label) is None


def test_strip_printed_weight():
    assert strip_printed_weight("产出指标（50分）") == "产出指标"
    assert strip_printed_weight("效益指标（30分）　") == "效益指标"
    assert strip_printed_weight("成本指标") == "成本指标"


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_any_printed_amount(value):
    plain = f"{value:.2f}"
    grouped = f"{value:,.2f}"
    assert parse_number(plain) == value
    assert parse_number(grouped) == value
    assert parse_number(grouped + "万元") == value
    assert parse_percent(plain + "%") == value


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parsers_never_raise(text):
    for parse in (parse_number, parse_percent, printed_weight):
        result = parse(text)
        assert result is None or isinstance(result, Decimal)
