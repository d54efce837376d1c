"""Reading the numbers rules compute with out of cells kept as printed.

A cell keeps its printed text ("1,463.31", "100%", "=<50万"); these helpers
only look inside it. Nothing here rewrites a value.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext
from functools import lru_cache

# ASCII digits only: "８" or "٨" is not read as 8 (rule F317 reports them).
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", re.ASCII)
_UNITS = ("万元", "万", "元", "分", "人", "个", "次", "所", "项")


@lru_cache(maxsize=4096)  # a site prints the same few hundred figures in tens of thousands of cells
def parse_number(text: str) -> Decimal | None:
    """The value of a cell that is a plain number, optionally with a unit.

    "1,463.31" → 1463.31; "1,463.31万元" → 1463.31; "10" → 10; "100%" → None
    (see :func:`parse_percent`); "2次，3万人" → None (not a single number).
    """
    value = (text or "").strip().replace("，", ",").replace("．", ".")
    if value.endswith(_UNITS):  # one test for the many cells without a unit
        for unit in _UNITS:
            if value.endswith(unit):
                value = value[: -len(unit)].strip()
                break
    if not _NUMBER.fullmatch(value):
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None


def parse_percent(text: str) -> Decimal | None:
    """ "100%" → 100, "95 ％" → 95; anything else → None."""
    value = (text or "").strip().replace("％", "%")
    if not value.endswith("%"):
        return None
    return parse_number(value[:-1])


_PRINTED_WEIGHT = re.compile(r"[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]")


def printed_weight(label: str) -> Decimal | None:
    """The weight printed in a 一级 label: "产出指标（50分）" → 50."""
    match = _PRINTED_WEIGHT.search(label or "")
    return Decimal(match.group(1)) if match else None


def strip_printed_weight(label: str) -> str:
    """ "产出指标（50分）" → "产出指标"."""
    return _PRINTED_WEIGHT.sub("", label or "").strip()


def format_decimal(value: Decimal) -> str:
    """A computed figure for a message: no exponent, no trailing zeros."""
    with localcontext() as context:
        context.prec = 200  # an absurdly long figure typed by mistake is still shown, not a crash
        rounded = value.quantize(Decimal("0.01")) if value != value.to_integral() else value.to_integral()
        text = format(rounded, ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text
