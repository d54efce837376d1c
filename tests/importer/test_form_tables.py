"""Tables read from Word and Excel with their merges, whatever the merges are.

Hypothesis draws a grid cut into merged rectangles, writes it with python-docx (gridSpan,
vMerge), openpyxl and xlwt (merged ranges), and the readers must give back every cell once, at
its place, with its spans and text; the same sheet saved as .xlsx and as .xls must give the same
tables; and the form splitter must join a table continued after a page break.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.importer.forms import docx_tables, split, xls_tables, xlsx_tables

TEXT = st.text(alphabet="年度资金总额项目指标值分得12345.%，：", min_size=1, max_size=8)


@st.composite
def merged_grids(draw):
    """(height, width, [(row, column, rowspan, colspan, text)]) covering the grid exactly once."""
    height = draw(st.integers(1, 6))
    width = draw(st.integers(1, 6))
    taken = set()
    cells = []
    for r in range(height):
        for c in range(width):
            if (r, c) in taken:
                continue
            free = 1
            while c + free < width and (r, c + free) not in taken:
                free += 1
            colspan = draw(st.integers(1, free))
            rowspan = draw(st.integers(1, height - r))
            while any((r + dr, c + dc) in taken for dr in range(rowspan) for dc in range(colspan)):
                rowspan -= 1
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            cells.append((r, c, rowspan, colspan, draw(TEXT)))
    return height, width, cells


def _word(path: Path, height: int, width: int, cells) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("表格上方的一行")
    table = document.add_table(rows=height, cols=width)
    for r, c, rowspan, colspan, text in cells:
        target = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        target.text = text
    document.save(str(path))


def _excel(path: Path, cells) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    workbook = Workbook()
    sheet = workbook.active
    thin = Side(style="thin")
    for r, c, rowspan, colspan, text in cells:
        for dr in range(rowspan):
            for dc in range(colspan):
                sheet.cell(r + 3 + dr, c + 2 + dc).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet.cell(r + 3, c + 2).value = text
        if rowspan > 1 or colspan > 1:
            sheet.merge_cells(start_row=r + 3, start_column=c + 2, end_row=r + 3 + rowspan - 1,
                              end_column=c + 2 + colspan - 1)
    workbook.save(str(path))


def _as_drawn(grid) -> list[tuple]:
    return sorted((c.row, c.column, c.rowspan, c.colspan, c.text) for c in grid.cells)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(merged_grids())
def test_word_merges_are_read_as_drawn(tmp_path, drawn):
    height, width, cells = drawn
    path = tmp_path / "表.docx"
    _word(path, height, width, cells)
    items, nested, _ = docx_tables.read(path, "表.docx")
    grids = [item for item in items if not isinstance(item, docx_tables.Paragraph)]
    assert len(grids) == 1 and not nested
    assert _as_drawn(grids[0]) == sorted(cells)
    assert grids[0].height == height and grids[0].width == width


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(merged_grids())
def test_excel_merged_ranges_are_read_as_drawn(tmp_path, suffix, drawn):
    height, width, cells = drawn
    write, read = {".xlsx": (_excel, xlsx_tables.read), ".xls": (_old_excel, xls_tables.read)}[suffix]
    path = tmp_path / f"表{suffix}"
    write(path, cells)
    items, unsaved, hidden = read(path, path.name)
    grids = [item for item in items if not isinstance(item, docx_tables.Paragraph)]
    assert len(grids) == 1 and not unsaved and not hidden
    assert _as_drawn(grids[0]) == sorted(cells)
    assert grids[0].height == height and grids[0].width == width
    assert grids[0].cells[0].place == "工作表“Sheet”B3"
    # the generic record: each cell once, positions covered by a merge left out, as in HTML
    rows = grids[0].to_rows()
    assert sum(len(row) for row in rows) == len(cells)


def test_a_table_continued_after_a_page_break_is_joined(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    header = ["一级指标", "二级指标", "三级指标", "分值"]
    document = docx.Document()
    document.add_paragraph("2023年度项目支出绩效自评表")
    first = document.add_table(rows=3, cols=4)
    for r, row in enumerate([header, ["产出指标", "数量指标", "培训教师", "10"], ["", "", "编写教材", "10"]]):
        for c, text in enumerate(row):
            first.cell(r, c).text = text
    first.cell(1, 0).merge(first.cell(2, 0)).text = "产出指标"
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    second = document.add_table(rows=3, cols=4)
    for r, row in enumerate([header, ["", "质量指标", "合格率", "10"], ["效益指标", "社会效益", "满意度", "10"]]):
        for c, text in enumerate(row):
            second.cell(r, c).text = text
    # (row 1, column 0): the level merged down across the break, left blank on the new page
    path = tmp_path / "分页.docx"
    document.save(str(path))
    forms, loose = split.forms(docx_tables.read(path, "分页.docx")[0])
    assert len(forms) == 1 and not loose
    form = forms[0]
    assert form.title.text == "2023年度项目支出绩效自评表"
    assert form.grid.where == "第 1–2 张表格"
    assert form.grid.height == 5  # the repeated header is dropped
    level = form.grid.at(3, 0)
    assert level.text == "产出指标" and level.rowspan == 3  # one merged cell over the page break
    assert form.grid.at(4, 0).text == "效益指标"
    assert [c.text for c in form.grid.row(3)] == ["质量指标", "合格率", "10"]


@pytest.mark.parametrize("between, joined", [("续表", True), ("（续）", True), ("续上表", True), ("续表1：", True),
                                              ("（续 表）", True), ("说明：以下为效益指标", False)])
def test_a_table_after_a_line_saying_it_goes_on_is_joined(tmp_path, between, joined):
    """“续表” (or （续）, 续上表, 接上表) between two tables of the same width: the second goes on from the
    first, without a page break or a repeated header; any other text between keeps them apart."""
    import docx

    document = docx.Document()
    document.add_paragraph("2023年度项目支出绩效自评表")
    for rows in ([["一级指标", "二级指标", "三级指标", "分值"], ["产出指标", "数量指标", "培训教师", "10"]],
                 [["效益指标", "社会效益", "满意度", "10"]]):
        table = document.add_table(rows=len(rows), cols=4)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        if len(rows) == 2:
            document.add_paragraph(between)
    path = tmp_path / "续表.docx"
    document.save(str(path))
    forms, loose = split.forms(docx_tables.read(path, path.name)[0])
    if joined:
        assert len(forms) == 1 and not loose and forms[0].grid.height == 3
        assert [c.text for c in forms[0].grid.row(2)] == ["效益指标", "社会效益", "满意度", "10"]
    else:
        assert len(forms) == 2


FOOTER = ["填表人", "填报日期", "联系电话", "单位负责人签字"]
VALUE = st.text(alphabet="刘婷李伟灵2024年9月11日13907306836 （）", max_size=12).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.permutations(FOOTER), st.lists(VALUE, min_size=4, max_size=4), st.sampled_from(["：", ":", " ："]),
       st.sampled_from([" ", "   ", "\n", "\u3000"]), st.lists(st.sampled_from(["", "（签字）", "(签字)", " （盖章）"]),
                                                          min_size=4, max_size=4))
def test_a_footer_cell_splits_into_its_signatories(order, values, colon, gap, signs):
    """“填表人：刘婷   填报日期：2024年9月11日 …”, in any order, with any spacing, a label followed or not
    by an instruction to sign (单位负责人（签字）：)."""
    from site_builder.importer.forms.recognise import split_pairs

    text = gap.join(f"{label}{sign}{colon}{value}" for label, value, sign in zip(order, values, signs))
    assert split_pairs(text, FOOTER) == dict(zip(order, values))


# --- .xls (Excel 97–2003): the same tables as from an .xlsx ------------------------------------


def _old_excel(path: Path, cells) -> None:
    """As _excel, written by xlwt: each merged range written once, bordered throughout (write_merge)."""
    import xlwt

    from fixtures.form_files import XlsStyles

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet", cell_overwrite_ok=True)
    styles = XlsStyles()
    for r, c, rowspan, colspan, text in cells:
        if rowspan > 1 or colspan > 1:
            sheet.write_merge(r + 2, r + 2 + rowspan - 1, c + 1, c + 1 + colspan - 1, text, styles())
        else:
            sheet.write(r + 2, c + 1, text, styles())
    workbook.save(str(path))


# What a form's cells hold: text, numbers under the formats finance bureaus use, dates, nothing.
VALUES = st.sampled_from([
    ("项目名称", "General"), ("  预算执行率\n（%） ", "@"), ("=<50万", "@"), ("", "@"), (None, "General"),
    (1463.31, "#,##0.00"), (238.93000000000001, "0.00"), (1.0, "0%"), (0.955, "0.00%"), (50, "General"),
    (1053.74, "General"), (-3.5, "0.00;(0.00)"), (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ '),
    (100, '0.00"万元"'), (12.5, "0"), (True, "General"), (False, "General"),
    (dt.datetime(2024, 9, 11), 'yyyy"年"m"月"d"日"'), (dt.datetime(2024, 9, 11), "yyyy-mm-dd"),
    (dt.datetime(2024, 9, 11, 14, 5), "yyyy/m/d h:mm"), (dt.time(12, 0), "h:mm"), (dt.datetime(1900, 1, 5), "yyyy-mm-dd"),
    (-5, "yyyy-mm-dd"),  # no date: xlrd and openpyxl each made a different day of 1899 of it
])


@st.composite
def sheets(draw):
    """Cells of a sheet as an editor leaves it: values with their formats, borders or none, merged ranges
    (their first cell holding the value, all of them bordered alike), rows left empty between tables."""
    cells, taken = {}, set()
    for _ in range(draw(st.integers(1, 40))):
        r, c = draw(st.integers(1, 14)), draw(st.integers(1, 6))
        if (r, c) in taken:
            continue
        rowspan, colspan = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        area = {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
        if area & taken:
            rowspan = colspan = 1
            area = {(r, c)}
        taken |= area
        value, number_format = draw(VALUES)
        cells[(r, c)] = (value, number_format, draw(st.booleans()), rowspan, colspan)
    return cells


def _sheet_as_xlsx(path: Path, cells) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "表"
    thin = Side(style="thin")
    for (r, c), (value, number_format, bordered, rowspan, colspan) in cells.items():
        for dr in range(rowspan):
            for dc in range(colspan):
                if bordered:
                    sheet.cell(r + dr, c + dc).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        target = sheet.cell(r, c)
        if value is not None:
            target.value = value
            if isinstance(value, str):
                target.data_type = "s"
            target.number_format = number_format
        if rowspan > 1 or colspan > 1:
            sheet.merge_cells(start_row=r, start_column=c, end_row=r + rowspan - 1, end_column=c + colspan - 1)
    workbook.save(str(path))


def _sheet_as_xls(path: Path, cells) -> None:
    import xlwt

    from fixtures.form_files import XlsStyles

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("表", cell_overwrite_ok=True)
    styles = XlsStyles()
    for (r, c), (value, number_format, bordered, rowspan, colspan) in cells.items():
        style = styles(number_format, bordered)
        if value is None and not bordered and rowspan == colspan == 1:
            continue  # Excel writes no record for a cell without a value or a format
        value = "" if value is None else value
        if rowspan > 1 or colspan > 1:
            sheet.write_merge(r - 1, r + rowspan - 2, c - 1, c + colspan - 2, value, style)
        else:
            sheet.write(r - 1, c - 1, value, style)
    workbook.save(str(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheets())
def test_an_xls_sheet_gives_the_tables_the_same_sheet_gives_as_xlsx(tmp_path, cells):
    """The two readers share the table finding (sheet_tables): the same tables, lines, texts as Excel shows
    them (numbers, percentages, dates), places and merges, whichever format the sheet was saved in."""
    xlsx, xls = tmp_path / "表.xlsx", tmp_path / "表.xls"
    _sheet_as_xlsx(xlsx, cells)
    _sheet_as_xls(xls, cells)
    from_xlsx, _, _ = xlsx_tables.read(xlsx, "表")
    from_xls, unsaved, _ = xls_tables.read(xls, "表")
    assert from_xls == from_xlsx and not unsaved


def test_xls_cells_show_what_excel_prints(tmp_path):
    """Errors as Excel prints them, booleans, dates of both date systems (Excel for Mac wrote 1904), and a
    number under a date format that no date can be (Excel prints ####): the number."""
    import xlwt

    from fixtures.form_files import XlsStyles

    for dates_1904 in (False, True):
        workbook = xlwt.Workbook(encoding="utf-8")
        workbook.dates_1904 = dates_1904
        sheet = workbook.add_sheet("值", cell_overwrite_ok=True)
        styles = XlsStyles()
        row = sheet.row(0)
        row.set_cell_error(0, "#DIV/0!", styles())
        row.set_cell_error(1, 0x2A, styles())  # #N/A (xlwt knows it by its code only)
        row.set_cell_boolean(2, True, styles())
        sheet.write(0, 3, dt.datetime(2024, 9, 11), styles('yyyy"年"m"月"d"日"'))
        sheet.write(0, 4, dt.time(14, 5), styles("hh:mm"))
        sheet.write(0, 5, 1e10, styles("yyyy-mm-dd"))
        sheet.write(0, 6, 0.1 + 0.2, styles())
        sheet.write(0, 7, -5, styles("yyyy-mm-dd"))
        path = tmp_path / f"值{dates_1904}.xls"
        workbook.save(str(path))
        items, _, _ = xls_tables.read(path, path.name)
        grid = next(item for item in items if not isinstance(item, docx_tables.Paragraph))
        assert [c.text for c in grid.cells] == ["#DIV/0!", "#N/A", "TRUE", "2024年9月11日", "14:05", "10000000000", "0.3",
                                                "-5"]


# --- labels as bureaus print them --------------------------------------------------------------------

_HALF = {"：": ":", "（": "(", "）": ")", "％": "%", "／": "/"}
LABELS = st.text(alphabet="年度资金总额其中当年财政拨款执行率全年预算数：（）万元", min_size=1, max_size=10).filter(
    lambda text: text.strip("：（）"))


@settings(max_examples=300, deadline=None)
@given(label=LABELS, widths=st.lists(st.booleans(), min_size=10, max_size=10),
       breaks=st.lists(st.sampled_from(["", " ", "\n", "\u3000", "\u00a0"]), min_size=11, max_size=11),
       code=st.sampled_from(["", "（A）", "(B)", "（B/A）", "(C/B×100%)", "（%）", "(％)", "（盖章）", "(签字)", "（签字盖章）"]),
       colon=st.sampled_from(["", "：", ":"]))
def test_a_label_is_the_same_label_whatever_the_width_spacing_formula_code_and_colon(label, widths, breaks, code, colon):
    """What the importer compares with a layout's label (grid.label_key) does not change when a bureau prints
    the label's punctuation in the other width, breaks it over lines, adds a formula code, an instruction
    to sign or seal, or a colon."""
    from site_builder.importer.forms.grid import label_key

    printed = "".join(_HALF.get(ch, ch) if half else ch for ch, half in zip(label, widths + [False] * len(label)))
    printed = "".join(b + ch for b, ch in zip(breaks, printed)) + printed[len(breaks):]
    assert label_key(printed + code + colon) == label_key(label)
    assert label_key(label + "项目") != label_key(label)  # a different word is a different label


@pytest.mark.parametrize("title, year_line", [("项目支出绩效自评表", "（2022年度）"), ("2022年度项目支出绩效自评表", None)])
def test_the_year_under_the_title_is_part_of_the_title(title, year_line):
    """A form printing its year on the line under its title (（2022年度）) keeps it in its title, not as a
    cell of the form left unread."""
    from site_builder.importer.forms.grid import Cell, Grid

    rows = [[title]] + ([[year_line]] if year_line else []) + [["项目名称", "某项目"]]
    cells = [Cell(text, r, c, 1, 2 if len(row) == 1 else 1) for r, row in enumerate(rows) for c, text in enumerate(row)]
    form, = split.forms([Grid(cells, 2, len(rows), where="第 1 张表格")])[0]
    assert form.title.text.replace("\n", "") == title + (year_line or "")
    assert [cell.text for cell in form.grid.cells] == ["项目名称", "某项目"]


# --- what Excel hides -----------------------------------------------------------------------------------

@st.composite
def with_hidden(draw):
    """A merged grid (merged_grids) and where hidden rows and columns holding text are put among its rows
    and columns (before drawn row/column i; a merge across one covers it, as Excel keeps it)."""
    height, width, cells = draw(merged_grids())
    rows = draw(st.sets(st.integers(0, height), max_size=3))
    columns = draw(st.sets(st.integers(0, width), max_size=3))
    return height, width, cells, sorted(rows), sorted(columns)


def _spread(index: int, hidden: list[int]) -> int:
    """Where drawn row (column) `index` is on the sheet once hidden ones are put before those listed."""
    return index + sum(1 for before in hidden if before <= index)


def _hidden_sheet(path: Path, suffix: str, cells, rows: list[int], columns: list[int]) -> tuple[set, set]:
    """The drawn cells on a sheet (from B3) with hidden rows and columns of text among them, and a hidden
    sheet; the hidden rows and columns that got text (a place under a merge gets none), 0-based from B3."""
    height = max(r + rowspan for r, _, rowspan, _, _ in cells)
    width = max(c + colspan for _, c, _, colspan, _ in cells)
    sheet_rows = [r + index for index, r in enumerate(rows)]  # the hidden rows' places (0-based)
    sheet_columns = [c + index for index, c in enumerate(columns)]
    placed = [(_spread(r, rows), _spread(c, columns), _spread(r + rowspan - 1, rows) - _spread(r, rows) + 1,
               _spread(c + colspan - 1, columns) - _spread(c, columns) + 1, text) for r, c, rowspan, colspan, text in cells]
    junk = [(r, c) for r in sheet_rows for c in range(_spread(width - 1, columns) + 1)]
    junk += [(r, c) for c in sheet_columns for r in range(_spread(height - 1, rows) + 1) if r not in sheet_rows]
    written = []
    if suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Border, Side
        from openpyxl.utils import get_column_letter

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Sheet"
        thin = Side(style="thin")
        for r, c, rowspan, colspan, text in placed:
            for dr in range(rowspan):
                for dc in range(colspan):
                    sheet.cell(r + 3 + dr, c + 2 + dc).border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if rowspan > 1 or colspan > 1:
                sheet.merge_cells(start_row=r + 3, start_column=c + 2, end_row=r + 3 + rowspan - 1,
                                  end_column=c + 2 + colspan - 1)
            sheet.cell(r + 3, c + 2).value = text
        for r, c in junk:
            try:
                sheet.cell(r + 3, c + 2).value = "隐藏的内容"
                written.append((r, c))
            except AttributeError:  # covered by a merge (MergedCell): the merge's text stands for it
                pass
        for r in sheet_rows:
            sheet.row_dimensions[r + 3].hidden = True
        for c in sheet_columns:
            sheet.column_dimensions[get_column_letter(c + 2)].hidden = True
        lists = workbook.create_sheet("下拉选项")
        lists["A1"] = "产出指标"
        lists.sheet_state = "hidden"
        workbook.save(str(path))
        return _texts_in(written, sheet_rows, sheet_columns)
    import xlwt

    from fixtures.form_files import XlsStyles

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet", cell_overwrite_ok=True)
    styles = XlsStyles()
    covered = set()
    for r, c, rowspan, colspan, text in placed:
        covered |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)} - {(r, c)}
        if rowspan > 1 or colspan > 1:
            sheet.write_merge(r + 2, r + 2 + rowspan - 1, c + 1, c + 1 + colspan - 1, text, styles())
        else:
            sheet.write(r + 2, c + 1, text, styles())
    for r, c in junk:
        if (r, c) not in covered and not any((r, c) == (p[0], p[1]) for p in placed):
            sheet.write(r + 2, c + 1, "隐藏的内容", styles())
            written.append((r, c))
    for r in sheet_rows:
        sheet.row(r + 2).hidden = True
    for c in sheet_columns:
        sheet.col(c + 1).hidden = True
    lists = workbook.add_sheet("下拉选项")
    lists.write(0, 0, "产出指标")
    lists.visibility = 1
    workbook.save(str(path))
    return _texts_in(written, sheet_rows, sheet_columns)


def _texts_in(written: list, rows: list[int], columns: list[int]) -> tuple[set, set]:
    return {r for r, _ in written if r in rows}, {c for r, c in written if c in columns and r not in rows}


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(with_hidden())
def test_what_excel_hides_is_left_out_and_named(tmp_path, suffix, drawn):
    """Hidden rows and columns among a form's cells (a merge across them included) and a hidden sheet are
    not read: the form is the one Excel shows and prints, its cells still named by their places in the
    sheet; each hidden part holding text is named for the editor."""
    height, width, cells, rows, columns = drawn
    path = tmp_path / f"表{suffix}"
    with_text = _hidden_sheet(path, suffix, cells, rows, columns)
    read = {".xlsx": xlsx_tables.read, ".xls": xls_tables.read}[suffix]
    items, _, hidden = read(path, path.name)
    grids = [item for item in items if not isinstance(item, docx_tables.Paragraph)]
    assert len(grids) == 1
    assert _as_drawn(grids[0]) == sorted(cells)
    assert grids[0].height == height and grids[0].width == width
    first = next(cell for cell in grids[0].cells if (cell.row, cell.column) == (0, 0))
    assert first.place == f"工作表“Sheet”{chr(ord('B') + _spread(0, columns))}{3 + _spread(0, rows)}"
    assert grids[0].where == f"工作表“Sheet”第 {3 + _spread(0, rows)}–{3 + _spread(height - 1, rows)} 行"
    assert "隐藏的内容" not in [cell.text for grid in grids for cell in grid.cells]
    assert hidden == [f"工作表“Sheet”中隐藏的第 {r + 3} 行" for r in sorted(with_text[0])] + [
        f"工作表“Sheet”中隐藏的 {chr(ord('B') + c)} 列" for c in sorted(with_text[1])] + ["隐藏的工作表“下拉选项”"]


# --- text Word keeps inside other elements ------------------------------------------------------------

def _wrapped(paragraph, text: str, *tags: str, **attributes) -> None:
    """A run of `text` added to `paragraph` inside the elements `tags` (outermost first)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    parent = paragraph._p
    for tag in tags:
        element = OxmlElement(tag)
        for name, value in attributes.get(tag.replace(":", "_"), {}).items():
            element.set(qn(name), value)
        parent.append(element)
        parent = element
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:delText" if "w:del" in tags else "w:t")
    text_element.text = text
    run.append(text_element)
    parent.append(run)


def _content_control(paragraph, text: str, placeholder: bool = False) -> None:
    from docx.oxml import OxmlElement

    _wrapped(paragraph, text, "w:sdt", "w:sdtContent")
    sdt = paragraph._p[-1]
    properties = OxmlElement("w:sdtPr")
    if placeholder:
        properties.append(OxmlElement("w:showingPlcHdr"))
    sdt.insert(0, properties)


def test_word_text_in_fields_content_controls_and_tracked_changes_is_read_as_word_shows_it(tmp_path):
    """A value typed into a content control, an insertion with changes tracked, a mail-merged field's result
    are the cell's text; deleted text and a content control's grey prompt are not."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "项目名称"
    name = table.cell(0, 1).paragraphs[0]
    _content_control(name, "档案数字化")
    _wrapped(name, "服务项目", "w:ins", w_ins={"w:id": "1", "w:author": "财务科"})
    _wrapped(name, "旧名称", "w:del", w_del={"w:id": "2", "w:author": "财务科"})
    table.cell(1, 0).text = "主管部门"
    _wrapped(table.cell(1, 1).paragraphs[0], "某某区教育局", "w:fldSimple", w_fldSimple={"w:instr": " MERGEFIELD 部门 "})
    table.cell(2, 0).text = "实施单位"
    _content_control(table.cell(2, 1).paragraphs[0], "单击或点击此处输入文字。", placeholder=True)
    path = tmp_path / "表.docx"
    document.save(str(path))
    items, _, _ = docx_tables.read(path, path.name)
    grid = next(item for item in items if not isinstance(item, docx_tables.Paragraph))
    assert [cell.text for cell in grid.cells] == ["项目名称", "档案数字化服务项目", "主管部门", "某某区教育局", "实施单位", ""]


def test_a_form_drawn_inside_a_one_cell_frame_is_read_as_the_form(tmp_path):
    """Some templates draw a one-cell table around the whole page: the title and the form inside it are
    read as if the frame were not there (not as one cell holding all the form's text)."""
    import docx
    from docx.oxml import OxmlElement

    inner = docx.Document()
    inner.add_paragraph("项目支出绩效自评表")
    table = inner.add_table(rows=2, cols=2)
    for r, row in enumerate([["项目名称", "档案数字化服务项目"], ["主管部门", "某某区教育局"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame._tc.remove(frame.paragraphs[0]._p)
    for element in list(inner.element.body.iterchildren()):
        if not element.tag.endswith("sectPr"):
            frame._tc.append(element)
    frame._tc.append(OxmlElement("w:p"))  # Word ends a cell with a paragraph
    path = tmp_path / "框.docx"
    document.save(str(path))
    items, nested, _ = docx_tables.read(path, path.name)
    grids = [item for item in items if not isinstance(item, docx_tables.Paragraph)]
    assert not nested and len(grids) == 1
    assert [cell.text for cell in grids[0].cells] == ["项目名称", "档案数字化服务项目", "主管部门", "某某区教育局"]
    assert any(isinstance(item, docx_tables.Paragraph) and item.text == "项目支出绩效自评表" for item in items)


def test_hidden_text_follows_word_styles_and_their_bases(tmp_path):
    """A style based on a hidden style hides too, unless it turns hiding off; a run, or its character
    style, turning hiding off is shown in a hidden paragraph style. What is left out is given with its cell."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    hidden = document.styles.add_style("隐藏", WD_STYLE_TYPE.CHARACTER)
    hidden.font.hidden = True
    inherits = document.styles.add_style("继承隐藏", WD_STYLE_TYPE.CHARACTER)
    inherits.base_style = hidden
    shows = document.styles.add_style("取消隐藏", WD_STYLE_TYPE.CHARACTER)
    shows.base_style = hidden
    shows.font.hidden = False
    hidden_paragraphs = document.styles.add_style("隐藏段落", WD_STYLE_TYPE.PARAGRAPH)
    hidden_paragraphs.font.hidden = True
    table = document.add_table(rows=1, cols=3)
    first = table.cell(0, 0).paragraphs[0]
    first.add_run("项目名称")
    first.add_run("甲", style=inherits)
    table.cell(0, 1).paragraphs[0].add_run("档案数字化", style=shows)
    third = table.cell(0, 2).paragraphs[0]
    third.style = hidden_paragraphs
    third.add_run("乙")
    third.add_run("服务项目").font.hidden = False
    third.add_run("（续）", style=shows)  # a character style turning hiding off wins over the paragraph's
    path = tmp_path / "样式.docx"
    document.save(str(path))
    items, _, hidden_texts = docx_tables.read(path, path.name)
    grid = next(item for item in items if not isinstance(item, docx_tables.Paragraph))
    assert [cell.text for cell in grid.cells] == ["项目名称", "档案数字化", "服务项目（续）"]
    assert hidden_texts == ["第 1 张表格第 1 行第 1 格的隐藏文字“甲”", "第 1 张表格第 1 行第 3 格的隐藏文字“乙”"]
