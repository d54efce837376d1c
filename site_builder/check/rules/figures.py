"""Rules of how figures are written: amounts, weights and scores in ASCII digits only (F317), and
as numbers at all (F322).

A full-width "８" or an Arabic-Indic "٨" looks like a figure to a reader but is
not read as one by the checks (site_builder.model.numbers), so a sum could
include a cell no rule has looked at; and "٨" is not 8 to every reader. A cell
of a figure column holding no number ("50.0.0", "5e1", "五十") is left out of
every sum the same way, and said so.
"""

from __future__ import annotations

import unicodedata

from ...errors import ERROR, WARNING
from ...layouts import (ADJUSTED_BUDGET, ANNUAL_BUDGET, EXECUTED, EXECUTION_RATE, INITIAL_BUDGET, PAIRS, SCORE, TABLE,
                        WEIGHT)
from ...model.forms import FormRecord
from ...model.numbers import parse_number, parse_percent
from ..registry import rule

# The roles of the columns whose cells the checks add up and divide.
_FIGURE_ROLES = frozenset({INITIAL_BUDGET, ADJUSTED_BUDGET, ANNUAL_BUDGET, EXECUTED, EXECUTION_RATE, WEIGHT, SCORE})
# What forms print in a figure cell that has no figure: a dash, a slash, 无, 空.
BLANK_MARKS = frozenset({"-", "—", "——", "－", "–", "/", "／", "\\", "无", "空", "-/-"})


def _figure_cells(record: FormRecord, by_role: bool = False):
    """(printed label, cell, column role) of every cell of the form that holds an amount, a weight or a
    score, read from the form's layout: every cell of its tables (with `by_role`, only the columns whose
    role the arithmetic rules read), the amounts of its pairs, the 分值 and 得分 columns of its indicators
    and their total."""
    for block in record.blocks:
        if block.spec.type == TABLE:
            columns = [c for c in block.spec.columns if not by_role or c.role in _FIGURE_ROLES]
            for row in block.rows:
                for column in columns:
                    yield column.label, row[column.key], column.role
        elif block.spec.type == PAIRS:
            for row in block.rows:
                for column in block.spec.columns:
                    yield f"{column.label}的金额", row[column.key].value, ""
    block = record.indicators_block
    if block is not None:
        columns = [c for c in block.spec.columns if c.role in (WEIGHT, SCORE)]
        for row in block.rows:
            for column in columns:
                yield column.label, row[column.key], column.role
        if block.total is not None:
            for column in columns:
                if column.key in block.total.cells:
                    yield f"{block.total.printed_label}{column.label}", block.total.cells[column.key], column.role


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
    for label, cell, _ in _figure_cells(record):
        odd = non_ascii_digits(cell.text)
        if odd:
            plain = "".join(str(unicodedata.digit(ch, "?")) if not ch.isascii() and ch.isdigit() else ch
                            for ch in cell.text)
            yield ctx.finding("F317", record, cell,
                              f"{label}“{cell.text}”里有不是半角 0–9 的数字“{''.join(dict.fromkeys(odd))}”",
                              f"请改为半角数字：{plain}（把输入法切换到半角，或在英文状态下输入数字）。")


@rule("F322", WARNING, "金额、分值、得分不是数字，没有核对",
      explanation="""
金额、执行率、分值、得分的格子里写的不是一个数字（多了小数点“50.0.0”、写成“5e1”“五十”、用了别的减号“−50”），
检查程序读不出它的值：合计、执行率和得分的核对都跳过这一格，算术问题可能因此没有报告。
执行率一格写的是没有百分号的数（“1”“1.00”“95”）时，读不出是百分之几，同样没有核对（0 除外）。
原表就是这样印的，照原表公开，不必修改；录入时打错的，请照签字原表改正。空格、“—”“/”“无”不报告。""",
      wrong="  total: {initial: 50, annual: 50, executed: 50.0.0, weight: 10, rate: 100%, score: 10}",
      right="  total: {initial: 50, annual: 50, executed: 50.00, weight: 10, rate: 100%, score: 10}",
      applies_to=(FormRecord,))
def figures_are_numbers(record, ctx):
    in_yuan = _yuan_in_wan_tables(record)
    for label, cell, role in _figure_cells(record, by_role=True):
        text = (cell.text or "").strip()
        if id(cell) in in_yuan:
            # "500000元" in a table of 万元: read as 500,000 万元, the sums then off by ten thousand times
            yuan = parse_number(text)
            yield ctx.finding("F322", record, cell,
                              f"{label}“{cell.text}”写的是元，这张表的金额单位是万元，核对时按 {text[:-1]} 万元计算",
                              f"请照签字原表写万元数（{_fmt(yuan / 10000)} 万元写作 {_fmt(yuan / 10000)}）；"
                              "原表就印作“元”的，照原表公开，不必修改。")
            continue
        if not text or text in BLANK_MARKS or non_ascii_digits(text):  # blank; a mark; F317's
            continue
        if role == EXECUTION_RATE and parse_percent(text) is None and parse_number(text) is not None \
                and parse_number(text) != 0:
            # "1" or "1.00" for 100% (as Excel keeps a percentage), or "95" without its sign: the rate is
            # not compared with 全年执行数 ÷ 全年预算数, nor the budget score with it
            yield ctx.finding("F322", record, cell,
                              f"{label}“{cell.text}”没有百分号，读不出是百分之几，这一格没有参加执行率和得分的核对",
                              f"原表印的是百分数的，请照原表写上百分号，如 {text}%"
                              f"{' 或 ' + _as_percent(text) if parse_number(text) <= 1 else ''}；"
                              "原表就印作这样的，照原表公开，不必修改。")
            continue
        if parse_number(text) is not None or (role == EXECUTION_RATE and parse_percent(text) is not None):
            continue
        unquoted = text.strip("“”‘’\"'「」『』")
        if unquoted != text and (parse_number(unquoted) is not None or parse_percent(unquoted) is not None):
            yield ctx.finding("F322", record, cell, f"{label}{cell.text}外面有引号，这一格没有参加合计、执行率和得分的核对",
                              f"数字不用加中文引号（“ ”）：请改为 {unquoted}；值里有逗号时，用英文双引号，如 \"1,463.31\"。")
            continue
        yield ctx.finding("F322", record, cell, f"{label}“{cell.text}”不是数字，这一格没有参加合计、执行率和得分的核对",
                          "照签字原表公开的，不必修改；录入时打错的，请照原表改正，如 50、1,463.31、95%。")


def _yuan_in_wan_tables(record: FormRecord) -> set[int]:
    """The cells (by id) of the tables printed in 万元 whose figure is written in 元 ("500000元")."""
    found = set()
    for block in record.blocks:
        if block.spec.type != TABLE or block.spec.unit != "万元":
            continue
        for row in block.rows:
            for column in block.spec.columns:
                if column.role not in _FIGURE_ROLES or column.role == EXECUTION_RATE:
                    continue
                text = (row[column.key].text or "").strip()
                if text.endswith("元") and not text.endswith("万元") and parse_number(text) is not None:
                    found.add(id(row[column.key]))
    return found


def _fmt(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _as_percent(text: str) -> str:
    """ "1" → "100%", "0.95" → "95%": the percentage a fraction Excel shows as a percent stands for."""
    value = parse_number(text) * 100
    return f"{value.normalize():f}%"
