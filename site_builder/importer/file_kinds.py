"""What a file to import really is, read from its first bytes rather than its name.

Files from the finance bureau are often not what their extension says: an
old binary .xls renamed to .xlsx, a "spreadsheet" that a web system exported
as an HTML page, a PDF or an OFD (the Chinese fixed-layout format, a zip), or
a Word file saved with an Excel name. :func:`check_kind` turns each of those
into one finding (N435) that says what the file is and how to get a file that
can be imported, instead of a library's English error.

A real .docx or .xlsx is also measured before any library unpacks it
(:func:`check_kind`, N436): python-docx and openpyxl read every part whole into
memory, so a file of a megabyte whose parts unpack to gigabytes (damaged, or
made to do harm) would take all of the computer's memory. The parts are unpacked
here a megabyte at a time and counted, not taken at the size the zip's directory
declares: the directory can say anything, and zipfile unpacks a part whole
before it cuts it to that size.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import Finding, SiteError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office and WPS formats
# A form or a year's report unpacks to a few megabytes (its XML) and its pictures. The limits leave
# room for a report with many photographs, and keep what the XML parser builds (about ten times the
# text) well within an office PC's memory.
MAX_XML_PART = 32 * 1024 * 1024
MAX_UNPACKED = 512 * 1024 * 1024
_ASK_ORIGINAL = "这种文件里的表格不能逐格读出。请向发文单位要 Word（.docx）或 Excel（.xlsx）原件再导入。"


def check_kind(path: Path, shown: str) -> None:
    """SiteError N435 when `path` (a .docx or .xlsx by name) holds something else; N436 when it is
    what it says but its parts would unpack to more than a form or a report ever does."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as stream:
            head = stream.read(2048)
    except OSError:
        return  # the reader says it cannot be read (N403)
    found = _kind(path, head)
    if found == suffix:
        _check_unpacked_size(path, shown)
        return
    if found is None:
        return
    program, saved = ("Excel", ".xlsx") if suffix == ".xlsx" else ("Word", ".docx")
    save_as = (f"请用 {program} 或 WPS 打开这个文件，点“文件 → 另存为”，文件类型选“{saved}”，"
               f"再导入另存的 {path.stem}{saved} 文件。")
    what, hint = {
        "old": ("旧格式的 Office 或 WPS 文件（.doc、.xls、.wps 或 .et），只是扩展名改成了 " + suffix, save_as),
        "html": ("网页（HTML）格式的文件，不是真正的 " + suffix + " 文件（网上系统导出的表格常是这样）", save_as),
        "rtf": (" RTF 格式的文件，不是真正的 " + suffix + " 文件", save_as),
        "xml2003": (" Excel 2003 的 XML 表格，不是真正的 " + suffix + " 文件", save_as),
        "pdf": (" PDF 文件", _ASK_ORIGINAL),
        "ofd": (" OFD 版式文件", _ASK_ORIGINAL),
        ".docx": (" Word 文件，扩展名却是 " + suffix,
                  f"请把文件名的扩展名改成 .docx（{path.stem}.docx）再导入。"),
        ".xlsx": (" Excel 文件，扩展名却是 " + suffix,
                  f"请把文件名的扩展名改成 .xlsx（{path.stem}.xlsx）再导入。"),
        "zip": ("压缩包，不是 " + suffix + " 文件", "请先解压，再导入其中的 .docx 或 .xlsx 文件。"),
    }[found]
    raise SiteError(Finding(code="N435", path=shown, message=f"这个文件其实是{what}", hint=hint))


def _check_unpacked_size(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            what = _oversized(archive)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, zlib.error):
        return  # the reader says it cannot be opened (N403)
    if what is not None:
        raise SiteError(Finding(
            code="N436", path=shown, message=f"这个文件{what}，远超过绩效自评表或工作总结应有的大小，没有导入",
            hint="文件可能已经损坏，或不是要导入的原件。请用 Word、Excel 或 WPS 打开它核对内容，另存一份新的 "
                 f"{path.suffix.lower()} 文件再导入；文档中的大图片可以先压缩（Word：图片格式 → 压缩图片）。"))


def _oversized(archive: zipfile.ZipFile) -> str | None:
    """What in `archive` unpacks to more than the limits allow, said for the message; None when nothing does."""
    total = 0
    for part in archive.infolist():
        size = _unpacked(archive, part, MAX_UNPACKED - total)
        total += size
        if part.filename.lower().endswith((".xml", ".rels")) and size > MAX_XML_PART:
            return f"中的 {part.filename} 解压后超过 {_megabytes(MAX_XML_PART)}"
        if total > MAX_UNPACKED:
            return f"解压后超过 {_megabytes(MAX_UNPACKED)}"
    return None


def _unpacked(archive: zipfile.ZipFile, part: zipfile.ZipInfo, room: int) -> int:
    """The bytes `part` unpacks to, counted a megabyte at a time; stops once past `room` or the XML limit."""
    limit = max(room, MAX_XML_PART) + 1
    size = 0
    with archive.open(part) as stream:
        while size < limit:
            chunk = stream.read(1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
    return size


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _kind(path: Path, head: bytes) -> str | None:
    """'.docx', '.xlsx', 'old', 'html', 'xml2003', 'rtf', 'pdf', 'ofd', 'zip', or None (unknown: left to the reader)."""
    if head.startswith(_OLE):
        return "old"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return ".docx"
        if "xl/workbook.xml" in names:
            return ".xlsx"
        if "OFD.xml" in names:
            return "ofd"
        return "zip" if "[Content_Types].xml" not in names else None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # text saved as UTF-16
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "xml2003"
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"mime-version", b"<?xml")):
        return "html"
    return None


__all__ = ["check_kind"]
