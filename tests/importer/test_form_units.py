"""Column and row labels printed with the unit of their money: 年初预算数（万元）, 全年预算数(万元), 年度资金总额（元）.

The funds block was not found: its six columns' figures were listed as not placed (N431) and
年度资金总额 as missing (N434); the record had no funds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fixtures import form_files
from sitetest import CONTENT, run_cli

from site_builder.importer.forms.grid import label_key


@pytest.mark.parametrize("printed, label", [("年初预算数（万元）", "年初预算数"), ("全年预算数(万元)", "全年预算数"),
                                            ("年度资金总额（元）", "年度资金总额"), ("执行率（%）", "执行率"),
                                            ("预算执行情况（10分）", "预算执行情况（10分）")])
def test_a_unit_of_money_in_brackets_does_not_change_a_label(printed, label):
    assert label_key(printed) == label_key(label)


def _record(tmp_path: Path, header: list[str], total: str) -> tuple[dict, str]:
    import openpyxl

    _, tables = form_files.seed_tables()
    rows = [[tables[1].title]] + [list(row) for row in tables[1].rows]
    funds = next(i for i, row in enumerate(rows) if "年初\n预算数" in row)
    rows[funds] = header
    rows[funds + 1][1] = total
    workbook = openpyxl.Workbook()
    form_files._sheet_table(workbook.active, form_files.layout_rows(rows, form_files.SPANS_2023),
                            form_files.WIDTH_2023, 1)
    file = tmp_path / f"{total}.xlsx"
    workbook.save(str(file))
    site = tmp_path / f"site-{total}"
    (site / "content").mkdir(parents=True)
    (site / "content" / "site.yaml").write_bytes((CONTENT / "site.yaml").read_bytes())
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record, = (site / "content" / "2023").rglob("*.yaml")
    return yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader), err


def test_funds_labelled_with_their_unit_are_read(tmp_path):
    plain, _ = _record(tmp_path, ["项目资金（万元）", "", "年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"],
                       "年度资金总额")
    found, err = _record(tmp_path, ["项目资金", "", "年初预算数（万元）", "全年预算数(万元)", "全年执行数（万元）", "分值",
                                    "执行率（%）", "得分"], "年度资金总额（万元）")
    assert found["funds"] == plain["funds"] and found["funds"]["total"]["annual"] == "50"
    assert "N431" not in err and "N434" not in err, err
