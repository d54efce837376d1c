"""Cells holding what office programs and web pages put into text: the record written always reads back.

Excel stores Word's line break pasted into a cell as a vertical tab (\\x0b, `_x000B_`), a carriage return
alone as `_x000D_`; text copied from a web page or a PDF brings U+2028 (line separator) and U+0085. A
multi-line cell holding one of these was written as a `|-` block that YAML reads as other lines (or
refuses), so `site-builder check` failed on the record the import had just written (L103).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from fixtures import form_files
from sitetest import CONTENT, run_cli

from site_builder.importer.forms.write import Row, to_yaml


def _site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "site.yaml").write_bytes((CONTENT / "site.yaml").read_bytes())
    return root


def _project_form(path: Path, expected: str, actual: str) -> Path:
    """The seed's first project form as a workbook, with the two cells of 年度总体目标 replaced."""
    import openpyxl

    _, tables = form_files.seed_tables()
    rows = [[tables[1].title]] + [list(row) for row in tables[1].rows]
    goals = next(i for i, row in enumerate(rows) if row[0] == "年度总体目标") + 1
    # Excel writes a control character as _x000B_ (openpyxl refuses to write it, and reads it back)
    rows[goals][1], rows[goals][2] = (re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"@{ord(m.group()):04X}@", text)
                                      for text in (expected, actual))
    workbook = openpyxl.Workbook()
    form_files._sheet_table(workbook.active, form_files.layout_rows(rows, form_files.SPANS_2023),
                            form_files.WIDTH_2023, 1)
    saved = path.with_name("saved.xlsx")
    workbook.save(str(saved))
    with zipfile.ZipFile(saved) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            new.writestr(name, re.sub(rb"@([0-9A-F]{4})@", rb"_x\1_", old.read(name)))
    return path


@pytest.mark.parametrize("expected, actual", [
    ("1.优化课堂教学方法\u2028第二行\n2.明确高考趋势", "甲\n乙"),  # copied from a web page
    ("1.优化课堂教学方法\n2.明确高考趋势", "甲\x85乙\n丙"),  # NEL, from a PDF
    ("1.优化课堂教学方法\n \n2.明确高考趋势", "甲\n乙"),  # a line of one space
])
def test_a_multi_line_cell_with_any_line_break_is_written_so_that_it_reads_back(tmp_path, expected, actual):
    site = _site(tmp_path / "site")
    file = _project_form(tmp_path / "项目表.xlsx", expected, actual)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record = next((site / "content" / "2023" / "projects").glob("*.yaml"))
    data = yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert data["goals"] == {"expected": expected.replace("\n \n", "\n\n"), "actual": actual}
    code, out, err = run_cli("check", "--site", site)
    assert "L103" not in out + err and "L10" not in out + err, out + err


def test_a_file_name_with_a_line_break_stays_in_its_comment(tmp_path):
    """The first comment names the file: a name holding a line break (Linux allows one) does not end it."""
    site = _site(tmp_path / "site")
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
