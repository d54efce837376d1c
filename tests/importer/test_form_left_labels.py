"""The labels down a form's left edge (项目资金（万元）, 年度预算申请（万元）, 年度总体目标, 绩效指标) not merged down
over their rows: left blank under the label, or printed again on each row (WPS “拆分并填充内容”).

With blank cells under 年度预算申请（万元）, the department form's 按收入性质分 / 按支出性质分 rows were not read
(by_nature: [], eight cells listed as not placed); with 绩效指标 printed on each row, no indicator was
read (indicators: [], ninety cells listed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fixtures import form_files
from sitetest import CONTENT, run_cli


def _site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "site.yaml").write_bytes((CONTENT / "site.yaml").read_bytes())
    return root


def _placed(table: int, left: str):
    """A seed form; the cells merged down its left edge kept ("merged"), or cut into one cell per row,
    the label on the first ("blank") or on each ("repeated")."""
    _, tables = form_files.seed_tables()
    placed = form_files.layout_rows([[tables[table].title]] + tables[table].rows, form_files.SPANS_2023)
    if left == "merged":
        return placed
    cells = []
    for row in placed:
        for cell in row:
            cells.append(cell)
            if cell.column == 0 and cell.rowspan > 1:
                cells += [form_files.Placed(cell.text if left == "repeated" else "", cell.row + k, 0, cell.colspan)
                          for k in range(1, cell.rowspan)]
                cell.rowspan = 1
    return [sorted((c for c in cells if c.row == r), key=lambda c: c.column) for r in range(len(placed))]


def _imported(tmp_path: Path, table: int, left: str) -> tuple[dict, str]:
    import openpyxl

    file = tmp_path / f"{table}-{left}.xlsx"
    workbook = openpyxl.Workbook()
    form_files._sheet_table(workbook.active, _placed(table, left), form_files.WIDTH_2023, 1)
    workbook.save(str(file))
    site = _site(tmp_path / f"site-{table}-{left}")
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record, = [p for p in (site / "content" / "2023").rglob("*.yaml")]
    return yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader), err


@pytest.mark.parametrize("table", [0, 1], ids=["department", "project"])
@pytest.mark.parametrize("left", ["blank", "repeated"])
def test_labels_down_the_left_edge_not_merged_give_the_record_of_the_merged_form(tmp_path, table, left):
    merged, _ = _imported(tmp_path, table, "merged")
    found, err = _imported(tmp_path, table, left)
    assert found == merged
    assert "N431" not in err and "N434" not in err, err
    assert found["indicators"] and (table == 1 or found["funds"]["by_nature"])
