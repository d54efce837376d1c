"""Rules of the scores: each row within its weight, totals, grade, deviation reasons."""

from __future__ import annotations

from decimal import Decimal

from ...errors import ERROR
from ...model.figures import grade_for
from ...model.numbers import format_decimal as fmt
from ...layouts import SCORE, WEIGHT
from ...model.forms import FormRecord
from ..context import SCORE_TOLERANCE
from ..registry import rule

FORMS = (FormRecord,)
NOT_A_REASON = {"", "无", "/", "／", "—", "——", "-", "--", "暂无", "没有", "无。"}


def _scored_cells(record: FormRecord):
    """(weight cell, score cell) for the budget row and every indicator row, where the
    layout has both columns; a form without 分值 (or 得分) gives none."""
    if not record.checked:
        return
    row = record.budget_row
    if row is not None and row.cell(WEIGHT) is not None and row.cell(SCORE) is not None:
        yield row.cell(WEIGHT), row.cell(SCORE)
    block = record.indicators_block
    if block is not None and block.column(WEIGHT) is not None and block.column(SCORE) is not None:
        for row in block.rows:
            yield row.weight, row.score


@rule("F305", ERROR, "得分超出 0 到分值的范围",
      explanation="每一行的得分都应当在 0 和这一行的分值之间（0 ≤ 得分 ≤ 分值）。",
      wrong="- {level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 12, deviation: }",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
- {level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 12, deviation: }
acknowledgements:
  - {code: F305, reason: 签字原表得分印为 12，高于分值 10，照原表公开}
""",
      applies_to=FORMS)
def score_within_weight(record, ctx):
    for weight, score in _scored_cells(record):
        if score.number is None:
            continue
        if score.number < 0 or (weight.number is not None and score.number > weight.number):
            yield ctx.finding("F305", record, score,
                              f"得分 {score.text} 不在 0 到分值 {weight.text or '（空）'} 之间",
                              "请核对这一行的分值和得分。")


def _sums(record: FormRecord) -> tuple[Decimal, Decimal]:
    weights = scores = Decimal(0)
    for weight, score in _scored_cells(record):
        weights += weight.number or 0
        scores += score.number or 0
    return weights, scores


@rule("F308", ERROR, "各行分值之和不是 100",
      explanation="""
预算执行的分值与全部绩效指标的分值加起来应当是 100 分。""",
      wrong="""
total: {label: 合计, weight: 110, score: 96}   # 预算执行 10 + 产出 60 + 效益 30 + 满意度 10
""",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
total: {label: 合计, weight: 110, score: 96}
acknowledgements:
  - {code: F308, reason: 签字原表各行分值之和为 110，照原表公开}
""",
      applies_to=FORMS)
def weights_sum_to_100(record, ctx):
    if record.total is None or record.total.weight is None or not record.checked:
        return
    weights, _ = _sums(record)
    printed = record.total.weight.number
    if printed is not None and abs(printed - weights) > SCORE_TOLERANCE:
        return  # F309 already says the rows do not add up to the printed total
    if weights and weights != 100:
        yield ctx.finding("F308", record, record.total.weight if record.total.weight else record.total.line,
                          f"预算执行和各项指标的分值加起来是 {fmt(weights)}，不是 100",
                          "请核对各行分值；若原表就是这样，照原表录入并在 acknowledgements 中说明。")


@rule("F309", ERROR, "合计分值与各行分值之和不符",
      explanation="合计（总分）行印出的分值应当等于预算执行与各项指标分值之和。",
      wrong="total: {label: 合计, weight: 100, score: 100}   # 各行分值之和为 110",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
total: {label: 合计, weight: 100, score: 100}
acknowledgements:
  - {code: F309, reason: 签字原表合计分值印为 100，各行分值之和为 110，照原表公开}
""",
      applies_to=FORMS)
def total_weight_matches(record, ctx):
    yield from _printed_total_matches(record, ctx, "F309", "weight", "分值")


def _printed_total_matches(record, ctx, code: str, column: str, label: str):
    """The 合计 row's printed `column` against the sum of the rows above it."""
    if record.total is None or not record.checked:
        return
    printed = getattr(record.total, column)
    if printed is None or printed.number is None:
        return  # the total row has no such column, or it is blank
    weights, scores = _sums(record)
    computed = weights if column == "weight" else scores
    if abs(computed - printed.number) > SCORE_TOLERANCE:
        yield ctx.finding(code, record, printed, f"合计{label}印为 {printed.text}，各行{label}之和为 {fmt(computed)}",
                          f"请对照原表核对各行{label}和合计；若原表就是这样，照原表录入并在 acknowledgements 中说明。",
                          printed=printed.text, computed=fmt(computed))


@rule("F310", ERROR, "合计得分与各行得分之和不符",
      explanation="合计（总分）行印出的得分应当等于预算执行得分与各项指标得分之和。",
      wrong="total: {label: 合计, weight: 100, score: 98}   # 各行得分之和为 108",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
total: {label: 合计, weight: 100, score: 98}
acknowledgements:
  - {code: F310, reason: 签字原表合计得分印为 98，各行得分之和为 108，照原表公开}
""",
      applies_to=FORMS)
def total_score_matches(record, ctx):
    yield from _printed_total_matches(record, ctx, "F310", "score", "得分")


@rule("F311", ERROR, "评价等级与总分不符",
      explanation="""
评价等级按总分确定：90 分及以上为“优”，80 至 89.x 分为“良”，60 至 79.x 分为“中”，60 分以下为“差”。
只有填写了 grade（评价等级）的记录才核对。""",
      wrong="total: {label: 总分, weight: 100, score: 86}\ngrade: 优",
      right="""
# 签字原表就是这样印的：照原表录入，不改等级和分数，在记录末尾确认
total: {label: 总分, weight: 100, score: 86}
grade: 优
acknowledgements:
  - {code: F311, reason: 签字原表总分 86、等级印为“优”，照原表公开}
""",
      applies_to=FORMS)
def grade_matches_score(record, ctx):
    if record.total is None or not record.grade or record.total.score is None or not record.checked:
        return
    score = record.total.score.number
    if score is None:
        return
    expected = grade_for(score)
    if record.grade.text.strip() != expected:
        yield ctx.finding("F311", record, record.grade,
                          f"评价等级写的是“{record.grade.text}”，总分 {record.total.score.text} 对应的等级是“{expected}”",
                          "等级：优 ≥ 90，良 80–89.x，中 60–79.x，差 < 60。")


@rule("F312", ERROR, "扣分的指标缺少偏差原因分析及改进措施",
      explanation="""
得分低于分值的指标，必须在“偏差原因分析及改进措施”中写明原因和改进措施。
空白、“无”、“/”、“—”都不算。""",
      wrong="- {level3: 改善全市教育单位教学装备, target: 5年内, actual: , weight: 5, score: 3, deviation: }",
      right="""
# 原表写了原因和措施：照录；原表此格空白：照原表留空，在记录末尾确认
- {level3: 改善全市教育单位教学装备, target: 5年内, actual: , weight: 5, score: 3, deviation: }
acknowledgements:
  - {code: F312, reason: 签字原表此格空白，照原表公开}
""",
      applies_to=FORMS)
def deviation_reason_given(record, ctx):
    block = record.indicators_block
    if not record.checked or block is None or not block.spec.has(WEIGHT, SCORE, "deviation_reason"):
        return
    label = block.spec.column("deviation_reason").label
    for row in block.rows:
        if row.weight.number is None or row.score.number is None or row.score.number >= row.weight.number:
            continue
        if row.deviation.text.strip() in NOT_A_REASON:
            yield ctx.finding("F312", record, row.deviation if row.deviation.line else row.score,
                              f"“{row.indicator.text or '（未写三级指标）'}”得分 {row.score.text}，低于分值 {row.weight.text}，但没有写{label}",
                              "请在这一行的 deviation 中写明扣分的原因和改进措施；若原表此格空白，照原表录入并在 acknowledgements 中说明。")
