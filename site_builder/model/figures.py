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

from .numbers import parse_number, parse_percent

# 优 ≥ 90, 良 80–89.x, 中 60–79.x, 差 < 60 (shared/reference/domain.md, “Scoring”).
GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))


def grade_for(score: Decimal) -> str:
    """The grade of a score by the scoring rules."""
    return next((name for name, floor in GRADES if score >= floor), GRADES[-1][0])  # a negative score is 差 too


@dataclass(frozen=True)
class KeyFigures:
    """What a reader looks for first on a form: the printed texts ("" where the form has none)."""

    budget: str = ""  # 全年预算数 of 年度资金总额, 万元
    executed: str = ""  # 全年执行数 of 年度资金总额, 万元
    rate: str = ""  # 执行率 as printed
    score: str = ""  # the total score as printed
    score_label: str = ""  # what the form calls it: 合计, 总分, 自评得分
    grade: str = ""  # as printed, or derived from the score (see grade_derived)
    grade_derived: bool = False  # True when the form prints no grade and `grade` comes from the score
    notes: int = 0  # findings the editor acknowledged: the page explains each one
    printed: bool = True  # False for a layout that prints none of these figures (the 2021 form)

    @property
    def budget_number(self) -> Decimal | None:
        return parse_number(self.budget)

    @property
    def executed_number(self) -> Decimal | None:
        return parse_number(self.executed)

    @property
    def score_number(self) -> Decimal | None:
        return parse_number(self.score)

    @property
    def rate_number(self) -> Decimal | None:
        return parse_percent(self.rate)

    @property
    def is_empty(self) -> bool:
        return not (self.budget or self.executed or self.rate or self.score or self.grade)


def key_figures(record) -> KeyFigures | None:
    """The key figures of a self-evaluation form; None for records that are not forms."""
    funds_row = _budget_row(record)
    total = getattr(record, "total", None)
    notes = len(getattr(record, "acknowledgements", ()) or ())
    if funds_row is None and total is None:
        if record.kind in ("project-evaluation", "department-evaluation"):
            return KeyFigures(notes=notes, printed=False)  # a layout without these figures (2021)
        return None
    score = total.score.text.strip() if total is not None else ""
    grade_cell = getattr(record, "grade", None)
    grade, derived = (grade_cell.text.strip() if grade_cell else ""), False
    if not grade and parse_number(score) is not None:
        grade, derived = grade_for(parse_number(score)), True
    return KeyFigures(
        budget=_text(funds_row, "annual"), executed=_text(funds_row, "executed"), rate=_text(funds_row, "rate"),
        score=score, score_label=(total.label.text.strip() or "合计") if total is not None else "",
        grade=grade, grade_derived=derived, notes=notes)


def _budget_row(record):
    rows = getattr(record, "budget_rows", None) or []
    return rows[0] if rows else None


def _text(row, column: str) -> str:
    if row is None:
        return ""
    return row[column].text.strip()


_YEAR_PREFIX = re.compile(r"^\d{4}\s*年度?")


def series_key(record) -> str:
    """What one project's (or the department's) forms share from year to year: the
    kind and the name, normalised (full-width forms, spaces and a leading year
    ignored). "" for records that are not forms."""
    if record.kind not in ("project-evaluation", "department-evaluation"):
        return ""
    name = getattr(record, "project", "") or getattr(record, "department", "") or record.title
    name = unicodedata.normalize("NFKC", name)
    name = _YEAR_PREFIX.sub("", "".join(name.split()))
    return f"{record.kind}:{name}" if name else ""


__all__ = ["KeyFigures", "GRADES", "grade_for", "key_figures", "series_key"]
