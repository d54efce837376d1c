"""Reading the seed texts in tests/fixtures/: Word tables saved as text.

In these files a table cell starts on a line that begins with a tab; the cell
goes on over the following lines that do not begin with a tab, up to the next
tab line or blank line. A blank line ends a table row. (The 2021 form also has
blank lines inside cells; :func:`read_cells` with ``blank_ends_cell=False``
keeps those lines in the cell.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORD_ARTIFACTS = ("[bookmark: _GoBack]",)

# A cell starts with a tab; in the 2021 text one is preceded by a stray space.
CELL_START = re.compile(r"^ *\t")

TABLE_TITLE = re.compile(r"年度(部门整体支出|项目支出)绩效自评表")


@dataclass
class Cell:
    text: str  # lines joined with "\n", Word artefacts removed
    line: int  # 1-based line of the fixture where the cell starts


@dataclass
class Table:
    title: str
    line: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def is_department(self) -> bool:
        return "部门整体支出" in self.title

    def cell_after(self, label: str) -> str | None:
        """The text of the cell that follows the one whose text (whitespace removed) is `label`."""
        for index, cell in enumerate(self.cells[:-1]):
            if re.sub(r"\s+", "", cell.text) == label:
                return self.cells[index + 1].text.strip()
        return None


def drop_artifacts(text: str) -> str:
    for artifact in WORD_ARTIFACTS:
        text = text.replace(" " + artifact, "").replace(artifact, "")
    return text


def read_cells(lines: list[str], first_line: int = 1, blank_ends_cell: bool = True) -> list[Cell]:
    """The cells in `lines` (the first of which is line `first_line` of its file)."""
    cells: list[Cell] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(lines, start=first_line):
        if CELL_START.match(line):
            if current is not None:
                cells.append(Cell(drop_artifacts("\n".join(current)), start))
            current, start = [CELL_START.sub("", line, count=1)], number
        elif not line.strip():
            if blank_ends_cell and current is not None:
                cells.append(Cell(drop_artifacts("\n".join(current)), start))
                current = None
            elif current is not None:
                current.append("")
        elif current is not None:
            current.append(line)
        # a non-tab line outside any cell is text around the tables, not a cell
    if current is not None:
        cells.append(Cell(drop_artifacts("\n".join(current)), start))
    return cells


def split_tables(text: str) -> list[Table]:
    """The self-evaluation tables of a fixture, split at their title lines."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if CELL_START.match(line) and TABLE_TITLE.search(line)]
    tables = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        table = Table(lines[start].strip(), start + 1)
        table.cells = read_cells(lines[start:end], first_line=start + 1)
        tables.append(table)
    return tables
