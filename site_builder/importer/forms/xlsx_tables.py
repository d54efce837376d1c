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

from openpyxl.utils.cell import range_boundaries

from ...errors import Finding, SiteError
from ..readers import damaged_file
from .docx_tables import Paragraph
from .grid import Grid, build
from ...model.number_formats import display


def read(path: Path, shown: str) -> tuple[list[Paragraph | Grid], list[str]]:
    """The sheets' tables and lines, in order; and the places of formulas saved without their result."""
    import openpyxl

    _check_merges(path, shown)
    try:
        workbook = openpyxl.load_workbook(str(path), data_only=True)
        formulas = openpyxl.load_workbook(str(path))
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl raises while it opens a file it was not made for
        raise damaged_file(shown, "Excel", exc) from None
    items: list[Paragraph | Grid] = []
    unsaved = []
    for sheet, formula_sheet in zip(workbook.worksheets, formulas.worksheets):
        items.append(Paragraph("", True, f"工作表“{sheet.title}”"))  # a sheet never continues the one before
        items.extend(_sheet(sheet))
        # a file written by a program other than Excel may hold formulas without their computed value
        for _, cell in sorted(formula_sheet._cells.items()):  # the cells it holds: see _sheet
            if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f" \
                    and sheet[cell.coordinate].value is None:
                unsaved.append(f"工作表“{sheet.title}”{cell.coordinate}")
    return items, unsaved


# openpyxl makes an object for every cell a merged range covers, as it loads the file: a range over a
# whole sheet (A1:XFD1048576, seventeen billion cells) would never finish. A form's merges cover a few
# hundred cells; this is thousands of forms' worth.
MAX_MERGED_CELLS = 1_000_000


def _check_merges(path: Path, shown: str) -> None:
    """N436 when the merged ranges of the workbook's sheets cover more than MAX_MERGED_CELLS cells.
    The sheets' XML is read as it streams (check_kind has measured it): nothing is built but a count."""
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    covered = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as stream:
                    for _, element in iterparse(stream):
                        if element.tag.rpartition("}")[2] == "mergeCell":
                            area = _area(element.get("ref") or "")
                            covered += area
                            if covered > MAX_MERGED_CELLS:
                                raise SiteError(Finding(
                                    code="N436", path=shown,
                                    message=f"工作表文件 {name} 中的合并单元格覆盖的格子超过 {MAX_MERGED_CELLS:,} 个"
                                            f"（如 {element.get('ref')}），远超过绩效自评表应有的大小，没有导入",
                                    hint="请在 Excel 或 WPS 中选中整张工作表，取消合并单元格后只把表格中的格子重新合并，"
                                         "或把表格复制到新的工作簿，另存为 .xlsx 再导入。"))
                        element.clear()
    except (zipfile.BadZipFile, OSError, ValueError, ParseError, EOFError, NotImplementedError, RuntimeError):
        return  # openpyxl says it cannot be read (N403)


def _area(ref: str) -> int:
    """The number of cells a range such as "B2:D5" covers, as openpyxl reads it (0 when it is not one)."""
    try:
        bounds = range_boundaries(ref.strip())
    except (ValueError, TypeError):
        return 0
    if None in bounds:  # a whole row or column ("A:A"): openpyxl refuses it as a merge (N403)
        return 0
    first_column, first_row, last_column, last_row = bounds
    return (abs(last_row - first_row) + 1) * (abs(last_column - first_column) + 1)


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
    # The cells the sheet holds, not every position up to the last one (iter_rows makes a cell for each):
    # one stray value in XFD1048576 would make seventeen billion.
    for (r, c), cell in sorted(sheet._cells.items()):
        if cell.value is not None or _bordered(cell) or (r, c) in merged:
            rows.setdefault(r, {})[c] = cell
    merged_rows = {r for (top, _), (bottom, _) in merged.items() for r in range(top, bottom + 1)}
    items: list[Paragraph | Grid] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            items.extend(_table(sheet, name, run, rows, merged, covered))
            run.clear()

    previous = 0
    for r in sorted(set(rows) | merged_rows):
        if r > previous + 1:  # rows with nothing in them: one separates tables as well as many
            flush()
            items.append(Paragraph("", False, f"工作表“{name}”第 {previous + 1} 行"))
        previous = r
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
