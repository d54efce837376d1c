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
"""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Elements inside a paragraph whose runs are part of its text, in order.
_CONTAINERS = frozenset(f"{W}{name}" for name in (
    "ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "bdo", "dir"))
_RUN = f"{W}r"
# What a run holds as text (as python-docx reads a run: CT_R.text).
_TEXT, _TAB, _PTAB, _BR, _CR, _HYPHEN = (f"{W}{name}" for name in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen"))


def paragraph_text(paragraph) -> str:
    """The text of a w:p element as Word shows it (see the module's notes)."""
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _RUN:
            for item in child.iterchildren():
                kind = item.tag
                if kind == _TEXT:
                    parts.append(item.text or "")
                elif kind in (_TAB, _PTAB):
                    parts.append("\t")
                elif kind == _CR or (kind == _BR and item.get(f"{W}type", "textWrapping") == "textWrapping"):
                    parts.append("\n")
                elif kind == _HYPHEN:
                    parts.append("-")
        elif tag in _CONTAINERS and not _placeholder(child):
            _collect(child, parts)


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


__all__ = ["paragraph_text", "body_children", "W"]
