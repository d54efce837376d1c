"""The indicator table writes its cells with escaping done once per column (the theme's
_macros/tables.html): every text from a record or from a site's layout still reaches the page
escaped, in the cell and in its data-label."""

from __future__ import annotations

import html
import re
from pathlib import Path

from markupsafe import escape
from sitetest import run_cli

from site_builder.layouts import SITE_LAYOUTS_DIR

REPO = Path(__file__).resolve().parents[2]
FORM = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
LAYOUT = "yueyang-project-2023.yaml"
TEXT = '<script>alert(1)</script> & "甲" \'乙\''
LABEL = '年度"指标"<值>&'


def test_markup_in_an_indicator_cell_and_a_layout_label_is_text(site):
    form = site / FORM
    form.write_text(form.read_text(encoding="utf-8").replace("target: =<50万", f"target: '{TEXT.replace(chr(39), 2 * chr(39))}'"),
                    encoding="utf-8")
    layout = (REPO / "site_builder" / "layouts" / "shipped" / LAYOUT).read_text(encoding="utf-8")
    (site / SITE_LAYOUTS_DIR).mkdir()
    (site / SITE_LAYOUTS_DIR / LAYOUT).write_text(
        layout.replace("{key: target, label: 年度指标值,", f"{{key: target, label: '{LABEL}',"), encoding="utf-8")
    out = site.parent / "out"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    page = (out / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="form-table indicator-table.*?</table>', page, re.S).group()
    assert "<script>" not in page
    cells = re.findall(r'<td headers="([^"]*)"(?: class="[^"]*")? data-label="([^"]*)">(.*?)</td>', table, re.S)
    targets = [(headers, text) for headers, label, text in cells if html.unescape(label) == LABEL]
    assert len(targets) == 14 and all(label == str(escape(LABEL)) for _, label, _ in cells if html.unescape(label) == LABEL)
    assert any(html.unescape(text).strip() == TEXT for _, text in targets), targets
    assert all(headers.startswith("ind-h-") for headers, _ in targets)
