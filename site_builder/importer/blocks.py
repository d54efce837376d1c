"""What the readers give the importer: a document as a sequence of blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import WARNING, Finding
from ..load import CONTROL

PARAGRAPH = "paragraph"
HEADING = "heading"  # a heading the source marks as one (Markdown #, Word's heading styles)
TITLE = "title"  # Word's Title style
LIST_ITEM = "list-item"
TABLE = "table"
RAW = "raw"  # Markdown kept as written (tables, code, quotes, lists of a .md file)
SIGNATURE = "signature"  # the closing: issuer and date lines at the end, right-aligned as printed


# Characters a cell shows as a line break: Word's manual line break pasted into Excel (U+000B), a page
# break (U+000C), a carriage return alone, the line and paragraph separators and NEL of text copied from a
# web page or a PDF. The other invisible characters the check refuses in a record (L111: control
# characters, bidirectional overrides and isolates, XML's non-characters; load.CONTROL declares them) and
# NUL show as nothing: a cell's or a paragraph's text is read as it shows, and the record written passes.
_SHOWN_AS_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def shown_text(text: str) -> str:
    """A cell's or a paragraph's text as Excel or Word shows it: line breaks of every kind as \n, invisible control characters left out."""
    return CONTROL.sub("", _SHOWN_AS_BREAK.sub("\n", text).replace("\x00", ""))


@dataclass
class Block:
    kind: str
    text: str = ""
    line: int = 0  # line in a text file; 0 for Word, whose place is `where`
    where: str = ""  # "第 12 段" in a Word file
    level: int = 0  # heading level (2 for ##) or list depth
    ordered: bool = False
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    """A document read from a file: its blocks, any front matter, and what could not be read."""

    path: str  # as the user typed it
    blocks: list[Block]
    front_matter: dict = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)

    def note(self, message: str, hint: str, block: Block | None = None, line: int = 0, code: str = "N406") -> None:
        where = block.where if block is not None and block.where else ""
        self.notes.append(Finding(code=code, path=self.path, line=block.line if block is not None else line,
                                  message=(f"{where}：" if where else "") + message, hint=hint, severity=WARNING))
