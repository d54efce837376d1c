"""Rules about a record as a whole: required cells, its year, leftover placeholders."""

from __future__ import annotations

import re

from pathlib import Path

from ...errors import ERROR, WARNING
from ...layouts import ACTUAL, SCORE, TARGET, WEIGHT
from ...model.forms import FormRecord
from ...model.records import Document
from ...model.schema import suggest_year
from ..context import At
from ..registry import rule


def required_cells(record) -> list[tuple[tuple[str, ...], str]]:
    """(path of keys in the file, label) of the cells the record's layout says must be filled in."""
    if isinstance(record, Document):
        return [(("title",), "标题")]
    if not isinstance(record, FormRecord) or record.layout is None:
        return []
    found = _REQUIRED.get(id(record.layout))
    if found is None or found[0] is not record.layout:
        found = _REQUIRED[id(record.layout)] = (record.layout, _required_of(record.layout))
    return found[1]


_REQUIRED: dict[int, tuple] = {}  # id(layout) → (layout, its required cells)


def _required_of(layout) -> list[tuple[tuple[str, ...], str]]:
    cells = [((c.key,), c.label) for c in layout.header if c.required]
    for block in layout.blocks:
        if block.type == "fields":
            cells += [((*block.path, c.key), c.label) for c in block.columns if c.required]
        elif block.type == "table":
            labels = {c.key: c.label for c in block.columns}
            cells += [((*block.path, row.key, key), f"{row.label}的{labels.get(key, key)}")
                      for row in block.rows for key in row.required]
        elif block.type == "indicators" and block.total is not None:
            cells += [((block.total.key, key), f"{block.total.label}的{block.column_label(key)}")
                      for key in block.total.required]
    cells += [(("footer", c.key), c.label) for c in layout.footer if c.required]
    return cells


@rule("F314", ERROR, "必填的格子是空的",
      explanation="""
每种表格都有必须填写的格子，由表格的版式规定（版式文件中写 required 的格子）：例如岳阳市 2023 年版项目表的
项目支出名称、主管部门、实施单位、年度资金总额、合计、填表人、填报日期、单位负责人；部门整体表的部门名称、
年度资金总额、总分和表尾；2021 年版式的部门名称、联系人、联络电话；文档的标题和正文。
这些格子空着，说明录入还没有完成。""",
      wrong="""
footer:
  prepared_by:
  filled_date: 2024年9月11日
""",
      right="""
footer:
  prepared_by: 卢彦军
  filled_date: 2024年9月11日
""")
def required_cells_filled(record, ctx):
    data = ctx.data.get(record.path)
    if data is None:
        return
    for keys, label in required_cells(record):
        node, parent = data, None
        for key in keys:
            parent = node
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and node.strip():
            continue
        line, column = (node.line, node.column) if isinstance(node, str) and node.line else (
            parent.mark_of(keys[-1]) if isinstance(parent, dict) else (data.line, data.column))
        yield ctx.finding("F314", record, At(line, column), f"{label}（{'.'.join(keys)}）没有填写",
                          f"请照签字原表填写{label}。")
    if isinstance(record, Document) and not record.body.strip():
        yield ctx.finding("F314", record, record.body_line, "文档正文是空的", "请在信息块（第二个 ---）下面写正文。")



@rule("F315", ERROR, "记录的年度与所在文件夹不符",
      explanation="""
content/ 下按年度分文件夹存放记录：content/2023/ 里的记录，year 必须是 2023。年度写错，记录会出现在错误的年度栏目里。""",
      wrong="""
# 文件 content/2023/projects/gaosan-fuxi-yingkao.yaml
year: 2022
""",
      right="""
# 文件 content/2023/projects/gaosan-fuxi-yingkao.yaml
year: 2023
""")
def year_matches_folder(record, ctx):
    parts = record.path.split("/")
    folder = next((part for part in parts[1:-1] if re.fullmatch(r"[0-9]{4}", part)), None)
    if folder is None:
        if record.year is not None and record.kind != "organization":
            # a year folder named as people write years: "２０２２", "2022年", "2022年度", "二〇二二"
            misnamed = next((part for part in parts[1:-1] if suggest_year(part)), None)
            if misnamed is not None:
                yield ctx.finding("F315", record, record.source_line_of_year,
                                  f"文件夹“{misnamed}”不是年度文件夹，其中的记录不会放进 {suggest_year(misnamed)} 年度",
                                  f"年度文件夹只用四位半角数字命名：请把文件夹“{misnamed}”改名为“{suggest_year(misnamed)}”。")
                return
            yield ctx.finding("F315", record, record.source_line_of_year,
                              f"年度 {record.year} 的记录没有放在年度文件夹里",
                              f"请把文件移到 content/{record.year}/ 下面。")
        return
    if record.year is not None and str(record.year) != folder:
        year_value = (ctx.data.get(record.path) or {}).get("year")
        yield ctx.finding("F315", record, year_value if hasattr(year_value, "line") else record.source_line_of_year,
                          f"记录写的年度是 {record.year}，但放在 {folder} 年的文件夹里",
                          f"如果是 {folder} 年度的记录，请把 year 改为 {folder}；否则请把文件移到 content/{record.year}/。")


# "____", "XX", "×××", "***" left from a template; not a masked phone (139****6836)
# and not a Markdown horizontal rule.
PLACEHOLDER = re.compile(r"_{3,}|＿{2,}|(?<![A-Za-z])(?:XX|xx|××)+(?![A-Za-z])|(?<!\d)\*{3,}(?!\d)|□{2,}")
# Text each alternative of PLACEHOLDER must contain: looking for these is many
# times faster than running the expression over a file that has none of them.
_PLACEHOLDER_PARTS = ("___", "＿＿", "XX", "xx", "××", "***", "□□")


@rule("F316", ERROR, "文字里留有占位符",
      explanation="""
模板里的“____”，以及“XX”“×××”“***”这样的占位符，说明还有内容没有填写。公开前必须换成真实内容。""",
      wrong="project: ____（项目名称）",
      right="project: 高三复习迎考")
def no_placeholders(record, ctx):
    source = ctx.sources.get(record.path)
    if (source is None or not any(part in source.text for part in _PLACEHOLDER_PARTS)
            or not PLACEHOLDER.search(source.text)):
        return  # a line's match is a match in the whole text: one search clears nearly every file
    for number, line in enumerate(source.lines, start=1):
        content = line.split("#", 1)[0] if not isinstance(record, Document) else line
        if isinstance(record, Document) and content.strip() in ("***", "* * *", "___", "---"):
            continue
        match = PLACEHOLDER.search(content)
        if match:
            yield ctx.finding("F316", record, At(number, match.start() + 1),
                              f"这里留有占位符“{match.group(0)}”",
                              "请把占位符换成真实内容；原表确实印着这些字符的，在 acknowledgements 中说明。")


@rule("F320", WARNING, "得分或完成值没有填写",
      explanation="""
表格有“得分”列时，印了分值的每一行都应当有得分；表格有“实际完成值”（完成值）列时，
不能整列都空着。照签字原表录入时，这多半说明还有格子没有录入；原表确实空着的，照原表公开，
并在 acknowledgements 中说明。表格的版式没有这些列时不检查。""",
      wrong="- {level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: , deviation: }",
      right="- {level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 10, deviation: }",
      applies_to=(FormRecord,))
def scores_and_actuals_filled(record, ctx):
    block = record.indicators_block
    if block is None or not record.checked:
        return
    if block.spec.has(WEIGHT, SCORE):
        for row in block.rows:
            if row.weight and not row.score:
                yield ctx.finding("F320", record, row.score if row.score.line else row.weight,
                                  f"“{row.indicator.text or '（未写三级指标）'}”印了{block.spec.column(WEIGHT).label} "
                                  f"{row.weight.text}，{block.spec.column(SCORE).label}却没有填写",
                                  "请照签字原表填写得分；原表此格确实空白的，在 acknowledgements 中说明。")
    if block.spec.has(TARGET, ACTUAL):
        rows = block.rows
        if rows and any(row.target for row in rows) and not any(row.actual for row in rows):
            first = next(row for row in rows if row.target)
            label = block.spec.column(ACTUAL).label
            yield ctx.finding("F320", record, first.actual if first.actual.line else first.line,
                              f"“{label}”整列都没有填写", f"请照签字原表逐行填写{label}。")


def _instructions() -> tuple[str, ...]:
    """The fill-in instructions of printed templates (one a line in template_instructions.txt)."""
    text = (Path(__file__).parent / "template_instructions.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


INSTRUCTIONS = _instructions()
_ANY_INSTRUCTION = re.compile("|".join(re.escape(phrase) for phrase in INSTRUCTIONS))


@rule("F318", ERROR, "公开的表格里留着模板的填写说明",
      explanation="""
财政部门下发的空白表格在格子里印着填写说明，例如“（100字以内）”“对照年度目标，说明相关任务目标的完成情况”
“结合自评情况，分析存在的问题及原因”。这些说明应当换成实际内容，不能照原样公开。
检查的说明文字列在 site_builder/check/rules/template_instructions.txt 中。""",
      wrong="conclusion: 结合自评情况，说明项目自评总分，说明项目实施取得的成效或成果。（200字以内）",
      right="conclusion: 项目自评得分 96 分，评价等级为优；……",
      applies_to=(FormRecord,))
def template_instructions_replaced(record, ctx):
    source = ctx.sources.get(record.path)
    if source is None or not _ANY_INSTRUCTION.search(source.text):
        return  # one search clears nearly every file
    for cell in _form_cells(record):
        found = next((phrase for phrase in INSTRUCTIONS if phrase in cell.text), None)
        if found is not None:
            yield ctx.finding("F318", record, cell, f"这一格留着模板的填写说明“{found}”",
                              "请把填写说明换成实际内容；原表此格没有填写的，留空。")


def _form_cells(record: FormRecord):
    yield from record.header.values()
    for block in record.blocks:
        kind = block.spec.type
        if kind == "table":
            for row in block.rows:
                yield from row.cells.values()
        elif kind == "pairs":
            for row in block.rows:
                for pair in row.values():
                    yield pair.label
                    yield pair.value
        elif kind in ("text", "fields"):
            yield from block.cells.values()
        elif kind == "field":
            yield block.cell
        elif kind == "indicators":
            for row in block.rows:
                yield from row.cells.values()
        elif kind == "grid":
            for table in block.tables:
                for row in table.rows:
                    for cell in row:
                        yield cell.cell
    yield from record.footer.values()


@rule("F321", ERROR, "合并的格子互相重叠",
      explanation="""
逐格录入的表格（layout: grid）里，横跨（colspan）或竖跨（rowspan）的格子不能盖住别的合并格子占的位置。
常见原因是上一行有竖跨下来的格子，这一行却仍按整行的格数写了横跨：被上面竖跨下来的位置，这一行要空出来
（不写），其余格子依次往右排。网页和 Excel 表只能照不重叠的部分合并，所以这是错误，改正后才能发布。""",
      wrong="""rows:
  - [项目, {text: 收入, rowspan: 2}, 支出]
  - [{text: 基本经费, colspan: 3}]      # 第二列已被“收入”竖跨占住""",
      right="""rows:
  - [项目, {text: 收入, rowspan: 2}, 支出]
  - [基本经费, 支出小计]               # “收入”占住的第二列不写""",
      applies_to=(FormRecord,))
def merges_do_not_overlap(record, ctx):
    for block in record.blocks_of("grid"):
        for number, table in enumerate(block.tables, 1):
            for row, cell in table.overlapping:
                yield ctx.finding(
                    "F321", record, cell.cell if cell.cell.line else 1,
                    f"第 {number} 张表格第 {row + 1} 行：这一格（{cell.text or '空格'}）横跨 {cell.colspan} 列、"
                    f"竖跨 {cell.rowspan} 行，会盖住别的合并格子占的位置",
                    "请对照原表核对这一格和上面几行的 colspan、rowspan：上一行竖跨下来的位置，这一行不写；"
                    "横跨的列数不要超过这一行空着的列。")


@rule("F319", WARNING, "表格的版式没有声明，算术没有核对",
      explanation="""
写 layout: grid 的表格按原表逐格公开（合并的格子照原样合并），但检查程序不知道各列的含义，
所以不核对加总、执行率、得分等算术。为这种表格写一个版式文件（放在站点的 layouts/ 文件夹，
见 docs/content-model.md），把记录的 layout 改为它的 id，就会核对。""",
      wrong="layout: grid",
      right="layout: county-project-2024   # 站点 layouts/ 中的版式",
      applies_to=(FormRecord,))
def layout_declared(record, ctx):
    if record.layout is None or record.layout.checked:
        return
    data = ctx.data.get(record.path) or {}
    value = data.get("layout")
    yield ctx.finding("F319", record, value if hasattr(value, "line") else 1,
                      f"这份表格的版式没有声明（layout: {record.layout.id}），已逐格公开，但没有核对算术",
                      "为它写一个版式文件放在 layouts/ 文件夹，再把 layout 改为那个版式的 id（见 docs/content-model.md）。")


# `key: value #1` or `key: #1高三`: YAML takes everything from " #" on for a comment. The comments of the
# templates and of the real records have a space after the #; a # followed by a figure or a word is text.
_CUT_BY_COMMENT = re.compile(r"^(?P<head>\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_.-]*:)(?P<value>(?:[ \t]+[^\s#'\"{\[|>][^#]*?)?)"
                             r"[ \t]+(?P<comment>#[^\s#].*)$")


@rule("F323", WARNING, "值里的 # 被当作注释，没有读入",
      explanation="""
YAML 里空格后面的 # 表示注释：从 # 起到行尾的文字不会读入，也不会公开。值里本来就有 #（如“#1”“#2号楼”）时，
这部分就悄悄丢了。注释的 # 后面习惯空一格（模板里的注释都是这样），所以 # 后面紧跟文字的，多半是值的一部分。""",
      wrong="project: 高三复习迎考 #1",
      right='project: "高三复习迎考 #1"',
      applies_to=(FormRecord,))
def value_cut_by_a_comment(record, ctx):
    source = ctx.sources.get(record.path)
    if source is None or " #" not in source.text and ":#" not in source.text:
        return
    block_indent = None  # inside a block scalar (| or >): # is text there
    for number, line in enumerate(source.lines, start=1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if re.search(r":\s+[|>][+-]?\d*\s*(#.*)?$", line):
            block_indent = indent
            continue
        match = _CUT_BY_COMMENT.match(line)
        if match is None:
            continue
        value, comment = match["value"].strip(), match["comment"]
        whole = f"{value} {comment}".strip() if value else comment
        quote = "'" if '"' in whole else '"'
        yield ctx.finding("F323", record, At(number, match.start("comment") + 1),
                          f"“{comment}”被当作注释，没有读入：这一项读到的是“{value}”" if value else
                          f"“{comment}”被当作注释，没有读入：这一项读到的是空的",
                          f"如果“{comment}”是内容的一部分，请用英文引号把整个值括起来，改为：{match['head'].strip()} "
                          f"{quote}{whole}{quote}；如果是注释，请在 # 后面空一格。")
