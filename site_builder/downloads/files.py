"""The text and container formats of the downloads: CSV, JSON, zip, datapackage.json.

Every function returns bytes that depend on their input only: no clock, no
machine, members of a zip in a fixed order with a fixed time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from ..privacy import checked_zip
from .tables import positions

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_PACKED = (".xlsx", ".zip")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_GROUPED_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def table_rows(table: dict) -> list[list[str]]:
    """The body of a table as rows of equal length. A cell merged downwards is repeated on each
    row it covers, so every row is complete; a cell merged across fills its first column only."""
    width = len(table["fields"])
    return [[value["text"] if not across else "" for value, _down, across in row]
            for row in positions(table["rows"], width)]


def column_names(table: dict) -> list[str]:
    """The CSV header and the Table Schema field names: the printed titles; a column whose
    header is blank or repeats another is named by its place (第3列)."""
    names, seen = [], set()
    for index, field in enumerate(table["fields"], 1):
        name = " ".join(field["title"].split())
        if not name or name in seen:
            name = f"第{index}列"
        seen.add(name)
        names.append(name)
    return names


# What makes Excel, WPS and LibreOffice read a CSV cell as a formula when it opens the file.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as the text it is. A cell opening as a formula would ("=<50万"
    printed as a target, or a planted =HYPERLINK(…)) gets a leading apostrophe, Excel's mark of text
    (OWASP's advice on CSV injection); a number such as -3.5 stays a number."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text) and not _GROUPED_NUMBER.fullmatch(text):
        return "'" + text
    return text


def table_csv(table: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([as_text_cell(name) for name in column_names(table)])
    writer.writerows([as_text_cell(cell) for cell in row] for row in table_rows(table))
    return (BOM + buffer.getvalue()).encode("utf-8")


def field_types(table: dict) -> list[dict]:
    """Table Schema fields: a column is a number when every filled cell is one (1,463.31 with a group character)."""
    rows = table_rows(table)
    fields = []
    for index, (field, name) in enumerate(zip(table["fields"], column_names(table))):
        values = [row[index] for row in rows if row[index].strip()]
        described = {"name": name, "title": field["title"], "type": "string"}
        if values and all(_PLAIN_NUMBER.fullmatch(v) or _GROUPED_NUMBER.fullmatch(v) for v in values):
            described["type"] = "number"
            if any("," in v for v in values):
                described["groupChar"] = ","
        fields.append(described)
    return fields


def json_text(value) -> str:
    """`value` as JSON on one line, written by json's C encoder (indented, every form's file took
    a tenth of a cold build, and datapackage.json of 10,000 pages most of a preview's reload)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_bytes(value) -> bytes:
    """`value` as UTF-8 JSON on one line (json_text), ending with a line break."""
    return (json_text(value) + "\n").encode("utf-8")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip of `members` (name → bytes), in name order, with a fixed time: the same bytes every build.
    Made of members checked for personal data (privacy.checked_zip), it is not opened to be checked again."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            # a workbook is a zip already: compressing it again takes time and saves nothing
            info.compress_type = zipfile.ZIP_STORED if name.endswith(_PACKED) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # the same on every machine
            archive.writestr(info, members[name], compresslevel=9)
    return checked_zip(buffer.getvalue(), members.items())


__all__ = ["column_names", "table_csv", "table_rows", "field_types", "json_text", "json_bytes", "zip_bytes", "BOM"]
