"""Excel workbooks of the forms, laid out as printed, byte for byte the same on every build.

A form's sheet shows its title, then each of its tables in printed order with
the printed header rows and merges; header and footer cells as label beside
value. A cell whose printed text is a number that Excel shows exactly as
printed (``8``, ``1,463.31``, ``100%``) is stored as a number with that number
format, unless its digits, as the sheet holds them (``15000000000`` for
``15,000,000,000``), would read as a phone or 身份证 number: a workbook holding
one is refused (privacy.mask_bytes). Anything else is stored as text. XlsxWriter writes the same bytes for
the same input once the document's creation time is fixed.

The sheet is laid out once, as steps (:func:`sheet_steps`): XlsxWriter takes
them for a year's workbook written whole; a form's own workbook is written
from them by sheet_xml, XlsxWriter's bytes at a third of its time.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
from decimal import Decimal, InvalidOperation

from ..model.number_formats import display
from ..privacy import find_personal_numbers
from . import sheet_xml
from .tables import positions

CREATED = datetime.datetime(2000, 1, 1)  # a fixed creation time: the bytes never depend on the clock
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
LABEL_VALUE_TABLES = ("header", "footer")
FORM_SHEET = "表"  # the sheet of a form's own workbook


@functools.lru_cache(maxsize=8192)  # the same figures (5, 10, 100%) recur in every form
def number_of(text: str) -> tuple[float, str] | None:
    """(value, Excel number format) when storing `text` as a number shows it exactly as printed."""
    match = _NUMBER.fullmatch(text)
    if not match or re.match(r"-?0\d", text):  # 08 would show as 8
        return None
    decimals, percent = match[1] or "", match[2]
    grouped = "," in text
    fmt = ("#,##0" if grouped else "0") + ("." + "0" * len(decimals) if decimals else "") + percent
    try:
        value = Decimal(text.replace(",", "").rstrip("%"))
    except InvalidOperation:
        return None
    if value == 0 and text.startswith("-"):
        return None  # Excel shows -0 as 0
    if percent:
        value /= 100
    stored = float(value)
    if display(stored, fmt) != text:  # what Excel shows for the stored number
        return None
    if find_personal_numbers(f"{stored:.16G}"):  # as the sheet's XML holds it: 15,000,000,000 as 15000000000,
        return None  # which reads as a mobile number where the printed text, grouped, does not: kept as text
    return stored, fmt


class _Styles:
    """The workbook's formats, by name ("title", "caption", "head", "text", "label", or ("number", its
    Excel number format)), each made when first asked for."""

    _BASE = {"text_wrap": True, "valign": "top", "font_name": "宋体", "font_size": 10.5}
    _NAMED = {"title": {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"},
              "caption": {"bold": True},
              "head": {"bold": True, "border": 1, "align": "center", "valign": "vcenter"},
              "text": {"border": 1},
              "label": {"border": 1, "bold": True}}

    def __init__(self, book):
        self._book, self._made = book, {}
        for name in self._NAMED:  # made in this order, as they always were (the bytes do not depend on it)
            self.of(name)

    def of(self, name):
        if name not in self._made:
            extra = (self._NAMED[name] if isinstance(name, str)
                     else {"border": 1, "num_format": name[1], "align": "right"})
            self._made[name] = self._book.add_format({**self._BASE, **extra})
        return self._made[name]


def _width(form: dict) -> int:
    widths = [len(t["fields"]) for t in form["tables"] if t["name"] not in LABEL_VALUE_TABLES]
    return max(widths + [2])


def sheet_steps(form: dict) -> list[tuple]:
    """One form on one sheet, as printed: the steps that write it, in order —
    ("column", column, width), ("row", row, height), ("merge", first row, first column, last row,
    last column, text, format), ("number", row, column, value, format), ("string", row, column,
    text, format), ("blank", row, column, format); formats by name (see _Styles).
    :func:`write_steps` has XlsxWriter take them; sheet_xml writes a form's workbook from them."""
    steps: list[tuple] = []
    width = _width(form)
    for c in range(width):
        steps.append(("column", c, 16 if c else 20))
    steps.append(("merge", 0, 0, 0, width - 1, form["title"], "title"))
    steps.append(("row", 0, 28))

    def put(row: int, col: int, text: str, colspan: int, rowspan: int, style=None, numbers: bool = True) -> None:
        number = number_of(text) if numbers and text else None
        fmt = ("number", number[1]) if number else (style or "text")
        if colspan > 1 or rowspan > 1:
            steps.append(("merge", row, col, row + rowspan - 1, col + colspan - 1, "", fmt))
        if number:
            steps.append(("number", row, col, number[0], fmt))
        elif not text:
            steps.append(("blank", row, col, fmt))
        else:
            steps.append(("string", row, col, text, fmt))

    row = 2
    for table in form["tables"]:
        if table["name"] in LABEL_VALUE_TABLES:
            for field, value in zip(table["fields"], table["rows"][0]):
                put(row, 0, field["title"], 1, 1, "label", numbers=False)
                put(row, 1, value["text"], max(width - 1, 1), 1)
                row += 1
            row += 1
            continue
        caption = table["title"] + (f"（单位：{table['unit']}）" if table["unit"] else "")
        steps.append(("merge", row, 0, row, width - 1, caption, "caption"))
        row += 1
        columns = len(table["fields"])
        for part, style in ((table["head"], "head"), (table["rows"], None)):
            for r, printed in enumerate(positions(part, columns)):
                stretch = width - columns  # a narrow table's last column reaches the sheet's edge
                for c, (value, down, across) in enumerate(printed):
                    if down or across:
                        continue
                    colspan, rowspan = value.get("colspan", 1), value.get("rowspan", 1)
                    if c + colspan == columns:
                        colspan += stretch
                    put(row + r, c, value["text"], colspan, rowspan, style, numbers=style is None)
            row += len(part)
        row += 1
    return steps


def write_steps(sheet, styles: _Styles, steps: list[tuple]) -> None:
    """Has XlsxWriter's `sheet` take `steps` (sheet_steps)."""
    for step in steps:
        kind = step[0]
        if kind == "column":
            sheet.set_column(step[1], step[1], step[2])
        elif kind == "row":
            sheet.set_row(step[1], step[2])
        elif kind == "merge":
            if _taken_as_markup(step[5]):
                sheet.merge_range(*step[1:5], "", styles.of(step[6]))
                _write_literally(sheet, step[1], step[2], step[5], styles.of(step[6]))
            else:
                sheet.merge_range(*step[1:5], step[5], styles.of(step[6]))
        elif kind == "number":
            sheet.write_number(step[1], step[2], step[3], styles.of(step[4]))
        elif kind == "string":
            if _taken_as_markup(step[3]):
                _write_literally(sheet, step[1], step[2], step[3], styles.of(step[4]))
            else:
                sheet.write_string(step[1], step[2], step[3], styles.of(step[4]))
        else:
            sheet.write_blank(step[1], step[2], None, styles.of(step[3]))


def _taken_as_markup(text: str) -> bool:
    """Whether XlsxWriter would write `text` into the workbook as it is, unescaped: it takes a
    text that opens with ``<r>`` and closes with ``</r>`` for a rich string it made itself, and a
    cell that says so (a record may) would make the workbook unreadable."""
    return text.startswith("<r>") and text.endswith("</r>")


def _write_literally(sheet, row: int, col: int, text: str, fmt) -> None:
    """`text` shown as it is though XlsxWriter would take it for markup: as a rich string of two runs
    ("<" and the rest) in the cell's own font, which Excel shows as the one text."""
    text = sheet_xml.fitted(text)  # XlsxWriter escapes what Excel would read otherwise (_x0041_, controls)
    sheet.write_rich_string(row, col, fmt, text[:1], fmt, text[1:], fmt)


def write_form(sheet, styles: _Styles, form: dict) -> None:
    """One form on one sheet, as printed, through XlsxWriter."""
    write_steps(sheet, styles, sheet_steps(form))


def _book(buffer: io.BytesIO):
    import xlsxwriter  # only when a workbook is made: not on every start of check, serve or a no-op build

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    book.set_properties({"created": CREATED})
    return book


def form_workbook(form: dict) -> bytes:
    """A form's workbook: one sheet, as printed (written by sheet_xml, XlsxWriter's bytes without
    its per-cell work; by XlsxWriter itself for what sheet_xml does not write)."""
    steps = sheet_steps(form)
    return sheet_xml.form_workbook(steps, skeleton_book) or xlsxwriter_workbook(steps)


def xlsxwriter_workbook(steps: list[tuple]) -> bytes:
    """The workbook of one sheet that `steps` write, written by XlsxWriter."""
    buffer = io.BytesIO()
    book = _book(buffer)
    write_steps(book.add_worksheet(FORM_SHEET), _Styles(book), steps)
    return _closed(book, buffer)


def skeleton_book(columns: tuple, rows: tuple, formats: tuple, strings: bool) -> bytes:
    """What sheet_xml builds a form's workbook around: XlsxWriter's workbook of the column and row
    steps given, its first row one cell per format in the order given (a text in the first when
    `strings`, so that the workbook has a table of shared strings)."""
    steps = [("column", *column) for column in columns] + [("row", *row) for row in rows]
    steps += [("string", 0, 0, "x", fmt) if strings and not col else ("blank", 0, col, fmt)
              for col, fmt in enumerate(formats)]
    return xlsxwriter_workbook(steps)


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("", title).strip("'") or "表"
    name, number = base[:31], 1
    while name.lower() in taken:
        number += 1
        suffix = f"（{number}）"
        name = base[:31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def year_workbook(forms: list[dict]) -> bytes:
    """Every form of a year, one sheet each, in the order given."""
    buffer = io.BytesIO()
    book = _book(buffer)
    styles, taken = _Styles(book), set()
    for form in forms:
        write_form(book.add_worksheet(sheet_name(form["name"] or form["title"], taken)), styles, form)
    return _closed(book, buffer)


def _closed(book, buffer: io.BytesIO) -> bytes:
    """The bytes of `book`, closed and freed.

    XlsxWriter hands every sheet the workbook's ``add_format``: a reference cycle, so a workbook
    and all its cells are freed only by Python's cycle collector, which a build runs rarely
    (pipeline.incremental._few_collections). A year's workbook of hundreds of sheets then stayed
    in its worker until the build ended, every year's on top of the last (at 10,000 pages a
    worker grew to 430 MB). With the link undone, the workbook is freed as soon as it is written."""
    book.close()
    for sheet in book.worksheets():
        sheet.workbook_add_format = None
    return buffer.getvalue()


__all__ = ["form_workbook", "year_workbook", "number_of", "sheet_name", "sheet_steps", "xlsxwriter_workbook"]
