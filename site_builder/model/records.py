"""The content model: one class per kind of record the institute publishes.

Values are kept exactly as printed (:class:`Cell`); the numbers that rules
compute with are read from them on demand. Templates see these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import datetime
from decimal import Decimal

from .numbers import parse_number, parse_percent, printed_weight, strip_printed_weight


class _cached:
    """functools.cached_property without the lock it takes on Python 3.11 (dropped
    in 3.12), which costs more than reading a cell's number. Two threads reading
    a value at once may both compute it: the results are equal."""

    def __init__(self, function):
        self.function, self.name = function, function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass(frozen=True, init=False)
class Cell:
    """One cell of a form: its printed text and where it was typed."""

    text: str = ""
    line: int = 0
    column: int = 0

    def __init__(self, text: str = "", line: int = 0, column: int = 0):
        # A site has hundreds of thousands of cells: filling the instance's dict
        # directly takes half the time of the frozen dataclass's object.__setattr__ calls.
        values = self.__dict__
        values["text"], values["line"], values["column"] = text, line, column

    @_cached  # read by several rules and by every table cell of the templates
    def number(self) -> Decimal | None:
        return parse_number(self.text)

    @_cached
    def percent(self) -> Decimal | None:
        return parse_percent(self.text)

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_numeric(self) -> bool:
        """Right-aligned in tables: a figure, a percentage or an amount."""
        return self.number is not None or self.percent is not None

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return not self.is_blank


FUNDS_COLUMNS = ("initial", "annual", "executed", "weight", "rate", "score")
FUNDS_ROWS = ("total", "appropriation", "carryover", "other")


@dataclass
class FundsRow:
    key: str
    cells: dict[str, Cell]
    present: bool = True  # False when the record leaves the row out entirely

    def __getitem__(self, column: str) -> Cell:
        return self.cells[column]


@dataclass
class IndicatorRow:
    level3: Cell
    target: Cell
    actual: Cell
    weight: Cell
    score: Cell
    deviation: Cell
    line: int = 0

    def __getitem__(self, column: str) -> Cell:  # row[key] in templates, without a failed lookup first
        return getattr(self, column)

    @property
    def is_blank(self) -> bool:
        return all(c.is_blank for c in (self.level3, self.target, self.actual, self.weight, self.score, self.deviation))


@dataclass
class Level2:
    label: Cell
    rows: list[IndicatorRow]


@dataclass
class Level1:
    label: Cell  # as printed, e.g. "产出指标（50分）"
    groups: list[Level2]

    @property
    def name(self) -> str:
        return strip_printed_weight(self.label.text)

    @property
    def printed_weight(self) -> Decimal | None:
        return printed_weight(self.label.text)

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def weight_subtotal(self) -> Decimal:
        """Σ 分值 of the rows under this 一级 indicator (blank counts as 0)."""
        return sum((row.weight.number or Decimal(0) for row in self.rows), Decimal(0))


@dataclass
class Total:
    label: Cell
    weight: Cell
    score: Cell
    line: int = 0


@dataclass
class Footer:
    prepared_by: Cell
    filled_date: Cell
    phone: Cell
    head: Cell


@dataclass
class Goals:
    expected: Cell
    actual: Cell


@dataclass
class Acknowledgement:
    code: str
    reason: str
    line: int | None  # the finding's line, or None for all of the code in this file
    at_line: int = 0  # where the acknowledgement itself is written


@dataclass
class Record:
    """What every published record has: where it came from and where it goes."""

    kind: str
    path: str  # source file, relative to the site folder
    year: int | None
    title: str
    slug: str
    order: int | None = None
    date: datetime.date | None = None
    index_number: str = ""
    validity: str = ""
    doc_number: str = ""
    description: str = ""
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    url: str = ""  # output path, relative to the site root, e.g. "disclosure/2023/x.html"
    source_line_of_year: int = 0
    source_sha256: str = ""
    notes: list = field(default_factory=list)  # check.notes.Note: what the page explains, set by the check stage

    @property
    def kind_label(self) -> str:
        from .schema import RECORD_KINDS

        return RECORD_KINDS.get(self.kind, self.kind)

    @property
    def id(self) -> str:
        """How other records refer to this one: its path without extension."""
        name = self.path
        if name.startswith("content/"):
            name = name[len("content/"):]
        return name.rsplit(".", 1)[0]

    @property
    def figures(self):
        """The key figures of a form (model.figures.KeyFigures), None for other records."""
        from .figures import key_figures

        return key_figures(self)

    def notes_at(self, *cells) -> list:
        """The published notes (check.notes.Note) about any of `cells`."""
        return [note for note in self.notes if any(note.concerns(cell) for cell in cells)]

    @property
    def series(self) -> str:
        """What this record shares with the same project's forms of other years ("" if nothing)."""
        from .figures import series_key

        return series_key(self)


@dataclass
class EvaluationForm(Record):
    """What the project form and the 2023-layout department form share."""

    form_title: str = ""
    goals: Goals | None = None
    indicators: list[Level1] = field(default_factory=list)
    total: Total | None = None
    grade: Cell = field(default_factory=Cell)  # 评价等级, where the form prints one
    note: Cell = field(default_factory=Cell)
    footer: Footer | None = None

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        return [row for level1 in self.indicators for row in level1.rows]

    @property
    def budget_rows(self) -> list[FundsRow]:
        """The funds row scored for budget execution (年度资金总额), where the layout has one."""
        return []


@dataclass
class ProjectEvaluation(EvaluationForm):
    project: str = ""
    department: str = ""
    implementer: str = ""
    funds: dict[str, FundsRow] = field(default_factory=dict)

    @property
    def budget_rows(self) -> list[FundsRow]:
        return [self.funds["total"]] if "total" in self.funds else []


@dataclass
class NatureCell:
    label: Cell
    value: Cell


@dataclass
class NatureRow:
    income: NatureCell
    expenditure: NatureCell


@dataclass
class DepartmentEvaluation(EvaluationForm):
    """部门整体支出绩效自评表 in the standard (2023) layout."""

    layout: str = "standard"
    department: str = ""
    funds_total: FundsRow | None = None

    @property
    def budget_rows(self) -> list[FundsRow]:
        return [self.funds_total] if self.funds_total is not None else []
    by_nature: list[NatureRow] = field(default_factory=list)


@dataclass
class PrintedTable:
    """A table kept cell by cell as printed, its columns not interpreted."""

    title: Cell
    rows: list[list[Cell]]

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass
class DepartmentEvaluation2021(Record):
    """部门整体支出绩效自评表 in the older 岳阳市财政局 layout (2021)."""

    layout: str = "yueyang-2021"
    form_title: str = ""
    form_issuer: str = ""
    department: str = ""
    basic: dict[str, Cell] = field(default_factory=dict)
    operation: Cell = field(default_factory=Cell)
    operation_document_ids: list[Cell] = field(default_factory=list)
    operation_documents: list["Document"] = field(default_factory=list)
    tables: list[PrintedTable] = field(default_factory=list)


@dataclass
class Document(Record):
    """A Markdown document: 绩效自评报告, 工作总结, 工作计划, 机构概况."""

    body: str = ""
    body_line: int = 0
    issuer: str = ""
