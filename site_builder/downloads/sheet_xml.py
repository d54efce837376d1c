"""A form's workbook written without XlsxWriter's per-cell work: the very bytes XlsxWriter writes.

XlsxWriter took about 6 ms for a form's workbook (a generated site of 10,000 pages: a minute of
CPU, a quarter of a cold build), most of it per cell. A form's sheet holds only what
:func:`workbook.sheet_steps` lays out — texts, numbers, blank cells with their formats, merges,
column widths and row heights — and everything in its workbook but the sheet and its shared
strings is the same for every sheet with the same widths, heights and formats first used in
the same order. So XlsxWriter writes those parts once per such combination, for a *skeleton*:
a sheet with one cell per format (workbook.skeleton_book; kept by :func:`_parts`), and the
sheet and its strings are written here as XlsxWriter writes them: one ``<row>`` per row with
cells, its ``spans`` per block of 16 rows, each cell's format numbered as in the skeleton,
texts in a shared table in the order they were written, merges in the order they were made.

tests/downloads/test_form_workbook.py holds :func:`form_workbook` to XlsxWriter's bytes for
the real forms and for forms of any text (control characters, ``_x0041_``, spaces at either
end, texts over Excel's 32,767 characters), with one deliberate difference: XlsxWriter writes
a text that begins with ``<r>`` and ends with ``</r>`` unescaped, as if it were its own rich
text markup, so a cell holding ``<r>a & b</r>`` gave a workbook no spreadsheet program opens.
Here every text is text.

Public surface: :func:`form_workbook` (None when the steps hold something this module does not
write: a merge over another, a row height on a row without cells; the caller then has
XlsxWriter write it).
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable
from typing import NamedTuple

from ..model.number_formats import coordinate
from ..privacy import checked_zip, member_is_clean

_SHEET = "xl/worksheets/sheet1.xml"
_STRINGS = "xl/sharedStrings.xml"
_TIME = (1980, 1, 1, 0, 0, 0)  # XlsxWriter's date for every member
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="{}">'
_MAX_TEXT = 32767  # UTF-16 units Excel holds in a cell; a longer text is cut, as XlsxWriter cuts it
# ECMA-376's escape of characters XML cannot hold (_xHHHH_), and of text that looks like one
_LOOKS_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_UNUSUAL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_ROW = re.compile(r'<row r="(\d+)"(?: spans="[^"]*")?([^>]*?)/?>')
_CELL_FORMAT = re.compile(r'<c r="[A-Z]+1" s="(\d+)"')


def form_workbook(steps: list[tuple], skeleton: Callable[..., bytes]) -> bytes | None:
    """The workbook of one sheet named as in `skeleton`'s, made by `steps` (workbook.sheet_steps).

    `skeleton(columns, rows, formats, strings)` is XlsxWriter's workbook of the same column and
    row steps whose first row holds one cell per format, in the order given (a text first when
    `strings`)."""
    sheet = _Sheet()
    if not sheet.take(steps):
        return None
    rows = sheet.in_order()
    formats = sheet.formats_in_order(rows)
    parts = _parts(tuple(sheet.columns), tuple(sheet.rows), tuple(formats), bool(sheet.strings), skeleton)
    if parts is None:
        return None
    rows_given_height = {row for row, _ in sheet.rows}
    if rows_given_height - set(parts.heights) or rows_given_height - set(sheet.table):
        return None
    xml = sheet.xml(rows, parts.head, parts.middle, parts.tail, parts.numbers, parts.heights)
    written = {_SHEET: xml.encode("utf-8")}
    if sheet.strings:
        written[_STRINGS] = sheet.strings_xml().encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as book:
        for name, data in parts.members:
            info = zipfile.ZipInfo(name, _TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(info, written.get(name, data))
    # checked for personal data as it is made, from the bytes that went in: the write stage does not open it
    # again (opened, read and looked through there, it took about a twentieth of a cold build's CPU)
    return checked_zip(buffer.getvalue(), written.items()) if parts.others_clean else buffer.getvalue()


class _Sheet:
    """The cells the steps leave, as XlsxWriter's worksheet keeps them."""

    def __init__(self):
        self.table: dict[int, dict[int, tuple]] = {}  # row → column → (kind, value, format)
        self.strings: dict[str, int] = {}  # text → its number in the shared table
        self.written = 0  # texts written, overwritten ones too (the table's count)
        self.merges: list[tuple[int, int, int, int]] = []
        self.merged: set[tuple[int, int]] = set()
        self.columns: list[tuple] = []
        self.rows: list[tuple] = []
        self.marked: list[tuple[int, int]] = []  # cells a row height counts in the sheet's extent

    def take(self, steps: list[tuple]) -> bool:
        table, put = self.table, self._put
        for step in steps:
            kind = step[0]
            if kind == "blank":
                table.setdefault(step[1], {})[step[2]] = ("b", None, step[3])
            elif kind == "string":
                put(step[1], step[2], step[3], step[4])
            elif kind == "number":
                table.setdefault(step[1], {})[step[2]] = ("n", step[3], step[4])
            elif kind == "merge":
                first_row, first_col, last_row, last_col, text, fmt = step[1:]
                covered = [(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)]
                if len(covered) < 2 or self.merged.intersection(covered):
                    return False  # XlsxWriter warns or refuses: it says what
                self.merged.update(covered)
                self.merges.append((first_row, first_col, last_row, last_col))
                if text:  # an empty text makes a blank cell, as XlsxWriter's write() does
                    put(first_row, first_col, text, fmt)
                else:
                    table.setdefault(first_row, {})[first_col] = ("b", None, fmt)
                for row, col in covered[1:]:
                    table.setdefault(row, {})[col] = ("b", None, fmt)
            elif kind == "column":
                self.columns.append(step[1:])
            elif kind == "row":  # XlsxWriter counts the row in at the first column used so far
                self.rows.append(step[1:])
                self.marked.append((step[1], min((min(cells) for cells in table.values()), default=0)))
            else:
                return False
        return bool(table)

    def _put(self, row: int, col: int, text: str, fmt) -> None:
        text = fitted(text)
        number = self.strings.get(text)
        if number is None:
            number = self.strings[text] = len(self.strings)
        self.written += 1
        self.table.setdefault(row, {})[col] = ("s", number, fmt)

    @staticmethod
    def formats_in_order(rows: list) -> list:
        """The formats as XlsxWriter numbers them: in the order their first cell comes in `rows` (in_order)."""
        seen: dict = {}
        for _, cells in rows:
            for _, (_, _, fmt) in cells:
                seen.setdefault(fmt, None)
        return list(seen)

    def in_order(self) -> list[tuple[int, list[tuple[int, tuple]]]]:
        """(row, [(column, cell)…]) row by row, each row's cells from left to right (once every step is taken)."""
        return [(row, sorted(self.table[row].items())) for row in sorted(self.table)]

    def xml(self, rows: list, head: str, middle: str, tail: str, numbers: dict, heights: dict[int, str]) -> str:
        """The sheet's XML, `rows` as in_order gives them."""
        extent = {row: (cells[0][0], cells[-1][0]) for row, cells in rows}
        first_col = min(low for low, _ in extent.values())
        last_col = max(high for _, high in extent.values())
        first_row, last_row = rows[0][0], rows[-1][0]
        for row, col in self.marked:
            first_row, last_row = min(first_row, row), max(last_row, row)
            first_col, last_col = min(first_col, col), max(last_col, col)
        dimension = (_cell(first_row, first_col) if (first_row, first_col) == (last_row, last_col)
                     else f"{_cell(first_row, first_col)}:{_cell(last_row, last_col)}")
        spans: dict[int, tuple[int, int]] = {}
        for row, (low, high) in extent.items():
            block = spans.get(row // 16)
            spans[row // 16] = (low, high) if block is None else (min(block[0], low), max(block[1], high))
        out = [head, f'<dimension ref="{dimension}"/>', middle]
        append = out.append
        for row, cells in rows:
            low, high = spans[row // 16]
            append(f'<row r="{row + 1}" spans="{low + 1}:{high + 1}"{heights.get(row, "")}>')
            for col, (kind, value, fmt) in cells:
                if kind == "s":
                    append(f'<c r="{_cell(row, col)}" s="{numbers[fmt]}" t="s"><v>{value}</v></c>')
                elif kind == "n":
                    append(f'<c r="{_cell(row, col)}" s="{numbers[fmt]}"><v>{value:.16G}</v></c>')
                else:
                    append(f'<c r="{_cell(row, col)}" s="{numbers[fmt]}"/>')
            append("</row>")
        append("</sheetData>")
        if self.merges:
            append(f'<mergeCells count="{len(self.merges)}">')
            out.extend(f'<mergeCell ref="{_cell(a, b)}:{_cell(c, d)}"/>' for a, b, c, d in self.merges)
            append("</mergeCells>")
        append(tail)
        return "".join(out)

    def strings_xml(self) -> str:
        return "".join([_HEAD, _SST.format(self.written, len(self.strings)),
                        *(_shared(text) for text in self.strings), "</sst>"])


def fitted(text: str) -> str:
    """`text` cut to what a cell holds (32,767 UTF-16 units, never inside a character)."""
    if len(text) <= _MAX_TEXT // 2:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > _MAX_TEXT:
            return text[:index]
    return text


def _shared(text: str) -> str:
    """One entry of the shared strings: characters XML cannot hold as _xHHHH_, & < > escaped."""
    if _UNUSUAL.search(text):
        text = _LOOKS_ESCAPED.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match[0]):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<si><t{space}>{text}</t></si>"


def _cell(row: int, col: int) -> str:
    """A cell's name from its row and column counted from 0, as the steps count them."""
    return coordinate(row + 1, col + 1)


class _Skeleton(NamedTuple):
    """The pieces of XlsxWriter's skeleton workbook a form's workbook is made of."""
    members: list[tuple[str, bytes]]  # name, bytes, in order
    head: str  # the sheet's XML before the dimension,
    middle: str  # between the dimension and the cells,
    tail: str  # and after the cells
    numbers: dict  # format → its number in the styles
    heights: dict[int, str]  # row (from 0) given a height → its attributes
    others_clean: bool  # the members taken as they are hold no number (privacy.member_is_clean)


@functools.lru_cache(maxsize=512)
def _parts(columns: tuple, rows: tuple, formats: tuple, strings: bool,
           skeleton: Callable[..., bytes]) -> _Skeleton | None:
    """What a form's workbook takes from the skeleton XlsxWriter writes for its column and row steps
    (None: a skeleton this module does not know how to fill)."""
    with zipfile.ZipFile(io.BytesIO(skeleton(columns, rows, formats, strings))) as book:
        members = [(info.filename, book.read(info)) for info in book.infolist()]
    sheet = dict(members)[_SHEET].decode("utf-8")
    start = sheet.find('<dimension ref="')
    end = sheet.find("/>", start) + 2
    data = sheet.find("<sheetData>")
    after = sheet.find("</sheetData>")
    if min(start, data, after) < 0 or "<mergeCells" in sheet:
        return None  # not the sheet this module knows how to fill
    data += len("<sheetData>")
    numbers = [int(number) for number in _CELL_FORMAT.findall(sheet[data:after].split("</row>")[0])]
    if len(numbers) != len(formats):
        return None
    given = {step[0] for step in rows}
    heights = {int(row) - 1: attributes for row, attributes in _ROW.findall(sheet[data:after]) if int(row) - 1 in given}
    replaced = (_SHEET, _STRINGS) if strings else (_SHEET,)  # by form_workbook's own (written)
    others_clean = all(member_is_clean(name, content) for name, content in members if name not in replaced)
    return _Skeleton(members, sheet[:start], sheet[end:data], sheet[after + len("</sheetData>"):],
                     dict(zip(formats, numbers)), heights, others_clean)


__all__ = ["fitted", "form_workbook"]
