"""Links, images and nesting of Markdown documents that the site does not keep as written.

The render stage makes them safe whatever the checker says (render.safe_links);
these rules point the editor at the line, so that a link that became plain
text, or an image that became a link, is not a surprise.
"""

from __future__ import annotations

import re

from ...errors import ERROR, WARNING
from ...model.records import Document
from ...render.markdown_body import MAX_LINK_WORK, MAX_NESTING, link_work, nesting, render_body
from ...render.safe_links import IMAGE, LINK
from ..context import At
from ..registry import rule


@rule("P704", WARNING, "链接地址不安全，网站上只显示文字",
      explanation="""
文档里的链接只能指向 http://、https://、mailto:（电子邮件）、tel:（电话）或站内的相对地址。
javascript:、vbscript:、data:、file: 等地址可能执行脚本或打开本机文件，以 // 开头的地址离开了网站，
这样的链接在网站上只显示链接的文字，不能点击。""",
      wrong="[查看详情](javascript:alert(1))",
      right="[查看详情](https://www.yueyang.gov.cn/)",
      applies_to=(Document,))
def unsafe_links(record, ctx):
    yield from _findings(record, ctx, LINK)


@rule("P705", WARNING, "外部图片在网站上显示为链接",
      explanation="""
网站不从其他网站加载任何内容（不发出第三方请求），所以文档中地址为 http:// 或 https:// 的图片
在网站上显示为指向该图片的链接（链接文字是图片的说明文字），不直接显示图片；data: 等其他地址的图片只显示说明文字。
要显示图片，请把图片文件放进站点，用相对地址引用。""",
      wrong="![项目现场](https://example.com/photo.jpg)",
      right="[项目现场照片](https://example.com/photo.jpg)",
      applies_to=(Document,))
def external_images(record, ctx):
    yield from _findings(record, ctx, IMAGE)


@rule("P707", WARNING, f"列表或引用嵌套太深，网站上按 {MAX_NESTING} 层显示",
      explanation=f"""
正文里的列表（每缩进 4 个空格深一层）和引用（每个 > 深一层）最多显示 {MAX_NESTING} 层；更深的行按第 {MAX_NESTING} 层显示，
文字一字不少。这么深的嵌套多半是从别处粘贴时带进来的缩进，请删掉行首多余的空格或 >。""",
      wrong="> > > > > > > > > > > > > > > > > > > > > 第二十一层的引用",
      right="> 引用",
      applies_to=(Document,))
def nesting_kept(record, ctx):
    for offset, line in enumerate((record.body or "").split("\n")):
        depth = nesting(line)
        if depth > MAX_NESTING:
            yield ctx.finding("P707", record, At(record.body_line + offset, 1),
                              f"这一行嵌套了 {depth} 层，网站上按 {MAX_NESTING} 层显示",
                              "请删掉行首多余的空格或 >（列表每深一层缩进 4 个空格）。")
            return  # one finding a document: the lines after it are usually nested as deep


@rule("P708", ERROR, "正文中一段里的方括号太多，无法生成",
      explanation="""
网页把正文里的 [ 当作链接的开头，从每个 [ 往后找它的 ] 和 (地址)。一段里有成千上万个 [ 时（多半是从别处粘贴时带进来的乱码），
这样找下去要几分钟甚至更久，所以不生成，并指出是哪一段。请删掉多余的 [，或者把这一段分成几段（段落之间空一行）；
要显示方括号本身，写 \\[。""",
      wrong="[[[[[[[[[[[[[[[[[[[[[[[[[[……（一段里几千个 [）",
      right="［1］ 或 \\[1\\]",
      applies_to=(Document,))
def too_many_brackets(record, ctx):
    work, line = link_work(record.body or "")
    if work > MAX_LINK_WORK:
        yield ctx.finding("P708", record, At(record.body_line + line, 1),
                          "从这一段起，正文里的方括号 [ 太多，网页生成不了（找链接要花几分钟以上），没有生成",
                          "请删掉多余的 [，或者把长段落分成几段（段落之间空一行）；要显示方括号本身，写 \\[。")


def _findings(record, ctx, kind: str):
    body = record.body or ""
    if "](" not in body and "]:" not in body and "][" not in body:
        return  # no inline link, reference or definition: nothing to render for
    if link_work(body)[0] > MAX_LINK_WORK:
        return  # not rendered: P708
    rejected = [r for r in render_body(body).rejected if r.kind == kind]
    cursor = 0
    for item in rejected:
        position = _find(body, item.address, cursor)
        if position >= 0:
            cursor = position + 1
        before = body[:max(position, 0)]
        line = record.body_line + before.count("\n")
        column = position - (before.rfind("\n") + 1) + 1 if position >= 0 else 0
        if kind == LINK:
            scheme = f"“{item.scheme}:”" if item.scheme else "以 // 或 \\ 开头的"
            yield ctx.finding("P704", record, At(line, column),
                              f"链接地址是{scheme}地址，网站上只显示链接的文字",
                              "链接只能用 http://、https://、mailto:、tel: 或站内相对地址；请改正地址，或删掉这个链接。")
        elif item.became == "link":
            yield ctx.finding("P705", record, At(line, column),
                              "图片来自其他网站，网站上显示为指向它的链接，不直接显示",
                              "要显示图片，请把图片放进站点并用相对地址引用；否则改写成链接：[说明](地址)。")
        else:
            yield ctx.finding("P705", record, At(line, column),
                              f"图片地址是“{item.scheme or '//'}”地址，网站上只显示图片的说明文字",
                              "要显示图片，请把图片放进站点并用相对地址引用。")


def _find(body: str, address: str, start: int) -> int:
    """Where `address` is written in `body`, or -1: as written, or by its scheme's letters; after
    `start` (the previous one) first, then anywhere (a reference's definition may come earlier)."""
    head = re.split(r"[:\s]", address.strip(), maxsplit=1)[0]
    # written with tabs or line breaks that Markdown changed: its first letters, anything between
    letters = re.compile(r"[^\]\)\n]{0,12}?".join(re.escape(char) for char in head[:10]), re.IGNORECASE) if head else None
    for origin in (start, 0):
        position = body.find(address, origin) if address else -1
        if position >= 0:
            return position
        match = letters.search(body, origin) if letters else None
        if match:
            return match.start()
    return -1
