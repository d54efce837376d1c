"""Markdown bodies of documents to HTML fragments, through Python-Markdown.

Raw HTML typed into a document is shown as text, never passed through: the
theme decides all markup. Links and images are checked (:mod:`.safe_links`):
only http(s), mailto, tel and relative links stay links, anything else becomes
its plain text; an external image becomes a plain link to it, so that the site
makes no request to another site. The finished HTML is then sanitised with nh3,
allowing only the tags and attributes Markdown produces here, as a second line
of defence. A document's structure comes from its numbering as
well as from its `##` headings (see :mod:`.outline`): a paragraph that opens
with a numbered heading ("1\\.加强党对教研工作的全面领导。坚持…") becomes that
heading followed by a paragraph, without a character of the words changed.
A paragraph whose last line is `{: .signature}` is a
closing (issuer and date) and gets the class `signature`. Heading levels never skip: the highest becomes `<h{top_level}>` and each
heading is at most one level below the one it belongs to. Every heading gets
an anchor from its numbering path, listed by :func:`document_outline` for the
theme's table of contents.
"""

from __future__ import annotations

import copy
import functools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..privacy import mask_markup
from .outline import Anchors, Levels, marker_of, split_heading
from .safe_links import Rejected, SafeLinks, sanitise

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LAYOUT_SPACE = " \t\n\u3000"


@dataclass
class OutlineEntry:
    """One heading of a document, for a table of contents."""

    id: str
    text: str
    level: int
    children: list["OutlineEntry"] = field(default_factory=list)


@dataclass
class RenderedBody:
    html: str
    outline: list[OutlineEntry]
    rejected: list[Rejected] = field(default_factory=list)  # links and images not kept as they were


def _text(element: etree.Element) -> str:
    return "".join(element.itertext())


def _split(element: etree.Element, offset: int) -> tuple[etree.Element, etree.Element]:
    """Two copies of `element`: its first `offset` characters of text content, and the rest."""
    left, right = etree.Element(element.tag, element.attrib), etree.Element(element.tag, element.attrib)
    text = element.text or ""
    children = list(element)
    if offset <= len(text):
        left.text, right.text = text[:offset], text[offset:]
        right.extend(children)
        return left, right
    left.text = text
    offset -= len(text)
    for index, child in enumerate(children):
        size, tail = len(_text(child)), child.tail or ""
        if offset >= size + len(tail) and index < len(children) - 1:
            left.append(child)
            offset -= size + len(tail)
            continue
        if offset >= size:
            kept = copy.copy(child)
            kept.tail = tail[:offset - size]
            left.append(kept)
            right.text = tail[offset - size:]
        else:
            head, rest = _split(child, offset)
            head.tail, rest.tail = None, tail
            left.append(head)
            right.append(rest)
        right.extend(children[index + 1:])
        break
    return left, right


def _strip_edges(element: etree.Element, leading: bool) -> None:
    """Remove layout whitespace at the start (leading) or end of an element's text content."""
    if leading:
        if element.text and element.text.strip(_LAYOUT_SPACE):
            element.text = element.text.lstrip(_LAYOUT_SPACE)
        elif len(element) == 0:
            element.text = (element.text or "").lstrip(_LAYOUT_SPACE)
        else:
            element.text = None
            _strip_edges(element[0], leading=True)
    elif len(element):
        last = element[-1]
        if last.tail:
            last.tail = last.tail.rstrip(_LAYOUT_SPACE)
    elif element.text:
        element.text = element.text.rstrip(_LAYOUT_SPACE)


SIGNATURE_MARK = "{: .signature}"
SIGNATURE_CLASS = "signature"


def _mark_signatures(root: etree.Element) -> None:
    """A paragraph whose last line is `{: .signature}` is the closing (issuer and date):
    the mark is removed and the paragraph gets the class the theme right-aligns."""
    for paragraph in root.iter("p"):
        last = paragraph[-1] if len(paragraph) else None
        text = (last.tail if last is not None else paragraph.text) or ""
        lines = text.rstrip(_LAYOUT_SPACE).split("\n")
        if lines[-1].strip() != SIGNATURE_MARK or (len(lines) == 1 and last is None):
            continue
        kept = "\n".join(lines[:-1]).rstrip(_LAYOUT_SPACE)
        if last is not None:
            last.tail = kept
        else:
            paragraph.text = kept
        paragraph.set("class", SIGNATURE_CLASS)


class _Structure(Treeprocessor):
    """Numbered paragraphs → headings, levels without skips, anchors, outline."""

    def __init__(self, md, top_level: int, id_prefix: str):
        super().__init__(md)
        self.top_level = top_level
        self.id_prefix = id_prefix
        self.outline: list[OutlineEntry] = []

    def run(self, root: etree.Element) -> None:
        _mark_signatures(root)
        raw = self._promote(root)
        self._levels_and_anchors(root, raw)

    def _promote(self, root: etree.Element) -> dict[int, int]:
        """Split numbered paragraphs that open with a heading; raw level of every heading by id()."""
        raw: dict[int, int] = {}
        section_level, levels = 0, Levels()
        index = 0
        while index < len(root):
            child = root[index]
            index += 1
            if child.tag in _HEADINGS:
                section_level = int(child.tag[1])
                raw[id(child)] = section_level
                levels.reset()
                continue
            if child.tag != "p" or child.get("class") == SIGNATURE_CLASS:
                continue
            text = _text(child)
            split = split_heading(text, self._following(root, index))
            if split is None:
                continue
            heading_text, rest = split
            depth, _ = levels.place(marker_of(text))
            if rest:
                head, body = _split(child, len(heading_text))
                _strip_edges(body, leading=True)
                body.tail = child.tail
            else:
                head, body = copy.copy(child), None
            _strip_edges(head, leading=False)
            head.tag = "h6"  # placeholder: the level is decided below
            head.tail = "\n"
            raw[id(head)] = section_level + 1 + depth
            position = index - 1
            root.remove(child)
            root.insert(position, head)
            if body is not None:
                root.insert(position + 1, body)  # looked at next: it may open with a heading too
        return raw

    @staticmethod
    def _following(root: etree.Element, start: int):
        """Texts of the paragraphs after `start`, up to the next heading."""
        for element in list(root)[start:]:
            if element.tag in _HEADINGS:
                return
            if element.tag == "p":
                yield _text(element)

    def _levels_and_anchors(self, root: etree.Element, raw: dict[int, int]) -> None:
        anchors = Anchors(prefix=self.id_prefix)
        stack: list[tuple[int, OutlineEntry | None]] = []  # (raw level, entry)
        for element in root.iter():
            if element.tag not in _HEADINGS:
                continue
            level = raw.get(id(element), int(element.tag[1]))
            while stack and stack[-1][0] >= level:
                stack.pop()
            depth = len(stack)
            html_level = min(self.top_level + depth, 6)
            element.tag = f"h{html_level}"
            text = _text(element).strip(_LAYOUT_SPACE)
            anchor = anchors.name(depth, text)
            element.set("id", anchor)
            entry = OutlineEntry(anchor, text, html_level)
            (stack[-1][1].children if stack else self.outline).append(entry)
            stack.append((level, entry))


class _Document(Extension):
    def __init__(self, top_level: int, id_prefix: str, links: bool = True):
        super().__init__()
        self.top_level = top_level
        self.id_prefix = id_prefix
        self.read_links = links  # False: brackets are text (a body above MAX_LINK_WORK, refused as P708)
        self.structure: _Structure | None = None
        self.links: SafeLinks | None = None

    def extendMarkdown(self, md):
        self.structure = _Structure(md, self.top_level, self.id_prefix)
        # After "unescape" (priority 0): "1\." is read as "1." again.
        md.treeprocessors.register(self.structure, "document_structure", -10)
        self.links = SafeLinks(md)
        md.treeprocessors.register(self.links, "safe_links", -20)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        if not self.read_links:
            for name in _LINK_PATTERNS:
                md.inlinePatterns.deregister(name)


_LINK_PATTERNS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")


# Lists and quotes nested deeper than this are shown at this depth. Python-Markdown parses each level by
# recursion: a body nested some hundreds of levels deep (pasted, or hostile) exhausted Python's stack and
# stopped the build with an internal error. No real document comes near it; P707 points at such a line.
MAX_NESTING = 20
_NESTING = re.compile(r"[ \t]*(?:>[ \t]*)*")


def nesting(line: str) -> int:
    """How deep a line of a body is nested: each four columns of indentation (a tab reaches the next
    multiple of four) and each > of a quote one level."""
    marks = _NESTING.match(line).group()
    indent = len(marks) - len(marks.lstrip(" \t"))
    return len(marks[:indent].expandtabs(4)) // 4 + marks.count(">")


def _flattened(text: str) -> str:
    """`text` with each line nested at most MAX_NESTING deep (its words as they are)."""
    lines = []
    for line in text.split("\n"):
        if nesting(line) > MAX_NESTING:
            marks = _NESTING.match(line).group()
            quotes = min(marks.count(">"), MAX_NESTING)
            line = " " * (4 * (MAX_NESTING - quotes)) + "> " * quotes + line[len(marks):]
        lines.append(line)
    return "\n".join(lines)


# Python-Markdown reads a paragraph from each [ in it up to the ] that closes it, and from the ( after that ]
# up to the ) that closes it, or to the paragraph's end when none does: a paragraph of 30,000 [ (pasted, or
# hostile) kept a build busy for minutes. A body that would be read more than this many characters so is not
# rendered (P708 says where; rendered meanwhile, it shows its brackets as text): a body below it renders in
# a second or two.
MAX_LINK_WORK = 2_000_000
_OWN_BLOCK = re.compile(r"[ \t]*(?:[-*+>#]|\d+[.)])|.*\|")  # a list item, quote, heading, table row: read apart
_LINK_MARK = re.compile(r"[\[\]()]")


@functools.lru_cache(maxsize=256)
def link_work(text: str) -> tuple[int, int]:
    """How many characters Python-Markdown's link patterns read in `text`, about (see MAX_LINK_WORK), and
    the line (0-based) where the paragraph that costs most begins. Counted once per body in a process: the
    checker (P708, the link rules) and the renderer each ask."""
    total, worst, worst_line = 0, -1, 0
    start, block = 0, []
    for number, line in enumerate([*text.split("\n"), ""]):
        if not line.strip() or _OWN_BLOCK.match(line):  # the paragraph before it ends
            cost = _block_work("\n".join(block)) if block else 0
            total += cost
            if cost > worst:
                worst, worst_line = cost, start
            start, block = number + (not line.strip()), []
        if line.strip():
            block.append(line)
    return total, worst_line


def _block_work(block: str) -> int:
    """The characters read in one paragraph: from each [ to the ] closing it, from each ( after such a ] to
    the ) closing it; to the paragraph's end for one that nothing closes."""
    work, brackets, parens, closed = 0, [], [], -2  # closed: where the last ] that closed a [ is
    for mark in _LINK_MARK.finditer(block):
        char, at = mark.group(), mark.start()
        if char == "[":
            brackets.append(at)
        elif char == "]":
            if brackets:
                work += at - brackets.pop()
                closed = at
        elif char == "(":
            parens.append((at, closed == at - 1))
        elif parens:
            opened, after_link = parens.pop()
            work += (at - opened) if after_link else 0
    return work + sum(len(block) - at for at in brackets) + sum(len(block) - at for at, link in parens if link)


def render_body(text: str, top_level: int = 2, id_prefix: str = "") -> RenderedBody:
    """The HTML of a document body and the outline of its headings.

    Rendered once per body and arguments in a process, however they are passed: the checker's rules
    (P704–P709) and the theme's `markdown` and `outline` filters ask for the same body in one worker."""
    return _rendered(str(text), top_level, id_prefix)


@functools.lru_cache(maxsize=256)
def _rendered(text: str, top_level: int, id_prefix: str) -> RenderedBody:
    if any(nesting(line) > MAX_NESTING for line in text.split("\n")):
        text = _flattened(text)
    # the build renders a page as it reads its record, before the checker's findings stop it: never slow
    extension = _Document(top_level, id_prefix, links=link_work(text)[0] <= MAX_LINK_WORK)
    converter = markdown.Markdown(extensions=["tables", "sane_lists", extension], output_format="html")
    html = mask_markup(sanitise(converter.convert(text)))  # a number its emphasis splits too
    return RenderedBody(html, extension.structure.outline, extension.links.rejected)


def markdown_to_html(text: str, top_level: int = 2, id_prefix: str = "") -> str:
    """Convert a document body; its highest heading becomes `<h{top_level}>`.

    `id_prefix` keeps anchors apart when several documents share one page.
    """
    return render_body(text, top_level, id_prefix).html


def document_outline(text: str, top_level: int = 2, id_prefix: str = "") -> list[OutlineEntry]:
    """The headings of a document body as a tree, with the anchors :func:`markdown_to_html` gives them."""
    return render_body(text, top_level, id_prefix).outline


__all__ = ["markdown_to_html", "document_outline", "render_body", "OutlineEntry", "RenderedBody", "MAX_NESTING", "nesting",
           "MAX_LINK_WORK", "link_work"]
