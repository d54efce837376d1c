"""A form whose rest is on a second sheet, or in a second Word table after an empty paragraph.

Bureaus put the rows that do not fit on the page on a second sheet (项目表（续）), with the indicator
header repeated or not; Word users split a long table, leaving an empty paragraph between the two.
The rest was a form of its own: no title, no declared layout, so a `layout: grid` record written as
the year's department form (department-evaluation.yaml), and the project's record lacked its last
indicators, its 合计 and its signatures (N434).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fixtures import form_files
from sitetest import run_cli

CUT = 17  # the row of the seed's first project form the rest starts at: inside the indicators


def _rows():
    _, tables = form_files.seed_tables()
    rows = [[tables[1].title]] + [list(row) for row in tables[1].rows]
    header = next(i for i, row in enumerate(rows) if "一级指标" in row)
    return rows, header


def _pieces(repeat_header: bool):
    rows, header = _rows()
    rest = ([rows[header]] if repeat_header else []) + rows[CUT:]
    return [form_files.layout_rows(rows[:CUT], form_files.SPANS_2023), form_files.layout_rows(rest, form_files.SPANS_2023)]


def _whole(path: Path) -> Path:
    import openpyxl

    rows, _ = _rows()
    workbook = openpyxl.Workbook()
    form_files._sheet_table(workbook.active, form_files.layout_rows(rows, form_files.SPANS_2023),
                            form_files.WIDTH_2023, 1)
    workbook.save(str(path))
    return path


def _two_sheets(path: Path, repeat_header: bool) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    first, rest = _pieces(repeat_header)
    workbook.active.title = "项目表"
    form_files._sheet_table(workbook.active, first, form_files.WIDTH_2023, 1)
    form_files._sheet_table(workbook.create_sheet("项目表（续）"), rest, form_files.WIDTH_2023, 1)
    workbook.save(str(path))
    return path


def _two_word_tables(path: Path, repeat_header: bool) -> Path:
    import docx

    document = docx.Document()
    first, rest = _pieces(repeat_header)
    form_files._word_table(document, first, form_files.WIDTH_2023)
    document.add_paragraph("")
    form_files._word_table(document, rest, form_files.WIDTH_2023)
    document.save(str(path))
    return path


def _records(tmp_path: Path, file: Path) -> tuple[dict[str, dict], str]:
    site = form_files.import_site(tmp_path / f"site-{file.stem}")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    found = {path.relative_to(site / "content").as_posix(): yaml.load(path.read_text(encoding="utf-8"),
                                                                     Loader=yaml.BaseLoader)
             for path in (site / "content").rglob("*.yaml") if path.name != "site.yaml"}
    return found, err


@pytest.mark.parametrize("make", [_two_sheets, _two_word_tables])
@pytest.mark.parametrize("repeat_header", [True, False])
def test_the_rest_of_a_form_is_read_into_the_form(tmp_path, make, repeat_header):
    whole, _ = _records(tmp_path, _whole(tmp_path / "一张表.xlsx"))
    found, err = _records(tmp_path, make(tmp_path / ("分开" + (".xlsx" if make is _two_sheets else ".docx")),
                                         repeat_header))
    assert list(found) == ["2023/projects/gao-san-fu-xi-ying-kao.yaml"], err
    record, = found.values()
    assert {k: v for k, v in record.items() if k != "form_title"} == \
        {k: v for k, v in whole["2023/projects/gao-san-fu-xi-ying-kao.yaml"].items() if k != "form_title"}
    assert "N432" not in err and "N434" not in err, err


def test_a_second_form_on_the_next_sheet_stays_a_form_of_its_own(tmp_path):
    """A sheet that starts a form of a declared layout is never the rest of the one before."""
    import openpyxl

    rows, _ = _rows()
    _, tables = form_files.seed_tables()
    workbook = openpyxl.Workbook()
    form_files._sheet_table(workbook.active, form_files.layout_rows(rows[1:], form_files.SPANS_2023),
                            form_files.WIDTH_2023, 1)  # without its title row
    second = [list(row) for row in tables[2].rows]
    form_files._sheet_table(workbook.create_sheet("项目2"), form_files.layout_rows(second, form_files.SPANS_2023),
                            form_files.WIDTH_2023, 1)
    workbook.save(str(tmp_path / "两张.xlsx"))
    found, err = _records(tmp_path, tmp_path / "两张.xlsx")
    assert len(found) == 2 and all(path.startswith("2023/projects/") for path in found), (list(found), err)
