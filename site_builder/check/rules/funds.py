"""Rules of the funds block: rows add up, 执行率 and its score.

Every rule reads columns and rows by their role in the form's layout: a rule
whose columns the layout lacks does not run, and a missing column is never 0."""

from __future__ import annotations

from decimal import Decimal

from ...errors import ERROR, WARNING
from ...model.numbers import format_decimal as fmt
from ...layouts import (ADJUSTED_BUDGET, ANNUAL_BUDGET, EXECUTED, EXECUTION_RATE, EXPENDITURE, INCOME,
                        INITIAL_BUDGET, PART, SCORE, WEIGHT)
from ...model.forms import FormRecord, TableRow
from ..context import AMOUNT_TOLERANCE, SCORE_TOLERANCE
from ..registry import document, rule

FORMS = (FormRecord,)
AMOUNT_ROLES = (INITIAL_BUDGET, ADJUSTED_BUDGET, ANNUAL_BUDGET, EXECUTED)
EXPENDITURE_PARTS = ("基本支出", "项目支出")


def checked(record) -> bool:
    """Forms whose layout is declared; a form published as a generic grid is not checked."""
    return record.checked


def _label(row: TableRow) -> str:
    return row.label.removeprefix("其中：").removeprefix("其中:").strip()


def _sum_findings(ctx, record, total_cell, parts, column_label, total_label, parts_label):
    """Compare a printed total with the sum of its printed parts (blank parts count as 0)."""
    numbers = [cell.number for cell in parts if cell.number is not None]
    if total_cell.number is None or not numbers:
        return
    computed = sum(numbers, Decimal(0))
    difference = abs(computed - total_cell.number)
    if difference == 0:
        return
    if difference <= AMOUNT_TOLERANCE:
        yield ctx.finding(
            "F302", record, total_cell,
            f"{column_label}：{parts_label}之和为 {fmt(computed)}，{total_label}印为 {total_cell.text}，相差 {fmt(difference)} 万元（四舍五入造成）",
            "在允许的四舍五入范围（0.01 万元）内，照原表公开即可；如已核对，可在记录中确认（acknowledgements）。",
            printed=total_cell.text, computed=fmt(computed))
    else:
        yield ctx.finding(
            "F301", record, total_cell,
            f"{column_label}：{parts_label}之和为 {fmt(computed)}，与{total_label} {total_cell.text} 相差 {fmt(difference)} 万元",
            "请对照签字原表核对各行金额。若原表就是这样印的，照原表录入，并在记录的 acknowledgements 中写明理由。",
            printed=total_cell.text, computed=fmt(computed))


@rule("F301", ERROR, "资金来源之和与年度资金总额不符",
      explanation="""
项目资金（万元）中，“年度资金总额”应当等于“当年财政拨款”“上年结转资金”“其他资金”三行之和，
年初预算数、全年预算数、全年执行数三列分别核对；部门整体表中，年度资金总额应当等于基本支出与项目支出之和，
也等于按收入性质分的各项之和。空白的格子按 0 计算；只有总额、没有分项的列不核对。
差额不超过 0.01 万元的属于四舍五入，另见 F302。""",
      wrong="""
funds:
  total:         {initial: 50, annual: 50, executed: 50, ...}
  appropriation: {initial: 40, annual: 50, executed: 50, ...}   # 40 ≠ 50
""",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
funds:
  total:         {initial: 50, annual: 50, executed: 50, ...}
  appropriation: {initial: 40, annual: 50, executed: 50, ...}
acknowledgements:
  - {code: F301, reason: 签字原表年初预算数合计印为 50，分项为 40，照原表公开}
""",
      applies_to=FORMS)
def funds_add_up(record, ctx):
    if not checked(record):
        return
    for block in record.blocks_of("table"):
        total = block.total_row
        parts = block.rows_with_role(PART)
        if total is None or not parts:
            continue
        parts_label = "、".join(_label(row) for row in parts)
        for role in AMOUNT_ROLES:
            column = block.column(role)
            if column is not None:
                yield from _sum_findings(ctx, record, total[column.key], [row[column.key] for row in parts],
                                         column.label, _label(total), parts_label)
    budget = record.budget
    if budget is None:
        return
    for block in record.blocks_of("pairs"):
        expenditure = [pair.value for pair in block.side(EXPENDITURE) if pair.label.text in EXPENDITURE_PARTS]
        income = [pair.value for pair in block.side(INCOME)]
        yield from _sum_findings(ctx, record, budget, expenditure, "按支出性质分", "年度资金总额", "基本支出与项目支出")
        yield from _sum_findings(ctx, record, budget, income, "按收入性质分", "年度资金总额", "按收入性质分的各项")


# Findings of F302 come from funds_add_up, which sees both cases.
document("F302", "资金加总有四舍五入差额",
      explanation="""
分项之和与总额相差不超过 0.01 万元。公开的金额四舍五入到 0.01 万元，这样的差额是允许的，
照签字原表公开即可。列出来是为了让核对的人知道这里有差额。""",
      wrong="""
funds:
  total: {initial: "1,463.31", annual: "1,463.31", executed: "1,463.31", ...}
  # 基本支出 1,129.76 + 项目支出 333.56 = 1,463.32
""",
      right="""
# 四舍五入造成的差额：照原表录入，不改数字，在记录末尾确认
funds:
  total: {initial: "1,463.31", annual: "1,463.31", executed: "1,463.31", ...}
acknowledgements:
  - {code: F302, reason: 原表金额四舍五入到 0.01 万元，照签字原表公开}
""",
      severity=WARNING)


def execution_rate(record) -> Decimal | None:
    """全年执行数 ÷ 全年预算数 (or 调整后预算数) of the budget row, in %; None without both figures."""
    executed, budget = record.executed, record.budget
    if executed is None or budget is None or executed.number is None or budget.number is None or budget.number == 0:
        return None
    return executed.number / budget.number * 100


@rule("F303", ERROR, "执行率与全年执行数 ÷ 全年预算数不符",
      explanation="""
执行率 = 全年执行数 ÷ 全年预算数。印出的执行率与计算值相差超过 0.5 个百分点时报告。""",
      wrong="""
total: {initial: 50, annual: 50, executed: 40, weight: 10, rate: 100%, score: 10}
""",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
total: {initial: 50, annual: 50, executed: 40, weight: 10, rate: 100%, score: 10}
acknowledgements:
  - {code: F303, reason: 签字原表执行率印为 100%，照原表公开}
""",
      applies_to=FORMS)
def execution_rate_matches(record, ctx):
    rate = record.execution_rate
    if not checked(record) or rate is None:
        return
    computed, printed = execution_rate(record), rate.percent
    if computed is not None and printed is not None and abs(computed - printed) > Decimal("0.5"):
        executed, budget = record.executed, record.budget
        yield ctx.finding("F303", record, rate,
                          f"执行率印为 {rate.text}，按{_column_label(record, EXECUTED)} {executed.text} ÷ "
                          f"{_column_label(record, ANNUAL_BUDGET, ADJUSTED_BUDGET)} {budget.text} 计算为 {fmt(computed)}%",
                          "请核对执行率或两个金额。")


def _column_label(record, *roles: str) -> str:
    funds = record.funds
    for role in roles:
        column = funds.column(role) if funds is not None else None
        if column is not None:
            return column.label
    return ""


@rule("F304", ERROR, "预算执行得分与执行率不符",
      explanation="""
预算执行的得分 = 分值 × 执行率（执行率超过 100% 按 100% 计）。""",
      wrong="""
total: {annual: 50, executed: 40, weight: 10, rate: 80%, score: 10}
""",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
total: {annual: 50, executed: 40, weight: 10, rate: 80%, score: 10}
acknowledgements:
  - {code: F304, reason: 签字原表预算执行得分印为 10，照原表公开}
""",
      applies_to=FORMS)
def budget_score_matches(record, ctx):
    row = record.budget_row
    if not checked(record) or row is None:
        return
    weight_cell, score_cell, rate_cell = row.cell(WEIGHT), row.cell(SCORE), row.cell(EXECUTION_RATE)
    if weight_cell is None or score_cell is None:
        return  # a form without 分值 or 得分 in its budget row: nothing to compare
    weight, score = weight_cell.number, score_cell.number
    rate = rate_cell.percent if rate_cell is not None and rate_cell.percent is not None else execution_rate(record)
    if weight is None or score is None or rate is None:
        return
    computed = weight * min(rate, Decimal(100)) / 100
    if abs(computed - score) > SCORE_TOLERANCE:
        yield ctx.finding("F304", record, score_cell,
                          f"预算执行得分印为 {score_cell.text}，按{_column_label(record, WEIGHT)} {weight_cell.text} × 执行率 {fmt(rate)}% 应为 {fmt(computed)}",
                          "请核对得分、分值或执行率。")
