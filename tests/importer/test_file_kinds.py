"""Files that are not what their name says (issue 12): `site-builder import` names what the file
really is and how to get one it can read (N435), in Chinese, exit 1 and no traceback."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sitetest import run_cli, zip_of

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


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
    "old-xls-renamed": (".xlsx", lambda: OLE, "旧格式的 Office 或 WPS 文件", "另存为"),
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
    """The sniffing lets real .docx and .xlsx files through: they fail later, if at all, for their content."""
    (tmp_path / "site" / "content").mkdir(parents=True)
    for suffix, data in ((".docx", _word()), (".xlsx", _excel())):
        file = tmp_path / f"表{suffix}"
        file.write_bytes(data)
        code, out, err = run_cli("import", file, "--year", "2023", "--site", tmp_path / "site")
        assert "N435" not in err and code == 1 and "N433" in err, err  # no form in it: said so


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from([b"", b"PK\x03\x04", OLE[:8], b"%PDF", b"{\\rtf", b"\xff\xfe", b"<?xml", b"<html"]),
       rest=st.binary(max_size=300), suffix=st.sampled_from([".docx", ".xlsx"]))
def test_any_bytes_under_a_form_name_give_a_finding_never_a_crash(tmp_path, head, rest, suffix):
    (tmp_path / "site" / "content").mkdir(parents=True, exist_ok=True)
    file = tmp_path / f"任意{suffix}"
    file.write_bytes(head + rest)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", tmp_path / "site")
    assert code == 1 and "Traceback" not in err and "内部错误" not in err, err
    assert any(code in err for code in ("N403", "N433", "N435")), err
