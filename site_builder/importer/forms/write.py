"""Record data as YAML an office editor reads like the hand-entered files in content/.

Plain values wherever YAML reads them back unchanged (`rate: 100%`,
`initial: 50`), double quotes only where needed (`"1,463.31"`), multi-line
cells as `|-` blocks, each row of a printed table on one line (`{…}`), a blank
line between the parts of the form, and comments at the top naming the form
and the file it came from. Writing the same data twice gives the same bytes.
"""

from __future__ import annotations

import re

import yaml

INDENT = "  "
# What a comment cannot hold: what YAML takes for the end of the line, and what it refuses unescaped
# (a file name or a form's name from a hostile or damaged file may hold either).
_NOT_IN_COMMENT = re.compile("[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Row(dict):
    """A row of a printed table: written on one line when its cells are single-line."""


def _plain(text: str, flow: bool) -> bool:
    if text == "" or text != text.strip() or "\n" in text:
        return text == ""
    document = "{k: " + text + "}" if flow else "k: " + text
    try:
        return yaml.load(document, Loader=yaml.BaseLoader) == {"k": text}
    except yaml.YAMLError:
        return False


def scalar(text: str, flow: bool = False) -> str:
    text = str(text)
    if _plain(text, flow):
        return text
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1_000_000).strip().replace("\n...", "")


def _multiline(value) -> bool:
    return isinstance(value, str) and "\n" in value


def _flow_ok(row: dict) -> bool:
    return all(isinstance(v, str) and not _multiline(v) for v in row.values())


def _flow(row: dict) -> str:
    parts = []
    for key, value in row.items():
        text = scalar(value, flow=True)
        parts.append(f"{key}: {text}" if text else f"{key}: ")
    return "{" + ", ".join(parts) + "}"


def _literal(value: str, indent: str) -> list[str]:
    """A multi-line cell as a `|-` block, or quoted when a block would change it: leading spaces, tabs,
    lines of spaces only, characters YAML takes for a line break (\r, U+2028 as copied from a web page)
    or refuses unescaped (\x0b, Word's line break pasted into Excel)."""
    lines = value.split("\n")
    if lines[0][:1] in (" ", "\t") or any(line.startswith("\t") for line in lines) or value.endswith("\n"):
        return [scalar(value)]
    block = ["|-"] + [(indent + line) if line else "" for line in lines]
    if not _reads_back("\n".join(["k: |-"] + [(INDENT + line) if line else "" for line in lines]), value):
        return [scalar(value)]
    return block


def _reads_back(document: str, value: str) -> bool:
    try:
        return yaml.load(document, Loader=yaml.BaseLoader) == {"k": value}
    except yaml.YAMLError:
        return False


def _entry(key: str, value, indent: str, align: int = 0) -> list[str]:
    """`key: value` at `indent`, the value written after the key or in lines below it."""
    head = f"{indent}{key}:"
    if isinstance(value, str):
        if _multiline(value):
            literal = _literal(value, indent + INDENT)
            if len(literal) == 1:
                return [f"{head} {literal[0]}"]
            return [f"{head} {literal[0]}", *literal[1:]]
        text = scalar(value)
        return [f"{head} {text}" if text else head]
    if isinstance(value, Row) and _flow_ok(value):
        return [f"{head.ljust(len(indent) + align)} {_flow(value)}"]
    if isinstance(value, dict):
        if not value:
            return [f"{head} {{}}"]
        width = max(len(k) for k in value) + 1 if all(isinstance(v, Row) and _flow_ok(v) for v in value.values()) else 0
        lines = [head]
        for child_key, child in value.items():
            lines.extend(_entry(child_key, child, indent + INDENT, width))
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{head} []"]
        lines = [head]
        for item in value:
            lines.extend(_item(item, indent + INDENT))
        return lines
    return [f"{head} {scalar(str(value))}"]


def _item(item, indent: str) -> list[str]:
    """One `- …` element of a list."""
    if isinstance(item, Row) and _flow_ok(item):
        return [f"{indent}- {_flow(item)}"]
    if isinstance(item, list):  # a row of a grid: its cells
        cells = []
        for cell in item:
            if isinstance(cell, dict):
                cells.append(_flow(cell))
            else:
                cells.append(scalar(cell, flow=True) if cell != "" else '""')
        return [f"{indent}- [{', '.join(cells)}]"]
    if isinstance(item, dict):
        lines: list[str] = []
        for index, (key, value) in enumerate(item.items()):
            entry = _entry(key, value, indent + INDENT)
            if index == 0:
                entry[0] = indent + "- " + entry[0][len(indent) + len(INDENT):]
            lines.extend(entry)
        return lines or [f"{indent}- {{}}"]
    text = scalar(str(item), flow=True)
    return [f"{indent}- {text}" if text else f'{indent}- ""']


def _comment(text: str) -> str:
    """`text` on one comment line: line breaks and characters YAML refuses made spaces."""
    return _NOT_IN_COMMENT.sub(" ", text)


def to_yaml(record: dict, comments: list[str], spaced: set[str], trailer: list[str] = ()) -> str:
    """The record's text: `comments` on top; a blank line before each key in `spaced`; `trailer` comments last."""
    lines = [f"# {_comment(line)}" for line in comments]
    for key, value in record.items():
        if key in spaced and lines and lines[-1] != "":
            lines.append("")
        lines.extend(_entry(key, value, ""))
    if trailer:
        lines.append("")
        lines.extend(f"# {_comment(line)}" if line else "#" for line in trailer)
    return "\n".join(lines) + "\n"


__all__ = ["to_yaml", "Row", "scalar"]
