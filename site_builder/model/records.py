"""The content model's common parts: cells, records and documents.

Forms of every layout are :class:`~site_builder.model.forms.FormRecord`.

Values are kept exactly as printed (:class:`Cell`); the numbers that rules
compute with are read from them on demand. Templates see these objects.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
import datetime
from decimal import Decimal

from .numbers import parse_number, parse_percent


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


@dataclass
class Acknowledgement:
    code: str
    reason: str
    line: int | None  # the finding's line, or None for all of the code in this file
    at_line: int = 0  # where the acknowledgement itself is written
    at: str = ""  # the finding's place in the form (check/places.py), which survives edits elsewhere


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
    keywords: str = ""
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    url: str = ""  # output path, relative to the site root, e.g. "disclosure/2023/x.html"
    source_line_of_year: int = 0
    source_sha256: str = ""
    downloads: list = field(default_factory=list)  # the files its page offers (site_builder.downloads.Link)
    notes: list = field(default_factory=list)  # check.notes.Note: what the page explains, set by the check stage

    embeds_documents = False  # whether its text names documents that hold its full text (FormRecord: some do)

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

    @functools.cached_property  # a record is not changed once modelled; pages and checks ask often
    def figures(self):
        """The key figures of a form (model.figures.KeyFigures), None for other records."""
        from .figures import key_figures

        return key_figures(self)

    @property
    def note_lines(self) -> frozenset:
        """The lines of its file that published notes concern: a cell typed on another line has none."""
        return frozenset(note.line for note in self.notes)

    def notes_at(self, *cells) -> list:
        """The published notes (check.notes.Note) about any of `cells`."""
        return [note for note in self.notes if any(note.concerns(cell) for cell in cells)]

    def notes_in(self, *values) -> list:
        """The published notes about any cell inside `values` (rows, 一级 indicators, …), in file order."""
        if not self.notes:
            return []
        lines = self.note_lines
        cells = [cell for value in values for cell in _cells_in(value) if cell.line in lines]
        return [note for note in self.notes if any(note.concerns(cell) for cell in cells)]

    @property
    def notes_elsewhere(self) -> list:
        """The published notes about no cell of a table the page shows (funds, indicators, pairs):
        the page lists them after the form, so that every note is written out somewhere."""
        if not self.notes:
            return []
        shown = {id(note) for note in self.notes_in(*(block for block in getattr(self, "blocks", ())
                                                       if block.spec.type in ("table", "indicators", "pairs")))}
        return [note for note in self.notes if id(note) not in shown]

    @functools.cached_property
    def series(self) -> str:
        """What this record shares with the same project's forms of other years ("" if nothing)."""
        from .figures import series_key

        return series_key(self)


@dataclass
class Document(Record):
    """A Markdown document: 绩效自评报告, 工作总结, 工作计划, 机构概况."""

    body: str = ""
    body_line: int = 0
    issuer: str = ""


def _cells_in(value, depth: int = 0):
    """Every Cell inside a block: its rows, levels, totals, pairs (not its declaration, `spec`)."""
    if isinstance(value, Cell):
        yield value
    elif depth > 12:
        return
    elif isinstance(value, dict):
        for item in value.values():
            yield from _cells_in(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _cells_in(item, depth + 1)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name not in ("spec", "columns"):
                yield from _cells_in(getattr(value, name), depth + 1)
