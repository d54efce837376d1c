"""The form tables of an Excel (.xlsx) workbook as grids.

Every sheet is read, in order, with openpyxl and described to
:mod:`.sheet_tables`, which finds its tables as it does for an .xls sheet.
Values are shown as Excel shows them (:mod:`site_builder.model.number_formats`);
formulas by the value Excel saved with the file. Merged ranges are counted in
the sheets' XML before openpyxl loads the file (:func:`_check_merges`).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import to_excel

from ...errors import Finding, SiteError
from ..readers import damaged_file
from .docx_tables import Paragraph
from .grid import Grid
from .sheet_tables import MAX_CELLS, MAX_MERGED_CELLS, Sheet, cell_text, coordinate, sheet_items, too_many_cells, \
    too_many_merged

MAX_COLUMN = 16_384  # XFD: a hidden range declared beyond it is cut there
# The cells (<c>, styled blank ones too) and shared strings of the whole workbook, hidden sheets included,
# counted in its XML before openpyxl loads it: openpyxl makes an object for each cell of every sheet,
# twice (values and formulas), some 600 bytes; three hidden sheets of a million cells (30 MB of XML each,
# a 6 MB file) took 1.6 GB and minutes before the sheets' kept cells were ever counted (MAX_CELLS).
# A form's sheet has a few thousand; a whole range of 26 columns by 10,000 rows given borders 260,000.
MAX_XML_CELLS = 600_000
MAX_STRINGS = 600_000
_MAIN = "spreadsheetml/2006/main"  # the namespace of a sheet's cells (transitional, and strict's ends alike)
# Excel stores a character XML cannot hold as _xHHHH_: the carriage return of text pasted from another
# program (_x000D_), Word's line break pasted into a cell (_x000B_); a typed "_x" as _x005F_x. openpyxl
# leaves the escapes in the text, and drops the x005F_ of the shared strings' ones (_values keeps them).
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def _values(stream, data_only: bool = True):
    """The workbook as openpyxl.load_workbook(stream, data_only=data_only) reads it, but for the shared
    strings, kept as Excel wrote them (_stored reads their escapes, _x005F_ included), and read as
    plain text, not an object each (openpyxl's reader took a minute for a million strings)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    item, text, run, phonetic = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r", "rPh"))

    class Reader(ExcelReader):
        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            self.shared_strings = []
            if part is None:
                return
            with self.archive.open(part.PartName[1:]) as source:
                for _, node in iterparse(source):
                    if node.tag == item:  # its own text, or its runs' (a run's phonetic guide is not shown)
                        parts = [child.text or "" for child in node if child.tag == text]
                        parts += [t.text or "" for r in node if r.tag == run for t in r if t.tag == text]
                        self.shared_strings.append("".join(parts))
                        node.clear()

    reader = Reader(stream, data_only=data_only)
    reader.read()
    return reader.wb


def read(path: Path, shown: str) -> tuple[list[Paragraph | Grid], list[str], list[str]]:
    """The sheets' tables and lines, in order; the places of formulas saved without their result; and what
    Excel hides that holds a value, left out (hidden sheets, rows and columns)."""

    _check_merges(path, shown)
    try:
        # opened as streams: openpyxl refuses a path not named .xlsx, and an .xlsx named .xls or .et is read
        with open(path, "rb") as values, open(path, "rb") as written:
            workbook = _values(values)
            formulas = _values(written, data_only=False)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl raises while it opens a file it was not made for
        raise damaged_file(shown, "Excel", exc) from None
    items: list[Paragraph | Grid] = []
    unsaved, hidden = [], []
    kept = [0]  # cells kept from the sheets so far (MAX_CELLS)
    recalculated = _recalculated_on_open(path)
    for sheet, formula_sheet in zip(workbook.worksheets, formulas.worksheets):
        formula_cells = [cell for _, cell in sorted(formula_sheet._cells.items()) if _is_formula(cell)]
        if recalculated:  # the results saved with the formulas are not what Excel shows (XlsxWriter saves 0)
            for cell in formula_cells:
                sheet[cell.coordinate].value = None
        described = _sheet(sheet, shown, kept)
        if described is None:
            continue
        found, hiding = sheet_items(described)
        items.extend(found)
        hidden += hiding
        if described.hidden:
            continue
        # a file written by a program other than Excel may hold formulas without their computed value
        for cell in formula_cells:  # the cells it holds: see _sheet
            if sheet[cell.coordinate].value is None:
                unsaved.append(f"工作表“{sheet.title}”{cell.coordinate}")
    return items, unsaved, hidden


def _is_formula(cell) -> bool:
    """Whether the cell holds a formula: "=…", or an array formula (CSE, {=…}) or a data table's."""
    if cell.data_type != "f":
        return False
    return cell.value.startswith("=") if isinstance(cell.value, str) else cell.value is not None


def _recalculated_on_open(path: Path) -> bool:
    """Whether the workbook asks to be recalculated when it is opened (calcPr fullCalcOnLoad): what the
    program that wrote it saved as the formulas' results is then not what Excel shows (XlsxWriter, as web
    systems export, saves 0 for each). Excel and WPS recalculate and save without it."""
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        with zipfile.ZipFile(path) as archive, archive.open("xl/workbook.xml") as stream:
            for _, element in iterparse(stream):
                if element.tag.rpartition("}")[2] == "calcPr":
                    return (element.get("fullCalcOnLoad") or "").strip().lower() in ("1", "true")
                element.clear()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, EOFError, NotImplementedError, RuntimeError):
        return False  # openpyxl has read it: a workbook part under another name
    return False


def _check_merges(path: Path, shown: str) -> None:
    """N436 when the merged ranges of the workbook's sheets cover more than MAX_MERGED_CELLS cells, or its
    parts hold more than MAX_XML_CELLS cells or MAX_STRINGS shared strings. The XML is read as it streams
    (check_kind has measured it): nothing is built but counts. Every part is read, whatever its name: the
    workbook's relationships, not the names, say which parts are sheets."""
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    covered = cells = strings = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.lower().endswith(".xml"):
                    continue
                with archive.open(name) as stream:
                    for _, element in iterparse(stream):
                        namespace, _, tag = element.tag.rpartition("}")
                        if tag == "c" and namespace.endswith(_MAIN):
                            cells += 1
                            if cells > MAX_XML_CELLS:  # openpyxl makes an object for each, twice (values, formulas)
                                raise too_many_xml_cells(shown, name, f"{MAX_XML_CELLS:,} 个格子")
                        elif tag == "si" and namespace.endswith(_MAIN):
                            strings += 1
                            if strings > MAX_STRINGS:
                                raise too_many_xml_cells(shown, name, f"{MAX_STRINGS:,} 段文字")
                        elif tag == "mergeCell":
                            area = _area(element.get("ref") or "")
                            covered += area
                            if covered > MAX_MERGED_CELLS:  # openpyxl would make an object for each (sheet_tables)
                                raise too_many_merged(shown, f"工作表文件 {name} ", element.get("ref"), ".xlsx")
                        element.clear()
    except (zipfile.BadZipFile, OSError, ValueError, ParseError, EOFError, NotImplementedError, RuntimeError):
        return  # openpyxl says it cannot be read (N403)


def too_many_xml_cells(shown: str, part: str, what: str) -> SiteError:
    return SiteError(Finding(
        code="N436", path=shown,
        message=f"这个文件的工作表（包括隐藏的）一共有超过 {what}（到 {part} 为止），远超过绩效自评表应有的大小，没有导入",
        hint="文件可能已经损坏，或带着很大的数据表。请在 Excel 或 WPS 中只把绩效自评表复制到新的工作簿，另存为 .xlsx 再导入。"))


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


def _sheet(sheet, shown: str, kept: list[int]) -> Sheet | None:
    """The sheet in the terms of :mod:`.sheet_tables` (a hidden one holding anything by its name only, an
    empty hidden one not at all); N436 when the workbook's sheets keep more than MAX_CELLS cells (`kept`: how
    many the sheets before it kept)."""
    if sheet.sheet_state != "visible":  # "hidden", "veryHidden": lists for drop-downs, workings
        return Sheet(sheet.title, [], hidden=True) if sheet._cells else None
    merges = [(area.min_row, area.min_col, area.max_row, area.max_col) for area in sheet.merged_cells.ranges]
    described = Sheet(sheet.title, merges, hidden_rows={r for r, d in sheet.row_dimensions.items() if d.hidden})
    for letter, dimension in sheet.column_dimensions.items():  # a dimension may stand for a range of columns
        if dimension.hidden:
            first = dimension.min or column_index_from_string(letter)
            described.hidden_columns.update(range(first, min(dimension.max or first, MAX_COLUMN) + 1))
    # The cells the sheet holds, not every position up to the last one (iter_rows makes a cell for each):
    # one stray value in XFD1048576 would make seventeen billion.
    for (r, c), cell in sorted(sheet._cells.items()):
        text = cell_text(_stored(cell, sheet.parent.epoch), cell.number_format) if cell.value is not None else None
        kept[0] += described.add(r, c, text, _bordered(cell))
        if kept[0] > MAX_CELLS:
            raise too_many_cells(shown, sheet.title, coordinate(r, c))
    return described


def _stored(cell, epoch):
    """The cell's value; for a date before the workbook's first day (a negative serial, which Excel prints
    as ####, and openpyxl turns into a day of 1899 anyway), the number stored; text as typed (_ESCAPED)."""
    value = cell.value
    if isinstance(value, datetime.datetime) and value < epoch:
        return to_excel(value, epoch)
    if isinstance(value, str) and "_x" in value:
        return _ESCAPED.sub(_unescaped, value)
    return value


def _unescaped(match: re.Match) -> str:
    character = chr(int(match.group(1), 16))
    return match.group(0) if "\ud800" <= character <= "\udfff" else character  # half a UTF-16 pair: no character


def _bordered(cell) -> bool:
    border = cell.border
    return any(getattr(border, side) is not None and getattr(border, side).style
               for side in ("left", "right", "top", "bottom"))
