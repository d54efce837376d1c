"""Formulas whose result the file does not hold, or holds wrongly: the cell is read blank and named (N431).

A web system exporting a form with XlsxWriter (or a library like it) writes each formula with 0 as its
result and asks Excel to recalculate on opening (calcPr fullCalcOnLoad): Excel shows the sums, the
file holds 0, which the import published as the form's figure. An array formula ({=SUM(…)}) saved
without its result was read blank without a word.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from fixtures import form_files
from sitetest import run_cli


def _funds_total(site: Path) -> dict:
    record = next((site / "content" / "2023" / "projects").glob("*.yaml"))
    return yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["funds"]["total"]


def test_a_formula_whose_result_excel_recalculates_on_opening_is_not_read_as_the_zero_saved(tmp_path):
    import xlsxwriter

    file = tmp_path / "系统导出.xlsx"
    workbook = xlsxwriter.Workbook(str(file))
    sheet = workbook.add_worksheet("项目表")
    bordered = workbook.add_format({"border": 1})
    placed = form_files.seed_form(1)
    form_files.xlsxwriter_table(sheet, placed, form_files.WIDTH_2023, bordered, numbers=True)
    sheet.write_formula("E5", "=E6+E7+E8", bordered)  # 全年预算数 of 年度资金总额: saved as 0, shown as 50
    workbook.close()
    site = form_files.import_site(tmp_path / "site")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    assert _funds_total(site)["annual"] == ""
    assert "N431" in err and "工作表“项目表”E5" in err and "重新计算" in err, err
    assert "D5" not in err  # a value typed in, not a formula: read as saved


def test_an_array_formula_saved_without_its_result_is_named(tmp_path):
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    file = tmp_path / "数组公式.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "项目表"
    form_files._sheet_table(sheet, form_files.seed_form(1), form_files.WIDTH_2023, 1)
    sheet["I5"] = ArrayFormula("I5", "=SUM(H5:H5)")  # 得分 of 年度资金总额
    workbook.save(str(file))
    site = form_files.import_site(tmp_path / "site")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    assert _funds_total(site)["score"] == ""
    assert "工作表“项目表”I5" in err and "N431" in err, err
