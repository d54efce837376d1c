"""What a rule needs besides the record: the source text, to quote lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ..errors import Finding
from ..load import Source
from ..model.records import Cell, Record
from .registry import RULES

# Published amounts are rounded to 0.01 万元; differences up to this are rounding.
AMOUNT_TOLERANCE = Decimal("0.01")
# Scores are compared to two decimals.
SCORE_TOLERANCE = Decimal("0.01")


class At(NamedTuple):
    """A place in a file that is not a cell (a key, a line of a body, a missing value), for `RuleContext.finding`."""

    line: int
    column: int


@dataclass
class RuleContext:
    sources: dict[str, Source]
    data: dict[str, object]  # path → the file's marked values, for rules that point at keys
    execution_rate_threshold: Decimal = Decimal("90")  # %, below which a deviation reason is required
    phone_display: str = "mask"  # how the site shows a mobile number (site.yaml): masked, or the office phone
    office_phone: str = ""

    @property
    def shows_office_phone(self) -> bool:
        """Whether the site shows the office phone in place of a mobile number."""
        from ..write import shows_office_phone

        return shows_office_phone(self.phone_display, self.office_phone)

    def published(self, text: str) -> str:
        """`text` as the site shows it, personal numbers masked or replaced as site.yaml says."""
        from ..write import mask_personal_data

        return mask_personal_data(text, self.phone_display, self.office_phone)

    def finding(self, code: str, record: Record, where: Cell | int, message: str, hint: str,
                printed: str | None = None, computed: str | None = None) -> Finding:
        """A finding of rule `code` at `where`: a cell (or anything with line and column) or a line number.
        `printed` and `computed` are the figures compared (what the form prints, what its rows give)."""
        line, column = (where.line, where.column) if hasattr(where, "line") else (where, 0)
        source = self.sources.get(record.path)
        quoted = source.lines[line - 1] if source and 0 < line <= len(source.lines) else ""
        figures = tuple((name, value) for name, value in (("printed", printed), ("computed", computed))
                        if value is not None)
        return Finding(code=code, message=message, hint=hint, path=record.path, line=line, column=column,
                       severity=RULES[code].severity, source_line=quoted, figures=figures)
