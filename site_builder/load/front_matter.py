"""Markdown documents: the YAML front matter block and the body beneath it."""

from __future__ import annotations

import re

from ..errors import SiteError
from .source import Source
from .yaml_text import MarkedDict, MarkedStr, parse_yaml

_HINT = ("Markdown 文档要以一个信息块开头：第一行写 ---，接着写 kind、title 等信息，再写一行 --- 结束，"
         "然后空一行写正文。可以用 site-builder new 生成模板。")


def split_front_matter(source: Source) -> tuple[MarkedDict, MarkedStr]:
    """Return the front matter mapping and the body (with the line it starts on)."""
    lines = source.text.split("\n")
    if lines[0].strip() != "---":
        raise SiteError(_no_opening(source, lines))
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            closing = index
            break
    else:
        raise SiteError(_no_closing(source, lines))
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


# What editors type for the three dashes: a Chinese dash (破折号), full-width hyphens, four dashes.
_DASH_LIKE = re.compile(r"[-－—–―─━‐‑﹣]{2,}")
_KEY_LINE = re.compile(r"[A-Za-z_]+\s*[:：]")


def _no_opening(source: Source, lines: list[str]):
    """L106 for a document whose first line is not ---, saying what it is instead."""
    first = next((number for number, line in enumerate(lines) if line.strip()), 0)
    written = lines[first].strip()
    if first > 0 and written == "---":
        return source.finding("L106", f"文件开头有 {first} 个空行，信息块的 --- 要写在第一行",
                              "请删掉文件开头的空行，让 --- 成为第一行。", first + 1, 1)
    if written == "+++":
        return source.finding("L106", "信息块用了 +++（TOML 的写法），这里要用 ---",
                              "请把信息块开头和结尾的 +++ 都改为 ---，信息块里的每一项写成“键: 值”（如 title: 2023年度绩效自评报告），"
                              "不用“=”和引号。", first + 1, 1)
    if _DASH_LIKE.fullmatch(written):
        return source.finding("L106", f"信息块的第一行要写三个英文短横线 ---，这里写的是“{written}”",
                              "请把这一行改为 ---（英文输入状态下的三个减号，不是中文破折号或全角横线）；信息块结尾的那一行也一样。",
                              first + 1, 1)
    if _KEY_LINE.match(written):
        return source.finding("L106", "信息块缺少开头的一行 ---", "请在文件最前面加一行 ---（信息块结尾也要有一行 ---）。", 1, 1)
    return source.finding("L106", "文档开头缺少信息块（第一行应当是 ---）", _HINT, 1, 1)


def _no_closing(source: Source, lines: list[str]):
    """L106 for a front matter without its closing ---, pointing at where it should be."""
    for number, line in enumerate(lines[1:], start=1):
        written = line.strip()
        if written == "+++" or _DASH_LIKE.fullmatch(written):
            return source.finding("L106", f"信息块的结尾要写三个英文短横线 ---，这里写的是“{written}”",
                                  "请把这一行改为 ---。", number + 1, 1)
        heading = re.match(r"#{2,6}\s", written)  # "## 一、…": a Markdown heading, not a YAML comment
        if written and (heading or not written.startswith("#")) and not _KEY_LINE.match(written) \
                and not line.startswith((" ", "-")):
            # the body begins (a heading, a paragraph) where the front matter was to end
            return source.finding("L106", "信息块没有结束：正文前面缺少一行 ---",
                                  "请在信息块最后一项下面、正文前面加一行 ---。", number + 1, 1)
    return source.finding("L106", "信息块没有结束：找不到第二行 ---", "请在信息块最后一项下面加一行 ---，再写正文。", 1, 1)
