"""Personal data in the content: where a mobile or 身份证 number is, before the site masks it.

Every byte published is masked (site_builder.privacy); these rules tell the
editor where such numbers are, so that nothing is published by surprise. The
contact phone cells of the forms (footer.phone, basic.phone) are where a
contact number belongs: they are masked without a warning. A page address
cannot be masked without breaking its links, so a number there is an error.
"""

from __future__ import annotations

import bisect
import functools

from ... import privacy
from ...errors import ERROR, WARNING
from ...model.records import Document
from ..context import At
from ..registry import document, rule

# The cells of the forms meant for a contact number (masked on the site, no warning).
CONTACT_PHONE_CELLS = (("footer", "phone"), ("basic", "phone"))


@rule("P701", WARNING, "内容里有手机号码，网站上会打码",
      explanation="""
网站上的手机号码一律打码（显示为 139****6836 的形式；site.yaml 设 phone_display: office 时换成办公电话），
无论写成 13912345678、139-1234-5678、139 1234 5678、(139)1234-5678、全角数字还是夹有空格；
正文里被加粗、斜体等标记隔开的（139**7303**2708，网页上连在一起显示）也一样。
表尾的“联系电话”（footer.phone、basic.phone）本来就是填手机号的地方，不提示；其他地方（正文、说明、原因等）
出现手机号，多半是无意中带进来的个人信息，请确认是否需要公开。""",
      wrong="reason: 已电话联系张老师（13912345678）核实",
      right="reason: 已电话联系项目负责人核实")
def mobile_numbers_in_text(record, ctx):
    yield from _numbers(record, ctx, privacy.MOBILE, "P701")


@rule("P702", WARNING, "内容里有身份证号码，网站上会打码",
      explanation="""
18 位身份证号码（校验位正确的）和 2004 年以前的 15 位身份证号码（前两位是省级代码、第 7–12 位是出生日期）在网站上一律打码，
只留前 3 位和后 2 位（430*************34、110**********02）。
公开的预决算和绩效材料不应含有身份证号码：请删掉，或确认确实需要。""",
      wrong="负责人：张三（身份证 430602199001011235）",
      right="负责人：张三")
def id_numbers_in_text(record, ctx):
    yield from _numbers(record, ctx, privacy.ID_NUMBER, "P702")


@rule("P703", ERROR, "网页地址里有手机号码或身份证号码",
      explanation="""
网页的文件名来自 slug，没有写 slug 时由标题的拼音生成，会原样出现在网址里。网址无法打码（打码后链接就断了），
所以 slug 和生成文件名的标题里不能有手机号码或身份证号码。""",
      wrong="title: 张老师13912345678工作总结",
      right="title: 张老师工作总结")
def no_numbers_in_address(record, ctx):
    if not record.url or not privacy.find_personal_numbers(record.url):
        return
    data = ctx.data.get(record.path)
    if isinstance(data, dict) and "slug" in data:
        where: object = At(*data.mark_of("slug"))
        named = "slug"
    elif isinstance(data, dict) and "title" in data:
        where, named = At(*data.mark_of("title")), "由标题生成的文件名"
    else:
        where, named = 0, "文件名"
    yield ctx.finding("P703", record, where,
                      f"网页地址 {privacy.mask_text(record.url)} 的{named}含有手机号码或身份证号码",
                      "网址无法打码：请写一个不含个人信息的 slug，例如 slug: zhang-laoshi；标题里也请不要写手机号码。")


document("P706", "要发布的文件无法检查个人信息", explanation="""
网站发布的每个文件都要经过个人信息打码。网页、CSS、JavaScript、JSON、CSV、文本、SVG 按文字打码；
图片和字体原样发布；压缩包和 Excel 表只有其中的文字都已打码才发布。其他类型的文件（例如 PDF），
以及文件名里有手机号码或身份证号码的文件，无法检查，不会发布。""",
         wrong="themes/mine/assets/通知13912345678.pdf", right="themes/mine/assets/notice.png")



def _numbers(record, ctx, kind: str, code: str):
    source = ctx.sources.get(record.path)
    if source is None:
        return
    text = source.text
    numbers = [n for n in _found(text, isinstance(record, Document)) if n.kind == kind]
    if not numbers:
        return
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    contact_lines = _contact_phone_lines(ctx.data.get(record.path)) if kind == privacy.MOBILE else set()
    as_written = {found.digits for found in _found(text, False)}  # the others Markdown's marks split
    label = privacy.KIND_LABELS[kind]
    for number in numbers:
        line = bisect.bisect_right(starts, number.start)
        column = number.start - starts[line - 1] + 1
        if line in contact_lines:
            continue
        if not isinstance(record, Document) and _in_comment(source.lines[line - 1], column):
            continue  # a YAML comment is not published
        split = number.digits not in as_written
        shown = privacy.mask_number_of_markdown(text, number) if split else ctx.published(text[number.start:number.end])
        replaced = "换成办公电话" if kind == privacy.MOBILE and ctx.shows_office_phone and not split else "打码"
        yield ctx.finding(code, record, At(line, column), f"这里有{label}（网站上显示为 {shown}）",
                          f"网站上会自动{replaced}。如果不应公开，请删掉这个{label}；确需保留的，"
                          f"在 acknowledgements 中确认：{{code: {code}, line: {line}, reason: …}}。")


@functools.lru_cache(maxsize=8)  # P701 and P702 read the same file one after the other
def _found(text: str, markdown: bool) -> tuple[privacy.PersonalNumber, ...]:
    """The numbers of a file; of a Markdown one also those its emphasis splits (shown joined on the page)."""
    return tuple(privacy.find_markdown_numbers(text) if markdown else privacy.find_personal_numbers(text))


def _contact_phone_lines(data) -> set[int]:
    lines = set()
    for keys in CONTACT_PHONE_CELLS:
        node = data
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        if getattr(node, "line", 0):
            lines.add(node.line)
    return lines


def _in_comment(line: str, column: int) -> bool:
    """Whether column `column` of a YAML line is inside a comment (a # at the start or after a space)."""
    before = line[:column - 1]
    return before.lstrip().startswith("#") or " #" in before or "\t#" in before
