"""The tables of a Word (.docx) file as grids, with the paragraphs between them.

python-docx's `row.cells` repeats a merged cell once per grid column it
covers, so merges are read from the XML here: `w:gridSpan` (across),
`w:vMerge` (down: "restart" opens, an empty or "continue" value continues),
the older `w:hMerge`, and `w:gridBefore` (a row starting to the right).
A table inside a cell is read into that cell's text and reported, as is text
Word hides (word_text.WordText), which is left out. Spans no Word table can
have were refused when the file was opened (readers.open_docx).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..readers import LAYOUT_SPACE, one_line, open_docx, reading_word
from ..word_text import WordText, body_children, paragraph_text
from .grid import Grid, build

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Paragraph:
    text: str
    page_break: bool  # a page or section break in or before it
    where: str


@dataclass
class Nested:
    """A table inside a table cell: its text went into the cell."""

    place: str


def read(path: Path, shown: str) -> tuple[list[Paragraph | Grid], list[Nested], list[str]]:
    """The body in order: paragraphs and tables (as grids); the cells that held a table; and the
    hidden texts left out, each with its place."""
    document = open_docx(path, shown)
    reading = _Reading(WordText.of(document))
    with reading_word(shown):
        reading.body(document.element.body)
    return reading.items, reading.nested, reading.hidden


@dataclass
class _Reading:
    """One document's body as it is read: what was found so far and how the document hides text."""

    words: WordText
    items: list = field(default_factory=list)  # Paragraph | Grid
    nested: list[Nested] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # 第…格的隐藏文字“…”: what the import names (N431)
    paragraphs: int = 0
    tables: int = 0

    def body(self, body) -> None:
        for element in body_children(body):
            if element.tag == f"{_W}p":
                self.paragraphs += 1
                where = f"第 {self.paragraphs} 段"
                self.items.append(Paragraph(self.paragraph_text(element, where), _breaks_page(element), where))
            elif element.tag == f"{_W}tbl":
                frame = _frame_cell(element)
                if frame is not None:  # a one-cell table drawn around the page: what it holds is the body
                    self.body(frame)
                    continue
                self.tables += 1
                self.items.append(_grid(element, self.tables, self))

    def paragraph_text(self, p, place: str) -> str:
        text = paragraph_text(p, self.words).strip(LAYOUT_SPACE)
        self.hidden += [f"{place}的隐藏文字“{one_line(left_out)}”" for left_out in self.words.take()]
        return text


def _frame_cell(tbl):
    """The cell of a table of one row and one cell that holds a table (a frame some templates draw around
    the whole form), else None: read as a cell, the whole form would be one cell's text."""
    rows = list(_rows_of(tbl))
    cells = list(_cells_of(rows[0])) if len(rows) == 1 else []
    if len(cells) != 1:
        return None
    return cells[0] if any(child.tag == f"{_W}tbl" for child in body_children(cells[0])) else None


def _breaks_page(p) -> bool:
    if p.find(f"{_W}pPr/{_W}pageBreakBefore") is not None or p.find(f"{_W}pPr/{_W}sectPr") is not None:
        return True
    return any(br.get(f"{_W}type") == "page" for br in p.iter(f"{_W}br"))


def _children(parent, tag: str):
    """The `tag` children of `parent`, looking through content controls (sdt) and custom XML around them."""
    for element in parent.iterchildren():
        if element.tag == f"{_W}{tag}":
            yield element
        elif element.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = element.find(f"{_W}sdtContent") if element.tag == f"{_W}sdt" else element
            if content is not None:
                yield from _children(content, tag)


def _cells_of(tr):
    return _children(tr, "tc")


def _rows_of(tbl):
    return _children(tbl, "tr")


def _int(element, default: int) -> int:
    """A span's value: a number from 0 to 63, as readers.open_docx made sure when it opened the file."""
    return int(element.get(f"{_W}val", default)) if element is not None else default


def _cell_text(tc, place: str, reading: _Reading) -> str:
    parts = []
    for element in body_children(tc):  # its paragraphs and tables, content controls looked through
        if element.tag == f"{_W}p":
            parts.append(reading.paragraph_text(element, place))
        elif element.tag == f"{_W}tbl":
            reading.nested.append(Nested(place))
            for tr in _rows_of(element):
                texts = [_cell_text(inner, place, reading) for inner in _cells_of(tr)]
                parts.append(" ".join(t for t in texts if t))
    while parts and not parts[-1]:
        parts.pop()
    while parts and not parts[0]:
        parts.pop(0)
    return "\n".join(parts)


def _grid(tbl, number: int, reading: _Reading) -> Grid:
    rows: list[list[list]] = []  # per row: [column, colspan, rowspan, text, place]
    open_down: dict[int, list] = {}  # column → the cell merged down into the next row
    for r, tr in enumerate(_rows_of(tbl)):
        column = _int(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        row: list[list] = []
        still_open: dict[int, list] = {}
        for c, tc in enumerate(_cells_of(tr)):
            properties = tc.find(f"{_W}tcPr")
            span = _int(properties.find(f"{_W}gridSpan") if properties is not None else None, 1)
            vmerge = properties.find(f"{_W}vMerge") if properties is not None else None
            hmerge = properties.find(f"{_W}hMerge") if properties is not None else None
            place = f"第 {number} 张表格第 {r + 1} 行第 {c + 1} 格"
            text = _cell_text(tc, place, reading)
            if hmerge is not None and hmerge.get(f"{_W}val", "continue") == "continue" and row:
                row[-1][1] += span
                column += span
                continue
            if vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue" and column in open_down:
                above = open_down[column]
                above[2] += 1
                if text:  # Word hides the text of a continuing cell; keep it rather than lose it
                    above[3] = f"{above[3]}\n{text}" if above[3] else text
                still_open[column] = above
                column += span
                continue
            cell = [column, span, 1, text, place]
            row.append(cell)
            if vmerge is not None:
                still_open[column] = cell
            column += span
        open_down = still_open
        rows.append(row)
    return build([[tuple(cell) for cell in row] for row in rows], where=f"第 {number} 张表格")
