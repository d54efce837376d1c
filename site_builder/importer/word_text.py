"""The text of a Word paragraph as Word shows it, and the paragraphs and tables of a body in order.

python-docx gives a paragraph's text from its runs and hyperlinks only: a run
that Word keeps inside another element is left out. Forms and reports from
the finance bureau's templates keep text in exactly such places: the value of
a fill-in field (a content control, w:sdt), an edit made with changes tracked
(w:ins, w:moveTo), the result of a field (w:fldSimple: a mail-merged name or
date), a smart tag or custom XML around a word. Read by python-docx alone, a
project's name typed into a content control came out as a blank cell.

:func:`paragraph_text` walks the paragraph in order through those containers
and takes each run's text as python-docx does (tabs, line breaks). What Word
does not show is left out, as Word leaves it out: deleted text (w:del, w:moveFrom)
and a field's instructions (w:instrText, which is not a text element), and the
grey prompt of a content control left unfilled. Text in drawings and text boxes
is not the paragraph's (readers.py reports it apart).

Hidden text (w:vanish, set on a run, by its character style, by its paragraph's
style or by the document's defaults) is not shown on paper and not shown on
screen unless one asks Word to: a note to colleagues, a figure struck from the
signed form. It is left out of the paragraph's text like deleted text, but not
silently: :class:`WordText` keeps what it left out, for the import to name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Elements inside a paragraph whose runs are part of its text, in order.
_CONTAINERS = frozenset(f"{W}{name}" for name in (
    "ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "bdo", "dir"))
_RUN = f"{W}r"
# What a run holds as text (as python-docx reads a run: CT_R.text).
_TEXT, _TAB, _PTAB, _BR, _CR, _HYPHEN = (f"{W}{name}" for name in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen"))


_FALSE = ("0", "false", "off")


@dataclass
class WordText:
    """How one document hides text (its styles and defaults), and the hidden text left out so far."""

    styles: dict[str, bool] = field(default_factory=dict)  # style id → hides its text, or turns hiding off
    hidden_by_default: bool = False
    left_out: list[str] = field(default_factory=list)  # hidden texts, in order, not yet taken

    @classmethod
    def of(cls, document) -> "WordText":
        """The hiding of python-docx's `document` (its styles part: styles based on others inherit)."""
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):  # no styles part
            return cls()
        own, based = {}, {}
        for style in styles.iterchildren(f"{W}style"):
            name = style.get(f"{W}styleId")
            if name is None:
                continue
            own[name] = _vanish(style.find(f"{W}rPr"))
            parent = style.find(f"{W}basedOn")
            based[name] = parent.get(f"{W}val") if parent is not None else None
        resolved = {}
        for name in own:
            seen, current = set(), name
            while current in own and current not in seen and own[current] is None:
                seen.add(current)
                current = based.get(current)
            if current in own and own[current] is not None:
                resolved[name] = own[current]  # said by the style or one it is based on
        defaults = _vanish(styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        return cls(resolved, bool(defaults))

    def take(self) -> list[str]:
        """The hidden texts left out since the last call."""
        taken, self.left_out = [text for text in self.left_out if text.strip()], []
        return taken

    def hides(self, run, paragraph_style: str | None) -> bool:
        """Whether the w:r `run`, in a paragraph of style `paragraph_style`, is hidden text: as Word
        decides, the run's own setting, else its character style's, else its paragraph style's."""
        own = _vanish(run.find(f"{W}rPr"))
        if own is not None:
            return own
        style = run.find(f"{W}rPr/{W}rStyle")
        for name in (style.get(f"{W}val") if style is not None else None, paragraph_style):
            if name in self.styles:
                return self.styles[name]
        return self.hidden_by_default


def _vanish(properties) -> bool | None:
    """Whether run properties (w:rPr) hide the text: True, False (hiding turned off), None (not said)."""
    mark = properties.find(f"{W}vanish") if properties is not None else None
    if mark is None:
        return None
    return mark.get(f"{W}val", "true").lower() not in _FALSE


def paragraph_text(paragraph, words: WordText | None = None) -> str:
    """The text of a w:p element as Word shows it (see the module's notes); hidden text is left out
    and kept in `words` (which also knows the document's styles)."""
    words = words if words is not None else WordText()  # styles not known: only what a run itself hides
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    parts: list[str] = []
    hidden: list[str] = []
    _collect(paragraph, parts, hidden, words, style.get(f"{W}val") if style is not None else None)
    if hidden:
        words.left_out.append("".join(hidden))
    return "".join(parts)


def _collect(element, parts: list[str], hidden: list[str], words: WordText, style: str | None) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _RUN:
            if words.hides(child, style):
                _run_text(child, hidden)
            else:
                _run_text(child, parts)
        elif tag in _CONTAINERS and not _placeholder(child):
            _collect(child, parts, hidden, words, style)


def _run_text(run, parts: list[str]) -> None:
    for item in run.iterchildren():
        kind = item.tag
        if kind == _TEXT:
            parts.append(item.text or "")
        elif kind in (_TAB, _PTAB):
            parts.append("\t")
        elif kind == _CR or (kind == _BR and item.get(f"{W}type", "textWrapping") == "textWrapping"):
            parts.append("\n")
        elif kind == _HYPHEN:
            parts.append("-")


def _placeholder(element) -> bool:
    """Whether `element` is a content control still showing its placeholder ("单击或点击此处输入文字。"):
    a field left unfilled, whose grey prompt is not the form's text."""
    return element.tag == f"{W}sdt" and element.find(f"{W}sdtPr/{W}showingPlcHdr") is not None


def body_children(body):
    """The paragraphs and tables of a body (or a cell) in order, looking through block-level content
    controls (w:sdt) and custom XML, which wrap paragraphs and tables in forms made from templates."""
    for element in body.iterchildren():
        if element.tag == f"{W}sdt":
            content = element.find(f"{W}sdtContent")
            if content is not None and not _placeholder(element):
                yield from body_children(content)
        elif element.tag == f"{W}customXml":
            yield from body_children(element)
        else:
            yield element


__all__ = ["paragraph_text", "body_children", "WordText", "W"]
