"""The self-evaluation tables as complex data tables (WCAG H43, H63, H39),
checked on every page of the real site with a pure-Python grid check."""

from __future__ import annotations

import re
from collections import Counter

from a11y_support import Node, parse_html, table_grid, grid_problems

FORM_TABLES = ("funds-table", "indicator-table")


def _tables(documents):
    for path, doc in documents.items():
        for table in doc.find_all(lambda n: n.tag == "table"):
            yield path, doc, table


def _child(node: Node, tag: str) -> Node | None:
    return next((c for c in node.children if isinstance(c, Node) and c.tag == tag), None)


def _children(node: Node, tag: str) -> list[Node]:
    return [c for c in node.children if isinstance(c, Node) and c.tag == tag]


def test_the_site_has_self_evaluation_tables(documents):
    kinds = Counter(cls for _, _, table in _tables(documents) for cls in table.classes if cls in FORM_TABLES)
    assert kinds["funds-table"] >= 2 and kinds["indicator-table"] >= 2, kinds


def test_grid_of_every_table_is_whole(documents):
    """rowspan/colspan expanded: every row as wide as the table and its <colgroup>,
    rowspans inside their row group, every headers token a <th> of the same table."""
    problems = [f"{path}: {problem}" for path, doc in documents.items() for problem in grid_problems(doc)]
    assert not problems, "\n".join(problems)


def test_ids_are_unique_on_every_page(documents):
    problems = []
    for path, doc in documents.items():
        counts = Counter(n.attrs["id"] for n in doc.iter() if "id" in n.attrs)
        problems += [f"{path}: id {ident!r} used {count} times" for ident, count in counts.items() if count > 1]
    assert not problems, "\n".join(problems)


def _expected_headers(grid, cell) -> set[str]:
    """The column headers above a data cell (in <thead>) and the row headers to its
    left: the run of <th> met first when walking left from the cell along its row."""
    expected = set()
    for other in grid.cells:
        if other.section == "thead" and other.node.tag == "th" and set(other.cols) & set(cell.cols):
            expected.add(other.node.attrs.get("id", f"(a <th> without id at line {other.node.line})"))
    at = {}
    for other in grid.cells:
        for r in other.rows:
            for c in other.cols:
                at[(r, c)] = other
    col = cell.col - 1
    while col >= 0 and at.get((cell.row, col)) is not None and at[(cell.row, col)].node.tag == "td":
        col -= 1
    while col >= 0 and at.get((cell.row, col)) is not None and at[(cell.row, col)].node.tag == "th":
        header = at[(cell.row, col)]
        expected.add(header.node.attrs.get("id", f"(a <th> without id at line {header.node.line})"))
        col = header.col - 1
    return expected


def test_every_data_cell_names_its_column_and_row_headers(documents):
    problems = []
    for path, _, table in _tables(documents):
        grid = table_grid(table)
        for cell in grid.cells:
            if cell.node.tag != "td" or cell.section == "thead":
                continue
            named = set(cell.node.attrs.get("headers", "").split())
            missing = _expected_headers(grid, cell) - named
            if missing:
                problems.append(f"{path}: {cell.node!r} in table #{table.attrs.get('id')} does not name "
                                f"{', '.join(sorted(missing))} (headers={cell.node.attrs.get('headers', '')!r})")
    assert not problems, "\n".join(problems[:40])


def test_every_table_has_a_caption_a_colgroup_and_a_labelled_scroll_region(documents):
    problems = []
    for path, _, table in _tables(documents):
        where = f"{path}: table #{table.attrs.get('id')}"
        caption = _child(table, "caption")
        if caption is None or not caption.text().strip():
            problems.append(f"{where} has no caption")
        if _child(table, "colgroup") is None:
            problems.append(f"{where} has no <colgroup>")
        if not _children(table, "tbody"):
            problems.append(f"{where} has no <tbody>")
        region = table.parent
        if region is None or "table-scroll" not in region.classes:
            problems.append(f"{where} is not inside a .table-scroll region")
            continue
        if region.attrs.get("role") != "region" or region.attrs.get("tabindex") != "0":
            problems.append(f"{where}: its scroll region needs role=region and tabindex=0")
        if caption is None or region.attrs.get("aria-labelledby") != caption.attrs.get("id"):
            problems.append(f"{where}: its scroll region is not labelled by the caption")
    assert not problems, "\n".join(problems)


def _filled_date(doc) -> str:
    for dl in doc.find_all(lambda n: n.tag == "dl" and "form-footer" in n.classes):
        for div in _children(dl, "div"):
            dt, dd = _child(div, "dt"), _child(div, "dd")
            if dt is not None and dd is not None and dt.text().strip() == "填报日期":
                return dd.text().strip()
    return ""


def test_self_evaluation_tables_are_complex_data_tables(documents):
    """Caption with title, unit and date; thead/tbody/colgroup (and tfoot for the
    indicators); scoped headers with ids; indicators as row headers with rowspan."""
    problems = []
    for path, doc, table in _tables(documents):
        if not set(table.classes) & set(FORM_TABLES):
            continue
        where = f"{path}: table #{table.attrs.get('id')}"
        caption = (_child(table, "caption") or Node("caption", {}, 0)).text()
        if "单位：" not in caption:
            problems.append(f"{where}: the caption does not state the unit: {caption!r}")
        date = _filled_date(doc)
        if date and date not in caption:
            problems.append(f"{where}: the caption does not state the date {date}: {caption!r}")
        thead = _child(table, "thead")
        if thead is None:
            problems.append(f"{where} has no <thead>")
        else:
            for th in thead.find_all(lambda n: n.tag == "th"):
                if th.attrs.get("scope") != "col" or not th.attrs.get("id"):
                    problems.append(f"{where}: column header {th!r} needs scope=col and an id")
        for body in _children(table, "tbody") + _children(table, "tfoot"):
            for th in body.find_all(lambda n: n.tag == "th"):
                scope = th.attrs.get("scope")
                if scope not in ("row", "rowgroup") or not th.attrs.get("id"):
                    problems.append(f"{where}: row header {th!r} needs scope=row or rowgroup and an id")
                if int(th.attrs.get("rowspan", "1")) > 1 and scope != "rowgroup":
                    problems.append(f"{where}: {th!r} spans rows, so its scope is rowgroup")
        if "indicator-table" in table.classes:
            tfoot = _child(table, "tfoot")
            if tfoot is None or tfoot.find(lambda n: n.tag == "th" and n.attrs.get("scope") == "row") is None:
                problems.append(f"{where}: the total (合计) belongs in <tfoot> as a row header")
            bodies = _children(table, "tbody")
            for body in bodies:
                first = body.find(lambda n: n.tag == "th")
                if first is None or first.attrs.get("scope") != "rowgroup":
                    problems.append(f"{where}: each 一级指标 opens its own <tbody> with a rowgroup header")
            if not table.find(lambda n: n.tag == "th" and "rowspan" in n.attrs):
                problems.append(f"{where}: no indicator header spans its rows")
    assert not problems, "\n".join(problems)


def test_figures_are_right_aligned_a_whole_column_at_a_time(documents):
    """A column whose filled cells are all figures is marked num (right-aligned in
    tabular figures, see style.css), header included; a column is never a zigzag
    of right- and left-aligned cells."""
    figure = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$")
    problems = []
    for path, _, table in _tables(documents):
        if not set(table.classes) & set(FORM_TABLES):
            continue
        grid = table_grid(table)
        columns: dict[int, list] = {}
        for cell in grid.cells:
            if cell.colspan == 1:
                columns.setdefault(cell.col, []).append(cell)
        for col, cells in sorted(columns.items()):
            data = [c for c in cells if c.node.tag == "td" and c.node.text().strip()]
            if not data:
                continue
            marked = {"num" in c.node.classes for c in data}
            where = f"{path}: table #{table.attrs.get('id')}, column {col + 1}"
            if len(marked) > 1:
                problems.append(f"{where} mixes right- and left-aligned cells")
            if all(figure.match(c.node.text().strip()) for c in data) and marked != {True}:
                problems.append(f"{where} holds only figures but is not right-aligned (class num)")
            headers = [c for c in cells if c.section == "thead" and c.node.tag == "th"]
            if marked == {True} and any("num" not in h.node.classes for h in headers):
                problems.append(f"{where}: the header of a column of figures is not aligned with them")
    assert not problems, "\n".join(problems)


def test_the_grid_check_flags_a_table_with_a_missing_cell(broken_page):
    problems = grid_problems(parse_html(broken_page.read_text(encoding="utf-8")))
    assert any("columns wide" in p or "column(s) wide" in p or "no cell in column" in p for p in problems), problems


def test_the_grid_check_flags_a_rowspan_past_its_tbody_and_a_dangling_headers_token():
    html = """<table><colgroup><col><col></colgroup>
      <thead><tr><th id="a">A</th><th id="b">B</th></tr></thead>
      <tbody><tr><th rowspan="3" id="r">R</th><td headers="b r">1</td></tr>
             <tr><td headers="b r">2</td></tr></tbody>
      <tbody><tr><th id="s">S</th><td headers="b nope">3</td></tr></tbody></table>"""
    problems = grid_problems(parse_html(html))
    assert any("past the end of its tbody" in p for p in problems), problems
    assert any("'nope'" in p for p in problems), problems


def test_a_printed_grade_row_keeps_the_indicator_table_whole(tmp_path):
    """评价等级 (grade), which no real record fills in yet, renders in <tfoot>
    as a row header that its cell names, without breaking the grid."""
    import shutil
    import subprocess
    import sys

    from a11y_support import ROOT
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    import yaml
    record = sorted((site / "content").glob("*/projects/*.yaml"))[0]
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    score = float(str(data["total"]["score"]))
    grade = next(name for name, floor in (("优", 90), ("良", 80), ("中", 60), ("差", 0)) if score >= floor)
    record.write_text(record.read_text(encoding="utf-8").rstrip("\n") + f"\ngrade: {grade}\n", encoding="utf-8")
    out = tmp_path / "build"
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--site", str(site), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    # Every form's summary names its 评价等级 (issue 14): the record's own page is the one to read.
    page = out / "disclosure" / str(data["year"]) / f"{data['slug']}.html"
    assert "评价等级" in page.read_text(encoding="utf-8")
    doc = parse_html(page.read_text(encoding="utf-8"))
    assert not grid_problems(doc), grid_problems(doc)
    table = doc.find(lambda n: n.tag == "table" and "indicator-table" in n.classes)
    grade_text = grade
    grade = table.find(lambda n: n.tag == "th" and n.text().strip() == "评价等级")
    assert grade is not None and grade.parent.parent.tag == "tfoot", "the grade is not shown in the table's foot"
    cell = next(c for c in grade.parent.children if isinstance(c, Node) and c.tag == "td")
    assert cell.text().strip() == grade_text and grade.attrs["id"] in cell.attrs.get("headers", "").split()
