"""From blocks to a structured document: front matter, headings from numbering, body.

What is read, in order:

1. The heading lines of an official document before its body: the issuing
   body (南昌市东湖区教育体育局), the document number (东教字〔2022〕1号) and the
   title; they go into front matter.
2. The closing (落款): the issuer and date lines at the end; they are kept as a
   signature (right-aligned on the page, as printed), and the date goes into
   the front matter's `date`.
3. Paragraphs cut in two by a page break ("…持续深化党员队伍" / "建设，举办…"),
   joined again: a paragraph is kept whole.
4. Headings from numbering (一、 → （一） → 1. → （1）, 一是), with the same
   functions the page uses (:mod:`site_builder.render.outline`), including a
   heading that opens a paragraph; and part titles standing alone between
   parts ("区教体局2022年工作计划"), under which numbering starts again.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..render.outline import (HEADING_MAX, RUN_STYLES, Levels, Marker, cn_number, first_sentence_end, marker_of,
                              split_heading)
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, RAW, SIGNATURE, TABLE, TITLE, Block, Source

_DOC_NUMBER = re.compile(r"^\S{1,15}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*(?:第\s*)?\d{1,4}\s*号$")
_ISSUER = re.compile(r"(局|院|委员会|委|厅|部|办公室|办|政府|中心|学校|所|站|会)(文件)?$")
_DATE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月"
                   r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日$")
_SENTENCE_END = "。！？；：…!?;:"
_CLOSERS = "”’）)」』】》〕"
_CONTINUATION = "，、,"
FRONT_LINE_MAX = 40
PART_TITLE_MAX = 30
FRAGMENT_MIN = 30  # a paragraph cut by a page break runs the full width of the page
MAX_LEVEL = 6


@dataclass
class Item:
    """One block of the Markdown written: a heading, a paragraph, a list item, a table or raw Markdown."""

    kind: str
    text: str = ""
    level: int = 0
    ordered: bool = False
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Structured:
    front: dict[str, str]  # title, issuer, doc_number, in the order they were printed; date from the closing
    items: list[Item]
    headings: int = 0


def structure(source: Source, title: str | None = None) -> Structured:
    blocks = [b for b in source.blocks]
    front, blocks = _front(blocks, source, title)
    closing = _closing_start(blocks)
    body, ending = blocks[:closing], blocks[closing:]
    body = _join_fragments(body)
    items, headings = _headings(body, source)
    if ending:
        items.append(Item(SIGNATURE, "\n".join(b.text for b in ending)))
        signed = closing_date(ending[-1].text)
        if signed is not None and "date" not in front:
            front["date"] = signed
    return Structured(front, items, headings)


_DIGITS = {**{ch: str(n) for n, ch in enumerate("〇一二三四五六七八九")}, "零": "0", "○": "0", "Ｏ": "0"}


def closing_date(text: str) -> str | None:
    """A printed date as YYYY-MM-DD: “2025年1月10日”, “二〇二五年一月十日” and “2024.09.11” alike."""
    match = (re.fullmatch(r"\s*(\S{4})\s*年\s*(\S{1,3}?)\s*月\s*(\S{1,3}?)\s*日\s*", text)
             or re.fullmatch(r"\s*(\d{4})[./-](\d{1,2})[./-](\d{1,2})\s*", text))
    if not match:
        return None
    year = "".join(_DIGITS.get(ch, ch) for ch in match[1])
    month, day = (int(part) if part.isdigit() else cn_number(part) for part in (match[2], match[3]))
    try:
        return datetime.date(int(year), month, day).isoformat() if year.isdigit() else None
    except ValueError:  # 2月30日: not a date
        return None


def _plain(block: Block) -> bool:
    return block.kind == PARAGRAPH


def _short_line(block: Block, limit: int) -> bool:
    text = block.text
    return (_plain(block) and "\n" not in text and len(text) <= limit and marker_of(text) is None
            and not any(ch in text for ch in "。！？"))


def _front(blocks: list[Block], source: Source, title: str | None) -> tuple[dict, list[Block]]:
    """Issuer, document number and title from the lines before the body."""
    front: dict[str, str] = {}
    for key in ("issuer", "doc_number", "title"):
        value = source.front_matter.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            front[key] = str(value).strip()
    count = 0
    while count < len(blocks) and (blocks[count].kind == TITLE or _short_line(blocks[count], FRONT_LINE_MAX)):
        count += 1
    lines = blocks[:count]
    if count == len(blocks):  # a document of short lines only: nothing to tell apart
        lines = [b for b in lines if b.kind == TITLE]
        count = len(lines) if lines and blocks[:len(lines)] == lines else 0
        lines = blocks[:count]
    numbered = next((i for i, b in enumerate(lines) if _DOC_NUMBER.match(b.text)), None)
    taken: list[int] = []
    if numbered is not None:
        front.setdefault("doc_number", lines[numbered].text)
        taken.append(numbered)
        before = [i for i in range(numbered) if lines[i].kind != TITLE]
        if before:
            front.setdefault("issuer", "".join(lines[i].text for i in before))
            taken.extend(before)
    elif len(lines) >= 2 and lines[0].kind != TITLE and _ISSUER.search(lines[0].text):
        front.setdefault("issuer", lines[0].text)
        taken.append(0)
    rest = [i for i in range(len(lines)) if i not in taken and not lines[i].text.endswith(("：", ":"))]
    # The title: what is left before the body, up to an addressee line (各学校：).
    title_lines = []
    for i in rest:
        if i > 0 and title_lines and i != title_lines[-1] + 1:
            break
        title_lines.append(i)
    printed_title = "".join(lines[i].text for i in title_lines)
    if title_lines and (title is None or _same(title, printed_title)):
        front["title"] = printed_title
        taken.extend(title_lines)
    if title is not None:
        front["title"] = title
    front = {key: front[key] for key in ("issuer", "doc_number", "title") if key in front}
    kept = [b for i, b in enumerate(lines) if i not in taken]
    for block in kept:
        if block.kind == TITLE:
            block.kind = PARAGRAPH
    return front, kept + blocks[count:]


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _closing_start(blocks: list[Block]) -> int:
    """Index of the closing (signature lines and date) at the end, len(blocks) when there is none."""
    end = len(blocks)
    if not end or not _plain(blocks[-1]) or not _DATE.match(blocks[-1].text):
        return end
    start = end - 1
    while start > 0 and end - start < 4 and _short_line(blocks[start - 1], PART_TITLE_MAX):
        start -= 1
    return start


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    if stripped != text:  # a closing quote or bracket ends a sentence only after 。 and the like
        return bool(stripped) and stripped[-1] in _SENTENCE_END
    return text[-1] in _SENTENCE_END


def _join_fragments(blocks: list[Block]) -> list[Block]:
    """Join a paragraph that a page break cut in two."""
    result: list[Block] = []
    for block in blocks:
        previous = result[-1] if result else None
        if (previous is not None and _plain(previous) and _plain(block) and marker_of(block.text) is None
                and not _ends_sentence(previous.text)
                and (previous.text[-1] in _CONTINUATION or len(previous.text) >= FRAGMENT_MIN
                     or any(ch in previous.text for ch in "。！？"))  # a sentence began and was cut
                and not _standalone_heading(previous.text)):
            glue = " " if previous.text[-1].isascii() and block.text[0].isascii() else ""
            previous.text += glue + block.text
            continue
        result.append(Block(block.kind, block.text, block.line, block.where, block.level, block.ordered,
                            block.rows))
    return result


def _standalone_heading(text: str) -> bool:
    split = split_heading(text)
    return split is not None and not split[1]


def _part_title(blocks: list[Block], index: int) -> bool:
    """A short unnumbered line standing between parts, followed by the text of a new part."""
    block = blocks[index]
    if not _short_line(block, PART_TITLE_MAX) or len(block.text) < 6 or index == 0:
        return False
    if block.text[-1] in _SENTENCE_END + _CONTINUATION or _DATE.match(block.text):
        return False
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following is not None and _plain(following) and (
        len(following.text) > FRAGMENT_MIN or split_heading(following.text) is not None)


@dataclass
class _Numbered:
    """A paragraph (or the rest of one) that opens with a numbering marker, placed in the outline."""

    text: str
    marker: Marker
    split: tuple[str, str] | None  # (heading, rest) when the text opens with a heading
    depth: int
    base: int
    block: Block

    @property
    def one_sentence(self) -> bool:
        """Short enough, and a single sentence, to stand as a heading when its level's items do."""
        body = self.text[len(self.marker.text):].rstrip()
        if not body or len(body) > HEADING_MAX or body[-1] in "；;，,、":
            return False
        end = first_sentence_end(body)
        return end is None or end == len(body) - 1


def _headings(blocks: list[Block], source: Source) -> tuple[list[Item], int]:
    """Headings from numbering, every numbered item of a level treated alike.

    First every numbered paragraph is placed in the outline; then a level whose
    items include a heading ("1.党建引领开创新局面。一是……") and otherwise only
    one-sentence items ("2.开展专题研讨。") makes them all headings, so that the
    items of one level are never half headings, half body text.
    """
    entries: list[tuple[Item, Block] | _Numbered] = []  # in document order
    levels = Levels()
    base = 1  # ## is the top level of a document body

    for index, block in enumerate(blocks):
        if block.kind == HEADING:
            entries.append((Item(HEADING, block.text.replace("\n", ""), block.level), block))
            levels.reset()
            base = block.level
            continue
        if block.kind in (LIST_ITEM, TABLE, RAW):
            entries.append((Item(block.kind, block.text, ordered=block.ordered, rows=block.rows), block))
            continue
        following = [b.text for b in blocks[index + 1:] if _plain(b)]
        if _part_title(blocks, index):
            entries.append((Item(HEADING, block.text, 2), block))
            levels.reset()
            base = 2
            continue
        text = block.text
        while text:
            marker = marker_of(text)
            split = split_heading(text, following)
            if marker is None or (split is None and marker.style in RUN_STYLES and marker.number == 1):
                entries.append((Item(PARAGRAPH, text), block))  # "一是…。二是…" in one paragraph is text
                break
            depth, regular = levels.place(marker)
            if not regular:
                source.note(f"编号“{marker.text.strip()}”与前面的编号接不上", "原文照录，没有改动编号；请对照原文核对编号"
                            f"（按编号的样式和数字放在了第 {base + 1 + depth} 级）。", block, code="N407")
            entries.append(_Numbered(text, marker, split, depth, base, block))
            text = split[1] if split is not None else ""

    numbered = [e for e in entries if isinstance(e, _Numbered)]
    as_headings = set()
    for key in {(e.base, e.depth) for e in numbered}:
        level = [e for e in numbered if (e.base, e.depth) == key]
        if any(e.split for e in level) and all(e.split or e.one_sentence for e in level):
            as_headings.add(key)

    items: list[Item] = []
    headings = 0
    for entry in entries:
        if not isinstance(entry, _Numbered):
            item, block = entry
            if item.kind == HEADING:
                items.append(_heading(item.level, item.text, block, source))
                headings += 1
            else:
                items.append(item)
            continue
        if entry.split is not None or (entry.base, entry.depth) in as_headings:
            heading_text = entry.split[0] if entry.split is not None else entry.text
            items.append(_heading(entry.base + 1 + entry.depth, heading_text, entry.block, source))
            headings += 1
        else:
            items.append(Item(PARAGRAPH, entry.text))
    return items, headings


def _heading(level: int, text: str, block: Block, source: Source) -> Item:
    if level > MAX_LEVEL:
        source.note(f"“{text}”的层级太深，网页上最多六级标题，放在了第六级", "请核对这一部分的编号。", block)
        level = MAX_LEVEL
    return Item(HEADING, text.replace("\n", ""), level)
