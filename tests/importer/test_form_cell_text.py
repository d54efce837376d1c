"""Cells holding what office programs and web pages put into text: the record written always reads back.

Excel stores Word's line break pasted into a cell as a vertical tab (\\x0b, `_x000B_`), a carriage return
alone as `_x000D_`; text copied from a web page or a PDF brings U+2028 (line separator) and U+0085. A
multi-line cell holding one of these was written as a `|-` block that YAML reads as other lines (or
refuses), so `site-builder check` failed on the record the import had just written (L103).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from fixtures import form_files
from sitetest import run_cli

from site_builder.importer.forms.write import Row, to_yaml


def _project_form(path: Path, expected: str, actual: str) -> Path:
    """The seed's first project form as a workbook written as Excel writes one (XlsxWriter: shared strings,
    control characters as _xHHHH_, a typed "_x0041_" as _x005F_x0041_), the cells of 年度总体目标 replaced."""
    import xlsxwriter

    _, tables = form_files.seed_tables()
    rows = [[tables[1].title]] + [list(row) for row in tables[1].rows]
    goals = next(i for i, row in enumerate(rows) if row[0] == "年度总体目标") + 1
    rows[goals][1], rows[goals][2] = expected, actual
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("项目表")
    bordered = workbook.add_format({"border": 1, "text_wrap": True})
    placed = form_files.layout_rows(rows, form_files.SPANS_2023)
    form_files.xlsxwriter_table(sheet, placed, form_files.WIDTH_2023, bordered)
    workbook.close()
    return path


@pytest.mark.parametrize("expected, actual", [
    ("1.优化课堂教学方法\u2028第二行\n2.明确高考趋势", "甲\n乙"),  # copied from a web page
    ("1.优化课堂教学方法\n2.明确高考趋势", "甲\x85乙\n丙"),  # NEL, from a PDF
    ("1.优化课堂教学方法\n2.明确高考趋势", "甲\r乙\n丙"),  # a carriage return alone: Excel's _x000D_
    ("1.优化\x0b课堂教学方法\n2.明确高考趋势", "甲\n乙"),  # Word's line break pasted into Excel: _x000B_
    ("1.优化课堂教学方法\n \n2.明确高考趋势", "甲\n乙"),  # a line of one space
])
def test_a_multi_line_cell_with_any_line_break_is_written_so_that_it_reads_back(tmp_path, expected, actual):
    site = form_files.import_site(tmp_path / "site")
    file = _project_form(tmp_path / "项目表.xlsx", expected, actual)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record = next((site / "content" / "2023" / "projects").glob("*.yaml"))
    data = yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    shown = {"\u2028": "\n", "\x85": "\n", "\r": "\n", "\x0b": "\n", "\n \n": "\n\n"}  # as the cell shows it
    for written, read in shown.items():
        expected, actual = expected.replace(written, read), actual.replace(written, read)
    assert data["goals"] == {"expected": expected, "actual": actual}
    code, out, err = run_cli("check", "--site", site)
    assert "L103" not in out + err and "L10" not in out + err, out + err


def test_a_file_name_with_a_line_break_stays_in_its_comment(tmp_path):
    """The first comment names the file: a name holding a line break (Linux allows one) does not end it."""
    site = form_files.import_site(tmp_path / "site")
    file = _project_form(tmp_path / "项目表\nkind: report\x0b.xlsx", "甲", "乙")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record = next((site / "content" / "2023" / "projects").glob("*.yaml"))
    data = yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert data["kind"] == "project-evaluation"
    code, out, err = run_cli("check", "--site", site)
    assert "L10" not in out + err, out + err


TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS, TEXTS)
def test_any_cell_text_is_written_as_yaml_that_reads_back_the_same(first, second):
    record = {"project": first, "goals": {"expected": first + "\n" + second}, "funds": {"total": Row(initial=second)},
              "tables": [{"rows": [[first, {"text": second + "\n" + first, "colspan": "2"}]]}]}
    text = to_yaml(record, [f"由 site-builder import 从 {first}.xlsx 导入"], {"goals"}, [f"  B7：{second}"])
    assert yaml.load(text, Loader=yaml.BaseLoader) == record


@pytest.mark.parametrize("typed, shown", [
    ("1.优化课堂教学方法\r\n2.明确高考趋势", "1.优化课堂教学方法\n2.明确高考趋势"),  # pasted from Notepad: _x000D_
    ("第一段\x0b第二段", "第一段\n第二段"),  # Word's line break pasted into Excel: a line break as shown
    ("甲\x07乙\x1f", "甲乙"),  # control characters Excel shows as nothing
    ("金额\u202e13.54\u202c万元", "金额13.54万元"),  # a bidirectional override (text shown backwards)
    ("年度预算_x0041_说明", "年度预算_x0041_说明"),  # typed so: Excel writes _x005F_x0041_
])
def test_excel_escapes_in_cell_text_are_read_as_the_text_typed(tmp_path, typed, shown):
    """Excel writes a carriage return as _x000D_ (and any control character as _xHHHH_): openpyxl gives
    the escape, which was published as “_x000D_” in the middle of the text."""
    site = form_files.import_site(tmp_path / "site")
    file = _project_form(tmp_path / "项目表.xlsx", typed, "乙")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record = next((site / "content" / "2023" / "projects").glob("*.yaml"))
    data = yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert data["goals"]["expected"] == shown
