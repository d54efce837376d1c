"""Rules of the indicator block: 一级 weights and the 一级 / 二级 hierarchy.

The hierarchy of 一级 and 二级 labels is the layout's vocabulary; a layout
without one is not checked for it."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ...errors import ERROR, WARNING
from ...model.numbers import format_decimal as fmt
from ...layouts import WEIGHT
from ...model.forms import FormRecord
from ..registry import rule

FORMS = (FormRecord,)
# Weights set "in principle"; a department may adjust them.
DEFAULT_WEIGHTS = {"预算执行率": Decimal(10), "产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}


@lru_cache(maxsize=1024)  # the same few labels in every form
def _normalise(label: str) -> str:
    name = "".join(label.split())
    return name if name.endswith("指标") else name + "指标"


@rule("F306", ERROR, "一级指标下各行分值之和与表头印的分值不符",
      explanation="""
一级指标的名称里印着它的分值，例如“产出指标（50分）”。这一一级指标下全部三级指标的分值之和应当等于它。""",
      wrong="""
- level1: 产出指标（50分）
  groups:
    - level2: 数量指标
      rows:
        - {level3: 青少年科技创新大赛, weight: 20, score: 20}
        - {level3: 青少年模型竞赛, weight: 20, score: 20}
    - level2: 成本指标
      rows:
        - {level3: 支出成本, weight: 30, score: 30}   # 20 + 20 + 30 = 70 ≠ 50
""",
      right="""
# 签字原表就是这样印的：照原表录入，不改数字，在记录末尾确认
- level1: 产出指标（50分）
  groups:
    - level2: 数量指标
      rows:
        - {level3: 青少年科技创新大赛, weight: 20, score: 20}
        - {level3: 青少年模型竞赛, weight: 20, score: 20}
    - level2: 成本指标
      rows:
        - {level3: 支出成本, weight: 30, score: 30}
acknowledgements:
  - {code: F306, reason: 签字原表产出指标印为 50 分，各行分值之和为 70，照原表公开}
""",
      applies_to=FORMS)
def level1_weights_match(record, ctx):
    if not record.checked:
        return
    for level1 in record.indicators:
        printed = level1.printed_weight
        if printed is None:
            continue
        subtotal = level1.weight_subtotal
        if subtotal is not None and subtotal != printed:
            yield ctx.finding("F306", record, level1.label,
                              f"“{level1.label.text}”下各行分值之和为 {fmt(subtotal)}，与印的 {fmt(printed)} 分不符",
                              "请核对这一一级指标下各行的分值；若原表就是这样，照原表录入并在 acknowledgements 中说明。",
                              printed=fmt(printed), computed=fmt(subtotal))


@rule("F307", WARNING, "一级指标权重不是 10/50/30/10 的默认值",
      explanation="""
财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）原则上设定：预算执行率 10 分、产出指标 50 分、
效益指标 30 分、满意度指标 10 分。部门可以调整，所以这只是提醒，不是错误。""",
      wrong="- level1: 产出指标（40分）",
      right="""
# 本部门有意调整的权重：照原表录入，不改数字，在记录末尾说明
- level1: 产出指标（40分）
acknowledgements:
  - {code: F307, reason: 本部门将产出指标权重调整为 40 分}
""",
      applies_to=FORMS)
def default_weights(record, ctx):
    if not record.checked:
        return
    budget_row = record.budget_row
    weight_cell = budget_row.cell(WEIGHT) if budget_row is not None else None
    if weight_cell is not None and weight_cell.number is not None and weight_cell.number != DEFAULT_WEIGHTS["预算执行率"]:
        yield ctx.finding("F307", record, weight_cell,
                          f"预算执行率的分值为 {weight_cell.text}，默认是 10 分",
                          "如果这是本部门有意调整的权重，可以忽略，或在 acknowledgements 中说明。")
    for level1 in record.indicators:
        default = DEFAULT_WEIGHTS.get(_normalise(level1.name))
        weight = level1.printed_weight
        if weight is None:
            weight = level1.weight_subtotal
        if default is not None and weight is not None and weight != default:
            yield ctx.finding("F307", record, level1.label,
                              f"“{level1.name}”的分值为 {fmt(weight)}，默认是 {fmt(default)} 分",
                              "如果这是本部门有意调整的权重，可以忽略，或在 acknowledgements 中说明。")


@rule("F313", ERROR, "指标层级不对",
      explanation="""
二级指标必须放在它所属的一级指标下面。哪些一级指标下可以有哪些二级指标，由表格的版式（vocabulary）规定，
例如岳阳市 2023 年版：产出指标 → 数量、质量、时效、成本指标；效益指标 → 经济效益、社会效益、
生态效益、可持续影响指标；满意度指标 → 服务对象满意度指标。版式没有规定的，不核对。""",
      wrong="""
- level1: 产出指标（50分）
  groups:
    - level2: 社会效益指标
""",
      right="""
- level1: 效益指标（30分）
  groups:
    - level2: 社会效益指标
""",
      applies_to=FORMS)
def indicator_hierarchy(record, ctx):
    block = record.indicators_block
    if not record.checked or block is None or not block.vocabulary:
        return
    hierarchy = {_normalise(parent): tuple(_normalise(child) for child in children)
                 for parent, children in block.vocabulary.items()}
    owner = {child: parent for parent, children in hierarchy.items() for child in children}
    for level1 in record.indicators:
        parent = _normalise(level1.name)
        if parent not in hierarchy:
            yield ctx.finding("F313", record, level1.label,
                              f"不认识的一级指标“{level1.label.text}”",
                              f"一级指标只能是：{'、'.join(hierarchy)}（名称后面可以带分值，如“产出指标（50分）”）。")
            continue
        for group in level1.groups:
            child = _normalise(group.label.text)
            if child in hierarchy[parent]:
                continue
            belongs = owner.get(child)
            hint = (f"“{group.label.text}”属于{belongs}，请把它移到“{belongs}”下面。" if belongs else
                    f"“{parent}”下面可以有：{'、'.join(hierarchy[parent])}。")
            yield ctx.finding("F313", record, group.label,
                              f"二级指标“{group.label.text}”不属于一级指标“{level1.name}”", hint)
