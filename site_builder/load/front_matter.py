"""Markdown documents: the YAML front matter block and the body beneath it."""

from __future__ import annotations

from ..errors import SiteError
from .source import Source
from .yaml_text import MarkedDict, MarkedStr, parse_yaml

_HINT = ("Markdown 文档要以一个信息块开头：第一行写 ---，接着写 kind、title 等信息，再写一行 --- 结束，"
         "然后空一行写正文。可以用 site-builder new 生成模板。")


def split_front_matter(source: Source) -> tuple[MarkedDict, MarkedStr]:
    """Return the front matter mapping and the body (with the line it starts on)."""
    lines = source.text.split("\n")
    if lines[0].strip() != "---":
        raise SiteError(source.finding("L106", "文档开头缺少信息块（第一行应当是 ---）", _HINT, 1, 1))
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            closing = index
            break
    else:
        raise SiteError(source.finding(
            "L106", "信息块没有结束：找不到第二行 ---", "请在信息块最后一项下面加一行 ---，再写正文。", 1, 1))
    meta = parse_yaml(source, "\n".join(lines[1:closing]), line_offset=1)
    if meta is None or meta == "":
        raise SiteError(source.finding("L106", "信息块是空的", _HINT, 1, 1))
    if not isinstance(meta, MarkedDict):
        line, column = getattr(meta, "line", 2), getattr(meta, "column", 1)
        raise SiteError(source.finding(
            "L106", "信息块里应当是“键: 值”的形式", "每行写一项，例如 “title: 2023年度部门整体支出绩效自评报告”。",
            line, column))
    body = MarkedStr("\n".join(lines[closing + 1:]), closing + 2, 1)
    return meta, body
