"""The records already in the year's folder that the import writes back to: one it cannot read stops it.

A record saved from Notepad as ANSI (GBK) made the import fail with an internal error (exit 3,
UnicodeDecodeError); a record with a YAML error was overwritten by the form without a word
(“已更新”), the editor's acknowledgements with it.
"""

from __future__ import annotations


import pytest

from fixtures.form_files import make_xlsx_2021
from sitetest import CONTENT, run_cli

BY_HAND = ("kind: department-evaluation\nyear: 2021\ndepartment: 岳阳市教育科学技术研究院\n"
           "acknowledgements:\n  - {code: F309, line: 3, reason: 照签字原表公开}\n")


@pytest.mark.parametrize("damage", ["gbk", "yaml-error"])
def test_a_record_the_import_cannot_read_is_named_and_left_as_it_is(tmp_path, damage):
    site = tmp_path / "site"
    (site / "content" / "2021").mkdir(parents=True)
    (site / "content" / "site.yaml").write_bytes((CONTENT / "site.yaml").read_bytes())
    record = site / "content" / "2021" / "department-evaluation.yaml"
    record.write_bytes(BY_HAND.encode("gbk") if damage == "gbk" else (BY_HAND + "  note: [\n").encode())
    before = record.read_bytes()
    file = make_xlsx_2021(tmp_path / "2021年度整体支出绩效自评表.xlsx")
    code, out, err = run_cli("import", file, "--year", "2021", "--site", site)
    assert code == 1, out + err
    assert "N438" in err and "content/2021/department-evaluation.yaml" in err and "内部错误" not in err, err
    assert ("UTF-8" if damage == "gbk" else "site-builder check") in err
    assert record.read_bytes() == before
    assert [p.name for p in (site / "content" / "2021").iterdir()] == ["department-evaluation.yaml"]
