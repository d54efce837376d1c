"""Markdown that a document's editor did not mean: lines that the site would show otherwise than
they were typed because of how they start.

Office staff indent a paragraph with four spaces or a tab (as in Word), or put full-width spaces
before a heading's ###; Markdown shows the first as a block of program code in a typewriter font
without line wrapping, and the second as a paragraph that begins with “###”.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from ...errors import ERROR
from ...model.records import Document
from ...render.markdown_body import render_body
from ..context import At
from ..registry import rule

# A heading's marks after a full-width space, or written full width themselves (＃＃ 标题).
_HEADING_AFTER_WIDE_SPACE = re.compile(r"^[ \t\u3000]*\u3000[ \t\u3000]*#{1,6}(?=[ \u3000]|$)")
_WIDE_HEADING = re.compile(r"^[ \t\u3000]*＃{1,6}(?=[ \u3000]|$)")
_INDENTED = re.compile(r"^(?: {4}|\t| {0,3}\t)")


@rule("P709", ERROR, "行首的空格让这一行显示得不对",
      explanation="""
Markdown 把行首缩进 4 个空格（或一个 Tab）的一段当作“程序代码”，在网站上用打字机字体原样显示，长句不换行；
标题的 ### 前面有全角空格（或 ### 写成全角的 ＃＃＃）时，这一行不是标题，网站上照原样显示“###”。
在 Word 里习惯用空格缩进段首、或从 Word“另存为”纯文本时，就会这样。段首不用缩进（网站自动分段），
中文习惯的段首空两格请用两个全角空格“　　”；标题的 # 要顶格，用半角的 #。""",
      wrong="    岳阳市教育科学技术研究院是由……\n　　### （二）主要工作职责",
      right="岳阳市教育科学技术研究院是由……\n### （二）主要工作职责",
      applies_to=(Document,))
def lines_shown_as_typed(record, ctx):
    body = record.body or ""
    lines = body.split("\n")
    code_starts = _code_block_starts(body, lines) if ("    " in body or "\t" in body) else []
    for offset in code_starts:
        line = lines[offset]
        yield ctx.finding("P709", record, At(record.body_line + offset, 1),
                          "这一段行首缩进了 4 个空格（或 Tab），网站上会显示成程序代码（打字机字体、长句不换行）",
                          f"请删掉行首的空格或 Tab，改为：{line.strip()[:40]}{'……' if len(line.strip()) > 40 else ''}"
                          "（段首要空两格的，用两个全角空格“　　”）。")
    for offset, line in enumerate(lines):
        if _HEADING_AFTER_WIDE_SPACE.match(line) or _WIDE_HEADING.match(line):
            fixed = re.sub(r"^[ \t\u3000]*(＃+|#+)", lambda m: "#" * len(m[1]), line)
            yield ctx.finding("P709", record, At(record.body_line + offset, 1),
                              "标题的“#”前面有全角空格（或 # 写成了全角的 ＃），网站上这一行不是标题，会原样显示“#”",
                              f"标题的 # 要顶格，用半角的 #，改为：{fixed.strip()}")


def _code_block_starts(body: str, lines: list[str]) -> list[int]:
    """The lines (0-based) where an indented code block begins, as the site renders the body."""
    html = render_body(body).html
    if "<pre><code>" not in html:
        return []
    starts = []
    previous_blank = True
    in_list = False
    for offset, line in enumerate(lines):
        if not line.strip():
            previous_blank = True
            continue
        if re.match(r"^ {0,3}([-*+]|\d+[.)])\s", line):
            in_list = True
        elif not line.startswith((" ", "\t")):
            in_list = False
        if previous_blank and not in_list and _INDENTED.match(line):
            text = line.strip()
            if text and html_escape(text[:20], quote=False) in html:
                starts.append(offset)
        previous_blank = False
    return starts
