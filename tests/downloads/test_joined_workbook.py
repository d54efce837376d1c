"""The year's workbook joined from the forms' own workbooks (downloads.joined_workbook).

XlsxWriter writing every form's sheet again is the oracle: the joined workbook
must be the very bytes it writes, for the real forms and for forms whose cells
hold any text or number."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from site_builder.downloads.joined_workbook import joined
from site_builder.downloads.workbook import form_workbook, year_workbook


def _forms(folder: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


def _books(forms: list[dict]) -> list[tuple[str, bytes]]:
    return [(form["name"] or form["title"], form_workbook(form)) for form in forms]


@pytest.mark.parametrize("year", ["2021", "2023"])
def test_the_joined_workbook_is_what_xlsxwriter_writes(real_build, year):
    forms = _forms(real_build / "downloads" / year)
    assert forms
    assert joined(_books(forms)) == year_workbook(forms)


_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["", " ", "&<>\"'", "0", "08", "-0", "1,463.31", "100%", "12.50%", "-5", "3.0", "x" * 40]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6).map(str),
)


@st.composite
def _varied_forms(draw, templates: list[dict]) -> list[dict]:
    """Copies of real forms, some cells' texts (figures, labels, blanks) and the forms' names replaced."""
    forms = []
    for _ in range(draw(st.integers(1, 4))):
        form = copy.deepcopy(draw(st.sampled_from(templates)))
        form["name"] = draw(st.one_of(st.just(form["name"]), _TEXT))
        for table in form["tables"]:
            for row in table["rows"]:
                for cell in row:
                    if draw(st.integers(0, 4)) == 0:
                        cell["text"] = draw(_TEXT)
        forms.append(form)
    return forms


@pytest.fixture(scope="module")
def templates(real_build) -> list[dict]:
    return _forms(real_build / "downloads" / "2023")[:3] + _forms(real_build / "downloads" / "2021")[:1]


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_cells_join_to_what_xlsxwriter_writes(templates, data):
    forms = data.draw(_varied_forms(templates))
    assert joined(_books(forms)) == year_workbook(forms)


def _with_member(book: bytes, name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_with_parts_of_its_own_is_not_joined(real_build):
    """A sheet with a comment, a drawing or a link has parts this does not join: the year's
    workbook is then written whole (downloads.year_files)."""
    books = _books(_forms(real_build / "downloads" / "2023")[:2])
    title, book = books[1]
    assert joined(books) is not None
    assert joined([books[0], (title, _with_member(book, "xl/comments1.xml", b"<comments/>"))]) is None
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<hyperlinks>" not in sheet
    linked = sheet.replace(b"</sheetData>", b"</sheetData><hyperlinks/>")
    replaced = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(replaced, "w") as target:
        for info in source.infolist():
            target.writestr(info, linked if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename))
    assert joined([books[0], (title, replaced.getvalue())]) is None
    assert joined([]) is None
