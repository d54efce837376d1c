"""What a file to import really is, read from its first bytes rather than its name.

Files from the finance bureau are often not what their extension says: an
old binary .xls renamed to .xlsx (or the other way round), a "spreadsheet"
that a web system exported as an HTML page, a PDF or an OFD (the Chinese
fixed-layout format, a zip), or a Word file saved with an Excel name.
An Excel workbook is read as what it is, whichever of .xlsx, .xls or .et its
name says, as Excel, WPS and LibreOffice open it: :func:`check_kind` says which
reader to use. Anything else turns into one finding (N435) that says what the
file is and how to get a file that can be imported, instead of a library's
English error.

A real .docx or .xlsx is also measured before any library unpacks it
(:func:`check_kind`, N436): python-docx and openpyxl read every part whole into
memory, so a file of a megabyte whose parts unpack to gigabytes (damaged, or
made to do harm) would take all of the computer's memory. The parts are unpacked
here a megabyte at a time and counted, not taken at the size the zip's directory
declares: the directory can say anything, and zipfile unpacks a part whole
before it cuts it to that size. An old binary file (OLE compound file: .xls,
.et) is not packed, but xlrd reads it whole and builds its string table and
cells at once: its size is checked before anything reads it (N436,
:func:`read_whole`).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import Finding, SiteError
from .readers import WORD_NAMES, encrypted_file

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office and WPS formats
# A form or a year's report unpacks to a few megabytes (its XML) and its pictures. The limits leave
# room for a report with many photographs, and keep what the XML parser builds (about ten times the
# text) well within an office PC's memory.
MAX_XML_PART = 32 * 1024 * 1024
MAX_UNPACKED = 512 * 1024 * 1024
# An .xls is read whole: xlrd holds the file and a copy of its workbook stream, and builds Python objects
# for its strings and cells at once, up to twenty times the file (measured on 15.6 MB files: 2.7 million
# short strings, 300 MB; 8 million bordered blank cells, 210 MB; the formats and merged ranges that cost
# more are counted before, see forms/xls_tables.py) - what the XML parser builds of the largest XML part
# above. A form is 20 KB to 1 MB; an .xls with a few photographs of signed pages a few MB.
MAX_WHOLE_FILE = 16 * 1024 * 1024
# WPS 表格 saves .et as an .xls workbook; .xlsm (macro-enabled), .xltx and .xltm (templates) are read as .xlsx
EXCEL_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".et")
_ASK_ORIGINAL = "这种文件里的表格不能逐格读出。请向发文单位要 Word（.docx）或 Excel（.xlsx）原件再导入。"


def check_kind(path: Path, shown: str) -> str | None:
    """The format to read `path` (a .docx, .xlsx, .xls or .et by name) with: '.docx', '.xlsx' or '.xls'
    (an Excel workbook of either format under any of the Excel names), or None when its first bytes say
    nothing (the reader of its name tries it; an .et is then WPS's own format). SiteError N435 when it
    holds something else; N436 when it is what it says but far larger than a form or a report ever is."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as stream:
            head = stream.read(2048)
    except OSError:
        return None  # the reader says it cannot be read (N403)
    found = _kind(path, head)
    excel = suffix in EXCEL_NAMES
    if found == "old" and excel:
        found = _compound_kind(path, shown)
    elif found == "old" and suffix in WORD_NAMES and _compound_kind(path, shown) == "encrypted":
        raise encrypted_file(shown, "Word")  # Word saves a .docx with a password to open as such a file
    if found == ".docx" and suffix in WORD_NAMES or found == ".xlsx" and excel:
        _check_unpacked_size(path, shown)
        return found
    if found == "damaged" and suffix != ".et":
        found = ".xls"  # the .xls reader says what is wrong with it (N403)
    if found == ".xls" and excel:
        return found
    if found is None or suffix == ".et" and found in ("old", "damaged"):
        return None  # an .et: WPS 表格's own format, which WPS opens and saves as .xlsx (N430)
    if found == "encrypted":
        raise encrypted_file(shown)
    program, saved = ("Excel", ".xlsx") if excel or found in ("xlsb", "ods") else ("Word", ".docx")
    suffix = suffix or "（没有扩展名）"
    save_as = (f"请用 {program} 或 WPS 打开这个文件，点“文件 → 另存为”，文件类型选“{saved}”，"
               f"再导入另存的 {path.stem}{saved} 文件。")
    what, hint = {
        "old": ("旧格式的 Office 或 WPS 文件（.doc、.xls、.wps 或 .et），只是扩展名改成了 " + suffix, save_as)
        if not excel else ("旧格式的 Office 或 WPS 文件，但其中没有 Excel 工作表",
                           "请确认选对了文件；绩效自评表请向发文单位要 Excel（.xlsx、.xls）或 Word（.docx）原件再导入。"),
        "word": (" Word 97-2003 或 WPS 文字文件（.doc、.wps），扩展名却是 " + suffix,
                 "请用 Word 或 WPS 打开这个文件，点“文件 → 另存为”，文件类型选“.docx”，"
                 f"再导入另存的 {path.stem}.docx 文件。"),
        "html": ("网页（HTML）格式的文件，不是真正的 " + suffix + " 文件（网上系统导出的表格常是这样）", save_as),
        "rtf": (" RTF 格式的文件，不是真正的 " + suffix + " 文件", save_as),
        "xml2003": (" Excel 2003 的 XML 表格，不是真正的 " + suffix + " 文件", save_as),
        "pdf": (" PDF 文件", _ASK_ORIGINAL),
        "ofd": (" OFD 版式文件", _ASK_ORIGINAL),
        ".docx": (" Word 文件，扩展名却是 " + suffix,
                  f"请把文件名的扩展名改成 .docx（{path.stem}.docx）再导入。"),
        ".xlsx": (" Excel 文件，扩展名却是 " + suffix,
                  f"请把文件名的扩展名改成 .xlsx（{path.stem}.xlsx）再导入。"),
        "xlsb": (" Excel 二进制工作簿（.xlsb），不能逐格读出", save_as),
        "ods": (" OpenDocument 表格（LibreOffice 或 WPS 存的 .ods），不能逐格读出", save_as),
        "odt": (" OpenDocument 文档（LibreOffice 或 WPS 存的 .odt），不能逐格读出", save_as),
        "zip": ("压缩包，不是 " + suffix + " 文件", "请先解压，再导入其中的 .docx、.xlsx 或 .xls 文件。"),
    }[found]
    raise SiteError(Finding(code="N435", path=shown, message=f"这个文件其实是{what}", hint=hint))


def read_whole(path: Path, shown: str) -> bytes:
    """The bytes of an old binary file, which its reader takes whole; N436 when there are more than
    MAX_WHOLE_FILE (read up to one byte past it, so that a file growing meanwhile is measured too)."""
    with open(path, "rb") as stream:
        data = stream.read(MAX_WHOLE_FILE + 1)
    if len(data) > MAX_WHOLE_FILE:
        raise SiteError(Finding(
            code="N436", path=shown,
            message=f"这个文件超过 {_megabytes(MAX_WHOLE_FILE)}，远超过绩效自评表应有的大小，没有导入",
            hint="文件可能已经损坏，或不是要导入的原件。请用 Excel 或 WPS 打开它核对内容，只把绩效自评表复制到新的工作簿，"
                 "另存为 .xlsx 再导入；表中的大图片可以先删去或压缩。"))
    return data


def _compound_kind(path: Path, shown: str) -> str | None:
    """What an OLE compound file with an Excel or Word name holds, by the names of its streams: '.xls' (a workbook),
    'encrypted' (an .xlsx saved with a password to open it), 'word' (.doc, .wps), 'old' (another), or
    'damaged' when its directory cannot be followed."""
    from xlrd.compdoc import CompDoc

    data = read_whole(path, shown)
    try:
        names = {entry.name for entry in CompDoc(data, logfile=DISCARD).dirlist}
    except Exception:  # noqa: BLE001 - whatever xlrd raises on a directory it cannot follow
        return "damaged"
    if names & {"Workbook", "Book"}:
        return ".xls"
    if "EncryptedPackage" in names:
        return "encrypted"
    if "WordDocument" in names:
        return "word"
    return "old"


class _Discard:
    """A log that keeps nothing: xlrd writes its warnings to sys.stdout unless given one, and a damaged
    file can make thousands."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


DISCARD = _Discard()


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
    """'.docx', '.xlsx', 'old' (an OLE compound file: .doc, .xls, .wps, .et), 'html', 'xml2003', 'rtf', 'pdf',
    'ofd', 'zip', or None (unknown: left to the reader)."""
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
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "mimetype" in names:  # OpenDocument: the first member names the kind
            try:
                with zipfile.ZipFile(path) as archive:
                    mimetype = archive.open("mimetype").read(100)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, zlib.error):
                mimetype = b""
            if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                return "ods"
            if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                return "odt"
        return "zip" if "[Content_Types].xml" not in names else None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # text saved as UTF-16
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "xml2003"
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"mime-version", b"<?xml")):
        return "html"
    return None


__all__ = ["check_kind", "read_whole", "DISCARD", "EXCEL_NAMES", "MAX_WHOLE_FILE"]
