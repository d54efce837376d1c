"""A form's own workbook written by downloads.sheet_xml, without XlsxWriter's per-cell work.

XlsxWriter taking the same steps is the oracle: sheet_xml must write its very bytes, for the
real forms and for forms whose cells hold any text — control characters, text that looks like
Excel's _xHHHH_ escape, spaces at either end, texts longer than a cell holds. The one
difference is deliberate: a text that begins with <r> and ends with </r>, which XlsxWriter would
write as unescaped markup, is a plain text here and a rich text of two runs where XlsxWriter
writes the workbook (workbook._write_literally): both show the text."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from site_builder.downloads import sheet_xml
from site_builder.downloads.workbook import (form_workbook, sheet_steps, skeleton_book, xlsxwriter_workbook,
                                             year_workbook)
from site_builder.privacy import MaskedBytes, UnmaskableData, mask_bytes, media_type_of

from .test_joined_workbook import _TEXT, _forms, _varied_forms, templates  # noqa: F401 (a fixture)


XLSX = media_type_of("form.xlsx")


def _by_xlsxwriter(form: dict) -> bytes:
    return xlsxwriter_workbook(sheet_steps(form))


@pytest.mark.parametrize("year", ["2021", "2023"])
def test_a_real_form_s_workbook_is_what_xlsxwriter_writes(real_build, year):
    forms = _forms(real_build / "downloads" / year)
    assert forms
    for form in forms:
        assert form_workbook(form) == _by_xlsxwriter(form), form["name"]


_ANY_TEXT = st.one_of(
    _TEXT,
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),  # control characters too
    st.sampled_from(["_x0041_", "a_x00e9_b", "_X0041_", "_x004_", "\r\n", " 前", "后\u3000", "\t", "\ufffe",
                     "\uffff", "&amp;", "]]>"]),
    st.builds(lambda n, tail: "字" * n + tail, st.integers(32760, 32770), st.sampled_from(["", "😀", "😀😀", "ab"])),
).filter(lambda text: not (text.startswith("<r>") and text.endswith("</r>")))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_form_s_workbook_is_what_xlsxwriter_writes(templates, data):
    form = data.draw(_varied_forms(templates, _ANY_TEXT, most=1))[0]
    assert form_workbook(form) == _by_xlsxwriter(form)


@pytest.mark.parametrize("text", ["<r>a & b</r>", "<r><t>粗体</t></r>", "<r></r>"])
def test_a_text_that_looks_like_markup_is_text(templates, text):
    """XlsxWriter writes such a text as its own rich-text markup, unescaped: <r>a & b</r> made a
    workbook no spreadsheet program opens."""
    form = {**templates[0], "title": text}
    book = openpyxl.load_workbook(io.BytesIO(form_workbook(form)))
    assert book.active["A1"].value == text


@pytest.mark.parametrize("text", ["<r>a & b</r>", "<r><t>粗体</t></r>", "<r></r>", "<r>\x01_x0041_</r>"])
def test_xlsxwriter_writes_a_text_that_looks_like_markup_as_text(templates, text):
    """Where XlsxWriter writes the workbook (a year's, when its forms cannot be joined; a form's that
    sheet_xml leaves to it), such a text, in a merged cell or not, shows as written."""
    form = {**templates[0], "title": text}
    book = openpyxl.load_workbook(io.BytesIO(year_workbook([form, form])))
    assert [sheet["A1"].value for sheet in book.worksheets] == [sheet_xml.fitted(text).replace(
        "\x01", "_x0001_")] * 2  # as XlsxWriter writes any text: control characters as Excel's escapes
    steps = [("column", 0, 20), ("merge", 0, 0, 0, 1, "题", "title"), ("row", 5, 28),
             ("string", 2, 0, text, "text"), ("merge", 3, 0, 3, 1, text, "label")]
    assert sheet_xml.form_workbook(steps, skeleton_book) is None  # a row's height without cells: left to XlsxWriter
    sheet = openpyxl.load_workbook(io.BytesIO(xlsxwriter_workbook(steps))).active
    assert (sheet["A3"].value, sheet["A4"].value, "A4:B4" in sheet.merged_cells) == (
        text.replace("\x01", "_x0001_"), text.replace("\x01", "_x0001_"), True)


def test_steps_sheet_xml_does_not_write_are_left_to_xlsxwriter():
    """A merge over another merged cell (XlsxWriter refuses it), a height for a row without cells."""
    title = [("column", 0, 20), ("column", 1, 16), ("merge", 0, 0, 0, 1, "题", "title")]
    assert sheet_xml.form_workbook(title, skeleton_book) is not None
    assert sheet_xml.form_workbook(title + [("merge", 0, 1, 1, 1, "", "text")], skeleton_book) is None
    assert sheet_xml.form_workbook(title + [("row", 5, 28)], skeleton_book) is None
    book = sheet_xml.form_workbook(title + [("row", 0, 28), ("string", 2, 0, "值", "text")], skeleton_book)
    assert book == xlsxwriter_workbook(title + [("row", 0, 28), ("string", 2, 0, "值", "text")])
    with zipfile.ZipFile(io.BytesIO(book)) as opened:
        assert b'ht="27.75" customHeight="1"' in opened.read("xl/worksheets/sheet1.xml")


_NUMBER_OR_TEXT = st.one_of(_TEXT, st.sampled_from([
    "13973032708", "139 7303 2708", "联系电话：139-7303-2708", "43060219900101123X", "身份证 430602199001011234",
    "1397303270", "0730-8805696", "139****2708"]))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_form_s_workbook_is_marked_checked_exactly_when_the_write_stage_would_pass_it(templates, data):
    """sheet_xml checks a workbook for personal numbers from the bytes it packs, so that writing it does not
    open it again: marked checked (MaskedBytes) only when mask_bytes, opening it, would pass it."""
    form = data.draw(_varied_forms(templates, _NUMBER_OR_TEXT, most=1))[0]
    book = form_workbook(form)
    try:
        mask_bytes(bytes(book), XLSX)
        passes = True
    except UnmaskableData:
        passes = False
    assert isinstance(book, MaskedBytes) == passes
    if passes:
        assert mask_bytes(book, XLSX) is book  # not opened again


def test_a_form_s_workbook_holding_a_mobile_number_is_refused_when_written(templates):
    """A number that reached a workbook unmasked (the form's data is masked before: a bug of ours) is
    still found where the workbook is written."""
    form = {**templates[0], "title": "联系电话 13973032708"}
    book = form_workbook(form)
    assert not isinstance(book, MaskedBytes)
    with pytest.raises(UnmaskableData):
        mask_bytes(book, XLSX)
    assert isinstance(form_workbook(templates[0]), MaskedBytes)
