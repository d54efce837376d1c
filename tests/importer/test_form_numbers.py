"""A spreadsheet number is imported as Excel displays it under its number format."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.model.number_formats import display

ACCOUNTING = '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ '


@pytest.mark.parametrize("value, fmt, shown", [
    (238.93000000000001, "0.00", "238.93"),
    (1463.31, "#,##0.00", "1,463.31"),
    (1463.31, "@", "1463.31"),
    (1, "0.00%", "100.00%"),
    (0.95, "0%", "95%"),
    (0.6667, "0.0%", "66.7%"),
    (50, "General", "50"),
    (50.0, "General", "50"),
    (0.1 + 0.2, "General", "0.3"),
    (12.5, "0", "13"),  # Excel rounds half away from zero
    (-12.5, "0", "-13"),
    (1.005, "0.00", "1.01"),  # on the shortest decimal form of the double, as Excel shows it
    (-3.5, "0.00;(0.00)", "(3.50)"),
    (1234.5, ACCOUNTING, "1,234.50"),
    (0, ACCOUNTING, "-"),
    (100, '0.00"万元"', "100.00万元"),
    (0.5, "[Red]0.0%", "50.0%"),
    (8805696, "General", "8805696"),
    (1e20, "General", "100000000000000000000"),
    (None, "0.00", ""),
    ("=<50万", "@", "=<50万"),
    (True, "General", "TRUE"),
    (dt.datetime(2024, 9, 11), 'yyyy"年"m"月"d"日"', "2024年9月11日"),
    (dt.datetime(2024, 9, 11), "yyyy-mm-dd", "2024-09-11"),
    (dt.datetime(2024, 9, 11), "General", "2024-09-11"),
    (dt.date(2024, 1, 5), "yyyy/m/d", "2024/1/5"),
    (45546, "yyyy/m/d", "2024/9/11"),  # a date stored as its serial number
    (dt.datetime(2024, 9, 11, 14, 5), "yyyy-mm-dd hh:mm", "2024-09-11 14:05"),
    (1e10, "yyyy-mm-dd", "10000000000"),  # no date can be: Excel prints ####; an OverflowError before
    (-5, "yyyy-mm-dd", "-5"),  # before Excel's first day: #### too, never a day of 1899
    (-5.5, "yyyy-mm-dd;yyyy", "-5.5"),  # the negatives' own section
    (14633100, "#,##0,", "14,633"),  # thousands
    (14633100, "#,##0.00,", "14,633.10"),  # thousands with decimals: was 14,633,100.00, a thousand times the figure
    (14633100, '0.00,,"百万"', "14.63百万"),
    (12345678, "0.00E+00", "1.23E+07"),  # scientific: was 12345678.0000
    (0.000123, "0.00E+00", "1.23E-04"),
    (9.999, "0.00E+00", "1.00E+01"),
    (12345, "##0.0E+0", "12.3E+3"),  # engineering: exponents in steps of three
])
def test_numbers_are_shown_as_excel_shows_them(value, fmt, shown):
    assert display(value, fmt) == shown


def _half_up(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


money = st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2,
                    allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(money)
def test_two_decimals_print_the_typed_amount(amount):
    """An amount typed with two decimals comes back exactly as typed, whatever float Excel stored."""
    assert display(float(amount), "0.00") == f"{amount:.2f}"
    assert display(float(amount), "#,##0.00") == f"{amount:,.2f}"


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=4, allow_nan=False))
def test_percentages(rate):
    stored = float(rate / 100)  # Excel keeps 95.5% as 0.955
    assert display(stored, "0.00%") == f"{_half_up(rate, 2):.2f}%"
    assert display(stored, "0%") == f"{_half_up(rate, 0):.0f}%"


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_general_is_a_plain_decimal_that_reads_back(number):
    shown = display(number, "General")
    assert "e" not in shown.lower() and not shown.endswith(".")
    assert abs(float(shown) - number) <= abs(number) * 1e-14 + 1e-300
    assert len(Decimal(shown).normalize().as_tuple().digits) <= 15  # Excel's 15 significant digits


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6))
def test_integer_formats_pad_and_group(number, zeros):
    fmt = "0" * max(zeros, 1)
    assert display(number, fmt) == str(number).rjust(max(zeros, 1), "0")
    assert display(number, "#,##0") == f"{number:,}"


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), Decimal("Infinity"), Decimal("NaN")])
def test_a_value_no_cell_can_hold_shows_excels_error(value):
    """1e309 in a sheet's XML is read by openpyxl as infinity: shown as Excel's #NUM!, never a crash."""
    assert display(value, "#,##0.00") == "#NUM!"


@given(st.integers(min_value=10**28, max_value=10**400), st.sampled_from(["0", "#,##0.00", "0.0%", "General"]))
@settings(max_examples=50)
def test_a_number_of_any_length_is_shown(number, fmt):
    """The default decimal precision (28 digits) refused to round longer numbers (InvalidOperation)."""
    assert display(Decimal(number), fmt)


FORMAT_CHARACTERS = '0#?.,%;"\\@_*[]$-804Redhmsdy/AMP E+()年月日\x00\x01'


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(), st.integers(-10**20, 10**20), st.text(max_size=5), st.booleans(), st.datetimes(),
                 st.times(), st.none()),
       st.text(alphabet=FORMAT_CHARACTERS, max_size=25))
def test_any_format_string_shows_a_value_never_an_exception(value, fmt):
    """An .xls holds its number formats as any text (a damaged one: \\x00, which display() used to mark
    quoted literals, and raised ValueError on); what a cell shows is a text, whatever the format says."""
    assert isinstance(display(value, fmt), str)
