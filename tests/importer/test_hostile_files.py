"""Files that are what their name says but damaged, or made to do harm: `site-builder import` reports
them (N403 damaged, N436 far larger than a form) in Chinese with exit 1 and the content folder
untouched; it never crashes (exit 3), never runs out of memory, never hangs."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fixtures import numbered_docx
from fixtures.form_files import make_docx, make_xlsx
from sitetest import run_cli

def _rewritten(source: Path, target: Path, part: str, change) -> Path:
    """`source` with the bytes of its member `part` replaced by change(bytes)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, change(data) if name == part else data)
    return target


def _import(tmp_path: Path, file: Path, *extra) -> tuple[int, str]:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True, exist_ok=True)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site, *extra)
    assert "Traceback" not in err and "内部错误" not in err, err
    return code, err


def _unchanged(tmp_path: Path) -> bool:
    return not list((tmp_path / "site" / "content").iterdir())


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    return {"docx": make_docx(folder / "表.docx"), "xlsx": make_xlsx(folder / "表.xlsx"),
            "numbered": numbered_docx.make(folder / "总结.docx")}


def _paragraphs(data: bytes, size: int) -> bytes:
    """document.xml with paragraphs added until it is `size` bytes long: valid XML, a tree in memory."""
    end = data.index(b"</w:body>")
    filler = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    return data[:end] + filler * (size // len(filler)) + data[end:]


@pytest.mark.parametrize("as_prose", [False, True])
def test_a_word_file_that_unpacks_to_more_than_any_form_is_refused_before_it_is_read(tmp_path, forms, as_prose):
    bomb = _rewritten(forms["docx"], tmp_path / "bomb.docx", "word/document.xml",
                      lambda data: _paragraphs(data, 40 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024  # a small file: it is what it unpacks to that is large
    code, err = _import(tmp_path, bomb, *(("--kind", "summary") if as_prose else ()))
    assert code == 1 and "N436" in err and "word/document.xml" in err and "32 MB" in err, err
    assert "另存" in err and _unchanged(tmp_path)


def test_an_excel_sheet_that_unpacks_to_more_than_any_form_is_refused(tmp_path, forms):
    def huge(data: bytes) -> bytes:
        end = data.index(b"</sheetData>")
        return data[:end] + b"<row/>" * (6 * 1024 * 1024) + data[end:]

    bomb = _rewritten(forms["xlsx"], tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", huge)
    code, err = _import(tmp_path, bomb)
    assert code == 1 and "N436" in err and "sheet1.xml" in err, err
    assert _unchanged(tmp_path)


@pytest.mark.parametrize("kind,part", [("docx", "word/document.xml"), ("xlsx", "xl/worksheets/sheet1.xml"),
                                       ("numbered", "word/numbering.xml"), ("docx", "word/styles.xml")])
def test_a_file_with_broken_xml_is_reported_as_damaged(tmp_path, forms, kind, part):
    broken = _rewritten(forms[kind], tmp_path / f"broken{forms[kind].suffix}", part, lambda data: data[:-40])
    for extra in ((), ("--kind", "summary")) if kind == "numbered" else ((),):
        code, err = _import(tmp_path, broken, *extra)
        assert code == 1 and "N403" in err and "可能已经损坏" in err and "另存为" in err, err
        assert _unchanged(tmp_path)


@pytest.mark.parametrize("element", ["gridSpan", "gridBefore"])
@pytest.mark.parametrize("as_prose", [False, True])
def test_a_word_table_spanning_more_columns_than_word_allows_is_damaged_not_a_grid_billions_wide(
        tmp_path, forms, element, as_prose):
    def spanned(data: bytes) -> bytes:
        if element == "gridSpan":
            return data.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="2000000000"/>', 1)
        return re.sub(rb"<w:tr( [^>]*)?>", lambda m: m[0] + b'<w:trPr><w:gridBefore w:val="2000000000"/></w:trPr>',
                      data, count=1)

    file = _rewritten(forms["docx"], tmp_path / "span.docx", "word/document.xml", spanned)
    code, err = _import(tmp_path, file, *(("--kind", "summary", "--slug", "span") if as_prose else ()))
    assert code == 1 and "N403" in err and "第 1 张表格第 1 行" in err and "2000000000" in err and "63 列" in err, err
    assert _unchanged(tmp_path)


def test_a_merge_over_a_whole_sheet_is_refused_before_openpyxl_makes_its_cells(tmp_path, forms):
    merged = _rewritten(forms["xlsx"], tmp_path / "merged.xlsx", "xl/worksheets/sheet1.xml", lambda data: re.sub(
        rb"<mergeCells count=\"(\d+)\">", lambda m: b'<mergeCells count="%d"><mergeCell ref="A200:XFD1048576"/>'
        % (int(m[1]) + 1), data, count=1))
    assert b"XFD1048576" in zipfile.ZipFile(merged).read("xl/worksheets/sheet1.xml")
    code, err = _import(tmp_path, merged)
    assert code == 1 and "N436" in err and "A200:XFD1048576" in err and "取消合并" in err, err
    assert _unchanged(tmp_path)


def test_a_stray_value_in_the_last_cell_of_a_sheet_does_not_change_the_import(tmp_path, forms):
    """Only the cells the sheet holds are read: a value in XFD1048576 is one cell, not seventeen billion."""
    def stray(data: bytes) -> bytes:
        end = data.index(b"</sheetData>")
        return (data[:end] + b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                + data[end:]).replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" old="')

    plain_site, stray_site = tmp_path / "plain", tmp_path / "stray"
    results = []
    for site, file in ((plain_site, forms["xlsx"]),
                       (stray_site, _rewritten(forms["xlsx"], tmp_path / "表.xlsx", "xl/worksheets/sheet1.xml", stray))):
        (site / "content").mkdir(parents=True)
        code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
        assert code == 0, err
        results.append({p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.yaml")})
    plain, with_stray = results
    assert plain and set(plain) == set(with_stray)
    added = b"".join(with_stray[path].removeprefix(plain[path]) for path in plain)
    assert all(with_stray[path].startswith(plain[path]) for path in plain)
    # nothing in the file is lost: the stray value is listed with what the import did not place
    assert "工作表“部门整体”XFD1048576：x".encode() in added and added.count(b"\n") == 3, added.decode()

def test_an_indicator_row_without_a_cell_under_a_level_column_is_read_not_a_crash(tmp_path, forms):
    """Found by mutating files: the first indicator row and the first merged range down column A removed,
    so that a row of the indicator table has no cell at all where its level is printed."""
    def holed(data: bytes) -> bytes:
        rows = list(re.finditer(rb'<row r="\d+"[^>]*>.*?</row>', data, re.S))
        first = next(row for row in rows if "数量指标" in html.unescape(row[0].decode()))
        data = data[:first.start()] + data[first.end():]
        return re.sub(rb'<mergeCell ref="A\d+:A\d+"/>', b"", data, count=1)

    file = _rewritten(forms["xlsx"], tmp_path / "holed.xlsx", "xl/worksheets/sheet1.xml", holed)
    code, err = _import(tmp_path, file)
    assert code == 0, err
    assert list((tmp_path / "site" / "content").rglob("*.yaml"))


_VALUES = ["", "-1", "0", "abc", "99999999999", "1.5", "一", "restart", "continue", "true", "64", "2000000000"]


_ELEMENT = re.compile(rb"<(w:tr|w:tc|w:p|w:tbl|w:gridCol|row|c|mergeCell)\b[^>]*?(/>|>.*?</\1>)", re.S)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["docx", "xlsx", "numbered"]), data=st.data())
def test_values_no_office_program_writes_and_cells_taken_out_give_a_finding_or_an_import_never_a_crash(
        tmp_path, forms, kind, data):
    """Any XML part of a real form or summary with attributes given values Word or Excel never writes,
    and rows, cells, paragraphs or merges taken out or written twice."""
    source = forms[kind]
    with zipfile.ZipFile(source) as archive:
        parts = sorted(name for name in archive.namelist() if name.endswith(".xml"))
        part = data.draw(st.sampled_from(parts))
    changes = data.draw(st.lists(st.tuples(st.sampled_from(["value", "drop", "twice"]), st.integers(0, 10_000),
                                           st.sampled_from(_VALUES)), min_size=1, max_size=4))

    def changed(content: bytes) -> bytes:
        for change, index, value in changes:
            found = list((_ELEMENT if change != "value" else re.compile(rb'="([^"]*)"')).finditer(content))
            if not found:
                continue
            match = found[index % len(found)]
            if change == "value":
                content = content[:match.start(1)] + value.encode() + content[match.end(1):]
            else:
                content = content[:match.start()] + (match[0] * 2 if change == "twice" else b"") + content[match.end():]
        return content

    file = _rewritten(source, tmp_path / f"changed{source.suffix}", part, changed)
    for extra in ((), ("--kind", "summary", "--force")) if source.suffix == ".docx" else ((),):
        code, err = _import(tmp_path, file, *extra)
        assert code in (0, 1), err
        if code == 1:
            assert re.search(r"N4\d\d", err), err
