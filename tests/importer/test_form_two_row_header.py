"""A header over two rows: 预算数 over 年初 and 全年, the other column labels merged down over both rows.

The columns under the shared label were not found: the record had no 年初预算数 and 全年预算数 at all
(check then failed on the missing 全年预算数 of 年度资金总额) and their figures were listed as not placed.
Each cell of the second row is read with the label above it (年初 + 预算数 = 年初预算数).
"""

from __future__ import annotations

import pytest
import yaml

from fixtures import form_files
from sitetest import run_cli

Placed = form_files.Placed


def _placed(table: int, two_rows: bool):
    """A seed form; with two_rows, its funds header printed over two rows."""
    placed = form_files.seed_form(table)
    if not two_rows:
        return placed
    header = next(c.row for row in placed for c in row if c.text.replace("\n", "") == "年初预算数")
    cells = []
    for row in placed:
        for cell in row:
            if cell.row > header:
                cell.row += 1
            elif cell.row == header:
                if cell.column == 3:  # 年初预算数 → 预算数 over 年初 and 全年
                    cell.text, cell.colspan = "预算数", 2
                elif cell.column == 4:
                    continue
                elif cell.column > 0:
                    cell.rowspan = 2
            if cell.column == 0 and cell.row <= header < cell.row + cell.rowspan:
                cell.rowspan += 1  # the label down the left edge
            cells.append(cell)
    cells += [Placed("年初", header + 1, 3), Placed("全年", header + 1, 4)]
    return [sorted((c for c in cells if c.row == r), key=lambda c: c.column) for r in range(len(placed) + 1)]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
@pytest.mark.parametrize("table", [0, 1], ids=["department", "project"])
def test_a_header_over_two_rows_gives_the_record_of_a_one_row_header(tmp_path, suffix, table):
    records = []
    for two_rows in (False, True):
        placed = _placed(table, two_rows)
        file = form_files.save_table(tmp_path / f"{table}-{two_rows}{suffix}", placed)
        site = form_files.import_site(tmp_path / f"site-{two_rows}")
        code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
        assert code == 0, err
        record, = (site / "content" / "2023").rglob("*.yaml")
        records.append(yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))
    assert records[1] == records[0]
    assert records[1]["funds"]["total"]["annual"]
    assert "N431" not in err and "N434" not in err, err
