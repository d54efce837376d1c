"""A form's key figures as printed, and the name that ties one project's forms across years.

Public surface: :class:`KeyFigures` (全年预算数, 全年执行数, 执行率, 总分 and the
grade, each as the form prints it), :func:`key_figures`, :func:`grade_for`
and :func:`series_key`. Records and their summaries both carry these, so the
pages that list records (year overview, history) show the same figures as
the form itself without reading the form again.

Nothing here rewrites a printed value: a figure the form leaves blank stays
blank, and a grade the form does not print is derived from the printed score
by the scoring rules and marked as derived.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .numbers import parse_number

# 优 ≥ 90, 良 80–89.x, 中 60–79.x, 差 < 60 (shared/reference/domain.md, “Scoring”).
GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))


def grade_for(score: Decimal) -> str:
    """The grade of a score by the scoring rules."""
    return next((name for name, floor in GRADES if score >= floor), GRADES[-1][0])  # a negative score is 差 too


@dataclass(frozen=True)
class KeyFigures:
    """What a reader looks for first on a form, as printed: "" for a cell the form leaves
    blank, None where the form's layout has no such cell. Labels are the layout's own."""

    budget: str | None = None  # 全年预算数 (or 调整后预算数) of 年度资金总额, 万元
    executed: str | None = None  # 全年执行数 of 年度资金总额, 万元
    rate: str | None = None  # 执行率 as printed
    score: str | None = None  # the total score as printed
    score_label: str = ""  # what the form calls the total: 合计, 总分, 自评得分
    grade: str | None = None  # as printed, or derived from the score (see grade_derived)
    grade_derived: bool = False  # True when the form prints no grade and `grade` comes from the score
    notes: int = 0  # findings the editor acknowledged: the page explains each one
    printed: bool = True  # False for a layout that prints none of these figures (the 2021 form)
    budget_label: str = "全年预算数"  # the layout's printed column labels
    executed_label: str = "全年执行数"
    rate_label: str = "执行率"

    def __getitem__(self, name: str) -> str:  # figures["budget"] in templates
        return getattr(self, name)



def key_figures(record) -> KeyFigures | None:
    """The key figures of a self-evaluation form (model.forms.FormRecord); None for other records."""
    if record.kind not in FORM_KINDS or not hasattr(record, "budget_rows"):
        return None
    notes = len(record.acknowledgements or ())
    budget, executed, rate, score = (_text(record.budget), _text(record.executed), _text(record.execution_rate),
                                     _text(record.total_score))
    grade, derived = _text(record.grade), False
    if not grade and parse_number(score or "") is not None:
        grade, derived = grade_for(parse_number(score)), True
    total = record.total
    funds = record.funds
    labels = {}
    for name, roles in (("budget_label", ("annual_budget", "adjusted_budget")), ("executed_label", ("executed",)),
                        ("rate_label", ("execution_rate",))):
        column = next((c for c in (funds.column(role) for role in roles) if c is not None), None) if funds else None
        if column is not None:
            labels[name] = column.label
    return KeyFigures(
        budget=budget, executed=executed, rate=rate, score=score,
        score_label=total.printed_label.strip() if total is not None else "", grade=grade,
        grade_derived=derived, notes=notes,
        printed=any(value is not None for value in (budget, executed, rate, score)), **labels)


FORM_KINDS = ("project-evaluation", "department-evaluation")


def _text(cell) -> str | None:
    return cell.text.strip() if cell is not None else None


_YEAR_PREFIX = re.compile(r"^\d{4}\s*年度?")


def series_key(record) -> str:
    """What one project's (or the department's) forms share from year to year: the
    kind and the name, normalised (full-width forms, spaces and a leading year
    ignored). "" for records that are not forms."""
    if record.kind not in FORM_KINDS:
        return ""
    name = getattr(record, "name", "") or record.title
    name = unicodedata.normalize("NFKC", name)
    name = _YEAR_PREFIX.sub("", "".join(name.split()))
    return f"{record.kind}:{name}" if name else ""


__all__ = ["KeyFigures", "GRADES", "grade_for", "key_figures", "series_key"]
