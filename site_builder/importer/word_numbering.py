"""Word's automatic numbering, as the reader of the printed page sees it.

A Word paragraph numbered automatically holds only its words; the number ("一、",
"（2）", "3.") is drawn by Word from word/numbering.xml. python-docx does not
expose it, so it is computed here: each paragraph's list (numId) and level (ilvl)
lead to a level definition — its number format (numFmt), its text ("%1、",
"（%2）") and its start value — and the numbers are counted per list and level
in document order: a level starts again after a paragraph of a higher level,
and a list whose definition says so (startOverride) starts afresh.

Public surface: :class:`WordNumbering` (``label`` gives the visible number of the
next paragraph of a list and level; ``is_bullet`` tells bullets apart).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_CN_DIGITS = "零一二三四五六七八九"
_CELESTIAL = "甲乙丙丁戊己庚辛壬癸"


@dataclass
class _Level:
    format: str = "decimal"
    text: str = "%1."
    start: int = 0  # what the format says when the start is not given


@dataclass
class _List:
    counter_key: str  # lists sharing an abstract definition share their counters unless restarted
    levels: dict[int, _Level] = field(default_factory=dict)


def _val(element, name: str, default: str | None = None) -> str | None:
    child = element.find(f"{_W}{name}") if element is not None else None
    return child.get(f"{_W}val", default) if child is not None else default


def _number(text: str | None, default: int | None) -> int | None:
    """A whole number as Word writes it; `default` for anything else (a damaged or hand-made file)."""
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdigit() and len(text) < 10 else default


def _level_of(element) -> _Level:
    return _Level(format=_val(element, "numFmt", "decimal") or "decimal",
                  text=_val(element, "lvlText", "") or "",
                  start=_number(_val(element, "start", "0"), 0))


class WordNumbering:
    """The numbering definitions of one .docx, and the counters as its paragraphs are read in order."""

    def __init__(self, numbering_element=None):
        self._lists: dict[int, _List] = {}
        self._counters: dict[str, list[int | None]] = {}
        if numbering_element is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for item in numbering_element.iter(f"{_W}abstractNum"):
            abstract[item.get(f"{_W}abstractNumId")] = {
                index: _level_of(lvl) for lvl in item.iter(f"{_W}lvl")
                if (index := _number(lvl.get(f"{_W}ilvl", "0"), None)) is not None}
        for num in numbering_element.iter(f"{_W}num"):
            reference = _val(num, "abstractNumId")
            num_id = _number(num.get(f"{_W}numId"), None)
            if reference is None or num_id is None or num_id < 0:
                continue
            levels = {index: _Level(level.format, level.text, level.start)
                      for index, level in abstract.get(reference, {}).items()}
            restarted = False
            for override in num.iter(f"{_W}lvlOverride"):
                index = _number(override.get(f"{_W}ilvl", "0"), None)
                if index is None:
                    continue
                own = override.find(f"{_W}lvl")
                if own is not None:
                    levels[index] = _level_of(own)
                    restarted = True
                start = _val(override, "startOverride")
                if (value := _number(start, -1)) >= 0:
                    levels.setdefault(index, _Level()).start = value
                    restarted = True
            self._lists[num_id] = _List(f"num-{num_id}" if restarted else f"abstract-{reference}", levels)

    def _level(self, num_id: int, level: int) -> _Level | None:
        found = self._lists.get(num_id)
        return found.levels.get(level) if found is not None else None

    def is_bullet(self, num_id: int, level: int) -> bool:
        definition = self._level(num_id, level)
        return definition is not None and definition.format == "bullet"

    def label(self, num_id: int, level: int) -> str | None:
        """The number Word shows before the next paragraph of list `num_id` at `level`
        ("一、", "（2）", "1.3."), counting it; None when the paragraph shows none."""
        found = self._lists.get(num_id)
        if num_id == 0 or found is None or level not in found.levels:
            return None
        counts = self._counters.setdefault(found.counter_key, [None] * _LEVELS)
        level = max(0, min(level, _LEVELS - 1))
        definition = found.levels[level]
        counts[level] = definition.start if counts[level] is None else counts[level] + 1
        for deeper in range(level + 1, _LEVELS):
            counts[deeper] = None  # a higher level's paragraph starts the levels below it again
        if definition.format in ("bullet", "none"):
            return None

        def number(match: re.Match) -> str:
            referenced = int(match[1]) - 1
            other = found.levels.get(referenced, definition)
            value = counts[referenced] if 0 <= referenced < _LEVELS and counts[referenced] is not None else other.start
            return format_number(value, other.format)

        return re.sub(r"%([1-9])", number, definition.text)


def format_number(value: int, number_format: str) -> str:
    """`value` written in one of Word's number formats (numFmt)."""
    if number_format in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
                         "ideographDigital", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_number(value)
    if number_format == "ideographTraditional" and 1 <= value <= 10:
        return _CELESTIAL[value - 1]
    if number_format in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if number_format in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman.lower() if number_format == "lowerRoman" else roman
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "decimalFullWidth":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(value))
    return str(value)


def chinese_number(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五: as official documents count."""
    if value < 0:
        return str(value)
    if value < 10:
        return _CN_DIGITS[value]
    if value < 20:
        return "十" + (_CN_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return _CN_DIGITS[value // 10] + "十" + (_CN_DIGITS[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else
                                     ("一" + chinese_number(rest) if rest < 20 else chinese_number(rest)))
        return _CN_DIGITS[value // 100] + "百" + tail
    return str(value)


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    result = ""
    for size, numeral in numerals:
        while value >= size:
            result += numeral
            value -= size
    return result
