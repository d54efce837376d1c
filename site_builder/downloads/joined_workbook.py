"""A year's workbook joined from its forms' workbooks, sheet by sheet, without writing any sheet again.

Every form's own workbook (workbook.form_workbook) is already written when its
year's workbook is made. Writing every sheet a second time through XlsxWriter
was most of a year's downloads (a year of 200 forms: a second of CPU, and the
whole of it again for one edited form). Here each form's sheet is taken as
written; only what numbers its parts changes:

- its shared strings become entries of the year's one table (each text once);
- its cell formats become entries of the year's one list of formats, with the
  fonts, fills, borders and number formats they name;
- the workbook's parts that list the sheets (workbook.xml, its relationships,
  [Content_Types].xml, docProps/app.xml) are written for all of them.

A workbook holding anything else (a drawing, a comment, a hyperlink, a
conditional format, a defined name: anything the year's other parts would have
to know of) is not joined: :func:`joined` returns
None and the year's workbook is written whole. The bytes depend on the forms'
workbooks only.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from .workbook import sheet_name

_SHEET = "xl/worksheets/sheet1.xml"
_STRINGS = "xl/sharedStrings.xml"
_STYLES = "xl/styles.xml"
_THEME = "xl/theme/theme1.xml"
_CORE = "docProps/core.xml"
_PARTS = frozenset({"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", _CORE, "xl/workbook.xml",
                    "xl/_rels/workbook.xml.rels", _STYLES, _THEME, _SHEET, _STRINGS})
_TIME = (1980, 1, 1, 0, 0, 0)  # as XlsxWriter writes its members

_STRING_ITEM = re.compile(rb"<si>.*?</si>", re.S)
_STYLE_ATTRIBUTE = re.compile(rb' (?:s|style)="\d+"')
_SHARED_STRING = re.compile(rb' t="s"><v>(\d+)</v>')
# what a sheet may hold that the year's other parts would have to know of: formulas, inline strings,
# conditional formats (numbered among the workbook's dxfs), links, drawings, tables
_NOT_JOINED = re.compile(rb"<(?:f|is|conditionalFormatting|hyperlinks|drawing|legacyDrawing|tableParts)\b")
_TAB_SELECTED = b' tabSelected="1"'
_LISTS = {b"fonts": b"font", b"fills": b"fill", b"borders": b"border", b"cellXfs": b"xf"}
_NUMBER_FORMAT = re.compile(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>')
_XF_IDS = re.compile(rb' (numFmtId|fontId|fillId|borderId)="(\d+)"')
_FIRST_CUSTOM_FORMAT = 164  # below: Excel's built-in number formats, the same in every workbook

_NS = "http://schemas.openxmlformats.org"
_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class _Unjoinable(Exception):
    """A workbook this module does not know how to join (written whole instead)."""


def joined(books: list[tuple[str, bytes]]) -> bytes | None:
    """One workbook of every form's sheet, in the order given (`books`: the sheet's title, the
    form's workbook); None when one of them cannot be joined (see the module's docstring)."""
    if not books:
        return None
    try:
        return _Joined(books).bytes()
    except (_Unjoinable, zipfile.BadZipFile, KeyError, ValueError):
        return None


class _Joined:
    def __init__(self, books: list[tuple[str, bytes]]):
        self.strings: dict[bytes, int] = {}  # <si> element → its number in the year's table
        self.string_count = 0  # cells that show a shared string (the table's "count")
        self.items: dict[bytes, dict[bytes, int]] = {name: {} for name in _LISTS}  # font, fill… → number
        self.number_formats: dict[bytes, int] = {}  # formatCode → numFmtId (custom ones)
        self.sheets: list[tuple[str, bytes]] = []
        self.common: dict[str, bytes] = {}  # styles.xml around its lists, theme and core of the first
        taken: set[str] = set()
        for number, (title, book) in enumerate(books):
            with zipfile.ZipFile(io.BytesIO(book)) as archive:
                if set(archive.namelist()) != _PARTS:
                    raise _Unjoinable
                parts = {name: archive.read(name) for name in (_SHEET, _STRINGS, _STYLES, _THEME, _CORE)}
                if b"<definedNames" in archive.read("xl/workbook.xml"):
                    raise _Unjoinable  # print titles, a filter: names the year's workbook would have to carry
            if number == 0:
                self.common = parts
            elif parts[_THEME] != self.common[_THEME] or parts[_CORE] != self.common[_CORE]:
                raise _Unjoinable
            strings = self._strings(parts[_STRINGS])
            formats = self._formats(parts[_STYLES])
            self.sheets.append((sheet_name(title, taken), self._sheet(parts[_SHEET], strings, formats, number)))

    # --- what each form brings ---------------------------------------------------------------

    def _strings(self, xml: bytes) -> list[int]:
        """The year's number of each of the form's shared strings."""
        numbers = [self.strings.setdefault(item, len(self.strings)) for item in _STRING_ITEM.findall(xml)]
        count = re.search(rb'<sst [^>]*count="(\d+)"', xml)
        if count is None:
            raise _Unjoinable
        self.string_count += int(count[1])
        return numbers

    def _formats(self, xml: bytes) -> list[int]:
        """The year's number of each of the form's cell formats (cellXfs), the fonts, fills, borders
        and number formats each names numbered as the year's."""
        codes = {int(number): code for number, code in _NUMBER_FORMAT.findall(_section(xml, b"numFmts") or b"")}
        lists = {name: _items(_section(xml, name), tag) for name, tag in _LISTS.items() if name != b"cellXfs"}
        renumbered = {name: [self.items[name].setdefault(item, len(self.items[name])) for item in found]
                      for name, found in lists.items()}

        def own(match: re.Match) -> bytes:
            kind, number = match[1], int(match[2])
            if kind == b"numFmtId":
                if number >= _FIRST_CUSTOM_FORMAT:
                    code = codes[number]
                    number = self.number_formats.setdefault(code, _FIRST_CUSTOM_FORMAT + len(self.number_formats))
            else:
                number = renumbered[{b"fontId": b"fonts", b"fillId": b"fills", b"borderId": b"borders"}[kind]][number]
            return b' %s="%d"' % (kind, number)

        formats = self.items[b"cellXfs"]
        return [formats.setdefault(_XF_IDS.sub(own, xf), len(formats))
                for xf in _items(_section(xml, b"cellXfs"), b"xf")]

    def _sheet(self, xml: bytes, strings: list[int], formats: list[int], number: int) -> bytes:
        """The form's sheet, its cells pointing at the year's strings and formats.

        A sheet of this project holds markup and numbers only (its texts are shared strings): the
        only attributes `s` and `style` are the formats of cells, rows and columns, and a cell that
        shows a shared string is ``t="s"><v>N</v>``."""
        if _NOT_JOINED.search(xml):
            raise _Unjoinable  # not written by this project's workbooks
        styles = {b' %s="%d"' % (name, old): b' %s="%d"' % (name, new)
                  for old, new in enumerate(formats) for name in (b"s", b"style")}
        sheet = _STYLE_ATTRIBUTE.sub(lambda match: styles[match[0]], xml)
        shown = {b"%d" % old: b' t="s"><v>%d</v>' % new for old, new in enumerate(strings)}
        sheet, replaced = _SHARED_STRING.subn(lambda match: shown[match[1]], sheet)
        if replaced != sheet.count(b' t="s"'):
            raise _Unjoinable
        return sheet if number == 0 else sheet.replace(_TAB_SELECTED, b"", 1)  # the first sheet is shown

    # --- the year's parts ---------------------------------------------------------------------

    def bytes(self) -> bytes:
        count = len(self.sheets)
        parts = {"[Content_Types].xml": self._content_types(), "_rels/.rels": _ROOT_RELATIONSHIPS,
                 "xl/_rels/workbook.xml.rels": self._relationships()}
        for number, (_, sheet) in enumerate(self.sheets, 1):
            parts[f"xl/worksheets/sheet{number}.xml"] = sheet
        parts["xl/workbook.xml"] = self._workbook()
        parts[_STRINGS] = (_HEAD + b'<sst xmlns="%s/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                           % (_NS.encode(), self.string_count, len(self.strings))
                           + b"".join(self.strings) + b"</sst>")
        parts[_STYLES] = self._styles()
        parts[_THEME] = self.common[_THEME]
        parts[_CORE] = self.common[_CORE]
        parts["docProps/app.xml"] = self._app(count)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                info = zipfile.ZipInfo(name, _TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return buffer.getvalue()

    def _styles(self) -> bytes:
        xml = self.common[_STYLES]
        formats = b"".join(b'<numFmt numFmtId="%d" formatCode="%s"/>' % (number, code)
                           for code, number in self.number_formats.items())
        number_formats = b'<numFmts count="%d">%s</numFmts>' % (len(self.number_formats), formats) if formats else b""
        xml = re.sub(rb"<numFmts .*?</numFmts>", b"", xml, count=1, flags=re.S)
        for name, items in self.items.items():
            xml = _replace_section(xml, name, b'<%s count="%d">%s</%s>' % (name, len(items), b"".join(items), name))
        return xml.replace(b"<fonts ", number_formats + b"<fonts ", 1)

    def _content_types(self) -> bytes:
        sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = [("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
                     ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                     ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
                     ("/xl/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
                     ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")]
        overrides += [(f"/xl/worksheets/sheet{n}.xml", sheet) for n in range(1, len(self.sheets) + 1)]
        overrides.append(("/xl/sharedStrings.xml",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"))
        text = (f'<Types xmlns="{_NS}/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
                + "</Types>")
        return _HEAD + text.encode("utf-8")

    def _relationships(self) -> bytes:
        kinds = [("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(self.sheets) + 1)]
        kinds += [("theme", "theme/theme1.xml"), ("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml")]
        text = "".join(f'<Relationship Id="rId{n}" Type="{_NS}/officeDocument/2006/relationships/{kind}" '
                       f'Target="{target}"/>' for n, (kind, target) in enumerate(kinds, 1))
        return _HEAD + f'<Relationships xmlns="{_NS}/package/2006/relationships">{text}</Relationships>'.encode("utf-8")

    def _workbook(self) -> bytes:
        sheets = "".join(f'<sheet name={_attribute(name)} sheetId="{n}" r:id="rId{n}"/>'
                         for n, (name, _) in enumerate(self.sheets, 1))
        text = (f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" '
                f'xmlns:r="{_NS}/officeDocument/2006/relationships">'
                '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>'
                '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" yWindow="15" '
                'windowWidth="16095" windowHeight="9660"/></bookViews>'
                f'<sheets>{sheets}</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
        return _HEAD + text.encode("utf-8")

    def _app(self, count: int) -> bytes:
        titles = "".join(f"<vt:lpstr>{escape(name)}</vt:lpstr>" for name, _ in self.sheets)
        text = (f'<Properties xmlns="{_NS}/officeDocument/2006/extended-properties" '
                f'xmlns:vt="{_NS}/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application>'
                '<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs>'
                '<vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>'
                f'<vt:variant><vt:i4>{count}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>'
                f'<vt:vector size="{count}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts><Company></Company>'
                '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
                '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>')
        return _HEAD + text.encode("utf-8")


_ROOT_RELATIONSHIPS = _HEAD + (
    f'<Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS}/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_NS}/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>').encode("utf-8")


def _attribute(text: str) -> str:
    return '"' + escape(text, {'"': "&quot;"}) + '"'


def _section(xml: bytes, name: bytes) -> bytes | None:
    """The inside of `<name …>…</name>` in styles.xml (None when absent)."""
    match = re.search(rb"<%s(?: [^>]*)?>(.*?)</%s>" % (name, name), xml, re.S)
    return match[1] if match else None


def _replace_section(xml: bytes, name: bytes, new: bytes) -> bytes:
    found = re.search(rb"<%s(?: [^>]*)?>.*?</%s>" % (name, name), xml, re.S)
    if found is None:
        raise _Unjoinable
    return xml[:found.start()] + new + xml[found.end():]


def _items(inside: bytes | None, tag: bytes) -> list[bytes]:
    """Each `<tag …/>` or `<tag …>…</tag>` element directly inside a section (they do not nest)."""
    if inside is None:
        raise _Unjoinable
    found = re.findall(rb"<%s(?:\s[^>]*?)?(?:/>|>.*?</%s>)" % (tag, tag), inside, re.S)
    if b"".join(found) != inside:
        raise _Unjoinable  # something between the items that this does not know
    return found


__all__ = ["joined"]
