"""Files that are not what their name says (issue 12): `site-builder import` names what the file
really is and how to get one it can read (N435), in Chinese, exit 1 and no traceback. An Excel
workbook is read as what it is whichever of .xlsx, .xls or .et its name says, as Excel, WPS and
LibreOffice open it."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fixtures import form_files, xls_records
from sitetest import run_cli, zip_of

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _xls() -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        return form_files.make_xls_2021(Path(folder) / "表.xls").read_bytes()


def _old_excel() -> bytes:
    import xlwt

    buffer = io.BytesIO()
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("Sheet1").write(0, 0, "项目支出绩效自评表")
    book.save(buffer)
    return buffer.getvalue()


def _ole_holding(stream_name: str):
    """A real compound file (an .xls made by xlwt) whose one stream is named as another program names it."""
    return lambda: xls_records.renamed_stream(_xls(), stream_name)


def _word() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("一、基本情况")
    document.save(buffer)
    return buffer.getvalue()


def _excel() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "项目支出绩效自评表"
    book.save(buffer)
    return buffer.getvalue()


CASES = {
    "word-97-named-xlsx": (".xlsx", _ole_holding("WordDocument"), "Word 97-2003 或 WPS 文字文件（.doc、.wps），扩展名却是 .xlsx",
                           "文件类型选“.docx”"),
    "powerpoint-named-xls": (".xls", _ole_holding("PowerPoint Document"), "旧格式的 Office 或 WPS 文件，但其中没有 Excel 工作表",
                             "原件"),
    "old-file-named-docx": (".docx", lambda: OLE, "旧格式的 Office 或 WPS 文件", "另存为"),
    "web-export-named-xls": (".xls", lambda: "<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode("gbk"),
                             "网页（HTML）格式的文件，不是真正的 .xls 文件", "文件类型选“.xlsx”"),
    "excel-2003-xml-named-xls": (".xls", lambda: b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                                 b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
                                 "Excel 2003 的 XML 表格，不是真正的 .xls 文件", "另存为"),
    "word-named-et": (".et", _word, "Word 文件，扩展名却是 .et", "扩展名改成 .docx"),
    "web-export": (".xlsx", lambda: "\ufeff<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode(),
                   "网页（HTML）", "文件类型选“.xlsx”"),
    "web-export-utf16": (".xlsx", lambda: "<html><table><tr><td>1</td></tr></table></html>".encode("utf-16"),
                         "网页（HTML）", "另存为"),
    "excel-2003-xml": (".xlsx", lambda: b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                       b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
                       "Excel 2003 的 XML 表格", "另存为"),
    "pdf": (".docx", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF 文件", "原件"),
    "ofd": (".xlsx", lambda: zip_of({"OFD.xml": b"<ofd:OFD/>"}), "OFD 版式文件", "原件"),
    "rtf": (".docx", lambda: b"{\\rtf1\\ansi 2023}", "RTF 格式", "文件类型选“.docx”"),
    "word-named-xlsx": (".xlsx", _word, "Word 文件，扩展名却是 .xlsx", "扩展名改成 .docx"),
    "excel-named-docx": (".docx", _excel, "Excel 文件，扩展名却是 .docx", "扩展名改成 .xlsx"),
    "a-zip": (".xlsx", lambda: zip_of({"表.xlsx": b"x"}), "压缩包", "先解压"),
    "a-zip-named-xls": (".xls", lambda: zip_of({"表.xls": b"x"}), "压缩包，不是 .xls 文件", "先解压"),
    # Excel's binary workbook, and LibreOffice's spreadsheet: were "a damaged Word file", "a zip"
    "excel-binary": (".xlsb", lambda: zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01"}),
                     "Excel 二进制工作簿（.xlsb）", "文件类型选“.xlsx”"),
    "opendocument-sheet": (".ods", lambda: zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                                   "content.xml": b"<office:document-content/>"}),
                           "OpenDocument 表格", "文件类型选“.xlsx”"),
    "excel-without-a-name": ("", _excel, "Excel 文件，扩展名却是 （没有扩展名）", "扩展名改成 .xlsx"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_file_that_is_not_what_its_name_says_is_named_for_what_it_is(tmp_path, case):
    suffix, make, what, fix = CASES[case]
    (tmp_path / "site" / "content").mkdir(parents=True)
    file = tmp_path / f"2023年度绩效自评表{suffix}"
    file.write_bytes(make())
    commands = [("import", file, "--year", "2023")]
    if suffix == ".docx":  # a document to import as prose is checked alike
        commands.append(("import", file, "--kind", "summary", "--year", "2023"))
    for command in commands:
        code, out, err = run_cli(*command, "--site", tmp_path / "site")
        assert code == 1, (command, out, err)
        assert "N435" in err and what in err and fix in err, err
        assert "Traceback" not in err and not list((tmp_path / "site" / "content").iterdir())


def test_a_real_form_file_is_not_taken_for_another_kind(tmp_path):
    """The sniffing lets real .docx, .xlsx and .xls files through: they fail later, if at all, for their content."""
    (tmp_path / "site" / "content").mkdir(parents=True)
    for suffix, data in ((".docx", _word()), (".xlsx", _excel()), (".xls", _old_excel()), (".et", _old_excel())):
        file = tmp_path / f"表{suffix}"
        file.write_bytes(data)
        code, out, err = run_cli("import", file, "--year", "2023", "--site", tmp_path / "site")
        assert "N435" not in err and code == 1 and "N433" in err, err  # no form in it: said so


@pytest.mark.parametrize("suffix, kind", [(".xlsx", []), (".xls", []), (".docx", []),
                                           (".docx", ["--kind", "summary"])])
def test_a_password_protected_file_is_said_to_be_one(tmp_path, suffix, kind):
    """An .xlsx or .docx saved with a password to open it is a compound file holding an EncryptedPackage stream:
    not an old file renamed (N435 before), but one to open with its password and save without it."""
    (tmp_path / "site" / "content").mkdir(parents=True)
    file = tmp_path / f"表{suffix}"
    file.write_bytes(_ole_holding("EncryptedPackage")())
    code, out, err = run_cli("import", file, "--year", "2023", *kind, "--site", tmp_path / "site")
    program = "Word" if suffix == ".docx" else "Excel"
    assert code == 1 and "N403" in err and f"打不开这个 {program} 文件" in err and "设了打开密码" in err, err
    assert "去掉打开密码" in err and "N435" not in err, err


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbooks")
    return {"xls": form_files.make_xls_2021(folder / "2021.xls"), "xlsx": form_files.make_xlsx_2021(folder / "2021.xlsx")}


def _records(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8").split("\n", 2)[2]  # after the source line
            for p in sorted((site / "content").rglob("*.yaml"))}


@pytest.mark.parametrize("content, name", [("xls", ".xlsx"), ("xlsx", ".xls"), ("xls", ".et"), ("xlsx", ".et"),
                                           ("xls", ".XLS")])
def test_an_excel_workbook_is_read_as_what_it_is_whatever_its_excel_name(tmp_path, workbooks, content, name):
    """An .xls renamed .xlsx (N435 before), an .xlsx renamed .xls (openpyxl refuses the name), and WPS 表格's
    .et, which it saves as an .xls workbook: the same records as the file under its own name, no rename asked."""
    results = []
    for file in (workbooks[content], tmp_path / f"2021年度自评表{name}"):
        if not file.exists():
            file.write_bytes(workbooks[content].read_bytes())
        site = tmp_path / f"site-{file.suffix}-{len(results)}"
        (site / "content").mkdir(parents=True)
        code, out, err = run_cli("import", file, "--year", "2021", "--site", site)
        assert code == 0 and "N435" not in err and "新建 1 份" in out, err
        results.append(_records(site))
    assert results[0] == results[1] and len(results[0]) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from([b"", b"PK\x03\x04", OLE[:8], b"%PDF", b"{\\rtf", b"\xff\xfe", b"<?xml", b"<html"]),
       rest=st.binary(max_size=300), suffix=st.sampled_from([".docx", ".xlsx", ".xls", ".et"]))
def test_any_bytes_under_a_form_name_give_a_finding_never_a_crash(tmp_path, head, rest, suffix):
    (tmp_path / "site" / "content").mkdir(parents=True, exist_ok=True)
    file = tmp_path / f"任意{suffix}"
    file.write_bytes(head + rest)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", tmp_path / "site")
    assert code == 1 and "Traceback" not in err and "内部错误" not in err, err
    assert any(code in err for code in ("N403", "N430", "N433", "N435")), err


@pytest.mark.parametrize("suffix, data, what", [
    (".csv", "项目名称,高三复习迎考\n年度资金总额,50\n".encode("gbk"), "CSV 文件只有各格的文字"),
    (".jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64), "没有能逐格读出的绩效自评表"),
])
def test_a_file_of_a_kind_no_form_is_read_from_is_named_so_not_a_damaged_word_file(tmp_path, suffix, data, what):
    """A .csv exported by a web system, a photo of the form: were read as Word, “打不开这个 Word 文件”."""
    (tmp_path / "site" / "content").mkdir(parents=True)
    file = tmp_path / f"2023年度绩效自评表{suffix}"
    file.write_bytes(data)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", tmp_path / "site")
    assert code == 1 and what in err and "Word 文件" not in err and "Traceback" not in err, err
    assert not list((tmp_path / "site" / "content").iterdir())


_OOXML = "application/vnd.openxmlformats-officedocument."
MACRO_AND_TEMPLATE_TYPES = {
    ".docm": (_OOXML + "wordprocessingml.document.main+xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    ".dotx": (_OOXML + "wordprocessingml.document.main+xml", _OOXML + "wordprocessingml.template.main+xml"),
    ".xlsm": (_OOXML + "spreadsheetml.sheet.main+xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    ".xltx": (_OOXML + "spreadsheetml.sheet.main+xml", _OOXML + "spreadsheetml.template.main+xml"),
}


@pytest.mark.parametrize("suffix", sorted(MACRO_AND_TEMPLATE_TYPES))
def test_a_macro_enabled_file_or_a_template_is_read_as_its_document(tmp_path, suffix):
    """Word's .docm and .dotx were refused (rename it .docx, then “damaged”: python-docx reads only a .docx's
    main part); Excel's .xlsm and .xltx were to be renamed. They are read as the document they hold; macros
    are never run."""
    import zipfile

    plain = ".docx" if suffix.startswith(".do") else ".xlsx"
    source = (form_files.make_docx_2021 if plain == ".docx" else form_files.make_xlsx_2021)(tmp_path / f"原{plain}")
    old, new = MACRO_AND_TEMPLATE_TYPES[suffix]
    file = tmp_path / f"2021年度整体支出绩效自评表{suffix}"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as changed:
        for name in original.namelist():
            data = original.read(name)
            if name == "[Content_Types].xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            changed.writestr(name, data)
    results = []
    for each in (source, file):
        site = tmp_path / f"site{each.suffix}"
        (site / "content").mkdir(parents=True)
        code, out, err = run_cli("import", each, "--year", "2021", "--site", site)
        assert code == 0, err
        record = site / "content" / "2021" / "department-evaluation.yaml"
        results.append(record.read_text(encoding="utf-8").split("\n", 2)[2])  # after the line naming the file
    assert results[0] == results[1]
