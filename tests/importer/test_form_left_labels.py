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
from sitetest import run_cli


def _placed(table: int, left: str):
    """A seed form; the cells merged down its left edge kept ("merged"), or cut into one cell per row,
    the label on the first ("blank") or on each ("repeated")."""
    placed = form_files.seed_form(table)
    if left == "merged":
        return placed
    return form_files.cut_down(placed, lambda cell: cell.column == 0, repeated=left == "repeated")


def _imported(tmp_path: Path, table: int, left: str) -> tuple[dict, str]:
    file = form_files.save_table(tmp_path / f"{table}-{left}.xlsx", _placed(table, left))
    site = form_files.import_site(tmp_path / f"site-{table}-{left}")
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
