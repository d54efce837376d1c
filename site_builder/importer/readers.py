"""Reading .txt, .md and .docx files into blocks.

Nothing is interpreted here beyond what the file format itself says (a Word
heading style, a Markdown `#`, a table, Word's automatic numbering written out
as the numbers it shows, see :mod:`.word_numbering`); what numbering means for
the structure is read later. Layout
whitespace at the ends of lines is dropped, every other character kept.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import yaml

from ..errors import Finding, SiteError
from .blocks import HEADING, LIST_ITEM, PARAGRAPH, RAW, TABLE, TITLE, Block, Source, shown_text
from .word_numbering import WordNumbering
from .word_text import WordText, body_children, paragraph_text

LAYOUT_SPACE = " \t\r\n\u3000\u00a0\ufeff"


def check_target(year: str, site_dir: Path, example: str) -> None:
    """SiteError when `year` is not four digits typed half-width (N401: ２０２３ typed with a Chinese input
    method would make a folder content/２０２３ that no build reads), or `site_dir` has no content/
    folder (L109: run outside the site folder, the records would go to a new content/ there, unseen);
    `example`: the command with its year, for the hint."""
    if not re.fullmatch("[0-9]{4}", year):
        other_digits = re.fullmatch(r"\d{4}", year) is not None  # ２０２３, or the digits of another script
        meant = "".join(str(int(ch)) for ch in year) if other_digits else "2024"
        raise SiteError(Finding(code="N401", message=f"年度要写四位半角数字，现在是“{year}”"
                                + ("（用了全角数字，请切换到半角输入）" if other_digits else ""),
                                hint=f"例如：{example} --year {meant}"))
    content = site_dir / "content"
    if not content.is_dir():
        raise SiteError(Finding(
            code="L109", path=str(site_dir), message=f"找不到内容文件夹 {content}，导入的记录没有地方写",
            hint="请在站点文件夹里运行命令，或用 --site 指定站点文件夹（其中应有 content/site.yaml）。"))


def not_imported_as_hidden(program: str) -> tuple[str, str]:
    """What a note says of content `program` (Word, Excel) hides, after naming it; and the note's hint."""
    where = "（字体 → 隐藏）" if program == "Word" else ""
    return (f"没有导入：{program} 把它设成了隐藏，打开和打印时都看不到",
            f"隐藏的内容不公开。原文中确实要公开的，请在 {program} 或 WPS 中取消隐藏{where}，保存后再导入。")


def one_line(text: str) -> str:
    """`text` as a message quotes it: on one line, at most 60 characters."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:60] + "……"

# A Word document, a macro-enabled one, a template: the same document part (macros are never run).
WORD_NAMES = (".docx", ".docm", ".dotx", ".dotm")
SUPPORTED = (".txt", ".md", ".markdown", *WORD_NAMES)

_BULLET = re.compile(r"^([•●▪◆·]|[-*+](?=\s))\s*")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LIST = re.compile(r"^\s*([-*+]|\d{1,3}[.)])\s+")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")


def read(path: Path, shown: str) -> Source:
    suffix = path.suffix.lower()
    if suffix in WORD_NAMES:
        return read_docx(path, shown)
    text = shown_text(_decode(path, shown))
    if suffix in (".md", ".markdown"):
        return read_markdown(text, shown)
    return read_text(text, shown)


def _decode(path: Path, shown: str) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SiteError(Finding(code="N403", path=shown, message="读不出这个文件的文字：既不是 UTF-8 编码，也不是 GBK 编码",
                            hint="请用记事本或 Word 把它另存为“UTF-8”编码的 .txt 文件，或直接导入 .docx 文件。"))


def read_text(text: str, shown: str) -> Source:
    """A plain text file: each non-blank line is a paragraph; bullet lines are list items."""
    blocks = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip(LAYOUT_SPACE)
        if not stripped:
            continue
        bullet = _BULLET.match(stripped)
        if bullet and stripped[bullet.end():]:
            blocks.append(Block(LIST_ITEM, stripped, line=number))
        else:
            blocks.append(Block(PARAGRAPH, stripped, line=number))
    return Source(shown, blocks)


def read_markdown(text: str, shown: str) -> Source:
    """A Markdown file: its front matter, `#` headings, paragraphs; lists, tables and code kept as written."""
    lines = text.splitlines()
    front: dict = {}
    start = 0
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() == "---":
                try:
                    loaded = yaml.safe_load("\n".join(lines[1:end]))
                except yaml.YAMLError:
                    loaded = None
                if isinstance(loaded, dict):
                    front = {str(k): v for k, v in loaded.items()}
                    start = end + 1
                break
    blocks: list[Block] = []
    paragraph: list[str] = []
    paragraph_line = 0
    raw: list[str] = []
    raw_line = 0
    fenced = False

    def flush() -> None:
        nonlocal paragraph, raw
        if paragraph:
            blocks.append(Block(PARAGRAPH, _join_lines(paragraph), line=paragraph_line))
            paragraph = []
        if raw:
            blocks.append(Block(RAW, "\n".join(raw), line=raw_line))
            raw = []

    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip(LAYOUT_SPACE)
        if fenced or _MD_FENCE.match(line):
            if paragraph:
                flush()
            if not raw:
                raw_line = number
            raw.append(line.rstrip())
            if _MD_FENCE.match(line):
                fenced = not fenced
            continue
        if not stripped:
            flush()
            continue
        heading = _MD_HEADING.match(stripped)
        if heading and not raw:
            flush()
            blocks.append(Block(HEADING, heading.group(2), line=number, level=len(heading.group(1))))
            continue
        if raw or (not paragraph and (stripped.startswith(("|", ">")) or _MD_LIST.match(line))):
            if not raw:
                raw_line = number
            raw.append(line.rstrip())
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(re.sub(r"^(\d{1,3})\\([.)])", r"\1\2", stripped))
    flush()
    return Source(shown, blocks, front_matter=front)


def _join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one text: no space between Chinese characters."""
    text = lines[0]
    for line in lines[1:]:
        if text and line and text[-1].isascii() and line[0].isascii():
            text += " " + line
        else:
            text += line
    return text


# --- Word ---------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


# The main part of a macro-enabled document, a template and a macro-enabled template: python-docx reads
# only a .docx's, and refused these (ValueError) as damaged, after the import had said to rename the file.
_WORD_MAIN_PARTS = ("application/vnd.ms-word.document.macroEnabled.main+xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")


def _word_document(path: Path):
    """python-docx's docx.Document(path), for the main part of a .docm, .dotx or .dotm as well."""
    import docx  # python-docx
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart

    for content_type in _WORD_MAIN_PARTS:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    part = Package.open(str(path)).main_document_part
    if not isinstance(part, DocumentPart):
        return docx.Document(str(path))  # says what it is instead
    return part.document


def open_docx(path: Path, shown: str):
    """The python-docx document of a .docx file; N403 when it cannot be opened."""
    try:
        document = _word_document(path)
    except Exception as exc:  # noqa: BLE001 - whatever python-docx raises while it opens a file it was not made
        # for (not a package, XML it cannot parse, a part that is not what its name says, an encrypted zip)
        raise damaged_file(shown, "Word", exc) from None
    _check_parts(document, shown)
    _check_spans(document, shown)
    return document


# The parts python-docx reads as XML, by the type of their relationship to the document.
_XML_PARTS = ("styles", "numbering", "settings", "header", "footer", "comments")


def _check_parts(document, shown: str) -> None:
    """N403 when the document's styles, numbering, settings, headers, footers or comments are not XML
    by the content type the package gives them: python-docx would fail on them only once they are used."""
    for relationship in document.part.rels.values():
        if relationship.is_external or relationship.reltype.rpartition("/")[2] not in _XML_PARTS:
            continue
        part = relationship.target_part
        if not hasattr(part, "element"):
            raise damaged_file(shown, "Word", TypeError(f"{part.partname}: {part.content_type}"))


# Word's tables have at most 63 columns. python-docx repeats a cell once per column it spans, and the
# form reader makes a grid as wide as the spans: a span of two billion (a damaged file, or one made to
# do harm) would fill the computer's memory.
MAX_COLUMNS = 63
_SPANS = {"gridSpan": (1, "跨的列数"), "gridBefore": (0, "行前空出的列数"), "gridAfter": (0, "行后空出的列数")}


def _check_spans(document, shown: str) -> None:
    """N403 when a table's cell or row declares a span no Word table can have (rows wrapped in
    content controls, and tables inside cells, included)."""
    body = document.element.body
    for t, tbl in enumerate(body.iter(f"{_W}tbl"), start=1):
        rows = (tr for tr in tbl.iter(f"{_W}tr") if _nearest(tr, "tbl") is tbl)
        for r, tr in enumerate(rows, start=1):
            for element in tr.iter(*(f"{_W}{name}" for name in _SPANS)):
                if _nearest(element, "tr") is not tr:
                    continue  # a row of a table inside a cell: checked with that table
                least, what = _SPANS[element.tag.removeprefix(_W)]
                value = element.get(f"{_W}val", str(least))
                if not (value.strip().isdigit() and least <= int(value) <= MAX_COLUMNS):
                    raise SiteError(Finding(
                        code="N403", path=shown,
                        message=f"打不开这个 Word 文件：第 {t} 张表格第 {r} 行{what}是“{value[:20]}”，"
                                f"Word 表格不会有这样的格子（最多 {MAX_COLUMNS} 列），文件可能已经损坏",
                        hint="请用 Word 或 WPS 打开这个文件，核对这张表格，另存为一份新的 .docx 文件再导入。"))


def _nearest(element, name: str):
    """The closest enclosing element named `name` (w:tr, w:tbl) of `element`."""
    element = element.getparent()
    while element is not None and element.tag != f"{_W}{name}":
        element = element.getparent()
    return element


def damaged_file(shown: str, program: str, exc: BaseException, suffix: str | None = None) -> SiteError:
    """N403 for a .docx, .xlsx or .xls (`suffix`, by default the program's own) that its library could not
    read: damaged, or not made by Word or Excel."""
    if program == "Word":
        suffix = suffix or ".docx"
        hint = (f"请确认它是 {suffix} 格式（不是改了扩展名的 .doc 或 .wps）；能用 Word 或 WPS 打开的，"
                f"请另存为一份新的 {suffix} 文件再导入；旧的 .doc 或 .wps 文件也请先另存为 {suffix}。")
    else:  # an Excel file of any name is read as what its first bytes say it is (file_kinds.check_kind)
        suffix = suffix or ".xlsx"
        hint = "能用 Excel 或 WPS 打开的，请另存为一份新的 .xlsx 文件再导入；打不开的，请向发文单位要一份完好的原件。"
    error = type(exc).__name__
    if error == "error":  # struct.error, zlib.error: named with their module
        error = f"{type(exc).__module__}.error"
    return SiteError(Finding(
        code="N403", path=shown,
        message=f"打不开这个 {program} 文件：它不是完整的 {suffix} 文件（可能已经损坏，或只是改了扩展名）"
                f"（读取时的错误：{error}）",
        hint=hint))


def encrypted_file(shown: str, program: str = "Excel") -> SiteError:
    """N403 for a Word or Excel file saved with a password to open it: its content is encrypted."""
    what, where = ("表格", "保护工作簿") if program == "Excel" else ("内容", "保护文档")
    return SiteError(Finding(
        code="N403", path=shown, message=f"打不开这个 {program} 文件：它设了打开密码（加密保存），读不出其中的{what}",
        hint=f"请在 {program} 或 WPS 中输入密码打开它，去掉打开密码后保存（{program}：文件 → 信息 → {where} → 用密码进行加密，"
             "清空密码；WPS：文件 → 文档加密 → 密码加密，清空打开密码），再导入。"))


def read_docx(path: Path, shown: str) -> Source:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = open_docx(path, shown)
    source = Source(shown, [])
    words = WordText.of(document)
    with reading_word(shown):
        numbering = _word_numbering(document)
        number = 0
        for element in body_children(document.element.body):  # content controls looked through
            if element.tag == f"{_W}p":
                number += 1
                _paragraph(Paragraph(element, document), number, numbering, source, words)
            elif element.tag == f"{_W}tbl":
                number += 1
                _table(Table(element, document), number, source, words)
            _hidden_notes(words, source, f"第 {number} 段" + ("（表格）" if element.tag == f"{_W}tbl" else ""))
        _footnotes(document, source)
        _headers_and_footers(document, source)
    return source


@contextmanager
def reading_word(shown: str):
    """python-docx reads an attribute's value when it is asked for (a style's numbering, a cell's
    merge): a value Word never writes ("abc" where a number goes) raises then, not when the file is
    opened. Such a file is damaged (N403), as one python-docx cannot open."""
    from docx.exceptions import PythonDocxError
    from docx.oxml.exceptions import XmlchemyError

    try:
        yield
    except (ValueError, TypeError, PythonDocxError, XmlchemyError) as exc:
        raise damaged_file(shown, "Word", exc) from None


def _hidden_notes(words: WordText, source: Source, where: str) -> None:
    """A note for each hidden text Word does not show, left out of the paragraph or table `where`."""
    said, hint = not_imported_as_hidden("Word")
    for text in words.take():
        source.note(f"隐藏文字“{one_line(text)}”{said}", hint, Block(PARAGRAPH, where=where))


def _paragraph(paragraph, number: int, numbering: WordNumbering, source: Source, words: WordText) -> None:
    where = f"第 {number} 段"
    text = shown_text(paragraph_text(paragraph._p, words)).strip(LAYOUT_SPACE)
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    element = paragraph._p
    if element.findall(f".//{_W}drawing") or element.findall(".//{urn:schemas-microsoft-com:vml}imagedata"):
        source.note("有图片，没有导入", "图片需要另行处理：如需公开，请把图片中的文字录入正文。",
                    Block(PARAGRAPH, where=where))
    boxed = [t.text or "" for box in element.iter(f"{_W}txbxContent") for t in box.iter(f"{_W}t")]
    heading = _HEADING_STYLE.match(style)
    numbered = _numbering_of(paragraph)
    label = numbering.label(*numbered) if numbered is not None else None  # counted even when empty
    if text:
        if style in ("Title", "标题"):
            source.blocks.append(Block(TITLE, text, where=where))
        elif heading:
            source.blocks.append(Block(HEADING, text.replace("\n", ""), where=where, level=int(heading.group(1)) + 1))
        elif numbered is not None and numbering.is_bullet(*numbered):
            source.blocks.append(Block(LIST_ITEM, text, where=where))
        elif label:  # Word's automatic number, written as it is shown: "一、", "（2）"
            source.blocks.append(Block(PARAGRAPH, label + text, where=where))
        elif style.startswith("List Bullet"):
            source.blocks.append(Block(LIST_ITEM, text, where=where))
        else:
            source.blocks.append(Block(PARAGRAPH, text, where=where))
    if boxed and "".join(boxed).strip(LAYOUT_SPACE):
        source.blocks.append(Block(PARAGRAPH, "".join(boxed).strip(LAYOUT_SPACE), where=where))
        source.note("有文本框，其中的文字放在了这一段之后", "请核对文本框的文字在网页上的位置是否合适。",
                    Block(PARAGRAPH, where=where))


def _numbering_of(paragraph) -> tuple[int, int] | None:
    """(numId, ilvl) of a paragraph's automatic numbering, set on it or by its style; None when unnumbered."""
    properties = paragraph._p.pPr
    num_pr = properties.numPr if properties is not None else None
    style = paragraph.style
    while (num_pr is None or num_pr.numId is None) and style is not None:
        style_properties = style.element.pPr
        num_pr = style_properties.numPr if style_properties is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return num_pr.numId.val, level


def _word_numbering(document) -> WordNumbering:
    try:
        return WordNumbering(document.part.numbering_part.element)
    except (KeyError, NotImplementedError):
        return WordNumbering()


def _cell_text(cell, words: WordText) -> str:
    from docx.table import Table

    parts = []
    for element in body_children(cell._tc):  # in order, content controls looked through
        if element.tag == f"{_W}p":
            parts.append(shown_text(paragraph_text(element, words)).strip(LAYOUT_SPACE))
        elif element.tag == f"{_W}tbl":
            for row in Table(element, cell).rows:
                parts.extend(_cell_text(c, words) for c in _unique_cells(row))
    return " ".join(p for p in parts if p)


def _unique_cells(row) -> list:
    """A row's cells, a cell merged across columns counted once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _table(table, number: int, source: Source, words: WordText) -> None:
    where = f"第 {number} 段（表格）"
    rows = [[_cell_text(cell, words) for cell in _unique_cells(row)] for row in table.rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return
    block = Block(TABLE, where=where, rows=rows)
    source.blocks.append(block)
    if any(cell.tables for row in table.rows for cell in _unique_cells(row)):
        source.note("表格里套着表格，里面的文字并入了所在的单元格", "请核对这张表格在网页上的样子。", block)
    if len({len(row) for row in rows}) > 1:
        source.note("表格有合并的单元格，各行列数不同，导入后按行照录", "请核对这张表格在网页上的样子，必要时在 Markdown 中补齐空格。",
                    block)


def _footnotes(document, source: Source) -> None:
    for relationship in document.part.rels.values():
        if relationship.reltype.endswith("/footnotes") or relationship.reltype.endswith("/endnotes"):
            from lxml import etree

            root = etree.fromstring(relationship.target_part.blob)
            for note in root:
                if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "".join(t.text or "" for t in note.iter(f"{_W}t")).strip(LAYOUT_SPACE)
                if text:
                    block = Block(PARAGRAPH, text, where="脚注")
                    source.blocks.append(block)
                    source.note("脚注或尾注的文字放在了文末", "请核对：网页上没有脚注，需要时可改写到正文里。", block)


def _headers_and_footers(document, source: Source) -> None:
    seen = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous:
                continue
            texts = (paragraph_text(p._p).strip(LAYOUT_SPACE) for p in part.paragraphs)
            text = " ".join(t for t in texts if t)
            if text and text not in seen:
                seen.add(text)
                source.note(f"页眉或页脚的文字“{text}”没有导入", "页眉、页脚一般是版面内容；如需公开，请写进正文或信息块。")
