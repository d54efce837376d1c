"""Pagefind indexes "139|1234|5678" as 13912345678 (it drops |, ~, =, → … inside a word): the index is refused
(P706), and the refusal names the page holding it, not only the index file, so that the editor can find it."""

from __future__ import annotations

import pytest

from sitetest import run_cli

from .conftest import REPORT, edit

PAGE = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"


@pytest.mark.parametrize("joined", ["139|1234|5678", "139～1234～5678", "4306=0219=9001=0112=35"])
def test_a_number_the_search_index_joins_is_refused_naming_its_page(site, joined):
    edit(site, REPORT, "核定全额编制数44名。", f"核定全额编制数44名。值班：{joined}。")
    code, stdout, stderr = run_cli("build", "--site", site)
    report = stdout + stderr
    assert code == 1, report
    assert f"{PAGE}: P706" in report and "搜索索引" in report, report
    assert "pagefind/" not in report  # the page, not the index's file
    assert not (site / "build").exists()
