"""The year's department form keeps its file and page whatever comes before it in the file.

A table of no declared layout whose title does not say 项目 (an annex: 资金使用明细表) is a grid record of
kind department-evaluation. Printed before the department form, it took department-evaluation.yaml and
the department form's page (bumen-zhengti-zhichu-jixiao-zipingbiao): the institute's 部门整体支出绩效自评表
page showed the annex, the form went to a file named after the department.
"""

from __future__ import annotations

import pytest
import yaml

from fixtures import form_files
from sitetest import run_cli


def test_an_annex_before_the_department_form_does_not_take_its_file(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "附表"
    annex = [["2023年度资金使用明细表"], ["科目", "金额"], ["办公费", "12.5"], ["差旅费", "3"]]
    form_files._sheet_table(workbook.active, form_files.layout_rows(annex, [[2], [1, 1], [1, 1], [1, 1]]), 2, 1)
    form_files._sheet_table(workbook.create_sheet("部门整体"), form_files.seed_form(0), form_files.WIDTH_2023, 1)
    file = tmp_path / "2023年度自评表.xlsx"
    workbook.save(str(file))
    site = form_files.import_site(tmp_path / "site")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    department = yaml.load((site / "content" / "2023" / "department-evaluation.yaml").read_text(encoding="utf-8"),
                           Loader=yaml.BaseLoader)
    assert department["department"] == "岳阳市教育科学技术研究院" and department["layout"] != "grid"
    assert department["slug"] == "bumen-zhengti-zhichu-jixiao-zipingbiao"
    annex_record, = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
                     for p in (site / "content" / "2023").glob("*.yaml") if p.name != "department-evaluation.yaml"]
    assert annex_record["layout"] == "grid" and annex_record["slug"] != "bumen-zhengti-zhichu-jixiao-zipingbiao"
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)  # again: the same two records
    assert code == 0 and "没有变化 2 份" in out, out + err


@pytest.mark.parametrize("project", ["CON", "Index", "AUX", "search"])
def test_a_project_named_as_the_site_or_windows_names_its_own_files_gets_a_page_the_build_publishes(tmp_path, project):
    """A project named “CON” or “Index” became projects/con.yaml, index.yaml: pages no build publishes (S209,
    which cannot be acknowledged)."""
    import openpyxl

    _, tables = form_files.seed_tables()
    rows = [[tables[1].title]] + [list(row) for row in tables[1].rows]
    rows[1][1] = project
    workbook = openpyxl.Workbook()
    form_files._sheet_table(workbook.active, form_files.layout_rows(rows, form_files.SPANS_2023),
                            form_files.WIDTH_2023, 1)
    file = tmp_path / "项目表.xlsx"
    workbook.save(str(file))
    site = form_files.import_site(tmp_path / "site")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    code, out, err = run_cli("check", "--site", site)
    assert "S209" not in out + err, out + err


@pytest.mark.parametrize("hide", ["sheet", "rows"])
def test_a_form_left_hidden_is_said_to_be_hidden_not_missing(tmp_path, hide):
    """The only form of the file on a hidden sheet (or in hidden rows): the import said “文件里没有找到表格”
    and to import the file as a summary or report (--kind)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    sheet = workbook.create_sheet("项目表")
    form_files._sheet_table(sheet, form_files.seed_form(1), form_files.WIDTH_2023, 1)
    if hide == "sheet":
        sheet.sheet_state = "hidden"
    else:
        for row in range(1, sheet.max_row + 1):
            sheet.row_dimensions[row].hidden = True
    file = tmp_path / "隐藏.xlsx"
    workbook.save(str(file))
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 1 and "N433" in err and "--kind" not in err, err
    assert "工作表“项目表”" in err and "取消隐藏" in err, err


def test_two_forms_of_the_same_name_in_one_file_are_pointed_out(tmp_path):
    """A sheet copied to be corrected (项目表 (2)) and the old one left in the workbook: both were imported,
    as two records of the project with different figures, without a word."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "项目表"
    form_files._sheet_table(workbook.active, form_files.seed_form(1), form_files.WIDTH_2023, 1)
    workbook.copy_worksheet(workbook.active).title = "项目表 (2)"
    file = tmp_path / "复制的工作表.xlsx"
    workbook.save(str(file))
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    assert "N439" in err and "工作表“项目表 (2)”" in err and "gao-san-fu-xi-ying-kao-2.yaml" in err, err
