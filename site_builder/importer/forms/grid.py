"""A form table as printed: a grid of cells with their merges, and where each came from.

Both readers (Word, Excel) give :class:`Grid` objects; everything after them
(joining split tables, recognising the layout, mapping cells to a record)
works on grids only. A merged cell is one :class:`Cell` with its row and
column span, as in HTML; the positions it covers hold no cell of their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..blocks import shown_text

_SPACE = re.compile(r"[\s\u3000\u00a0]+")


def squeeze(text: str) -> str:
    """A label compared without layout: no spaces or line breaks (Word breaks "项目支\\n出名称")."""
    return _SPACE.sub("", text)


def label_of(text: str) -> str:
    """A label cell as the record keeps it: squeezed, without a trailing colon."""
    return squeeze(text).rstrip("：:")


# What a label may end with in brackets that does not change it (compared in one width: see label_key):
# a formula code as bureaus number their columns (全年预算数（A）, 执行率（B/A）, 执行率（C/B×100%）,
# 执行率（%）), the unit of its money (年初预算数（万元）, 年度资金总额(元)), or an instruction to sign or
# seal (实施单位（盖章）, 单位负责人（签字）).
_SIGN_WORDS = "签字|签名|签章|盖章|公章|签字并?盖章"
_MONEY = "万元|千元|亿元|元"
_FORMULA = re.compile(rf"\((?:[A-Za-z](?:[/×*÷+-][A-Za-z])*(?:[×*]100%)?|%|{_MONEY}|(?:{_SIGN_WORDS}))\)$")
# The same instruction as printed between a label and its colon: 单位负责人（签字）：李伟灵.
SIGN = re.compile(rf"[\s\u3000]*[（(][\s\u3000]*(?:{_SIGN_WORDS})[\s\u3000]*[)）]")


def label_key(text: str) -> str:
    """A printed label as it is compared with a layout's label, so that the ways bureaus print the same
    label meet: without spaces and line breaks, in one width (NFKC: "其中:当年" and "其中：当年",
    "（万元）" and "(万元)" are the same), without a trailing colon, bracketed formula code or
    instruction to sign or seal."""
    key = unicodedata.normalize("NFKC", squeeze(text)).rstrip(":")
    while True:
        shorter = _FORMULA.sub("", key).rstrip(":")
        if shorter == key or not shorter:
            return key
        key = shorter


@dataclass
class Cell:
    text: str  # as printed: paragraphs joined with "\n", ends of lines trimmed
    row: int  # top-left position in the grid, 0-based
    column: int
    rowspan: int = 1
    colspan: int = 1
    place: str = ""  # where an editor finds it in the file: "第 2 张表格第 5 行第 3 列", "工作表“项目表”B7"

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_column(self) -> int:
        return self.column + self.colspan - 1


@dataclass
class Grid:
    cells: list[Cell]  # in reading order: by row, then by column
    width: int
    height: int
    title: str = ""  # a title printed above the table, outside it ("" when there is none)
    title_place: str = ""
    where: str = ""  # the table as a whole: "第 2 张表格", "工作表“项目表”第 3–40 行"
    pieces: int = 1  # tables joined into this one (a table continued after a page break)
    _index: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)
    _starts: dict[int, list[Cell]] = field(default_factory=dict, repr=False)  # row → the cells starting in it

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self.cells.sort(key=lambda c: (c.row, c.column))
        self._index = {}
        self._starts = {}
        for cell in self.cells:
            self._starts.setdefault(cell.row, []).append(cell)
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.column, cell.column + cell.colspan):
                    self._index[(r, c)] = cell

    def at(self, row: int, column: int) -> Cell | None:
        """The cell covering (row, column), merged or not."""
        return self._index.get((row, column))

    def row(self, row: int) -> list[Cell]:
        """The cells that start in `row`, left to right (looked up: the readers ask for every row of a
        grid, and a sheet bordered down thousands of rows made that take hours)."""
        return list(self._starts.get(row, ()))

    def covering(self, row: int) -> list[Cell]:
        """The cells covering `row` (those merged down from above included), left to right, each once."""
        seen, found = set(), []
        for column in range(self.width):
            cell = self.at(row, column)
            if cell is not None and id(cell) not in seen:
                seen.add(id(cell))
                found.append(cell)
        return found

    def texts(self, row: int) -> list[str]:
        return [c.text for c in self.row(row)]

    def to_rows(self) -> list[list]:
        """The grid as the generic record writes it, as HTML does: a cell is its text, or
        {text, colspan, rowspan} when merged; positions a merged cell covers are left out,
        and a position no cell covers is an empty cell."""
        rows = []
        for r in range(self.height):
            out: list = []
            starts = [c for c in self.row(r)]
            end = max((c.last_column + 1 for c in starts), default=0)
            for column in range(end):
                cell = self.at(r, column)
                if cell is None:
                    out.append("")
                elif cell.row == r and cell.column == column:
                    if cell.rowspan == 1 and cell.colspan == 1:
                        out.append(cell.text)
                    else:
                        merged = {"text": cell.text}
                        if cell.colspan > 1:
                            merged["colspan"] = cell.colspan
                        if cell.rowspan > 1:
                            merged["rowspan"] = cell.rowspan
                        out.append(merged)
            rows.append(out)
        return rows

    def slice(self, start: int, end: int) -> "Grid":
        """Rows start..end-1 as a grid of their own (a merge reaching outside is cut at the edge)."""
        cells = []
        for cell in self.cells:
            if start <= cell.row < end:
                cells.append(Cell(cell.text, cell.row - start, cell.column, min(cell.rowspan, end - cell.row),
                                  cell.colspan, cell.place))
        return Grid(cells, self.width, end - start, where=self.where)

    def append(self, other: "Grid") -> None:
        """Rows of `other` (a table continued after a page break) added below."""
        for cell in other.cells:
            self.cells.append(Cell(cell.text, cell.row + self.height, cell.column, cell.rowspan, cell.colspan,
                                   cell.place))
        self.height += other.height
        self.width = max(self.width, other.width)
        self.pieces += other.pieces
        self.reindex()


def build(rows: list[list[tuple[int, int, int, str, str]]], **details) -> Grid:
    """A grid from rows of (column, colspan, rowspan, text, place) tuples; spans already resolved."""
    cells = [Cell(shown_text(text), r, column, rowspan, colspan, place)
             for r, row in enumerate(rows) for column, colspan, rowspan, text, place in row]
    width = max((c.last_column + 1 for c in cells), default=0)
    return Grid(cells, width, len(rows), **details)
