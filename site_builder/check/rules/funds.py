"""Rules of the funds block: rows add up, 执行率 and its score."""

from __future__ import annotations

from decimal import Decimal

from ...errors import ERROR, WARNING
from ...model.numbers import format_decimal as fmt
from ...model.records import DepartmentEvaluation, EvaluationForm, FundsRow, ProjectEvaluation
from ..context import AMOUNT_TOLERANCE, SCORE_TOLERANCE
from ..registry import document, rule

AMOUNT_COLUMNS = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数"}
PARTS = {"appropriation": "当年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}


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
            "在允许的四舍五入范围（0.01 万元）内，照原表公开即可；如已核对，可在记录中确认（acknowledgements）。")
    else:
        yield ctx.finding(
            "F301", record, total_cell,
            f"{column_label}：{parts_label}之和为 {fmt(computed)}，与{total_label} {total_cell.text} 相差 {fmt(difference)} 万元",
            "请对照签字原表核对各行金额。若原表就是这样印的，照原表录入，并在记录的 acknowledgements 中写明理由。")


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
      applies_to=(EvaluationForm,))
def funds_add_up(record, ctx):
    if isinstance(record, ProjectEvaluation):
        total = record.funds["total"]
        for column, label in AMOUNT_COLUMNS.items():
            yield from _sum_findings(ctx, record, total[column], [record.funds[key][column] for key in PARTS],
                                     label, "年度资金总额", "当年财政拨款、上年结转资金、其他资金")
    elif isinstance(record, DepartmentEvaluation) and record.funds_total is not None:
        total = record.funds_total["annual"]
        expenditure = [row.expenditure.value for row in record.by_nature
                       if row.expenditure.label.text in ("基本支出", "项目支出")]
        income = [row.income.value for row in record.by_nature]
        yield from _sum_findings(ctx, record, total, expenditure, "按支出性质分", "年度资金总额", "基本支出与项目支出")
        yield from _sum_findings(ctx, record, total, income, "按收入性质分", "年度资金总额", "按收入性质分的各项")


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


def execution_rate(row: FundsRow) -> Decimal | None:
    executed, budget = row["executed"].number, row["annual"].number
    if executed is None or budget is None or budget == 0:
        return None
    return executed / budget * 100


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
      applies_to=(EvaluationForm,))
def execution_rate_matches(record, ctx):
    for row in record.budget_rows:
        computed, printed = execution_rate(row), row["rate"].percent
        if computed is not None and printed is not None and abs(computed - printed) > Decimal("0.5"):
            yield ctx.finding("F303", record, row["rate"],
                              f"执行率印为 {row['rate'].text}，按全年执行数 {row['executed'].text} ÷ 全年预算数 {row['annual'].text} 计算为 {fmt(computed)}%",
                              "请核对执行率或两个金额。")


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
      applies_to=(EvaluationForm,))
def budget_score_matches(record, ctx):
    for row in record.budget_rows:
        weight, score = row["weight"].number, row["score"].number
        rate = row["rate"].percent if row["rate"].percent is not None else execution_rate(row)
        if weight is None or score is None or rate is None:
            continue
        computed = weight * min(rate, Decimal(100)) / 100
        if abs(computed - score) > SCORE_TOLERANCE:
            yield ctx.finding("F304", record, row["score"],
                              f"预算执行得分印为 {row['score'].text}，按分值 {row['weight'].text} × 执行率 {fmt(rate)}% 应为 {fmt(computed)}",
                              "请核对得分、分值或执行率。")
