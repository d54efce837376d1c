"""Indicator levels as sheets are filled in: not merged down, but left blank or printed again on each row.

Only Word and careful Excel users merge 产出指标 and 数量指标 down over their rows. In many sheets the
level is printed on its first row and the cells under it are left blank, or printed again on every
row. Each such row became a group of its own (level1 "" or the same level once more): the record's
structure was not the form's, and the check reported errors the form does not have (F313 不认识的一级指标“”,
F306 分值之和为 8，与印的 50 分不符).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fixtures import form_files
from sitetest import run_cli

LEVEL_COLUMNS = (1, 2)  # 一级指标, 二级指标 on the nine-column grid


def _placed(levels: str):
    """The seed's first project form; its indicator levels merged down ("merged"), or not merged and
    printed on the first row only ("blank") or on every row ("repeated")."""
    placed = form_files.seed_form(1)
    if levels == "merged":
        return placed
    header = next(cell.row for row in placed for cell in row if cell.text == "一级指标")
    return form_files.cut_down(placed, lambda cell: cell.column in LEVEL_COLUMNS and cell.row > header,
                               repeated=levels == "repeated")


def _file(path: Path, levels: str) -> Path:
    return form_files.save_table(path, _placed(levels))


def _indicators(tmp_path: Path, file: Path, name: str):
    site = form_files.import_site(tmp_path / name)
    code, out, err = run_cli("import", file, "--year", "2023", "--site", site)
    assert code == 0, err
    record = next((site / "content" / "2023" / "projects").glob("*.yaml"))
    return site, yaml.load(record.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["indicators"]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
@pytest.mark.parametrize("levels", ["blank", "repeated"])
def test_levels_not_merged_down_give_the_groups_of_the_merged_form(tmp_path, suffix, levels):
    _, merged = _indicators(tmp_path, _file(tmp_path / f"merged{suffix}", "merged"), "merged")
    site, found = _indicators(tmp_path, _file(tmp_path / f"{levels}{suffix}", levels), levels)
    assert [g["level1"] for g in found] == ["产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"]
    assert found == merged
    code, out, err = run_cli("check", "--site", site)
    assert "F313" not in out + err and "F306" not in out + err, out + err
