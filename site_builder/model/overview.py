"""The figures of several forms side by side: a year's overview and the department's history.

Public surface: :func:`year_overview` (every form of a year with its key
figures, and the column totals that add up) and :func:`department_history`
(the department form of each year, once there are two years or more). Both
read only what records and their summaries share (``kind``, ``title``,
``url``, ``year``, ``figures``), so the list pages of a build that did not
read the forms again show the same figures.

A total is given only when every addend is a number in the same unit (万元);
otherwise it is None and the page says so. Nothing is estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .figures import KeyFigures
from .numbers import parse_number

FORM_KINDS = ("department-evaluation", "project-evaluation")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class OverviewRow:
    """One form in an overview: its title, page and key figures."""

    kind: str
    title: str
    url: str
    year: int | None
    figures: KeyFigures


@dataclass(frozen=True)
class YearOverview:
    rows: list[OverviewRow]  # the department form first, then the projects in the year's order
    project_count: int
    budget_total: str | None  # Σ 全年预算数 of the project forms, None when they do not add up
    executed_total: str | None  # Σ 全年执行数 of the project forms
    rate_of_totals: str | None  # Σ 执行数 ÷ Σ 预算数, computed (the page says so)

    @property
    def notes(self) -> int:
        """How many forms of the year carry notes (acknowledged findings)."""
        return sum(1 for row in self.rows if row.figures.notes)

    @property
    def projects(self) -> list[OverviewRow]:
        return [row for row in self.rows if row.kind == "project-evaluation"]


@dataclass(frozen=True)
class DepartmentHistory:
    rows: list[OverviewRow]  # oldest year first


def year_overview(records) -> YearOverview:
    """The forms among `records` (records or summaries of one year), with the totals of the project forms."""
    rows = [_row(r) for kind in FORM_KINDS for r in records if r.kind == kind and r.figures is not None]
    projects = [row for row in rows if row.kind == "project-evaluation"]
    budget = _sum([row.figures.budget or "" for row in projects])
    executed = _sum([row.figures.executed or "" for row in projects])
    rate = None
    if budget is not None and executed is not None and budget != 0:
        rate = f"{(executed / budget * 100).quantize(_CENT)}%"
    return YearOverview(rows, len(projects), _money(budget), _money(executed), rate)


def department_history(years) -> DepartmentHistory | None:
    """The department form of every year (year groups newest first), oldest first; None below two years."""
    rows = []
    for year in reversed(years):
        rows += [_row(r) for group in year.groups if group.kind == "department-evaluation"
                 for r in group.records if r.figures is not None]
    if len({row.year for row in rows}) < 2:
        return None
    return DepartmentHistory(rows)


def amount(text: str) -> Decimal | None:
    """The value of an amount printed in 万元 ("1,463.31", "50万元"); None for anything else,
    including an amount in another unit ("500元") or a blank cell."""
    text = (text or "").strip()
    if text.endswith("元") and not text.endswith("万元"):
        return None
    return parse_number(text)


def _row(record) -> OverviewRow:
    return OverviewRow(record.kind, record.title, record.url, record.year, record.figures)


def _sum(texts: list[str]) -> Decimal | None:
    values = [amount(text) for text in texts]
    if not values or any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(_CENT), ",f")


__all__ = ["OverviewRow", "YearOverview", "DepartmentHistory", "year_overview", "department_history", "amount",
           "FORM_KINDS"]
