"""The structured document as a Markdown record: front matter, then the body.

Text is written as it was read; only what Markdown would misread is escaped
("1. " — a number, a dot and a space — at the start of a line would begin a
list and becomes "1\\. "; "2.开展" reads the same in Markdown and is left as it
is), so every character of the source is still there. The closing (issuer and
date) is written as a paragraph marked `{: .signature}`, which the renderer
shows right-aligned.
"""

from __future__ import annotations

import re

import yaml

from .blocks import HEADING, LIST_ITEM, RAW, SIGNATURE, TABLE
from .numbering import Item, Structured

# Python-Markdown starts an ordered list only at "1." followed by a space.
_LIST_START = re.compile(r"^(\d{1,9})(\.)(?=[ \t]|$)")
SIGNATURE_MARK = "{: .signature}"
_MARKUP_START = re.compile(r"^([-+*](?=\s|$)|#|>|=+\s*$|-+\s*$|\|)")


def _escape_line(line: str) -> str:
    line = _LIST_START.sub(r"\1\\\2", line)
    return _MARKUP_START.sub(lambda m: "\\" + m.group(0), line)


def _paragraph(text: str) -> str:
    return "\n".join(_escape_line(line) for line in text.split("\n"))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def _table(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(_cell(c) for c in rows[0]) + " |",
             "|" + "|".join(" --- " for _ in range(width)) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _item(item: Item) -> str:
    if item.kind == HEADING:
        return "#" * item.level + " " + item.text
    if item.kind == LIST_ITEM:
        return ("1. " if item.ordered else "- ") + _paragraph(item.text).replace("\n", "\n   ")
    if item.kind == TABLE:
        return _table(item.rows)
    if item.kind == RAW:
        return item.text
    if item.kind == SIGNATURE:
        return _paragraph(item.text) + "\n" + SIGNATURE_MARK
    return _paragraph(item.text)


def _value(key: str, value) -> str:
    if key == "date":
        return f"date: {value}"  # YYYY-MM-DD, read as text by the loader: no quotes needed
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10_000, sort_keys=False).strip()


def to_markdown(structured: Structured, kind: str, year: int, slug: str, comment: str) -> str:
    front = {"kind": kind, "year": year, **structured.front, "slug": slug}
    lines = ["---", *(_value(k, v) for k, v in front.items())]
    lines += [f"# {line}" for line in comment.splitlines()]
    lines += ["---", "", ""]
    parts: list[str] = []
    previous: Item | None = None
    for item in structured.items:
        text = _item(item)
        if parts and previous is not None and previous.kind == LIST_ITEM and item.kind == LIST_ITEM:
            parts[-1] += "\n" + text
        else:
            parts.append(text)
        previous = item
    return "\n".join(lines) + "\n\n".join(parts) + "\n"


__all__ = ["to_markdown"]
