"""Helpers of the accessibility suite that need no browser: a small element
tree (html.parser), the grid check of tables, and the validator's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


def format_vnu(messages: list[dict]) -> str:
    return "\n".join(f"  line {m.get('lastLine', '?')}: [{m.get('type')}/{m.get('subType', '')}] {m.get('message')}"
                     for m in messages)


# --------------------------------------------------------------------------
# A small element tree (html.parser), enough for the structural checks
# --------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    parent: "Node | None" = None
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, predicate) -> list["Node"]:
        return [node for node in self.iter() if predicate(node)]

    def find(self, predicate) -> "Node | None":
        return next((node for node in self.iter() if predicate(node)), None)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        ident = f"#{self.attrs['id']}" if "id" in self.attrs else ""
        return f"<{self.tag}{ident} line {self.line}>"


Document = Node


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Document:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --------------------------------------------------------------------------
# The grid check of tables
# --------------------------------------------------------------------------

@dataclass
class Cell:
    node: Node
    section: str      # thead, tbody or tfoot
    row: int          # first row, counted over the whole table
    col: int          # first column
    rowspan: int
    colspan: int

    @property
    def rows(self) -> range:
        return range(self.row, self.row + self.rowspan)

    @property
    def cols(self) -> range:
        return range(self.col, self.col + self.colspan)


@dataclass
class Grid:
    table: Node
    cells: list[Cell]
    width: int
    problems: list[str]


def _span(node: Node, name: str, problems: list[str]) -> int:
    raw = node.attrs.get(name, "1").strip() or "1"
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{node!r}: {name}={raw!r} is not a number")
        return 1
    if value < 1 and not (name == "rowspan" and value == 0):
        problems.append(f"{node!r}: {name}={raw!r} is smaller than 1")
        return 1
    return value


def table_sections(table: Node) -> list[tuple[str, list[Node]]]:
    """(section, rows) in source order; rows directly under <table> form an implied tbody."""
    sections: list[tuple[str, list[Node]]] = []
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag in ("thead", "tbody", "tfoot"):
            sections.append((child.tag, [row for row in child.children if isinstance(row, Node) and row.tag == "tr"]))
        elif child.tag == "tr":
            if sections and sections[-1][0] == "tbody (implied)":
                sections[-1][1].append(child)
            else:
                sections.append(("tbody (implied)", [child]))
    return sections


def table_grid(table: Node) -> Grid:
    """Expands rowspan and colspan into the table's grid and reports what breaks it:
    rows of different widths, holes, overlapping cells, rowspans that leave their
    row group, and a width that differs from the <colgroup>."""
    problems: list[str] = []
    cells: list[Cell] = []
    row_widths: list[tuple[Node, int]] = []
    first_row = 0
    for section, rows in table_sections(table):
        taken: dict[int, set[int]] = {}
        for r, tr in enumerate(rows):
            col = 0
            for node in tr.children:
                if not isinstance(node, Node) or node.tag not in ("td", "th"):
                    continue
                while col in taken.get(r, set()):
                    col += 1
                rowspan = _span(node, "rowspan", problems)
                colspan = _span(node, "colspan", problems)
                if rowspan == 0:  # to the end of the row group
                    rowspan = len(rows) - r
                if r + rowspan > len(rows):
                    problems.append(f"{node!r}: rowspan={rowspan} reaches {r + rowspan - len(rows)} row(s) "
                                    f"past the end of its {section}")
                    rowspan = len(rows) - r
                for rr in range(r, r + rowspan):
                    for cc in range(col, col + colspan):
                        if cc in taken.setdefault(rr, set()):
                            problems.append(f"{node!r}: overlaps another cell at row {first_row + rr + 1}, "
                                            f"column {cc + 1}")
                        taken[rr].add(cc)
                cells.append(Cell(node, section.split()[0], first_row + r, col, rowspan, colspan))
                col += colspan
        for r, tr in enumerate(rows):
            slots = taken.get(r, set())
            width = max(slots) + 1 if slots else 0
            holes = sorted(set(range(width)) - slots)
            if holes:
                problems.append(f"{tr!r}: no cell in column(s) {', '.join(str(c + 1) for c in holes)}")
            row_widths.append((tr, width))
        first_row += len(rows)
    widths = {w for _, w in row_widths}
    width = max(widths) if widths else 0
    if len(widths) > 1:
        for tr, w in row_widths:
            if w != width:
                problems.append(f"{tr!r}: {w} column(s) wide, the table is {width}")
    colgroup_width = 0
    for colgroup in (c for c in table.children if isinstance(c, Node) and c.tag == "colgroup"):
        cols = [c for c in colgroup.children if isinstance(c, Node) and c.tag == "col"]
        colgroup_width += sum(_span(c, "span", problems) for c in cols) if cols else _span(colgroup, "span", problems)
    if colgroup_width and colgroup_width != width:
        problems.append(f"{table!r}: <colgroup> declares {colgroup_width} column(s), the rows are {width} wide")
    return Grid(table, cells, width, problems)


def grid_problems(document: Document) -> list[str]:
    """Everything the grid check finds on one page, including `headers` tokens
    that do not name a <th> of the same table."""
    problems: list[str] = []
    for table in document.find_all(lambda n: n.tag == "table"):
        grid = table_grid(table)
        problems.extend(grid.problems)
        header_ids = {cell.node.attrs["id"] for cell in grid.cells if cell.node.tag == "th" and "id" in cell.node.attrs}
        for cell in grid.cells:
            for token in cell.node.attrs.get("headers", "").split():
                if token not in header_ids:
                    problems.append(f"{cell.node!r}: headers token {token!r} names no <th> of this table")
    return problems


def remove_one_cell(html: str, table_marker: str = "indicator-table") -> str:
    """The page with one <td> removed: the first data cell of the first table
    body after `table_marker` (the indicator table by default)."""
    start = html.index("<tbody", html.index(table_marker))
    cell_start = html.index("<td", start)
    cell_end = html.index("</td>", cell_start) + len("</td>")
    return html[:cell_start] + html[cell_end:]
