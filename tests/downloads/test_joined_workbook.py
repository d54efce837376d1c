"""The year's workbook joined from the forms' own workbooks (downloads.joined_workbook).

XlsxWriter writing every form's sheet again is the oracle: the joined workbook
must be the very bytes it writes, for the real forms and for forms whose cells
hold any text or number."""

from __future__ import annotations

import copy
import io
import json
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
def _varied_forms(draw, templates: list[dict], text=_TEXT, most: int = 4) -> list[dict]:
    """Copies of real forms, some cells' texts (figures, labels, blanks) and the forms' names replaced."""
    forms = []
    for _ in range(draw(st.integers(1, most))):
        form = copy.deepcopy(draw(st.sampled_from(templates)))
        form["name"] = draw(st.one_of(st.just(form["name"]), text))
        for table in form["tables"]:
            for row in table["rows"]:
                for cell in row:
                    if draw(st.integers(0, 4)) == 0:
                        cell["text"] = draw(text)
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


def _book_with(form: dict, extra) -> bytes:
    """A form's workbook as form_workbook writes it, with `extra(book, sheet)` added."""
    from site_builder.downloads import workbook

    buffer = io.BytesIO()
    book = workbook._book(buffer)
    sheet = book.add_worksheet("表")
    workbook.write_form(sheet, workbook._Styles(book), form)
    extra(book, sheet)
    return workbook._closed(book, buffer)


_EXTRAS = {
    "comment": lambda book, sheet: sheet.write_comment(0, 0, "批注"),
    "hyperlink": lambda book, sheet: sheet.write_url(60, 0, "https://example.org/"),
    "formula": lambda book, sheet: sheet.write_formula(60, 0, "=1+1", None, 2),
    "conditional format": lambda book, sheet: sheet.conditional_format(
        "A1:B2", {"type": "cell", "criteria": ">", "value": 5, "format": book.add_format({"bold": True})}),
    "print titles": lambda book, sheet: sheet.repeat_rows(0),
    "image": lambda book, sheet: sheet.insert_textbox(60, 0, "文本框"),
}


@pytest.mark.parametrize("extra", list(_EXTRAS))
def test_a_workbook_with_more_than_cells_is_not_joined(real_build, extra):
    """What a sheet holds beyond cells, formats and merges (comments, links, formulas, conditional
    formats, names, drawings) is not joined: the year's workbook is then written whole (year_files)."""
    forms = _forms(real_build / "downloads" / "2023")[:2]
    books = _books(forms)
    assert joined(books) is not None
    assert joined([books[0], (books[1][0], _book_with(forms[1], _EXTRAS[extra]))]) is None
    assert joined([]) is None
