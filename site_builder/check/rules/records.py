"""Rules about a record as a whole: required cells, its year, leftover placeholders."""

from __future__ import annotations

import re

from ...errors import ERROR
from ...model.records import DepartmentEvaluation, DepartmentEvaluation2021, Document, ProjectEvaluation
from ..registry import rule

# (path of keys in the file, label) of the cells each layout must fill in.
REQUIRED_CELLS = {
    ProjectEvaluation: [
        (("project",), "项目支出名称"), (("department",), "主管部门"), (("implementer",), "实施单位"),
        (("funds", "total", "annual"), "年度资金总额的全年预算数"),
        (("total", "weight"), "合计分值"), (("total", "score"), "合计得分"),
        (("footer", "prepared_by"), "填表人"), (("footer", "filled_date"), "填报日期"),
        (("footer", "head"), "单位负责人签字"),
    ],
    DepartmentEvaluation: [
        (("department",), "市级预算部门名称"), (("funds", "total", "annual"), "年度资金总额的全年预算数"),
        (("total", "score"), "总分"),
        (("footer", "prepared_by"), "填表人"), (("footer", "filled_date"), "填报日期"),
        (("footer", "head"), "单位负责人签字"),
    ],
    DepartmentEvaluation2021: [
        (("department",), "部门（单位）名称"), (("basic", "contact"), "联系人"), (("basic", "phone"), "联络电话"),
    ],
    Document: [(("title",), "标题")],
}


@rule("F314", ERROR, "必填的格子是空的",
      explanation="""
每种表格都有必须填写的格子：项目表的项目支出名称、主管部门、实施单位、年度资金总额、合计、填表人、填报日期、
单位负责人；部门整体表的部门名称、年度资金总额、总分和表尾；2021 年版式的部门名称、联系人、联络电话；
文档的标题和正文。这些格子空着，说明录入还没有完成。""",
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
    for keys, label in REQUIRED_CELLS.get(type(record), []):
        node, parent = data, None
        for key in keys:
            parent = node
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and node.strip():
            continue
        line, column = (node.line, node.column) if isinstance(node, str) and node.line else (
            parent.mark_of(keys[-1]) if isinstance(parent, dict) else (data.line, data.column))
        yield ctx.finding("F314", record, _At(line, column), f"{label}（{'.'.join(keys)}）没有填写",
                          f"请照签字原表填写{label}。")
    if isinstance(record, Document) and not record.body.strip():
        yield ctx.finding("F314", record, record.body_line, "文档正文是空的", "请在信息块（第二个 ---）下面写正文。")


class _At:
    """A place in a file that is not a cell (a key, or a missing value)."""

    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


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
    folder = next((part for part in parts[1:-1] if re.fullmatch(r"\d{4}", part)), None)
    if folder is None:
        if record.year is not None and record.kind != "organization":
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
            yield ctx.finding("F316", record, _At(number, match.start() + 1),
                              f"这里留有占位符“{match.group(0)}”",
                              "请把占位符换成真实内容；原表确实印着这些字符的，在 acknowledgements 中说明。")
