"""Tables read from Word and Excel with their merges, whatever the merges are.

Hypothesis draws a grid cut into merged rectangles, writes it with python-docx (gridSpan,
vMerge) and openpyxl (merged ranges), and the readers must give back every cell once, at its
place, with its spans and text; and the form splitter must join a table continued after a
page break.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.importer.forms import docx_tables, split, xlsx_tables

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
    items, nested = docx_tables.read(path, "表.docx")
    grids = [item for item in items if not isinstance(item, docx_tables.Paragraph)]
    assert len(grids) == 1 and not nested
    assert _as_drawn(grids[0]) == sorted(cells)
    assert grids[0].height == height and grids[0].width == width


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(merged_grids())
def test_excel_merged_ranges_are_read_as_drawn(tmp_path, drawn):
    height, width, cells = drawn
    path = tmp_path / "表.xlsx"
    _excel(path, cells)
    items, unsaved = xlsx_tables.read(path, "表.xlsx")
    grids = [item for item in items if not isinstance(item, docx_tables.Paragraph)]
    assert len(grids) == 1 and not unsaved
    assert _as_drawn(grids[0]) == sorted(cells)
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


FOOTER = ["填表人", "填报日期", "联系电话", "单位负责人签字"]
VALUE = st.text(alphabet="刘婷李伟灵2024年9月11日13907306836 （）", max_size=12).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.permutations(FOOTER), st.lists(VALUE, min_size=4, max_size=4), st.sampled_from(["：", ":", " ："]),
       st.sampled_from([" ", "   ", "\n", "\u3000"]))
def test_a_footer_cell_splits_into_its_signatories(order, values, colon, gap):
    """“填表人：刘婷   填报日期：2024年9月11日 …”, in any order, with any spacing."""
    from site_builder.importer.forms.recognise import split_pairs

    text = gap.join(f"{label}{colon}{value}" for label, value in zip(order, values))
    assert split_pairs(text, FOOTER) == dict(zip(order, values))
