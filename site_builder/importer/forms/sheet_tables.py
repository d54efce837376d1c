"""The tables of a worksheet as grids, whatever kind of Excel file the sheet was read from.

The .xlsx reader (:mod:`.xlsx_tables`, openpyxl) and the .xls reader
(:mod:`.xls_tables`, xlrd) describe each sheet in the same few terms, a
:class:`Sheet`: its name, its merged ranges, and the cells it holds, each with
the text Excel shows (:func:`cell_text`) and whether it has a border. The
tables are found here, once for both: a table is a run of rows that have a
value, a border or a merged range; a row with none of these separates tables,
and a row outside the borders holding one short text (a title,
"岳阳市财政局（制）") is a line above the next table, like a paragraph in Word.
Places are written as Excel names them: 工作表“项目表”B7.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import Finding, SiteError
from ...model.number_formats import coordinate, display
from .docx_tables import Paragraph
from .grid import Grid, build

# A reader makes an object for every cell a merged range covers (openpyxl as it loads the file, this
# module in its covered set): a range over a whole sheet (A1:XFD1048576, seventeen billion cells) would
# never finish. A form's merges cover a few hundred cells; this is thousands of forms' worth.
MAX_MERGED_CELLS = 1_000_000
# The cells kept from the workbook's sheets (a value, a border or the start of a merge). A form has a few
# hundred, a year's forms a few thousand; an .xls sheet can hold 16 million, two bytes each in the file (a
# run of blank bordered cells), an .xlsx sheet a million in 20 MB of XML. The import of 200,000 cells takes ten seconds and 200 MB; of a million,
# three minutes and 700 MB (splitting and recognising one grid that large).
MAX_CELLS = 200_000


@dataclass(frozen=True)
class SheetCell:
    text: str | None  # as Excel shows it (cell_text); None when the cell holds no value
    bordered: bool  # a line on any of its four sides


@dataclass
class Sheet:
    """A worksheet as the table finder needs it. Cells are added with :meth:`add`, in any order."""

    name: str
    merges: list[tuple[int, int, int, int]]  # (first row, first column, last row, last column): 1-based, inclusive
    rows: dict[int, dict[int, SheetCell]] = field(default_factory=dict)  # row → column → cell
    hidden_rows: set[int] = field(default_factory=set)  # rows Excel neither shows nor prints
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False  # the whole sheet (its cells are not described): Excel neither shows nor prints it

    def __post_init__(self) -> None:
        self._tops = {(top, left) for top, left, _, _ in self.merges}

    def add(self, row: int, column: int, text: str | None, bordered: bool) -> bool:
        """A cell the sheet holds; kept (True) when it has a value, a border, or is the first of a merged range."""
        if text is not None or bordered or (row, column) in self._tops:
            self.rows.setdefault(row, {})[column] = SheetCell(text, bordered)
            return True
        return False


def cell_text(value, number_format: str | None) -> str:
    """A cell's value as Excel shows it under its number format, layout space at the ends of lines trimmed."""
    shown = display(value, number_format)
    return "\n".join(line.strip(" \t\u3000\u00a0") for line in shown.replace("\r\n", "\n").split("\n")).strip("\n")


def too_many_cells(shown: str, sheet: str, last: str) -> SiteError:
    """N436 for a workbook whose sheets hold more than MAX_CELLS cells to keep (`last`: the cell that went over)."""
    return SiteError(Finding(
        code="N436", path=shown,
        message=f"工作表“{sheet}”中有内容、有边框的格子超过 {MAX_CELLS:,} 个"
                f"（到 {last} 为止），远超过绩效自评表应有的大小，没有导入",
        hint="文件可能已经损坏，或整张工作表都设了边框。请在 Excel 或 WPS 中只把绩效自评表复制到新的工作簿，"
             "另存为 .xlsx 再导入。"))


def too_many_merged(shown: str, where: str, example: str, saved_as: str) -> SiteError:
    """N436 for merged ranges covering more than MAX_MERGED_CELLS cells (`where`: the sheet, as the reader names it)."""
    return SiteError(Finding(
        code="N436", path=shown,
        message=f"{where}中的合并单元格覆盖的格子超过 {MAX_MERGED_CELLS:,} 个"
                f"（如 {example}），远超过绩效自评表应有的大小，没有导入",
        hint="请在 Excel 或 WPS 中选中整张工作表，取消合并单元格后只把表格中的格子重新合并，"
             f"或把表格复制到新的工作簿，另存为 {saved_as} 再导入。"))


def sheet_items(sheet: Sheet) -> tuple[list[Paragraph | Grid], list[str]]:
    """The tables and lines of `sheet` as Excel shows it (read_sheet), and what Excel hides of it that holds
    a value, as the import names it: the whole sheet, or its hidden rows and columns."""
    if sheet.hidden:
        return [], [f"隐藏的工作表“{sheet.name}”"]
    rows = sorted(r for r, cells in sheet.rows.items()
                  if r in sheet.hidden_rows and any(cell.text for cell in cells.values()))
    columns = sorted({c for r, cells in sheet.rows.items() if r not in sheet.hidden_rows
                      for c, cell in cells.items() if c in sheet.hidden_columns and cell.text})
    named = [f"工作表“{sheet.name}”中隐藏的第 {r} 行" for r in rows]
    named += [f"工作表“{sheet.name}”中隐藏的 {coordinate(1, c).rstrip('0123456789')} 列" for c in columns]
    return read_sheet(sheet), named


def _visible(sheet: Sheet) -> tuple[Sheet, list[int] | None, list[int] | None]:
    """`sheet` as Excel shows it: its hidden rows and columns taken out and the others moved up and left
    (a merged range keeps the rows and columns it covers that are shown, its text in the first of them);
    with the row and the column each shown one was, in order (None: nothing moved)."""
    if not sheet.hidden_rows and not sheet.hidden_columns:
        return sheet, None, None
    last_row = max([*sheet.rows, *(bottom for _, _, bottom, _ in sheet.merges)], default=0)
    last_column = max([*(c for cells in sheet.rows.values() for c in cells), *(right for *_, right in sheet.merges)],
                      default=0)
    rows_were = [r for r in range(1, last_row + 1) if r not in sheet.hidden_rows]
    columns_were = [c for c in range(1, last_column + 1) if c not in sheet.hidden_columns]
    row = {r: n for n, r in enumerate(rows_were, 1)}
    column = {c: n for n, c in enumerate(columns_were, 1)}
    merges, moved = [], {}  # moved: a merged range's top-left cell → the first of its cells shown
    for top, left, bottom, right in sheet.merges:
        shown_rows = [r for r in range(top, bottom + 1) if r in row]
        shown_columns = [c for c in range(left, right + 1) if c in column]
        if shown_rows and shown_columns:
            moved[(top, left)] = (shown_rows[0], shown_columns[0])
            merges.append((row[shown_rows[0]], column[shown_columns[0]], row[shown_rows[-1]], column[shown_columns[-1]]))
    taken = set(moved.values())  # where a moved text goes: a covered cell there (no text of its own) gives way
    shown = Sheet(sheet.name, merges)
    for r, cells in sheet.rows.items():
        for c, cell in cells.items():
            at = moved.get((r, c), (r, c))
            if at[0] in row and at[1] in column and (at not in taken or (r, c) in moved):
                shown.rows.setdefault(row[at[0]], {})[column[at[1]]] = cell
    return shown, rows_were, columns_were


def _was(shown: list[int] | None, n: int) -> int:
    """The row (or column) Excel numbers `n`, the n-th shown (_visible)."""
    if shown is None:
        return n
    return shown[n - 1] if n <= len(shown) else (shown[-1] if shown else 0) + n - len(shown)


def read_sheet(sheet: Sheet) -> list[Paragraph | Grid]:
    """The sheet's tables and the lines between them, in order, after a break: a sheet never
    continues the table of the one before. Hidden rows and columns are left out (_visible)."""
    name = sheet.name
    sheet, rows_were, columns_were = _visible(sheet)

    def was(r: int) -> int:  # the row as Excel numbers it
        return _was(rows_were, r)

    def place(r: int, c: int) -> str:
        return f"工作表“{name}”{coordinate(was(r), _was(columns_were, c))}"

    def line(r: int) -> str:
        return f"工作表“{name}”第 {was(r)} 行"

    items: list[Paragraph | Grid] = [Paragraph("", True, f"工作表“{name}”")]
    merged = {}  # top-left (row, column) → (last row, last column)
    covered = set()
    for top, left, bottom, right in sheet.merges:
        merged[(top, left)] = (bottom, right)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    covered.add((r, c))
    rows = {r: dict(sorted(cells.items())) for r, cells in sheet.rows.items()}
    merged_rows = {r for (top, _), (bottom, _) in merged.items() for r in range(top, bottom + 1)}
    run: list[int] = []

    def flush() -> None:
        if run:
            items.append(_table(name, run, rows, merged, covered, place, was))
            run.clear()

    previous = 0
    for r in sorted(set(rows) | merged_rows):
        if r > previous + 1:  # rows with nothing in them: one separates tables as well as many
            flush()
            items.append(Paragraph("", False, line(previous + 1)))
        previous = r
        cells = rows.get(r, {})
        in_table = r in merged_rows or any(cell.bordered for cell in cells.values())
        if in_table:
            run.append(r)
            continue
        flush()
        texts = [cell.text for cell in cells.values() if cell.text]
        if texts:
            first = min(c for c, cell in cells.items() if cell.text is not None)
            items.append(Paragraph("  ".join(texts), False, place(r, first)))
        else:
            items.append(Paragraph("", False, line(r)))
    flush()
    return items


def _table(name: str, run: list[int], rows, merged, covered, place, was) -> Grid:
    first, last = run[0], run[-1]
    columns = set()
    for r in run:
        for c in rows.get(r, {}):
            columns.add(c)
            if (r, c) in merged:
                columns.update(range(c, merged[(r, c)][1] + 1))
    left = min(columns) if columns else 1
    grid_rows = []
    for r in range(first, last + 1):
        row = []
        for c, cell in rows.get(r, {}).items():
            if (r, c) in covered:
                continue
            bottom, right = merged.get((r, c), (r, c))
            bottom = min(bottom, last)
            row.append((c - left, right - c + 1, bottom - r + 1, cell.text or "", place(r, c)))
        grid_rows.append(row)
    return build(grid_rows, where=f"工作表“{name}”第 {was(first)}–{was(last)} 行")
