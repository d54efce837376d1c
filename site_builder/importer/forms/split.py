"""From the tables of a file to its forms: split tables joined, titles found.

* A table continued after a page break is often a second table whose first
  row repeats the header of the first: the two are joined, the repeated
  header dropped (:func:`forms`).
* A title is a short line ending in 表 (“2023年度项目支出绩效自评表”), printed
  either as a paragraph or sheet row above the table, or as a merged first row
  spanning the table; other short lines just above the table (“岳阳市财政局（制）”)
  are kept with the form, to be placed by its layout.
* One table, or one run of rows on a sheet, holding several forms one below the
  other is cut at each full-width title row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docx_tables import Paragraph
from .grid import Cell, Grid, squeeze

_TABLE_NUMBER = re.compile(r"第 (\d+)(?:–(\d+))? 张表格")
TITLE = re.compile(r"表(（[^（）]{0,20}）|\([^()]{0,20}\))?$")
TITLE_MAX = 50
# A line that prints only the form's year, under its title: （2022年度）, 2022年度, (2022年).
YEAR_LINE = re.compile(r"[(（]?\d{4}年度?[)）]?")
# A line saying the table goes on from the one before it: 续表, （续）, 续上表, 接上表, 续表1.
CONTINUED = re.compile(r"[(（]?(?:续表?|续上表|接上表)[0-9一二三四五六七八九十]*[)）]?[:：]?")
LINE_ABOVE_MAX = 40  # a line above a table longer than this is body text, not a part of the form
LINES_ABOVE = 3


@dataclass
class Line:
    text: str
    place: str


@dataclass
class Form:
    grid: Grid
    title: Line | None = None
    above: list[Line] = field(default_factory=list)  # short lines printed just above, other than the title


def is_title(text: str) -> bool:
    text = squeeze(text)
    return 0 < len(text) <= TITLE_MAX and TITLE.search(text) is not None


def _title_row(grid: Grid, row: int) -> Cell | None:
    cells = grid.row(row)
    if len(cells) == 1 and cells[0].colspan >= max(grid.width - 1, 1) and cells[0].rowspan == 1 and is_title(cells[0].text):
        return cells[0]
    return None


def _year_row(grid: Grid, row: int) -> Cell | None:
    """The cell of a row printing only the form's year across the table (under its title), if it is one."""
    cells = grid.row(row) if row < grid.height else []
    if (len(cells) == 1 and cells[0].colspan >= max(grid.width - 1, 1) and cells[0].rowspan == 1
            and YEAR_LINE.fullmatch(squeeze(cells[0].text))):
        return cells[0]
    return None


def _with_year(title: Line, year: Cell | Line | None) -> Line:
    """The title with the year printed on the line under it, as one title (its place: the title's)."""
    return title if year is None else Line(f"{title.text}\n{year.text}", title.place)


def _repeated_header(previous: Grid, following: Grid) -> int:
    """How many first rows of `following` repeat rows of `previous` (a header repeated after a page break)."""
    earlier = {tuple(squeeze(t) for t in previous.texts(r)) for r in range(previous.height)}
    count = 0
    while count < following.height:
        texts = tuple(squeeze(t) for t in following.texts(count))
        if not any(texts) or texts not in earlier:
            break
        count += 1
    return count


def forms(items: list[Paragraph | Grid], known=None) -> tuple[list[Form], list[Paragraph]]:
    """The forms in the file, in order; and the paragraphs that belong to none of them.

    `known(form)`: whether a form is printed in a declared layout. A table that is not one, has no title
    and no text before it, goes on with the form of a declared layout just before it, as the rest of it
    (with the header repeated, or as wide): the rows a bureau put on a second sheet (项目表（续）), or after
    an empty paragraph in Word. Alone it was a form of its own with no title, a department form."""
    result: list[Form] = []
    loose: list[Paragraph] = []
    between: list[Paragraph] = []
    for item in items:
        if isinstance(item, Paragraph):
            between.append(item)
            continue
        grid = item
        previous = result[-1] if result else None
        continued = [p for p in between if p.text and CONTINUED.fullmatch(squeeze(p.text))]
        text_between = [p for p in between if p.text and p not in continued]
        boundary = any(p.page_break and not p.text and p.where.startswith("工作表") for p in between)
        if previous is not None and not text_between and _title_row(grid, 0) is None:
            repeated = _repeated_header(previous.grid, grid)
            # a page break, nothing at all between the two, or a line saying the table goes on (续表)
            page_break = any(p.page_break for p in between) or not between or bool(continued)
            goes_on = not boundary and (repeated or (page_break and grid.width == previous.grid.width))
            if not goes_on and known is not None and (repeated or grid.width == previous.grid.width):
                goes_on = known(previous) and not known(Form(grid))
            if goes_on:
                join(previous.grid, grid, repeated)
                between = []
                continue
        above, rest = _lines_above(text_between)
        loose.extend(rest)
        result.extend(_cut(grid, above))
        between = []
    loose.extend(p for p in between if p.text)
    return result, loose


def join(previous: Grid, following: Grid, repeated: int) -> None:
    """Add `following` (the rest of a table after a page break) below `previous`, without its
    first `repeated` rows (the repeated header). A cell merged down across the break (绩效指标 down
    the left edge, an indicator level) is printed again on the new page, or left blank there: it
    goes on as the one cell it is on paper."""
    last = previous.height - 1
    rest = following.slice(repeated, following.height)
    absorbed = set()
    for cell in following.cells:
        if cell.row < repeated <= cell.last_row or (cell.row == repeated and not cell.text.strip()):
            above = previous.at(last, cell.column)
            if above is None or above.column != cell.column or above.colspan != cell.colspan:
                continue
            if cell.row < repeated and squeeze(above.text) != squeeze(cell.text):
                continue
            if cell.row == repeated and above.rowspan < 2 and not (above.row < last):
                continue  # a blank cell under a cell that is not merged down is a blank cell
            above.rowspan += cell.last_row - repeated + 1
            absorbed.add((max(cell.row, repeated) - repeated, cell.column))
    rest.cells = [c for c in rest.cells if (c.row, c.column) not in absorbed]
    previous.append(rest)
    first, second = _TABLE_NUMBER.fullmatch(previous.where), _TABLE_NUMBER.fullmatch(following.where)
    if first and second:
        previous.where = f"第 {first.group(1)}–{second.group(2) or second.group(1)} 张表格"


def _lines_above(paragraphs: list[Paragraph]) -> tuple[list[Line], list[Paragraph]]:
    """The short lines just above a table (the form's title and the like), and the paragraphs before them."""
    take = 0
    for paragraph in reversed(paragraphs):
        text = paragraph.text
        if take == LINES_ABOVE or len(squeeze(text)) > LINE_ABOVE_MAX or text.endswith(("。", "；", "：", ":")):
            break
        take += 1
    kept = paragraphs[len(paragraphs) - take:] if take else []
    return [Line(p.text, p.where) for p in kept], paragraphs[:len(paragraphs) - take]


def _cut(grid: Grid, above: list[Line]) -> list[Form]:
    """The grid as one form or several, each with its title."""
    starts = [0] + [r for r in range(1, grid.height) if _title_row(grid, r) is not None]
    result = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else grid.height
        part = grid.slice(start, end) if len(starts) > 1 else grid
        part.where = grid.where
        form = Form(part, above=list(above) if index == 0 else [])
        title_cell = _title_row(part, 0)
        if title_cell is not None:
            year = _year_row(part, 1)
            form.title = _with_year(Line(title_cell.text, title_cell.place), year)
            form.grid = part.slice(2 if year is not None else 1, part.height)
            form.grid.where = grid.where
        else:
            titles = [index for index, line in enumerate(form.above) if is_title(line.text)]
            if titles:
                at = titles[-1]
                after = form.above[at + 1] if at + 1 < len(form.above) else None
                year = after if after is not None and YEAR_LINE.fullmatch(squeeze(after.text)) else None
                form.title = _with_year(form.above[at], year)
                form.above = [line for line in form.above if line is not form.above[at] and line is not year]
        result.append(form)
    return result
