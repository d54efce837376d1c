"""A self-evaluation form as its layout declares it: one record class for every layout.

A :class:`FormRecord` holds its :class:`~site_builder.layouts.Layout` and, in
the layout's printed order, its header cells, its blocks (tables, pairs, text,
fields, indicators, grids) and its footer cells, each value a printed
:class:`Cell`. Rules read cells by role (``form.budget``, ``block.column("weight")``),
never by a fixed key, and get None where the layout has no such column or row:
a column the form does not have is never read as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..layouts import (ACTUAL, ANNUAL_BUDGET, ADJUSTED_BUDGET, DEVIATION_REASON, EXECUTED, EXECUTION_RATE, FIELD,
                       FIELDS, GRADE, GRID, INDICATOR, INDICATORS, NAME, PAIRS, SCORE, TABLE, TARGET, TEXT, TOTAL,
                       WEIGHT, Block, Column, Layout, RowSpec, Total)
from .numbers import printed_weight, strip_printed_weight
from .records import Cell, Record, _cached


def _by_role(columns: tuple[Column, ...], cells: dict[str, Cell], role: str) -> Cell | None:
    for column in columns:
        if column.role == role:
            return cells[column.key]
    return None


def roles_of(columns: tuple[Column, ...]) -> dict[str, str]:
    """role → key of the first column with that role: made once per block, shared by its rows."""
    roles: dict[str, str] = {}
    for column in columns:
        if column.role:
            roles.setdefault(column.role, column.key)
    return roles


@dataclass
class TableRow:
    """A fixed row of a table block: its declared row and its cells by column key."""

    spec: RowSpec
    roles: dict[str, str]  # role → column key, shared by the rows of a block
    cells: dict[str, Cell]
    present: bool = True  # False when the record leaves the row out entirely

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def role(self) -> str:
        return self.spec.role

    def __getitem__(self, column: str) -> Cell:
        return self.cells[column]

    def cell(self, role: str) -> Cell | None:
        """The cell of the column with `role`, or None when the layout has no such column."""
        key = self.roles.get(role)
        return self.cells[key] if key is not None else None


@dataclass
class TableBlock:
    spec: Block
    rows: list[TableRow]

    def column(self, role: str) -> Column | None:
        return self.spec.column(role)

    def rows_with_role(self, role: str) -> list[TableRow]:
        return [row for row in self.rows if row.role == role]

    @_cached
    def total_row(self) -> TableRow | None:
        return next((row for row in self.rows if row.role == TOTAL), None)

    @_cached
    def figure_columns(self) -> frozenset[str]:
        """Keys of the columns whose filled cells all hold figures (an empty column counts as
        figures): the page right-aligns them."""
        return frozenset(column.key for column in self.spec.columns
                         if all(row.cells[column.key].is_numeric for row in self.rows if row.cells[column.key]))


@dataclass
class Pair:
    label: Cell
    value: Cell


@dataclass
class PairsBlock:
    """Rows of (label, value) pairs side by side: 按收入性质分 / 按支出性质分."""

    spec: Block
    rows: list[dict[str, Pair]]

    def side(self, role: str) -> list[Pair]:
        column = self.spec.column(role)
        return [row[column.key] for row in self.rows] if column is not None else []


@dataclass
class TextBlock:
    """Labelled text cells side by side (预期目标 / 实际完成情况), or one text (评价结论)."""

    spec: Block
    cells: dict[str, Cell]  # by column key; a text without columns has the one key ""
    document_ids: list[Cell] = field(default_factory=list)  # documents holding this cell's full text
    documents: list = field(default_factory=list)  # those documents, resolved by the model

    @property
    def text(self) -> Cell:
        return self.cells.get("", Cell())

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]


@dataclass
class FieldBlock:
    """One labelled cell: 评价等级, 备注."""

    spec: Block
    cell: Cell


@dataclass
class FieldsBlock:
    """Labelled cells printed in rows: 联系人 … 联络电话 …"""

    spec: Block
    cells: dict[str, Cell]

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]

    @property
    def printed_rows(self) -> list[list[Column]]:
        by_key = {c.key: c for c in self.spec.columns}
        rows = [[by_key[k] for k in row if k in by_key] for row in self.spec.layout_rows]
        placed = {k for row in self.spec.layout_rows for k in row}
        rows += [[c] for c in self.spec.columns if c.key not in placed]
        return [row for row in rows if row]

    @property
    def width(self) -> int:
        return 2 * max((len(row) for row in self.printed_rows), default=1)


@dataclass
class IndicatorRow:
    """A 三级 indicator row: its cells by column key; role accessors give None for absent columns."""

    roles: dict[str, str]  # role → column key, shared by the rows of a block
    cells: dict[str, Cell]
    line: int = 0

    def __getitem__(self, column: str) -> Cell:
        return self.cells[column]

    def cell(self, role: str) -> Cell | None:
        key = self.roles.get(role)
        return self.cells[key] if key is not None else None

    @_cached  # read by several rules for every row
    def indicator(self) -> Cell:
        return self.cell(INDICATOR) or Cell()

    @_cached  # read by several rules for every row
    def weight(self) -> Cell | None:
        return self.cell(WEIGHT)

    @_cached  # read by several rules for every row
    def score(self) -> Cell | None:
        return self.cell(SCORE)

    @_cached  # read by several rules for every row
    def target(self) -> Cell | None:
        return self.cell(TARGET)

    @_cached  # read by several rules for every row
    def actual(self) -> Cell | None:
        return self.cell(ACTUAL)

    @_cached  # read by several rules for every row
    def deviation(self) -> Cell | None:
        return self.cell(DEVIATION_REASON)

    @property
    def is_blank(self) -> bool:
        return all(c.is_blank for c in self.cells.values())


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
    def weight_subtotal(self) -> Decimal | None:
        """Σ 分值 of the rows under this 一级 indicator (blank cells count as 0); None without a 分值
        column, or when every 分值 under it is blank (nothing printed to add up)."""
        rows = self.rows
        if not rows or rows[0].weight is None or all(row.weight.is_blank for row in rows):
            return None
        return sum((row.weight.number or Decimal(0) for row in rows), Decimal(0))


@dataclass
class TotalRow:
    """合计 / 总分 under an indicator table: its printed label and the cells of the columns it sums."""

    spec: Total
    columns: tuple[Column, ...]
    label: Cell
    cells: dict[str, Cell]
    line: int = 0

    def __getitem__(self, column: str) -> Cell:
        return self.cells[column]

    def cell(self, role: str) -> Cell | None:
        for column in self.columns:
            if column.role == role and column.key in self.cells:
                return self.cells[column.key]
        return None

    @property
    def printed_label(self) -> str:
        return self.label.text or self.spec.label

    @_cached  # read by several rules for every row
    def weight(self) -> Cell | None:
        return self.cell(WEIGHT)

    @_cached  # read by several rules for every row
    def score(self) -> Cell | None:
        return self.cell(SCORE)


@dataclass
class IndicatorsBlock:
    spec: Block
    indicators: list[Level1]
    total: TotalRow | None

    @_cached
    def rows(self) -> list[IndicatorRow]:
        return [row for level1 in self.indicators for row in level1.rows]

    def column(self, role: str) -> Column | None:
        return self.spec.column(role)

    @_cached
    def figure_columns(self) -> frozenset[str]:
        """Keys of the columns that are filled and whose filled cells (the total row's
        included) all hold figures: the page right-aligns them."""
        rows = self.rows
        found = set()
        for column in self.spec.columns:
            key = column.key
            cells = [row.cells[key] for row in rows if row.cells[key]]
            if self.total is not None and key in self.total.cells and self.total.cells[key]:
                total_cell = self.total.cells[key]
                if not total_cell.is_numeric:
                    continue
            if cells and all(cell.is_numeric for cell in cells):
                found.add(key)
        return frozenset(found)

    @property
    def vocabulary(self) -> dict[str, tuple[str, ...]]:
        return dict(self.spec.vocabulary)


def lay_out(rows: list[list], spans) -> tuple[list[list[tuple[int, object, int, int]]], int, list[tuple[int, object]]]:
    """Rows of cells merged as in HTML (the cells a merge covers left out) placed on a grid: for each
    row, each cell's first column, the cell, its colspan and its rowspan (clipped to the rows there
    are, and to the places no other merge covers); the grid's width; and (row, cell) of each merged
    cell so cut because it would cover a place another merge covers (a 横跨 cell under a 竖跨 one from
    above), which a checker reports. `spans(cell)` gives a cell's (colspan, rowspan)."""
    occupied: set[tuple[int, int]] = set()
    placed, overlapping = [], []
    height = len(rows)
    for r, row in enumerate(rows):
        slots, c = [], 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            colspan, rowspan = spans(cell)
            rowspan = max(1, min(rowspan, height - r))
            if rowspan == 1 and colspan == 1:  # most cells
                occupied.add((r, c))
            else:
                wanted = colspan, rowspan
                colspan = next((across for across in range(1, colspan) if (r, c + across) in occupied), colspan)
                rowspan = next((down for down in range(1, rowspan)
                                if any((r + down, c + across) in occupied for across in range(colspan))), rowspan)
                if (colspan, rowspan) != wanted:
                    overlapping.append((r, cell))
                occupied.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            slots.append((c, cell, colspan, rowspan))
            c += colspan
        placed.append(slots)
    width = max((c + 1 for _, c in occupied), default=0)
    return placed, width, overlapping


@dataclass(frozen=True)
class GridCell:
    """A cell of a grid as printed: its text and how many columns and rows it covers."""

    cell: Cell
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self) -> str:
        return self.cell.text

    @property
    def is_numeric(self) -> bool:
        return self.cell.is_numeric

    @property
    def line(self) -> int:
        return self.cell.line

    @property
    def column(self) -> int:
        return self.cell.column

    def __bool__(self) -> bool:
        return bool(self.cell)

    def __str__(self) -> str:
        return self.cell.text


@dataclass(frozen=True)
class Slot:
    """Where a grid cell sits once merges are laid out: its row, first column and spans
    (clipped to the grid); `cell` is None for a padding cell that completes a short row.
    `headers` are the id suffixes of the header cells it is read with ("h-0-2", "r-3")."""

    row: int
    col: int
    cell: GridCell | None
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # in the header rows
    numeric: bool = False
    headers: tuple[str, ...] = ()


@dataclass
class Grid:
    """A table kept cell by cell as printed; covered cells of a merge are not listed (as in HTML)."""

    title: Cell
    rows: list[list[GridCell]]

    @property
    def has_merges(self) -> bool:
        return any(cell.colspan > 1 or cell.rowspan > 1 for row in self.rows for cell in row)

    @_cached  # read by width, slots and overlapping
    def _positions(self) -> tuple[list[list[tuple[int, GridCell, int, int]]], int, list[tuple[int, GridCell]]]:
        return lay_out(self.rows, lambda cell: (cell.colspan, cell.rowspan))

    @property
    def overlapping(self) -> list[tuple[int, GridCell]]:
        """(row, cell) of each merged cell cut short because it would cover another merge's place (lay_out)."""
        return self._positions[2]

    @property
    def width(self) -> int:
        """Columns of the widest row, counting merges and the cells rowspans bring down from above."""
        return self._positions[1]

    @property
    def header_rows(self) -> int:
        """The first row is the header, with the rows its merged cells reach down into."""
        if not self.rows:
            return 0
        return max((min(cell.rowspan, len(self.rows)) for cell in self.rows[0]), default=1)

    @property
    def slots(self) -> list[list[Slot]]:
        placed, width, _ = self._positions
        head = self.header_rows
        covered: dict[tuple[int, int], tuple[int, int, GridCell]] = {}
        for r, slots in enumerate(placed):
            for c, cell, colspan, rowspan in slots:
                for dr in range(rowspan):
                    for dc in range(colspan):
                        covered[(r + dr, c + dc)] = (r, c, cell)
        numeric_cols = set()
        for c in range(1, width):
            filled = [cell for r, slots in enumerate(placed) if r >= head
                      for col, cell, _, _ in slots if col == c and cell]
            if all(cell.is_numeric for cell in filled):
                numeric_cols.add(c)
        result = []
        for r, slots in enumerate(placed):
            row = []
            starts = {c for c, _, _, _ in slots}
            for c, cell, colspan, rowspan in slots:
                headers: list[str] = []
                if r >= head:
                    for dc in range(colspan):
                        for hr in range(head):
                            owner = covered.get((hr, c + dc))
                            if owner and owner[2] and f"h-{owner[0]}-{owner[1]}" not in headers:
                                headers.append(f"h-{owner[0]}-{owner[1]}")
                    owner = covered.get((r, 0))
                    if c > 0 and owner and owner[2]:
                        headers.append(f"r-{owner[0]}")
                row.append(Slot(r, c, cell, colspan, rowspan, r < head, c in numeric_cols, tuple(headers)))
            for c in range(width):  # complete a short row with empty cells
                if (r, c) not in covered and c not in starts:
                    row.append(Slot(r, c, None, header=r < head))
            row.sort(key=lambda slot: slot.col)
            result.append(row)
        return result


@dataclass
class GridBlock:
    spec: Block
    tables: list[Grid]


BLOCK_CLASSES = {TABLE: TableBlock, PAIRS: PairsBlock, TEXT: TextBlock, FIELD: FieldBlock, FIELDS: FieldsBlock,
                 INDICATORS: IndicatorsBlock, GRID: GridBlock}


@dataclass
class FormRecord(Record):
    """A self-evaluation form of any layout."""

    layout: Layout | None = None
    form_title: str = ""
    header: dict[str, Cell] = field(default_factory=dict)
    blocks: list = field(default_factory=list)  # one value per block of the layout, in printed order
    footer: dict[str, Cell] = field(default_factory=dict)

    # --- finding parts -----------------------------------------------------------------

    def block(self, key: str):
        return next((b for b in self.blocks if b.spec.key == key), None)

    def blocks_of(self, type_: str) -> list:
        return [b for b in self.blocks if b.spec.type == type_]

    def column(self, role: str) -> Column | None:
        """The first column with `role` in any table or indicator block."""
        for block in self.blocks:
            if block.spec.type in (TABLE, INDICATORS):
                found = block.spec.column(role)
                if found is not None:
                    return found
        return None

    @property
    def name(self) -> str:
        """项目支出名称 / 部门名称, as typed."""
        column = self.layout.name_field if self.layout else None
        return self.header[column.key].text if column is not None and column.key in self.header else ""

    @property
    def form_issuer(self) -> Cell | None:
        return _by_role(self.layout.header, self.header, "issuer") if self.layout else None

    @property
    def printed_header(self) -> list[tuple[Column, Cell]]:
        return [(c, self.header[c.key]) for c in self.layout.header if c.printed and c.role != "issuer"]

    @property
    def printed_footer(self) -> list[tuple[Column, Cell]]:
        return [(c, self.footer[c.key]) for c in self.layout.footer]

    @property
    def filled_date(self) -> Cell | None:
        return _by_role(self.layout.footer, self.footer, "date") if self.layout else None

    # --- the budget table ----------------------------------------------------------------

    @_cached
    def funds(self) -> TableBlock | None:
        """The table with the 年度资金总额 row (role total), scored for budget execution."""
        return next((b for b in self.blocks if b.spec.type == TABLE and b.total_row is not None), None)

    @property
    def budget_row(self) -> TableRow | None:
        funds = self.funds
        return funds.total_row if funds is not None else None

    @property
    def budget_rows(self) -> list[TableRow]:
        row = self.budget_row
        return [row] if row is not None else []

    # --- indicators ------------------------------------------------------------------------

    @_cached
    def indicators_block(self) -> IndicatorsBlock | None:
        return next((b for b in self.blocks if b.spec.type == INDICATORS), None)

    @property
    def indicators(self) -> list[Level1]:
        block = self.indicators_block
        return block.indicators if block is not None else []

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        block = self.indicators_block
        return block.rows if block is not None else []

    @property
    def total(self) -> TotalRow | None:
        block = self.indicators_block
        return block.total if block is not None else None

    # --- summary figures, as printed; None where the layout has no such cell ------------------

    def _budget_cell(self, *roles: str) -> Cell | None:
        row = self.budget_row
        if row is None:
            return None
        for role in roles:
            found = row.cell(role)
            if found is not None:
                return found
        return None

    @property
    def budget(self) -> Cell | None:
        """全年预算数 of 年度资金总额 (调整后预算数 where the form prints that instead)."""
        return self._budget_cell(ANNUAL_BUDGET, ADJUSTED_BUDGET)

    @property
    def executed(self) -> Cell | None:
        return self._budget_cell(EXECUTED)

    @property
    def execution_rate(self) -> Cell | None:
        return self._budget_cell(EXECUTION_RATE)

    @property
    def total_score(self) -> Cell | None:
        total = self.total
        return total.score if total is not None else None

    @property
    def grade(self) -> Cell | None:
        """评价等级, or None when the layout has no such cell."""
        for block in self.blocks:
            if block.spec.type == FIELD and block.spec.role == GRADE:
                return block.cell
        return None

    @property
    def embedded_documents(self) -> list:
        return [d for block in self.blocks if block.spec.type == TEXT for d in block.documents]

    @_cached
    def embeds_documents(self) -> bool:
        """Whether a text cell names documents holding its full text (read from the file: fixed)."""
        return any(block.document_ids for block in self.blocks_of(TEXT))

    @property
    def checked(self) -> bool:
        """False for a form published as a generic grid: its arithmetic is not checked."""
        return self.layout is not None and self.layout.checked


__all__ = ["FormRecord", "TableBlock", "TableRow", "PairsBlock", "Pair", "TextBlock", "FieldBlock", "FieldsBlock",
           "IndicatorsBlock", "IndicatorRow", "Level1", "Level2", "TotalRow", "GridBlock", "Grid", "GridCell", "NAME"]
