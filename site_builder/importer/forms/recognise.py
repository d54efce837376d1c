"""Which layout a form is printed in, and its cells as record data, read by label.

Everything here follows the layout's declaration (:mod:`site_builder.layouts`):
a form is recognised when all of the layout's `recognise` labels are printed
in it; each header field, block and footer signatory is then found by its
printed label, and its values by the positions of the printed column and row
labels. No layout has code of its own: a new layout is a new data file.

Every cell that holds text and that no part of the layout claims is returned
as unplaced, with its place in the file; the caller reports each one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ...layouts import FIELD, FIELDS, GRID, INDICATORS, ISSUER, NAME, PAIRS, TABLE, TEXT, Block, Column, Layout
from .grid import SIGN, Cell, Grid, label_key, label_of, squeeze
from .split import Form, Line
from .write import Row

_COLON = "：:"
_UNIT = re.compile(r"[（(][^（）()]{1,8}[）)]$")


@dataclass
class Mapped:
    """A form read into record data by its layout."""

    layout: Layout
    data: dict
    name: str  # the record's name (project or department), "" when the form prints none
    unplaced: list[Cell | Line] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # printed labels of the layout not found in the form


def _labels(grid: Grid) -> set[str]:
    """The labels a form prints, as compared (label_key)."""
    found = set()
    for cell in grid.cells:
        label = label_key(cell.text)
        found.add(label)
        found.add(_UNIT.sub("", label))  # "年度预算申请（万元）" names the block 年度预算申请
        for colon in _COLON:  # "实施单位：岳阳市……" names its label inline
            if colon in cell.text:
                found.add(label_key(cell.text.split(colon, 1)[0]))
    return found


def recognise(form: Form, layouts) -> Layout | None:
    """The declared layout whose `recognise` labels are all printed in the form. A layout whose labels
    are printed in its own words wins over one matched only through the other wordings it declares
    (also); then the most specific (most `recognise` labels, then most of its labels printed)."""
    labels = _labels(form.grid)
    best, best_score = None, (False, 0, 0)
    for layout in layouts.distinct():
        if not layout.recognise or not layout.checked:
            continue
        if all(any(_matches_any(wording, labels) for wording in _wordings(layout, label)) for label in layout.recognise):
            known = [c.printed_as for c in layout.header + layout.footer] + [(b.label,) for b in layout.blocks]
            known += [c.printed_as for b in layout.blocks for c in b.columns + b.levels]
            score = (all(_matches_any(label, labels) for label in layout.recognise), len(layout.recognise),
                     sum(1 for wordings in known if any(label and _matches_any(label, labels) for label in wordings)))
            if score > best_score:
                best, best_score = layout, score
    return best


def _wordings(layout: Layout, label: str) -> tuple[str, ...]:
    """`label` (one of the layout's `recognise`) and the other wordings the layout declares for it (also)."""
    key = label_key(label)
    cells = [*layout.header, *layout.footer]
    for block in layout.blocks:
        cells += [*block.columns, *block.levels, *block.rows, *([block.total] if block.total else [])]
    return (label, *(wording for cell in cells if cell.label and label_key(cell.label) == key for wording in cell.also))


def _matches_any(label: str, labels: set[str]) -> bool:
    return label_key(label) in labels


class _Reader:
    """One form being read: the cells claimed so far."""

    def __init__(self, form: Form):
        self.form = form
        self.grid = form.grid
        self.used: set[int] = set()
        self.missing: list[str] = []
        self.pairs: dict[str, str] = {}  # footer values read from a cell holding several "label：value"
        self.labels: set[str] = set()  # every label of the layout: a label is never another's value
        self.repeatable: set[str] = set()  # other texts a sheet may print again on each row under them
        self._keys: dict[int, str] = {}  # each cell's label_key, taken once (labels are looked for in every cell)

    def key(self, cell: Cell) -> str:
        """label_key of the cell's text."""
        found = self._keys.get(id(cell))
        if found is None:
            found = self._keys[id(cell)] = label_key(cell.text)
        return found

    # --- finding labels -------------------------------------------------------------------

    def use(self, *cells: Cell | None) -> None:
        for cell in cells:
            if cell is not None:
                self.used.add(id(cell))

    def find(self, labels: str | tuple[str, ...], unit: str = "", start: int = 0) -> Cell | None:
        """The cell printing one of `labels` (with or without its unit in brackets, a colon, a formula
        code, in either width: label_key); the first wording printed wins."""
        for label in (labels,) if isinstance(labels, str) else labels:
            wanted = {label_key(label)}
            if unit:
                wanted.add(label_key(f"{label}（{unit}）"))
            for cell in self.grid.cells:
                if cell.row < start or id(cell) in self.used:
                    continue
                if self.key(cell) in wanted:
                    return cell
        return None

    def inline(self, labels: tuple[str, ...]) -> tuple[Cell, str] | None:
        """A cell printing "label：value" for one of `labels`; the value as printed."""
        for label in labels:
            wanted = label_key(label)
            for cell in self.grid.cells:
                if id(cell) in self.used:
                    continue
                value = _after_label(cell.text, wanted)
                if value is not None:
                    return cell, value
        return None

    def right_of(self, cell: Cell) -> Cell | None:
        return self.grid.at(cell.row, cell.last_column + 1)

    def below(self, cell: Cell) -> Cell | None:
        return self.grid.at(cell.last_row + 1, cell.column)

    # --- a labelled value: header, footer, field --------------------------------------------

    def labelled(self, column: Column, multi: list[Column] | None = None) -> str | None:
        """The value printed for `column`: after its label in the same cell, or in the cell to its right."""
        if not column.label:
            return None
        cell = self.find(column.printed_as)
        if cell is not None:
            value = self.right_of(cell)
            self.use(cell)
            if value is not None and id(value) not in self.used and not self._is_label(value):
                self.use(value)
                return value.text
            return ""
        if multi:  # a footer cell holds several "label：value" pairs, in any order
            wordings = {squeeze(w): squeeze(c.label) for c in multi for w in c.printed_as}
            for cell in self.grid.cells:
                values = split_pairs(cell.text, list(wordings)) if id(cell) not in self.used else None
                values = {wordings.get(key, key): value for key, value in (values or {}).items()}
                if squeeze(column.label) in values:
                    self.use(cell)
                    self.pairs.update(values)
                    return values[squeeze(column.label)]
        found = self.inline(column.printed_as)
        if found is not None:
            cell, value = found
            self.use(cell)
            return value
        return None

    def _is_label(self, cell: Cell) -> bool:
        return self.key(cell) in self.labels


def _after_label(text: str, wanted: str) -> str | None:
    """The text after "label：" when `text` opens with `wanted`, a label_key (spaces and breaks in the
    label ignored, each character compared in one width)."""
    matched = 0
    for index, ch in enumerate(text):
        if ch.isspace() or ch == "\u3000":
            continue
        if matched == len(wanted):
            sign = SIGN.match(text, index)  # 单位负责人（签字）：
            rest = text[sign.end():].lstrip() if sign else text[index:]
            if rest[:1] and rest[0] in _COLON:
                return rest[1:].strip()
            return None
        folded = unicodedata.normalize("NFKC", ch)
        if not wanted.startswith(folded, matched):
            return None
        matched += len(folded)
    return None


def split_pairs(text: str, labels: list[str]) -> dict[str, str] | None:
    """ "填表人：刘婷  填报日期：2024年9月11日 …" → {label: value} for the labels printed in the cell."""
    pattern = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True) if label)
    if not pattern:
        return None
    found = list(re.finditer(rf"({pattern})(?:{SIGN.pattern})?\s*[：:]", text))
    if not found or found[0].start() != len(text) - len(text.lstrip()):
        return None
    values = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        values[squeeze(match.group(1))] = text[match.end():end].strip()
    return values


def map_form(form: Form, layout: Layout, fallback_name: str = "") -> Mapped:
    """The form's cells as the record data of `layout`, keys in the layout's order."""
    reader = _Reader(form)
    reader.labels = {label_key(label) for c in layout.header + layout.footer for label in c.printed_as}
    reader.labels |= {label_key(b.label) for b in layout.blocks if b.label}
    # the labels of blocks, printed with their unit (项目资金（万元）), and the indicator levels
    reader.repeatable = {label_key(f"{b.label}（{b.unit}）") for b in layout.blocks if b.label and b.unit}
    data: dict = {}
    unplaced_lines = list(form.above)
    name = ""
    if form.title is not None:
        data["form_title"] = form.title.text.replace("\n", "")
    for column in layout.header:
        value = reader.labelled(column)
        if value is None and column.role == ISSUER and unplaced_lines:
            line = unplaced_lines.pop(0)
            value = line.text
        if value is None and column.role == NAME:
            value = fallback_name
        if value is None:
            if column.printed:
                reader.missing.append(column.label)
            continue
        value = value.replace("\n", "") if column.role == NAME else value
        data[column.key] = value
        if column.role == NAME:
            name = value
    for block in layout.blocks:
        _block(reader, block, data)
    footer = {}
    for column in layout.footer:
        if squeeze(column.label) in reader.pairs:
            value = reader.pairs[squeeze(column.label)]
        else:
            value = reader.labelled(column, multi=list(layout.footer))
        if value is not None:
            footer[column.key] = value
        else:
            reader.missing.append(column.label)
    if footer:
        data["footer"] = footer
    for cell in form.grid.cells:  # in reading order: a label printed again on each row under it (not merged)
        above = form.grid.at(cell.row - 1, cell.column) if cell.row else None
        if (id(cell) not in reader.used and above is not None and id(above) in reader.used and cell.text.strip()
                and above.column == cell.column and above.colspan == cell.colspan
                and reader.key(above) == reader.key(cell) and reader.key(cell) in reader.labels | reader.repeatable):
            reader.use(cell)
    unplaced: list[Cell | Line] = [c for c in form.grid.cells if c.text.strip() and id(c) not in reader.used]
    unplaced.extend(unplaced_lines)
    return Mapped(layout, data, name, unplaced, reader.missing)


def _put(data: dict, path: tuple[str, ...], value) -> None:
    target = data
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _block(reader: _Reader, block: Block, data: dict) -> None:
    reading = {TABLE: _table, PAIRS: _pairs, TEXT: _text, FIELD: _field, FIELDS: _fields,
               INDICATORS: _indicators, GRID: _grid}.get(block.type)
    if reading is not None:
        reading(reader, block, data)


def _header_row(reader: _Reader, columns: tuple[Column, ...]) -> tuple[int, dict[str, Cell]] | None:
    """The row printing most of `columns`' labels, and the cell of each column found there (by key).
    A header may take two rows: 预算数 over 年初 and 全年, the other labels merged down over both; the
    cells of the second row are then read with the label above them (年初预算数), which is marked placed."""
    wanted = [(column.key, {label_key(label) for label in column.printed_as}) for column in columns]
    best = None
    for row in range(reader.grid.height):
        cells, groups = {}, []
        for cell in reader.grid.covering(row):  # those merged down from the row above too
            if id(cell) in reader.used or cell.row < row and cell.row + 1 != row:
                continue
            texts = [(reader.key(cell), None)]
            group = reader.grid.at(row - 1, cell.column) if cell.row == row and row else None
            if group is not None and group.colspan > cell.colspan and id(group) not in reader.used:
                texts.append((label_key(cell.text + group.text), group))
            for key, keys in wanted:
                found = next((g for text, g in texts if text in keys), False)
                if key not in cells and found is not False:
                    cells[key] = cell
                    groups.append(found)
        if cells and (best is None or len(cells) > len(best[1])):
            best = (row, cells, groups)
    if best is None or len(best[1]) * 2 < len(wanted):
        return None
    reader.use(*best[2])
    return best[0], best[1]


def _block_header(reader: _Reader, block: Block, name: str) -> tuple[int, dict[str, Cell]] | None:
    """The header row of `block`'s columns, its cells marked as placed; None (and `name` listed as
    missing) when the form does not print it."""
    header = _header_row(reader, block.columns)
    if header is None:
        reader.missing.append(name)
        return None
    reader.use(*header[1].values())
    return header


def _block_label(reader: _Reader, block: Block) -> Cell | None:
    if not block.label:
        return None
    cell = reader.find(block.label, block.unit)
    reader.use(cell)
    return cell


def _table(reader: _Reader, block: Block, data: dict) -> None:
    label = _block_label(reader, block)
    header = _block_header(reader, block, block.label or block.key)
    if header is None:
        return
    row, columns = header
    corner = reader.grid.at(row, min(c.column for c in columns.values()) - 1)
    if corner is not None and corner is not label and block.corner and reader.key(corner) == label_key(block.corner):
        reader.use(corner)
    values = {}
    for spec in block.rows:
        cell = reader.find(spec.printed_as, start=row + 1)
        if cell is None:
            reader.missing.append(spec.label)
            continue
        reader.use(cell)
        entry = Row()
        for column in block.columns:
            if column.key not in columns:
                continue
            value = reader.grid.at(cell.row, columns[column.key].column)
            if value is not None and value is not cell:
                reader.use(value)
                entry[column.key] = value.text
            else:
                entry[column.key] = ""
        values[spec.key] = entry
    _put(data, block.path, values)


def _pairs(reader: _Reader, block: Block, data: dict) -> None:
    header = _block_header(reader, block, " / ".join(c.label for c in block.columns))
    if header is None:
        return
    row, columns = header
    left = reader.grid.at(row, 0)
    rows = []
    prefix = squeeze(block.prefix)
    r = row + 1
    while r < reader.grid.height:
        here = reader.grid.at(r, 0)
        if left is not None and left not in columns.values() and here is not left and (
                here is None or here.text.strip() and reader.key(here) != reader.key(left)):
            break  # the rows under the label down the left edge (merged, blank or printing it again) are over
        cells = {key: reader.grid.at(r, cell.column) for key, cell in columns.items()}
        if any(c is None or id(c) in reader.used for c in cells.values()):
            break
        if any(reader.key(c) in reader.labels and (left is None or reader.key(c) != reader.key(left))
               for c in reader.grid.row(r)):
            break  # the next part of the form (not the label down the left edge printed again)
        entry = {}
        for column in block.columns:
            cell = cells.get(column.key)
            if cell is None:
                continue
            reader.use(cell)
            text = cell.text.strip()
            if prefix and squeeze(text).startswith(prefix):
                text = _drop_prefix(text, prefix)
            label, value = "", text
            for colon in _COLON:
                if colon in text:
                    label, value = text.split(colon, 1)
                    break
            entry[column.key] = Row(label=squeeze(label), value=value.strip())
        rows.append(entry)
        r += 1
    _put(data, block.path, rows)


def _drop_prefix(text: str, prefix: str) -> str:
    count = 0
    for index, ch in enumerate(text):
        if ch.isspace():
            continue
        count += 1
        if count == len(prefix):
            return text[index + 1:].strip()
    return text


def _text(reader: _Reader, block: Block, data: dict) -> None:
    label = _block_label(reader, block)
    if not block.columns:
        if label is None:
            found = reader.inline((block.label,)) if block.label else None
            if found is None:
                reader.missing.append(block.label or block.key)
                return
            reader.use(found[0])
            _put(data, block.path, found[1])
            return
        value = reader.right_of(label) if label.last_column + 1 < reader.grid.width else reader.below(label)
        reader.use(value)
        _put(data, block.path, value.text if value is not None else "")
        return
    header = _block_header(reader, block, block.label or block.key)
    if header is None:
        return
    row, columns = header
    last = label.last_row if label is not None and label.last_row > row else row + 1
    values = {}
    for column in block.columns:
        head = columns.get(column.key)
        if head is None:
            continue
        parts = []
        for r in range(row + 1, last + 1):
            cell = reader.grid.at(r, head.column)
            if cell is not None and id(cell) not in reader.used:
                reader.use(cell)
                if cell.text:
                    parts.append(cell.text)
        values[column.key] = "\n".join(parts)
    _put(data, block.path, values)


def _field(reader: _Reader, block: Block, data: dict) -> None:
    value = reader.labelled(Column(block.key, block.label, block.role))
    if value is not None:
        _put(data, block.path, value)


def _fields(reader: _Reader, block: Block, data: dict) -> None:
    _block_label(reader, block)
    values = {}
    for column in block.columns:
        value = reader.labelled(column)
        if value is None:
            reader.missing.append(column.label)
            continue
        values[column.key] = value
    _put(data, block.path, values)


def _joined(text: str) -> str:
    """An indicator level as one line: Word breaks "经济效\\n益指标" to fit a narrow column."""
    return "".join(line.strip() for line in text.split("\n"))


def _opens(groups: list[dict], key: str, cell: Cell) -> bool:
    """Whether the level `cell` prints opens a new group after `groups`: not when it is blank or
    prints the last group's level again."""
    text = _joined(cell.text)
    return not groups or (text != "" and squeeze(text) != squeeze(groups[-1].get(key, "")))


def _indicators(reader: _Reader, block: Block, data: dict) -> None:
    label = _block_label(reader, block)
    header = _header_row(reader, block.levels + block.columns)
    if header is None:
        reader.missing.append(block.label or block.key)
        return
    row, columns = header
    reader.use(*columns.values())
    total_row = None
    groups: list[dict] = []
    level1_cell = level2_cell = None
    r = row + 1
    level_keys = [level.key for level in block.levels]
    while r < reader.grid.height:
        if block.total is not None:
            total = reader.find(block.total.printed_as, start=r)
            if total is not None and total.row == r:
                total_row = total
                break
        cells = {key: reader.grid.at(r, head.column) for key, head in columns.items()}
        left = reader.grid.at(r, label.column) if label is not None else None
        if left is not None and left is not label and left.text.strip() and label.column < min(
                head.column for head in columns.values()) and reader.key(left) != reader.key(label):
            break  # the next part of the form, labelled down the left edge (not the label printed again)
        if all(c is None or not c.text.strip() for key, c in cells.items()
               if key not in level_keys or c is None or c.row == r):
            r += 1
            continue  # a blank row left for layout (levels merged down from above do not count)
        first = cells.get(level_keys[0]) if level_keys else None
        second = cells.get(level_keys[1]) if len(level_keys) > 1 else None
        # A level opens a group where it is printed; a level cell left blank (not merged down, as many
        # fill in a sheet) or printing the level above it again goes on with the group above.
        if first is not None and first is not level1_cell:
            level1_cell = first
            reader.use(first)
            if _opens(groups, level_keys[0], first):
                groups.append({level_keys[0]: _joined(first.text), "groups": []})
                level2_cell = None
        if not groups:
            groups.append({level_keys[0]: "", "groups": []} if level_keys else {"groups": []})
        if second is not None and second is not level2_cell:
            level2_cell = second
            reader.use(second)
            if _opens(groups[-1]["groups"], level_keys[1], second):
                groups[-1]["groups"].append({level_keys[1]: _joined(second.text), "rows": []})
        if not groups[-1]["groups"]:
            groups[-1]["groups"].append({level_keys[1] if len(level_keys) > 1 else "level2": "", "rows": []})
        entry = Row()
        for column in block.columns:
            cell = cells.get(column.key)
            if cell is not None and cell.row == r:
                reader.use(cell)
                entry[column.key] = cell.text
            else:
                entry[column.key] = ""
        groups[-1]["groups"][-1]["rows"].append(entry)
        r += 1
    _put(data, block.path, groups)
    if block.total is not None and total_row is not None:
        reader.use(total_row)
        total = Row(label=label_of(total_row.text))
        for key in block.total.columns:
            head = columns.get(key)
            cell = reader.grid.at(total_row.row, head.column) if head is not None else None
            if cell is not None and cell is not total_row:
                reader.use(cell)
                total[key] = cell.text
            else:
                total[key] = ""
        for cell in reader.grid.covering(total_row.row):  # the blank cells of the row belong to it
            if not cell.text.strip():
                reader.use(cell)
        data[block.total.key] = total
    elif block.total is not None:
        reader.missing.append(block.total.label)


def _grid(reader: _Reader, block: Block, data: dict) -> None:
    """The rows below everything placed so far, kept cell by cell; a full-width row opens a new table."""
    last_used = max((c.last_row for c in reader.grid.cells if id(c) in reader.used), default=-1)
    tables: list[dict] = []
    start = last_used + 1
    if start >= reader.grid.height:
        _put(data, block.path, tables)
        return
    part = reader.grid.slice(start, reader.grid.height)
    current: dict | None = None
    rows = part.to_rows()
    for r in range(part.height):
        cells = part.row(r)
        if len(cells) == 1 and cells[0].colspan >= part.width - 1 and cells[0].text:
            current = {"title": cells[0].text.replace("\n", ""), "rows": []}  # a full-width row names a table
            tables.append(current)
            continue
        if current is None:
            current = {"title": "", "rows": []}
            tables.append(current)
        if any(isinstance(c, dict) or c for c in rows[r]):
            current["rows"].append(rows[r])
    for cell in reader.grid.cells:
        if cell.row >= start:
            reader.use(cell)
    _put(data, block.path, tables if block.many else (tables[0] if tables else {"title": "", "rows": []}))


def grid_data(form: Form, name: str) -> dict:
    """The generic record of a form whose layout is not declared: its tables cell by cell."""
    data: dict = {"name": name}
    data["tables"] = [{"title": form.title.text.replace("\n", "") if form.title else "", "rows": form.grid.to_rows()}]
    return data


__all__ = ["recognise", "map_form", "grid_data", "Mapped"]
