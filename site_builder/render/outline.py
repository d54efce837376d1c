"""Official-document numbering (GB/T 9704) read as the structure of a document.

Staff number the parts of summaries, plans and reports as official documents
are numbered: 一、 → （一） → 1. → （1）, and runs of 一是 / 二是. This module
recognises those markers, decides which numbered paragraphs open with a
heading, nests headings by their numbering (tolerating the inconsistent
numbering real documents have: 一、 2、 （4） 9、), and names headings with
anchors derived from the numbering path ("s1-2" for （二） under 一、), so that
an anchor stays the same from build to build and only changes when the
document's own numbering changes.

Public surface: :func:`marker_of`, :func:`split_heading`, :class:`Levels` and
:class:`Anchors`. The render stage uses them on Markdown bodies; the importer
uses the same functions, so that what it writes as headings is what the page
shows as headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_CN = "一二三四五六七八九十"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}

# style → pattern of the marker at the start of a paragraph. The style names
# what is printed, not a level: levels come from the order styles appear in.
_MARKERS = (
    ("cn-dun", re.compile(rf"([{_CN}百零〇]{{1,4}})、")),                     # 一、
    ("cn-paren", re.compile(rf"[（(]\s*([{_CN}百零〇]{{1,4}})\s*[）)]")),      # （一）
    ("ar-paren", re.compile(r"[（(]\s*(\d{1,3})\s*[）)]")),                    # （1）
    ("ar-dot", re.compile(r"(\d{1,3})\s*[.．](?![\d.．])")),                   # 1.
    ("ar-dun", re.compile(r"(\d{1,3})\s*、")),                                 # 1、
    ("ar-half", re.compile(r"(\d{1,3})[)）]")),                                 # 1）
    ("circled", re.compile(r"([\u2460-\u2473])")),                             # ①
    ("cn-run", re.compile(rf"([{_CN}]{{1,3}})是")),                            # 一是
    ("cn-ordinal", re.compile(rf"第([{_CN}]{{1,3}})[，,、：:]")),              # 第一，
)

HEADING_MAX = 50  # characters of a heading after its marker
_SENTENCE_END = "。！？!?"
_NOT_HEADING_END = "；;，,、。！？!?"
_OPENING = "（(“‘《【「『〔[<"
_CLOSING = "）)”’》】」』〕]>"


@dataclass(frozen=True)
class Marker:
    style: str
    number: int
    text: str  # as printed at the start of the paragraph, e.g. "（一）" or "1. "


def cn_number(text: str) -> int:
    """一 → 1, 十一 → 11, 二十三 → 23, 一百零五 → 105."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUES.get(ch, 0)
    return total + current


def marker_of(text: str) -> Marker | None:
    """The numbering marker that opens `text`, or None."""
    for style, pattern in _MARKERS:
        match = pattern.match(text)
        if not match:
            continue
        value = match.group(1)
        if style == "circled":
            number = ord(value) - 0x2460 + 1
        elif value.isdigit():
            number = int(value)
        else:
            number = cn_number(value)
        if number <= 0:
            continue
        end = match.end()
        while end < len(text) and text[end] in " \t\u3000":
            end += 1
        return Marker(style, number, text[:end])
    return None


def first_sentence_end(text: str) -> int | None:
    """Index of the first 。！？ outside brackets and quotation marks."""
    depth = 0
    for index, ch in enumerate(text):
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        elif ch in _SENTENCE_END and depth == 0:
            return index
    return None


RUN_STYLES = ("cn-run", "circled", "cn-ordinal")  # often written inline: 一是…；二是…


def split_heading(text: str, following: Iterable[str] = ()) -> tuple[str, str] | None:
    """(heading, rest) when the numbered paragraph `text` is or opens with a heading, else None.

    "1.党建引领开创新局面。一是…" → ("1.党建引领开创新局面。", "一是…"); a short numbered
    line without a sentence end ("一、正本清源，聚力夯实“党的建设”根基") is a heading
    on its own. A numbered item of one sentence ("1.负责…；") stays a paragraph.
    A run (一是, ①, 第一，) heads a paragraph only when the run goes on in the
    paragraphs `following` it (an 二是 paragraph): "一是…。二是…" in one paragraph is text.
    Nothing is added or removed: heading + whitespace + rest == text.
    """
    marker = marker_of(text)
    if marker is None:
        return None
    if marker.style in RUN_STYLES and marker.number == 1 and not _run_goes_on(marker, following):
        return None
    body = text[len(marker.text):]
    if not body.strip():
        return None
    end = first_sentence_end(body)
    if end is None:
        stripped = body.rstrip()
        if len(stripped) <= HEADING_MAX + 10 and stripped[-1] not in _NOT_HEADING_END:
            return text.rstrip(), ""
        return None
    cut = len(marker.text) + end + 1
    while cut < len(text) and text[cut] in _CLOSING:  # 。” belongs to the heading
        cut += 1
    heading, rest = text[:cut], text[cut:]
    if not rest.strip() or end > HEADING_MAX:
        return None
    return heading, rest.lstrip(" \t\u3000\n")


def _run_goes_on(marker: Marker, following: Iterable[str]) -> bool:
    for text in following:
        other = marker_of(text)
        if other is None:
            continue
        if other.style != marker.style:
            return False
        return other.number == marker.number + 1
    return False


# Styles that stand in for each other when a writer switches mid-list:
# （三） then （4）, 一、 then 2、, 1. then 2、.
_FAMILIES = ({"cn-dun", "ar-dun"}, {"cn-paren", "ar-paren", "ar-half"}, {"ar-dot", "ar-dun"})


def _akin(style: str, other: str) -> bool:
    return any(style in family and other in family for family in _FAMILIES)


@dataclass
class _Level:
    styles: set[str]
    last: int


@dataclass
class Levels:
    """Nests numbered headings: the depth of each marker in turn, from 0.

    A marker goes to the deepest open level printed in its style; failing
    that, to an open level of a kindred style whose last number it continues
    (（三） then （4）, 一、 then 2、); failing that, it opens a level below.
    """

    open: list[_Level] = field(default_factory=list)
    last_of_style: dict[str, int] = field(default_factory=dict)  # the last number placed in each style

    def place(self, marker: Marker) -> tuple[int, bool]:
        """(depth, regular): regular is False when the number or style does not follow on."""
        depth, regular = self._place(marker)
        self.last_of_style[marker.style] = marker.number
        return depth, regular

    def _place(self, marker: Marker) -> tuple[int, bool]:
        for index in range(len(self.open) - 1, -1, -1):
            level = self.open[index]
            if marker.style in level.styles:
                regular = marker.number == level.last + 1
                del self.open[index + 1:]
                level.last = marker.number
                return index, regular
        if marker.number > 1:
            for index in range(len(self.open) - 1, -1, -1):
                level = self.open[index]
                if level.last == marker.number - 1 and any(_akin(marker.style, s) for s in level.styles):
                    del self.open[index + 1:]
                    level.styles.add(marker.style)
                    level.last = marker.number
                    return index, False
        self.open.append(_Level({marker.style}, marker.number))
        # A new level starts at 1, or numbers on from the same style in the section before
        # (plans number items on across sections: 一、1. 2. 二、3.); 1. then （3） does not follow on.
        regular = marker.number == 1 or self.last_of_style.get(marker.style) == marker.number - 1
        return len(self.open) - 1, regular

    def reset(self) -> None:
        self.open.clear()
        self.last_of_style.clear()


_KEY_MAX = 16


def _key(text: str) -> str:
    """The numbering of a heading ("3"), or the initials of its pinyin ("zyzn" for 主要职能)."""
    marker = marker_of(text)
    if marker is not None:
        return str(marker.number)
    from pypinyin import Style, lazy_pinyin  # a fifth of a second to import: only for unnumbered headings

    initials = []
    for word in lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars)):
        initials.append(re.sub(r"[^a-z0-9]+", "", word.lower()))
    return "".join(initials)[:_KEY_MAX] or "x"


@dataclass
class Anchors:
    """Anchors from the numbering path: 一、 → "s1", its （二） → "s1-2".

    Unnumbered headings use the initials of their pinyin ("s-zyzn" for 主要职能),
    so an anchor does not move when an earlier heading is added. Headings
    whose path repeats get "-2", "-3" in order.
    """

    prefix: str = ""
    _stack: list[tuple[int, str]] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)
    _tried: dict[str, int] = field(default_factory=dict)  # anchor → the last n of "-n" tried for it

    def name(self, level: int, text: str) -> str:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        key = _key(text.strip())
        if self._stack:
            anchor = f"{self._stack[-1][1]}-{key}"
        else:
            anchor = f"s{key}" if key.isdigit() else f"s-{key}"
        # the "-n" looked for from the last one taken for this anchor (those below it are all used): a
        # body of thousands of headings of one name took seconds, from "-2" each time
        n = self._tried.get(anchor, 1)
        unique = anchor if n == 1 else f"{anchor}-{n}"
        while unique in self._used:
            n += 1
            unique = f"{anchor}-{n}"
        self._tried[anchor] = n
        self._used.add(unique)
        self._stack.append((level, unique))
        return self.prefix + unique


__all__ = ["Marker", "marker_of", "split_heading", "first_sentence_end", "Levels", "Anchors", "cn_number", "HEADING_MAX",
           "RUN_STYLES"]
