"""Files that are what their name says but damaged, or made to do harm: `site-builder import` reports
them (N403 damaged, N436 far larger than a form) in Chinese with exit 1 and the content folder
untouched; it never crashes (exit 3), never runs out of memory, never hangs. The .xls ones are made
by changing the records of a real .xls (fixtures/xls_records.py)."""

from __future__ import annotations

import html
import re
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fixtures import numbered_docx, xls_records
from fixtures.form_files import make_docx, make_xls, make_xlsx
from sitetest import run_cli, run_cli_process

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
    return {"docx": make_docx(folder / "表.docx"), "xlsx": make_xlsx(folder / "表.xlsx"), "xls": make_xls(folder / "表.xls"),
            "xls-values": _xls_of_values(folder / "值.xls"), "numbered": numbered_docx.make(folder / "总结.docx")}


def _xls_of_values(path: Path) -> Path:
    """A bordered table of every kind of value an .xls cell holds, each under a format that shows it."""
    import datetime as dt

    import xlwt

    from fixtures.form_files import XlsStyles

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("值", cell_overwrite_ok=True)
    styles = XlsStyles()
    values = [("填报日期", "@"), (dt.datetime(2024, 9, 11), 'yyyy"年"m"月"d"日"'), (dt.time(14, 5), "hh:mm"),
              (dt.datetime(2024, 9, 11, 8), "yyyy/m/d h:mm AM/PM"), (0.955, "0.00%"), (1463.31, "#,##0.00"),
              (-3.5, '0.00;[Red](0.00);"-"'), (100, '0.00"万元"'), (True, "General"), ("=<50万", "@")]
    for column, (value, number_format) in enumerate(values):
        sheet.write(0, column, value, styles(number_format))
    sheet.row(1).set_cell_error(0, "#DIV/0!", styles())
    sheet.write_merge(1, 2, 1, 3, "合并", styles())
    book.save(str(path))
    return path


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


def test_an_xlsx_with_more_bordered_cells_than_any_form_is_refused(tmp_path, forms):
    """As for an .xls (below): a sheet of bordered blank cells is refused before its tables are looked for
    (a million took minutes to split and recognise)."""
    from openpyxl.utils import get_column_letter

    def bordered(data: bytes) -> bytes:
        style = re.search(rb'<c r="B5" s="(\d+)"', data)[1]  # a cell of the form's table: it has a border
        rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="%s"/>' % (get_column_letter(c).encode(), r, style)
                                                       for c in range(1, 257)) + b"</row>" for r in range(400, 1200))
        return data.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    file = _rewritten(forms["xlsx"], tmp_path / "bordered.xlsx", "xl/worksheets/sheet1.xml", bordered)
    code, err = _import(tmp_path, file)
    assert code == 1 and "N436" in err and "工作表“部门整体”" in err and "200,000" in err, err
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


# --- .xls: Excel 97–2003 -----------------------------------------------------------------------


def _xls(tmp_path: Path, forms, change, name: str = "changed.xls") -> Path:
    """The seeds' .xls with its Workbook stream changed by change(stream), in a compound file again."""
    file = tmp_path / name
    file.write_bytes(xls_records.ole(change(xls_records.stream(forms["xls"]))))
    return file


def _imported_records(tmp_path: Path, file: Path, folder: str) -> dict[str, bytes]:
    site = tmp_path / folder
    (site / "content").mkdir(parents=True)
    code, out, err = run_cli_process("import", file, "--year", "2023", "--site", site, timeout=60)
    assert code == 0 and "新建 11 份" in out, err
    return {p.relative_to(site).as_posix(): p.read_bytes().split(b"\n", 2)[2] for p in site.rglob("*.yaml")}


@pytest.mark.parametrize("damage", ["truncated", "zeroed", "no-workbook-end"])
def test_a_damaged_xls_is_reported_as_damaged(tmp_path, forms, damage):
    data = forms["xls"].read_bytes()
    file = tmp_path / "坏的.xls"
    if damage == "truncated":
        file.write_bytes(data[:len(data) // 2])
    elif damage == "zeroed":  # a run of the file's sectors lost
        file.write_bytes(data[:4096] + bytes(8192) + data[4096 + 8192:])
    else:
        file = _xls(tmp_path, forms, lambda stream: stream[:len(stream) // 3], "坏的.xls")
    code, err = _import(tmp_path, file)
    assert code == 1 and "N403" in err and "不是完整的 .xls 文件" in err and "可能已经损坏" in err, err
    assert "另存为一份新的 .xlsx 文件" in err and _unchanged(tmp_path)


def test_a_merge_over_a_whole_xls_sheet_is_refused_before_its_cells_are_made(tmp_path, forms):
    merged = _xls(tmp_path, forms, lambda stream: xls_records.insert_in_last_sheet(
        stream, [xls_records.merged_cells([(199, 65535, 0, 255)])]))
    code, err = _import(tmp_path, merged)
    assert code == 1 and "N436" in err and "A200:IV65536" in err and "1,000,000" in err and "取消合并" in err, err
    assert _unchanged(tmp_path)


def test_an_xls_larger_than_any_form_is_refused_before_it_is_read(tmp_path, forms):
    from site_builder.importer.file_kinds import MAX_WHOLE_FILE

    data = forms["xls"].read_bytes()
    for name in ("大.xls", "大.xlsx"):  # by its first bytes an .xls, whatever its name
        file = tmp_path / name
        file.write_bytes(data + bytes(MAX_WHOLE_FILE + 1 - len(data)))
        code, err = _import(tmp_path, file)
        assert code == 1 and "N436" in err and "超过 16 MB" in err, err
        assert _unchanged(tmp_path)


def test_an_xls_declaring_more_formats_than_excel_keeps_is_refused(tmp_path, forms):
    """An XF record of 20 bytes becomes five objects in xlrd (1.4 KB): 300,000 of them took 400 MB."""
    def formats(stream: bytes) -> bytes:
        xf = next(record for record in xls_records.records(stream) if record[0] == xls_records.XF)
        return xls_records.insert_in_globals(stream, [xf] * 70_000)

    code, err = _import(tmp_path, _xls(tmp_path, forms, formats))
    assert code == 1 and "N436" in err and "65,536 种" in err, err


def test_an_xls_with_more_bordered_cells_than_any_form_is_refused(tmp_path, forms):
    """Blank cells with a border are two bytes each in the file (MULBLANK)."""
    def bordered(stream: bytes) -> bytes:
        import xlrd

        book = xlrd.open_workbook(file_contents=stream, formatting_info=True)
        border = book.sheet_by_index(1).cell_xf_index(1, 0)
        return xls_records.insert_in_last_sheet(stream, [xls_records.mulblank(r, 0, 255, border)
                                                         for r in range(400, 1200)])

    code, err = _import(tmp_path, _xls(tmp_path, forms, bordered))
    assert code == 1 and "N436" in err and "工作表“项目支出”" in err and "200,000" in err, err


def test_defined_names_joining_each_other_are_not_evaluated(tmp_path, forms):
    """xlrd evaluates a workbook's defined names as it opens it: B = A&A&… (a thousand times), C = B&B&…
    made an 18 KB file take 91 seconds and 550 MB with one level less. The forms need no name."""
    def names(stream: bytes) -> bytes:
        a = xls_records.name(0, xls_records.text_token("x" * 255))
        chained = [xls_records.name(level, xls_records.name_reference(level)
                                    + (xls_records.name_reference(level) + xls_records.CONCAT) * 1000)
                   for level in (1, 2)]
        return xls_records.insert_in_globals(stream, [a] + chained)

    named = _xls(tmp_path, forms, names)
    assert named.stat().st_size < forms["xls"].stat().st_size + 20_000
    assert _imported_records(tmp_path, named, "named") == _imported_records(tmp_path, forms["xls"], "plain")


def test_sheets_sharing_their_records_are_damaged_not_read_again_and_again(tmp_path):
    """A thousand BOUNDSHEET records for one sheet of blank cells without a border (nothing kept, nothing
    counted) had xlrd read its records a thousand times: 200 of them took 36 seconds for 200 KB."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("表").write(0, 0, "项目名称")
    stream = xls_records.insert_in_last_sheet(book.get_biff_data(), [xls_records.mulblank(r, 0, 255, 15)
                                                                     for r in range(1, 300)])
    found = xls_records.records(stream)
    sheet = next(record for record in found if record[0] == xls_records.BOUNDSHEET)
    file = tmp_path / "共用.xls"
    file.write_bytes(xls_records.ole(xls_records.insert_in_globals(stream, [sheet] * 1000)))
    (tmp_path / "site" / "content").mkdir(parents=True)
    code, out, err = run_cli_process("import", file, "--year", "2023", "--site", tmp_path / "site", timeout=60)
    assert code == 1 and "N403" in err and "不是完整的 .xls 文件" in err, err


_FIELDS = [0, 1, 2, 0x00FF, 0x0100, 0x7FFF, 0x8000, 0xFFFF]
_FORMAT_CHARACTERS = b'\x00\x01";\\[]@#0.,%_*?E-/hmsdy'  # what a number format is made of, and \x00, \x01


def mutated_xls(stream: bytes, changes) -> bytes:
    """The Workbook stream with each change made to a record (by index, modulo their number): a 2-byte field
    of its data given a value, a character of a number format (a FORMAT record) changed, its length changed,
    the record taken out or written twice, or the stream cut."""
    for change, index, offset, value in changes:
        found = xls_records.records(stream)
        if not found:  # cut before its first record
            break
        if change == "format":
            formats = [i for i, (code, _) in enumerate(found) if code == 0x041E]
            index = formats[index % len(formats)] if formats else index
        index %= len(found)
        code, data = found[index]
        if change == "format" and len(data) > 5:  # after its index (2), length (2) and flags (1)
            at = 5 + offset % (len(data) - 5)
            data = data[:at] + _FORMAT_CHARACTERS[value % len(_FORMAT_CHARACTERS):][:1] + data[at + 1:]
            found[index] = (code, data)
        elif change == "field" and len(data) >= 2:
            at = offset % (len(data) - 1)
            data = data[:at] + struct.pack("<H", value) + data[at + 2:]
            found[index] = (code, data)
        elif change == "drop":
            del found[index]
        elif change == "twice":
            found.insert(index, found[index])
        joined = xls_records.join(found)
        if change == "length":  # the following records no longer where the lengths say
            start = sum(4 + len(d) for _, d in found[:index])
            joined = joined[:start + 2] + struct.pack("<H", value) + joined[start + 4:]
        elif change == "cut":
            joined = joined[:sum(4 + len(d) for _, d in found[:index]) + offset % 8]
        stream = joined
    return stream


_CHANGES = st.lists(st.tuples(st.sampled_from(["field", "field", "field", "format", "format", "length", "drop", "twice", "cut"]),
                              st.integers(0, 100_000), st.integers(0, 10_000),
                              st.sampled_from(_FIELDS) | st.integers(0, 0xFFFF)),
                    min_size=1, max_size=4)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(["xls", "xls-values"]), changes=_CHANGES,
       flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3))
def test_an_xls_with_records_or_bytes_no_excel_writes_gives_a_finding_or_an_import_never_a_crash(
        tmp_path, forms, source, changes, flips):
    """The seeds' .xls, or a table of every kind of value, with records of its Workbook stream changed (fields given values Excel never writes,
    number formats of characters and bytes a format string does not hold, lengths that put the next records
    elsewhere, records taken out or written twice, the stream cut short), and bytes of the compound file
    around it overwritten."""
    data = bytearray(xls_records.ole(mutated_xls(xls_records.stream(forms[source]), changes)))
    for position, value in flips:
        data[position % len(data)] = value
    file = tmp_path / "changed.xls"
    file.write_bytes(bytes(data))
    code, err = _import(tmp_path, file)
    assert code in (0, 1), err
    if code == 1:
        assert re.search(r"N4\d\d", err), err


# --- XML that reaches out of the file or multiplies itself ----------------------------------------

_LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "哈"}">' for n in range(10))


def _with_doctype(data: bytes, entities: str, reference: str) -> bytes:
    """The XML part `data` with a DOCTYPE declaring `entities`, and `reference` put in its first text
    that is imported (in a Word file holding tables, the first text of a table)."""
    text = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
    root = re.match(rb"<([\w:]+)", text).group(1).decode()
    start = max(text.find(b"<w:tbl>"), 0)
    text = text[:start] + re.sub(rb"(<(?:w:)?t(?: [^>]*)?>)", lambda m: m.group(1) + reference.encode(), text[start:],
                                 count=1)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE {root} [{entities}]>'.encode() + text


@pytest.mark.parametrize("bomb", [False, True], ids=["external-file", "billion-laughs"])
@pytest.mark.parametrize("kind", ["docx", "xlsx", "numbered"])
def test_xml_entities_neither_read_other_files_nor_multiply(tmp_path, forms, kind, bomb):
    """A part declaring an entity that names a file of this computer (XXE), or entities that multiply
    each other (a billion laughs): the import never puts the file's text, or the multiplied text, into
    a record. It refuses the file as damaged (N403) or imports it without them; it never crashes."""
    secret = tmp_path / "secret.txt"
    secret.write_text("本机的秘密SECRET", encoding="utf-8")
    with zipfile.ZipFile(forms[kind]) as archive:
        names = archive.namelist()
    part = next(n for n in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "word/document.xml") if n in names)
    entities = _LAUGHS if bomb else f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
    reference = "&l9;" if bomb else "&xxe;"
    changed = _rewritten(forms[kind], tmp_path / f"entities{forms[kind].suffix}", part,
                         lambda data: _with_doctype(data, entities, reference))
    with zipfile.ZipFile(changed) as archive:
        assert reference.encode() in archive.read(part) and b"<!DOCTYPE" in archive.read(part)  # the test's own premise
    code, err = _import(tmp_path, changed, *(("--kind", "summary") if kind == "numbered" else ()))
    assert code in (0, 1), err
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "content").rglob("*.*"))
    assert "SECRET" not in written and "哈哈哈" not in written
    if code == 1:
        assert "N403" in err and _unchanged(tmp_path), err


def test_a_form_bordered_thousands_of_rows_down_is_read_in_seconds(tmp_path):
    """Borders applied to a whole range (A1:A30000, "所有框线") make every cell of it part of the table: the
    grid then has 30,000 rows, and reading it asked for the cells of each row by going through all of
    them (Grid.row): minutes for 20,000 rows, hours for 200,000, within the limit of cells kept."""
    import xlsxwriter

    from fixtures import form_files

    placed = form_files.seed_form(1)
    file = tmp_path / "框线到底.xlsx"
    workbook = xlsxwriter.Workbook(str(file))
    sheet = workbook.add_worksheet("项目表")
    bordered = workbook.add_format({"border": 1})
    form_files.xlsxwriter_table(sheet, placed, form_files.WIDTH_2023, bordered)
    for r in range(len(placed), 30_000):
        sheet.write_blank(r, 0, None, bordered)
    workbook.close()
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    code, out, err = run_cli_process("import", file, "--year", "2023", "--site", site, timeout=90)
    assert code == 0, err
    assert "共 1 张表：新建 1 份" in out
    assert "gao-san-fu-xi-ying-kao.yaml" in out


def _with_hidden_sheets(source: Path, target: Path, sheets: int, rows: int) -> Path:
    """`source` with `sheets` hidden sheets of `rows` rows of eight numbers each, named as no sheet is."""
    cells = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (col, r) for col in (b"A", b"B", b"C", b"D", b"E", b"F", b"G", b"H"))
                     + b"</row>" for r in range(1, rows + 1))
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + cells
             + b"</sheetData></worksheet>")
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b"".join(
                    b'<Override PartName="/xl/data%d.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    b'spreadsheetml.worksheet+xml"/>' % i for i in range(sheets)) + b"</Types>")
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b"".join(
                    f'<Relationship Id="rData{i}" Type="{relationships}/worksheet" Target="data{i}.xml"/>'.encode()
                    for i in range(sheets)) + b"</Relationships>")
            elif name == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b"".join(
                    f'<sheet xmlns:r="{relationships}" name="data{i}" sheetId="{50 + i}" state="hidden" r:id="rData{i}"/>'
                    .encode() for i in range(sheets)) + b"</sheets>")
            new.writestr(name, data)
        for i in range(sheets):
            new.writestr(f"xl/data{i}.xml", sheet)
    return target


def test_hidden_sheets_of_more_cells_than_any_form_are_refused_before_openpyxl_loads_them(tmp_path, forms):
    """Hidden sheets are not read, but openpyxl loads them whole, twice: three of a million cells each (a 6 MB
    file) took minutes and 1.6 GB before anything was counted; their cells were never counted at all."""
    file = _with_hidden_sheets(forms["xlsx"], tmp_path / "隐藏的数据表.xlsx", sheets=3, rows=30_000)
    (tmp_path / "site" / "content").mkdir(parents=True)
    code, out, err = run_cli_process("import", file, "--year", "2023", "--site", tmp_path / "site", timeout=60)
    assert code == 1 and "N436" in err and "隐藏" in err and "Traceback" not in err, err


def test_a_million_shared_strings_are_refused_before_they_are_read(tmp_path):
    """700,000 strings are 12 MB of XML and a 60 KB file: reading them took a minute and a half."""
    import xlsxwriter

    written = tmp_path / "写.xlsx"
    workbook = xlsxwriter.Workbook(str(written))
    workbook.add_worksheet("项目表").write_string(0, 0, "项目支出绩效自评表")
    workbook.close()
    file = _rewritten(written, tmp_path / "文字.xlsx", "xl/sharedStrings.xml",
                      lambda data: data.replace(b"</sst>", b"<si><t>a</t></si>" * 700_000 + b"</sst>"))
    (tmp_path / "site" / "content").mkdir(parents=True)
    code, out, err = run_cli_process("import", file, "--year", "2023", "--site", tmp_path / "site", timeout=60)
    assert code == 1 and "N436" in err and "文字" in err and "Traceback" not in err, err
