"""Rules of how figures are written: amounts, weights and scores in ASCII digits only.

A full-width "８" or an Arabic-Indic "٨" looks like a figure to a reader but is
not read as one by the checks (site_builder.model.numbers), so a sum could
include a cell no rule has looked at; and "٨" is not 8 to every reader.
"""

from __future__ import annotations

import unicodedata

from ...errors import ERROR
from ...layouts import PAIRS, SCORE, TABLE, WEIGHT
from ...model.forms import FormRecord
from ..registry import rule


def _figure_cells(record: FormRecord):
    """(printed label, cell) of every cell of the form that holds an amount, a weight or a score,
    read from the form's layout: every cell of its tables and pairs, the 分值 and 得分 columns of
    its indicators and their total."""
    for block in record.blocks:
        if block.spec.type == TABLE:
            for row in block.rows:
                for column in block.spec.columns:
                    yield column.label, row[column.key]
        elif block.spec.type == PAIRS:
            for row in block.rows:
                for column in block.spec.columns:
                    yield f"{column.label}的金额", row[column.key].value
    block = record.indicators_block
    if block is not None:
        columns = [c for c in block.spec.columns if c.role in (WEIGHT, SCORE)]
        for row in block.rows:
            for column in columns:
                yield column.label, row[column.key]
        if block.total is not None:
            for column in columns:
                if column.key in block.total.cells:
                    yield f"{block.total.printed_label}{column.label}", block.total.cells[column.key]


def non_ascii_digits(text: str) -> list[str]:
    """The digits of `text` that are not 0–9 (full-width, Arabic-Indic, …), in order."""
    return [ch for ch in text if not ch.isascii() and ch.isdigit()]


@rule("F317", ERROR, "数字不是半角的 0–9",
      explanation="""
金额、分值、得分只能用半角数字 0–9 书写。全角数字（８）和其他文字的数字（阿拉伯-印度数字 ٨ 等）看起来像数字，
检查时却不能当作数字相加，合计、执行率、得分的核对就会漏掉这一格；有的读者和读屏软件也读不出来。
常见原因是输入法处在全角状态。""",
      wrong="- {level3: 学校满意率, target: 95%, actual: 100%, weight: １０, score: １０, deviation: }",
      right="- {level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 10, deviation: }",
      applies_to=(FormRecord,))
def ascii_digits_only(record, ctx):
    for label, cell in _figure_cells(record):
        odd = non_ascii_digits(cell.text)
        if odd:
            plain = "".join(str(unicodedata.digit(ch, "?")) if not ch.isascii() and ch.isdigit() else ch
                            for ch in cell.text)
            yield ctx.finding("F317", record, cell,
                              f"{label}“{cell.text}”里有不是半角 0–9 的数字“{''.join(dict.fromkeys(odd))}”",
                              f"请改为半角数字：{plain}（把输入法切换到半角，或在英文状态下输入数字）。")
