"""The findings a page publishes: what the editor acknowledged, and the allowed rounding.

Public surface: :class:`Note` and :func:`public_notes`. A form published as
signed may contradict itself (a 合计 that is not the sum of its rows); the
editor acknowledges such a finding with a reason, and readers are owed the
same explanation beside the figure concerned. A note carries what was printed,
what the rows give and the reason, as data: the theme words and places it
(templates/_macros/notes.html). Rounding within 0.01 万元 (F302) is explained
wherever it occurs, acknowledged or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Finding
from .registry import RULES

ROUNDING = "F302"


@dataclass(frozen=True)
class Note:
    number: int  # 1, 2, … in the order of the form
    code: str
    title: str  # the rule's title, e.g. 合计得分与各行得分之和不符
    message: str  # what the checker found, with its figures, e.g. 合计得分印为 90，各行得分之和为 110
    printed: str  # the figure printed on the form ("" when the rule compares none)
    computed: str  # what the rows give
    reason: str  # the editor's reason ("" for rounding that was not acknowledged)
    line: int  # where the cell concerned is typed: the templates match notes to cells by these
    column: int

    @property
    def id(self) -> str:
        return f"note-{self.number}"

    @property
    def is_rounding(self) -> bool:
        return self.code == ROUNDING

    def concerns(self, cell) -> bool:
        """Whether this note is about `cell` (a Cell, or None)."""
        return cell is not None and cell.line == self.line and (not self.column or cell.column == self.column)


def public_notes(findings: list[Finding]) -> list[Note]:
    """The notes of one record's findings (already acknowledged), in the order of its file."""
    chosen = [f for f in findings if f.code != "F399" and (f.acknowledged or f.code == ROUNDING)]
    chosen.sort(key=lambda f: (f.line, f.column, f.code))
    notes = []
    for number, finding in enumerate(chosen, 1):
        figures = dict(finding.figures)
        rule = RULES.get(finding.code)
        notes.append(Note(number, finding.code, rule.title if rule else finding.code, finding.message,
                          figures.get("printed", ""), figures.get("computed", ""),
                          finding.acknowledged if finding.acknowledged != "（未写理由）" else "",
                          finding.line, finding.column))
    return notes


__all__ = ["Note", "public_notes", "ROUNDING"]
