"""The tables of a Word (.docx) file as grids, with the paragraphs between them.

python-docx's `row.cells` repeats a merged cell once per grid column it
covers, so merges are read from the XML here: `w:gridSpan` (across),
`w:vMerge` (down: "restart" opens, an empty or "continue" value continues),
the older `w:hMerge`, and `w:gridBefore` (a row starting to the right).
A table inside a cell is read into that cell's text and reported. Spans
no Word table can have were refused when the file was opened (readers.open_docx).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..readers import LAYOUT_SPACE, open_docx, reading_word
from ..word_text import body_children, paragraph_text
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


def read(path: Path, shown: str) -> tuple[list[Paragraph | Grid], list[Nested]]:
    """The body in order: paragraphs and tables (as grids); and the cells that held a table."""
    document = open_docx(path, shown)
    items: list[Paragraph | Grid] = []
    nested: list[Nested] = []
    counts = [0, 0]  # paragraphs, tables
    with reading_word(shown):
        _read_body(document.element.body, items, nested, counts)
    return items, nested


def _read_body(body, items: list, nested: list[Nested], counts: list[int]) -> None:
    for element in body_children(body):
        if element.tag == f"{_W}p":
            counts[0] += 1
            items.append(Paragraph(_paragraph_text(element), _breaks_page(element), f"第 {counts[0]} 段"))
        elif element.tag == f"{_W}tbl":
            frame = _frame_cell(element)
            if frame is not None:  # a one-cell table drawn around the page: what it holds is the body
                _read_body(frame, items, nested, counts)
                continue
            counts[1] += 1
            items.append(_grid(element, counts[1], nested))


def _frame_cell(tbl):
    """The cell of a table of one row and one cell that holds a table (a frame some templates draw around
    the whole form), else None: read as a cell, the whole form would be one cell's text."""
    rows = list(_rows_of(tbl))
    cells = list(_cells_of(rows[0])) if len(rows) == 1 else []
    if len(cells) != 1:
        return None
    return cells[0] if any(child.tag == f"{_W}tbl" for child in body_children(cells[0])) else None


def _paragraph_text(p) -> str:
    return paragraph_text(p).strip(LAYOUT_SPACE)


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


def _cell_text(tc, place: str, nested: list[Nested]) -> str:
    parts = []
    for element in body_children(tc):  # its paragraphs and tables, content controls looked through
        if element.tag == f"{_W}p":
            parts.append(_paragraph_text(element))
        elif element.tag == f"{_W}tbl":
            nested.append(Nested(place))
            for tr in _rows_of(element):
                texts = [_cell_text(inner, place, nested) for inner in _cells_of(tr)]
                parts.append(" ".join(t for t in texts if t))
    while parts and not parts[-1]:
        parts.pop()
    while parts and not parts[0]:
        parts.pop(0)
    return "\n".join(parts)


def _grid(tbl, number: int, nested: list[Nested]) -> Grid:
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
            text = _cell_text(tc, place, nested)
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
