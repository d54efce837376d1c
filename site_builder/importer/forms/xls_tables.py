"""The form tables of an old Excel 97–2003 workbook (.xls, and WPS 表格's .et in that format) as grids.

Every sheet is read, in order, with xlrd and described to :mod:`.sheet_tables`,
which finds its tables as it does for an .xlsx sheet: the same cells (a value,
a border, a merged range), the same places (工作表“项目表”B7), so that a form
gives the same record whichever of the two formats the finance bureau sent.
Values are shown as Excel shows them under the cell's number format
(:mod:`site_builder.model.number_formats`); a date cell as a date, as openpyxl
gives it for an .xlsx; an error as Excel prints it (#DIV/0!). An .xls always
holds a formula's result with the formula, so no cell is read blank for want of it.

xlrd raises whatever its parsing meets on a file it was not made for
(XLRDError, CompDocError, struct.error, IndexError, KeyError, AssertionError,
UnicodeDecodeError, RecursionError, …): all of it is a damaged file (N403).
It reads the whole file into memory and builds its objects at once, so what it
is given is measured first (N436): the file's size (:func:`.file_kinds.read_whole`),
the formats it declares (an XF record of 20 bytes becomes five objects, about
1.4 KB), the merged ranges before the cells they cover are made, and the cells
kept as they are described. Defined names are taken out before xlrd reads the
workbook: it evaluates their formulas as it opens it, and names that join
each other's text (B = A&A&…, C = B&B&…) made an 18 KB file take 91 seconds
and half a gigabyte; the forms need no name.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ...errors import Finding, SiteError
from ..file_kinds import DISCARD, read_whole
from ..readers import damaged_file, encrypted_file
from .docx_tables import Paragraph
from .grid import Grid
from .sheet_tables import (MAX_CELLS, MAX_MERGED_CELLS, Sheet, cell_text, coordinate, sheet_items, too_many_cells,
                           too_many_merged)

# The records describing formats (XF, FONT, FORMAT, STYLE, in any BIFF version). Excel keeps at most
# 64,000 cell formats (4,000 before Excel 2007), 512 fonts and a few hundred number formats.
MAX_FORMATS = 65_536
_FORMAT_RECORDS = {0x00E0, 0x0043, 0x0243, 0x0443, 0x0031, 0x0231, 0x041E, 0x001E, 0x0293}
_NAME, _EOF, _MERGEDCELLS, _BOUNDSHEET = 0x0018, 0x000A, 0x00E5, 0x0085
_BOF_RECORDS = {0x0809, 0x0409, 0x0209, 0x0009}
_PASSED_OVER = 0x0F0F  # a record code of no Excel version: xlrd reads on past it


def read(path: Path, shown: str) -> tuple[list[Paragraph | Grid], list[str], list[str]]:
    """The sheets' tables and lines, in order; (as xlsx_tables.read) the places of formulas saved
    without their result: none in an .xls; and what Excel hides that holds a value, left out."""
    import xlrd

    suffix = ".et" if path.suffix.lower() == ".et" else ".xls"
    data = read_whole(path, shown)
    try:
        records = _prepared(_workbook_stream(data), shown)
        # ragged_rows: a row as long as its last cell, not every row padded to the widest one
        book = xlrd.open_workbook(file_contents=records, formatting_info=True, on_demand=True, ragged_rows=True,
                                  logfile=DISCARD)
    except SiteError:
        raise
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc):  # a password to open it (a FILEPASS record): the cells are encrypted
            raise encrypted_file(shown) from None
        raise damaged_file(shown, "Excel", exc, suffix) from None
    except Exception as exc:  # noqa: BLE001 - whatever xlrd raises on a file it was not made for
        raise damaged_file(shown, "Excel", exc, suffix) from None
    items: list[Paragraph | Grid] = []
    hidden: list[str] = []
    counts = _Counts()
    try:
        for index in range(book.nsheets):
            described = _sheet(book, index, shown, suffix, counts)
            book.unload_sheet(index)  # one sheet of xlrd's objects at a time
            if described is not None:
                found, hiding = sheet_items(described)
                items.extend(found)
                hidden += hiding
    finally:
        book.release_resources()
    return items, [], hidden


class _Counts:
    """What the workbook's sheets have used so far of MAX_CELLS (the merged cells are counted, file-wide,
    before xlrd reads anything: _prepared)."""

    cells = 0


def _sheet(book, index: int, shown: str, suffix: str, counts: _Counts) -> Sheet | None:
    """Sheet number `index` in the terms of :mod:`.sheet_tables` (a hidden one holding anything by its name
    only, an empty hidden one not at all). Only what xlrd does is taken for damage (N403): xlrd parses the
    sheet when it is first asked for it, and its cells as they are read."""
    try:
        sheet = book.sheet_by_index(index)
        name, ranges = sheet.name, list(sheet.merged_cells)
        if sheet.visibility:  # 1 hidden, 2 very hidden
            return Sheet(name, [], hidden=True) if sheet.nrows else None
        hidden_rows = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
        hidden_columns = {c + 1 for c, info in sheet.colinfo_map.items() if info.hidden}
    except Exception as exc:  # noqa: BLE001 - whatever xlrd raises on a sheet it was not made for
        raise damaged_file(shown, "Excel", exc, suffix) from None
    merges = []
    for top, end_row, left, end_column in ranges:  # half-open: rows top..end_row-1
        if end_row <= top or end_column <= left:
            continue  # a range that merges nothing (xlrd warns of it and reads on, as Excel opens the file)
        merges.append((top + 1, left + 1, end_row, end_column))
    described = Sheet(name, merges, hidden_rows=hidden_rows, hidden_columns=hidden_columns)
    cells = _cells(book, sheet)
    while True:
        try:
            r, c, kind, value, number_format, bordered = next(cells)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - as above
            raise damaged_file(shown, "Excel", exc, suffix) from None
        counts.cells += described.add(r + 1, c + 1, _text(kind, value, number_format, book.datemode), bordered)
        if counts.cells > MAX_CELLS:
            raise too_many_cells(shown, name, coordinate(r + 1, c + 1))
    return described


def _cells(book, sheet):
    """(row, column, type, value, number format, bordered) of each cell the sheet holds, 0-based, as xlrd
    reads them."""
    import xlrd

    for r in range(sheet.nrows):
        for c, kind in enumerate(sheet.row_types(r)):
            if kind == xlrd.XL_CELL_EMPTY:
                continue  # not a cell of the file: xlrd's filling up to the next one
            xf = book.xf_list[sheet.cell_xf_index(r, c)]
            number_format = book.format_map.get(xf.format_key)  # xlrd reads on past an unknown one: so does Excel
            border = xf.border
            bordered = any((border.left_line_style, border.right_line_style, border.top_line_style,
                            border.bottom_line_style))
            yield (r, c, kind, sheet.cell_value(r, c),
                   number_format.format_str if number_format is not None else "General", bordered)


def _text(kind: int, value, number_format: str, datemode: int) -> str | None:
    """What the cell shows; None when it holds no value (a blank cell with only a format)."""
    import xlrd

    if kind == xlrd.XL_CELL_BLANK:
        return None
    if kind == xlrd.XL_CELL_ERROR:  # Excel prints the error, whatever the cell's format
        return xlrd.error_text_from_code.get(value, "#N/A")
    if kind == xlrd.XL_CELL_BOOLEAN:
        value = bool(value)
    elif kind == xlrd.XL_CELL_DATE:
        value = _date(value, datemode)
    return cell_text(value, number_format)


def _date(value: float, datemode: int):
    """A date cell's value as openpyxl gives it for an .xlsx: a time of day below 1, else a datetime. A
    number no date can be (below 0 or beyond the year 9999, which Excel prints as ####) is shown as the number."""
    import xlrd

    if value < 0:  # xlrd counts back from 1899-12-31 and gives a date Excel never shows
        return value
    try:
        moment = xlrd.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, TypeError):
        return value
    return moment.time() if 0 <= value < 1 else moment


def _workbook_stream(data: bytes) -> bytes:
    """The BIFF records of an .xls, found as xlrd finds them: the compound file's Workbook stream (Book
    from Excel 5), or the file itself when it is not a compound file (Excel 2 to 4 wrote the records alone)."""
    import xlrd
    from xlrd import compdoc

    if not data:  # xlrd takes b"" for no contents given, and opens a file named None
        raise xlrd.XLRDError("File size is 0 bytes")
    if data[:8] != compdoc.SIGNATURE:
        return data
    document = compdoc.CompDoc(data, logfile=DISCARD)
    for name in ("Workbook", "Book"):
        memory, start, length = document.locate_named_stream(name)
        if memory:
            return bytes(memory[start:start + length])
    raise xlrd.XLRDError("Can't find workbook in OLE2 compound document")


def _prepared(records: bytes, shown: str) -> bytes:
    """The records with the workbook's defined names passed over; N436 when it declares more formats than
    MAX_FORMATS, or merges more than MAX_MERGED_CELLS cells (every MERGEDCELLS record of the file: the
    sheets xlrd reads, and sheet_tables after it, hold no more); N403 when its sheets overlap. Read one record
    after another, as xlrd reads them: names, formats and the sheets' places before the first EOF record
    (the workbook's globals), merged ranges after it. Nothing else is changed or moved."""
    import xlrd

    prepared = bytearray(records)
    position = formats = merged = 0
    globals_ = True
    starts = []  # where each sheet's records begin (BOUNDSHEET)
    while position + 4 <= len(records):
        code, length = struct.unpack_from("<HH", records, position)
        if code == _EOF:
            globals_ = False
        elif globals_ and code == _NAME:
            prepared[position:position + 2] = struct.pack("<H", _PASSED_OVER)
        elif globals_ and code == _BOUNDSHEET and length >= 4:
            starts.append(struct.unpack_from("<i", records, position + 4)[0])
        elif globals_ and code in _FORMAT_RECORDS:
            formats += 1
            if formats > MAX_FORMATS:
                raise SiteError(Finding(
                    code="N436", path=shown,
                    message=f"这个文件声明的单元格格式（字体、数字格式、边框等）超过 {MAX_FORMATS:,} 种，"
                            "远超过 Excel 能保存的数目，没有导入",
                    hint="文件可能已经损坏，或不是 Excel 或 WPS 保存的原件。请用 Excel 或 WPS 打开它核对内容，"
                         "只把绩效自评表复制到新的工作簿，另存为 .xlsx 再导入。"))
        elif code == _MERGEDCELLS:  # a count, then (first row, last row, first column, last column) each
            for start in range(position + 6, min(position + 4 + length, len(records)) - 7, 8):
                top, bottom, left, right = struct.unpack_from("<HHHH", records, start)
                merged += max(0, bottom - top + 1) * max(0, right - left + 1)
                if merged > MAX_MERGED_CELLS:  # before xlrd makes a list of millions of ranges
                    example = f"{coordinate(top + 1, left + 1)}:{coordinate(bottom + 1, right + 1)}"
                    raise too_many_merged(shown, "这个文件", example, ".xlsx")
        position += 4 + length
    if _sheets_read(records, starts) > len(records):
        # Each sheet's records are its own: two sheets at the same place, or one inside another, would
        # have xlrd read the same records again for each (two hundred times in a 200 KB file: 36 seconds).
        raise xlrd.XLRDError("sheets overlap")
    return bytes(prepared)


def _sheets_read(records: bytes, starts: list[int]) -> int:
    """The bytes xlrd reads for the sheets starting at `starts`, each from its BOF record to its EOF, a
    chart inside it passed over to the chart's EOF; counted up to one sheet past the length of `records`."""
    total = 0
    for start in starts:
        position, chart = start, False
        while 0 <= position <= len(records) - 4 and total <= len(records):
            code, length = struct.unpack_from("<HH", records, position)
            total += 4 + length
            if position != start and code in _BOF_RECORDS:
                chart = True
            elif code == _EOF and chart:
                chart = False
            elif code == _EOF:
                break
            position += 4 + length
    return total
