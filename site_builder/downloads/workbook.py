"""Excel workbooks of the forms, laid out as printed, byte for byte the same on every build.

A form's sheet shows its title, then each of its tables in printed order with
the printed header rows and merges; header and footer cells as label beside
value. A cell whose printed text is a number that Excel shows exactly as
printed (``8``, ``1,463.31``, ``100%``) is stored as a number with that number
format; anything else is stored as text. XlsxWriter writes the same bytes for
the same input once the document's creation time is fixed.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
from decimal import Decimal, InvalidOperation

from ..model.number_formats import display
from .tables import positions

CREATED = datetime.datetime(2000, 1, 1)  # a fixed creation time: the bytes never depend on the clock
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
LABEL_VALUE_TABLES = ("header", "footer")


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
    return stored, fmt


class _Styles:
    def __init__(self, book):
        base = {"text_wrap": True, "valign": "top", "font_name": "宋体", "font_size": 10.5}
        self.title = book.add_format({**base, "bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.caption = book.add_format({**base, "bold": True})
        self.head = book.add_format({**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter"})
        self.text = book.add_format({**base, "border": 1})
        self.label = book.add_format({**base, "border": 1, "bold": True})
        self._numbers: dict[str, object] = {}
        self._book, self._base = book, base

    def number(self, fmt: str):
        if fmt not in self._numbers:
            self._numbers[fmt] = self._book.add_format({**self._base, "border": 1, "num_format": fmt, "align": "right"})
        return self._numbers[fmt]


def _width(form: dict) -> int:
    widths = [len(t["fields"]) for t in form["tables"] if t["name"] not in LABEL_VALUE_TABLES]
    return max(widths + [2])


def _put(sheet, styles: _Styles, row: int, col: int, text: str, colspan: int, rowspan: int, style=None,
         numbers: bool = True) -> None:
    number = number_of(text) if numbers and text else None
    fmt = styles.number(number[1]) if number else (style or styles.text)
    if colspan > 1 or rowspan > 1:
        sheet.merge_range(row, col, row + rowspan - 1, col + colspan - 1, "", fmt)
    if number:
        sheet.write_number(row, col, number[0], fmt)
    elif not text:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_string(row, col, text, fmt)


def write_form(sheet, styles: _Styles, form: dict) -> None:
    """One form on one sheet, as printed."""
    width = _width(form)
    for c in range(width):
        sheet.set_column(c, c, 16 if c else 20)
    sheet.merge_range(0, 0, 0, width - 1, form["title"], styles.title)
    sheet.set_row(0, 28)
    row = 2
    for table in form["tables"]:
        if table["name"] in LABEL_VALUE_TABLES:
            for field, value in zip(table["fields"], table["rows"][0]):
                _put(sheet, styles, row, 0, field["title"], 1, 1, styles.label, numbers=False)
                _put(sheet, styles, row, 1, value["text"], max(width - 1, 1), 1)
                row += 1
            row += 1
            continue
        caption = table["title"] + (f"（单位：{table['unit']}）" if table["unit"] else "")
        sheet.merge_range(row, 0, row, width - 1, caption, styles.caption)
        row += 1
        columns = len(table["fields"])
        for part, style in ((table["head"], styles.head), (table["rows"], None)):
            for r, printed in enumerate(positions(part, columns)):
                stretch = width - columns  # a narrow table's last column reaches the sheet's edge
                for c, (value, down, across) in enumerate(printed):
                    if down or across:
                        continue
                    colspan, rowspan = value.get("colspan", 1), value.get("rowspan", 1)
                    if c + colspan == columns:
                        colspan += stretch
                    _put(sheet, styles, row + r, c, value["text"], colspan, rowspan, style,
                         numbers=style is None)
            row += len(part)
        row += 1


def _book(buffer: io.BytesIO):
    import xlsxwriter  # only when a workbook is made: not on every start of check, serve or a no-op build

    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    book.set_properties({"created": CREATED})
    return book


def form_workbook(form: dict) -> bytes:
    buffer = io.BytesIO()
    book = _book(buffer)
    write_form(book.add_worksheet("表"), _Styles(book), form)
    return _closed(book, buffer)


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


__all__ = ["form_workbook", "year_workbook", "number_of", "sheet_name"]
