"""A form as the tables it prints, read from its layout: what every download is made of.

:func:`form_tables` turns a :class:`~site_builder.model.forms.FormRecord` into
plain data (lists and dicts, ready for JSON): the form's title and, in printed
order, one table per part of the form — the header cells, each block, the
cells under the form. Each table has its fields (a key, the title as printed,
the role where the layout gives one), its printed header rows and its body
rows; a cell is ``{"text": …}`` with ``colspan``/``rowspan`` where it is
merged, and the cells a merge covers are left out, as in HTML.

Labels, order and merges all come from the layout: a new layout needs no code
here. Text is kept exactly as typed (masking happens when files are written).
"""

from __future__ import annotations

from ..layouts import FIELD, FIELDS, GRID, INDICATORS, PAIRS, TABLE, TEXT
from ..model.forms import lay_out

FORMAT = 1  # of the JSON download; raised when its shape changes


def cell(text: str, colspan: int = 1, rowspan: int = 1) -> dict:
    value: dict = {"text": text}
    if colspan > 1:
        value["colspan"] = colspan
    if rowspan > 1:
        value["rowspan"] = rowspan
    return value


def _field(key: str, title: str, role: str = "") -> dict:
    value = {"name": key, "title": title}
    if role:
        value["role"] = role
    return value


def _table(key: str, title: str, unit: str, fields: list[dict], rows: list[list[dict]],
           head: list[list[dict]] | None = None) -> dict:
    head = head if head is not None else [[cell(f["title"]) for f in fields]]
    return {"name": key, "title": title, "unit": unit, "fields": fields, "head": head, "rows": rows}


def _text(value) -> str:
    return "" if value is None else str(value)


def form_tables(record) -> dict:
    """The form `record` as printed: {title, year, kind, layout, page, tables: [...]}."""
    name = record.name
    tables = []
    header = [(column, value) for column, value in record.printed_header]
    issuer = record.form_issuer
    if issuer:
        header.insert(0, (next(c for c in record.layout.header if c.role == "issuer"), issuer))
    if header:
        tables.append(_table("header", f"{name}：表头", "", [_field(c.key, c.label, c.role) for c, _ in header],
                             [[cell(_text(v)) for _, v in header]]))
    footer_cells = []
    for block in record.blocks:
        spec = block.spec
        caption = (spec.caption or "{name}：" + spec.label).replace("{name}", name)
        if spec.type == TABLE:
            tables.append(_funds(block, caption))
        elif spec.type == PAIRS and block.rows:
            tables.append(_pairs(block, caption))
        elif spec.type == TEXT and spec.columns:
            tables.append(_table(spec.key, caption, spec.unit, [_field(c.key, c.label, c.role) for c in spec.columns],
                                 [[cell(_text(block[c.key])) for c in spec.columns]]))
        elif spec.type == TEXT:
            if block.text:
                tables.append(_table(spec.key, caption, spec.unit, [_field("text", spec.label)],
                                     [[cell(_text(block.text))]]))
        elif spec.type == FIELDS:
            columns = [c for row in block.printed_rows for c in row]
            tables.append(_table(spec.key, caption, spec.unit, [_field(c.key, c.label, c.role) for c in columns],
                                 [[cell(_text(block[c.key])) for c in columns]]))
        elif spec.type == INDICATORS:
            tables.append(_indicators(block, caption))
        elif spec.type == GRID:
            untitled = (spec.caption or "{name}：原表第 {number} 张表").replace("{name}", name)
            for number, grid in enumerate(block.tables, 1):
                if grid.rows:
                    title = grid.title.text or untitled.replace("{number}", str(number))
                    tables.append(_grid(f"{spec.key}-{number}", title, spec.unit, grid))
        elif spec.type == FIELD:
            footer_cells.append((spec.key, spec.label, spec.role, block.cell))
    footer_cells += [(c.key, c.label, c.role, v) for c, v in record.printed_footer]
    if footer_cells:
        tables.append(_table("footer", f"{name}：表尾", "", [_field(k, label, role) for k, label, role, _ in footer_cells],
                             [[cell(_text(v)) for *_, v in footer_cells]]))
    return {"format": FORMAT, "title": record.form_title or record.title, "name": name, "year": record.year,
            "kind": record.kind, "kind_label": record.kind_label, "layout": record.layout.id,
            "page": record.url, "tables": tables}


def _funds(block, caption: str) -> dict:
    spec = block.spec
    fields = [_field("item", spec.corner)] + [_field(c.key, c.label, c.role) for c in spec.columns]
    rows = [[cell(row.label)] + [cell(_text(row[c.key])) for c in spec.columns] for row in block.rows if row.present]
    return _table(spec.key, caption, spec.unit, fields, rows)


def _pairs(block, caption: str) -> dict:
    spec = block.spec
    rows = []
    for index, row in enumerate(block.rows):
        cells = []
        for column in spec.columns:
            pair = row[column.key]
            text = (spec.prefix if index == 0 else "") + (f"{pair.label}：" if pair.label else "") + _text(pair.value)
            cells.append(cell(text))
        rows.append(cells)
    return _table(spec.key, caption, spec.unit, [_field(c.key, c.label, c.role) for c in spec.columns], rows)


def _indicators(block, caption: str) -> dict:
    spec = block.spec
    columns = list(spec.columns)
    fields = [_field(level.key, level.label) for level in spec.levels] + [_field(c.key, c.label, c.role) for c in columns]
    rows: list[list[dict]] = []
    two_levels = len(spec.levels) >= 2
    for level1 in block.indicators:
        first_of_level1 = True
        for group in level1.groups:
            for index, row in enumerate(group.rows):
                cells = []
                if first_of_level1:
                    cells.append(cell(level1.label.text, rowspan=len(level1.rows)))
                    first_of_level1 = False
                if two_levels and index == 0:
                    cells.append(cell(group.label.text, rowspan=len(group.rows)))
                cells += [cell(_text(row[c.key])) for c in columns]
                rows.append(cells)
    total = block.total
    if total is not None:
        keys = [c.key for c in columns]
        summed = [k for k in keys if k in total.cells]
        first = keys.index(summed[0]) if summed else len(keys)
        cells = [cell(total.printed_label, colspan=len(spec.levels) + first)]
        for key in keys[first:]:
            cells.append(cell(_text(total.cells[key]) if key in total.cells else ""))
        rows.append(cells)
    return _table(spec.key, caption, spec.unit, fields, rows)


def _grid(key: str, title: str, unit: str, grid) -> dict:
    head_count = grid.header_rows
    width = grid.width
    printed = [[cell(c.text, c.colspan, c.rowspan) for c in row] for row in grid.rows]
    head, rows = printed[:head_count], printed[head_count:]
    titles = [""] * width
    for slots in grid.slots[:head_count]:
        for slot in slots:
            if slot.cell is not None and slot.cell.text:
                for c in range(slot.col, min(slot.col + slot.colspan, width)):
                    titles[c] = f"{titles[c]} / {slot.cell.text}" if titles[c] else slot.cell.text
    fields = [_field(f"c{c + 1}", titles[c]) for c in range(width)]
    return _table(key, title, unit, fields, rows, head)


_LAID_OUT: dict[int, tuple] = {}  # id(rows) → (rows, width, positions): a form's CSV, schema and workbook share one


def positions(rows: list[list[dict]], width: int) -> list[list[tuple[dict, int, int]]]:
    """Rows of printed cells laid out on a grid of `width` columns: (cell, rows down, columns
    across) per position, (cell, 0, 0) where the cell starts and more where its merge covers.
    The rows must not change afterwards (the result is kept for the same list)."""
    known = _LAID_OUT.get(id(rows))
    if known is not None and known[0] is rows and known[1] == width:
        return known[2]
    if len(_LAID_OUT) > 4096:  # a preview keeps a year's forms: their tables are laid out once
        _LAID_OUT.clear()
    laid = _positions(rows, width)
    _LAID_OUT[id(rows)] = (rows, width, laid)
    return laid


def _positions(rows: list[list[dict]], width: int) -> list[list[tuple[dict, int, int]]]:
    placed, _, _ = lay_out(rows, lambda value: (value.get("colspan", 1), value.get("rowspan", 1)))
    grid: list[list[tuple[dict, int, int] | None]] = [[None] * width for _ in rows]
    for r, slots in enumerate(placed):
        for c, value, colspan, rowspan in slots:
            if (colspan, rowspan) != (value.get("colspan", 1), value.get("rowspan", 1)):
                value = {**value, "colspan": colspan, "rowspan": rowspan}  # as laid out (clipped)
            for dr in range(rowspan):
                for dc in range(min(colspan, width - c)):
                    grid[r + dr][c + dc] = (value, dr, dc)
    return [[slot if slot is not None else (cell(""), 0, 0) for slot in row] for row in grid]


__all__ = ["form_tables", "positions", "cell", "FORMAT"]
