"""The form tables of an Excel (.xlsx) workbook as grids.

Every sheet is read, in order. A sheet may hold several forms: a table is a
run of rows that have a value, a border or a merged range; a row with none of
these separates tables, and a row outside the borders holding one short text
(a title, "岳阳市财政局（制）") is a line above the next table, like a paragraph
in Word. Values are shown as Excel shows them (:mod:`.numbers`); formulas by
the value Excel saved with the file.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import Finding, SiteError
from .docx_tables import Paragraph
from .grid import Grid, build
from ...model.number_formats import display


def read(path: Path, shown: str) -> tuple[list[Paragraph | Grid], list[str]]:
    """The sheets' tables and lines, in order; and the places of formulas saved without their result."""
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(str(path), data_only=True)
        formulas = openpyxl.load_workbook(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SiteError(Finding(code="N403", path=shown, message="打不开这个 Excel 文件：它不是完整的 .xlsx 文件（可能已经损坏，或只是改了扩展名）",
                                hint="请确认它是 .xlsx 格式（不是改了扩展名的 .xls 或 .et）；"
                                     "旧的 .xls 文件请先用 Excel 或 WPS 另存为 .xlsx。")) from None
    items: list[Paragraph | Grid] = []
    unsaved = []
    for sheet, formula_sheet in zip(workbook.worksheets, formulas.worksheets):
        items.append(Paragraph("", True, f"工作表“{sheet.title}”"))  # a sheet never continues the one before
        items.extend(_sheet(sheet))
        # a file written by a program other than Excel may hold formulas without their computed value
        for row in formula_sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f" \
                        and sheet[cell.coordinate].value is None:
                    unsaved.append(f"工作表“{sheet.title}”{cell.coordinate}")
    return items, unsaved


def _text(cell) -> str:
    shown = display(cell.value, cell.number_format)
    return "\n".join(line.strip(" \t\u3000\u00a0") for line in shown.replace("\r\n", "\n").split("\n")).strip("\n")


def _bordered(cell) -> bool:
    border = cell.border
    return any(getattr(border, side) is not None and getattr(border, side).style
               for side in ("left", "right", "top", "bottom"))


def _sheet(sheet) -> list[Paragraph | Grid]:
    name = sheet.title
    merged = {}  # top-left (row, column) → (last row, last column)
    covered = set()
    for area in sheet.merged_cells.ranges:
        merged[(area.min_row, area.min_col)] = (area.max_row, area.max_col)
        for r in range(area.min_row, area.max_row + 1):
            for c in range(area.min_col, area.max_col + 1):
                if (r, c) != (area.min_row, area.min_col):
                    covered.add((r, c))
    rows: dict[int, dict[int, object]] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None or _bordered(cell) or (cell.row, cell.column) in merged:
                rows.setdefault(cell.row, {})[cell.column] = cell
    merged_rows = {r for (top, _), (bottom, _) in merged.items() for r in range(top, bottom + 1)}
    items: list[Paragraph | Grid] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            items.extend(_table(sheet, name, run, rows, merged, covered))
            run.clear()

    last = max(list(rows) + list(merged_rows), default=0)
    for r in range(1, last + 1):
        cells = rows.get(r, {})
        in_table = r in merged_rows or any(_bordered(c) for c in cells.values())
        if in_table:
            run.append(r)
            continue
        flush()
        texts = [_text(c) for c in cells.values() if c.value is not None]
        texts = [t for t in texts if t]
        if texts:
            first = min(c for c, cell in cells.items() if cell.value is not None)
            items.append(Paragraph("  ".join(texts), False, f"工作表“{name}”{cells[first].coordinate}"))
        else:
            items.append(Paragraph("", False, f"工作表“{name}”第 {r} 行"))
    flush()
    return items


def _table(sheet, name: str, run: list[int], rows, merged, covered) -> list[Grid]:
    first, last = run[0], run[-1]
    columns = set()
    for r in run:
        for c, cell in rows.get(r, {}).items():
            columns.add(c)
            if (r, c) in merged:
                columns.update(range(c, merged[(r, c)][1] + 1))
    left = min(columns) if columns else 1
    grid_rows = []
    for r in range(first, last + 1):
        row = []
        for c in sorted(rows.get(r, {})):
            if (r, c) in covered:
                continue
            cell = rows[r][c]
            bottom, right = merged.get((r, c), (r, c))
            bottom = min(bottom, last)
            row.append((c - left, right - c + 1, bottom - r + 1, _text(cell), f"工作表“{name}”{cell.coordinate}"))
        grid_rows.append(row)
    return [build(grid_rows, where=f"工作表“{name}”第 {first}–{last} 行")]
