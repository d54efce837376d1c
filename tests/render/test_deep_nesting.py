"""A document body nested hundreds of levels deep (pasted indentation, or a hostile file) is shown at
MAX_NESTING levels with every word kept, and the checker points at the first line nested deeper:
Python-Markdown parses each level by recursion, and such a body stopped the build (exit 3)."""

from __future__ import annotations

import json
import re

import pytest
from sitetest import run_cli, visible_text

from site_builder.render.markdown_body import MAX_NESTING, nesting, render_body

REPORT = "content/2023/self-evaluation-report.md"
REPORT_PAGE = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"


@pytest.mark.parametrize("line, depth", [("正文", 0), ("- 项", 0), ("    - 项", 1), ("\t\t- 项", 2), ("  \t- 项", 1),
                                         ("> 引", 1), ("> > >引", 3), ("    > > - 项", 3), (" " * 84 + "- 项", 21)])
def test_nesting_counts_four_columns_or_one_quote_a_level(line, depth):
    assert nesting(line) == depth


def test_a_list_nested_hundreds_deep_is_built_every_item_kept_and_pointed_at(site, tmp_path):
    report = site / REPORT
    before = report.read_text(encoding="utf-8")
    items = [f"第{level}层" for level in range(600)]
    written = before + "\n\n" + "".join("  " * level + f"- {item}\n" for level, item in enumerate(items))
    report.write_text(written, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    page = visible_text(out / REPORT_PAGE)
    assert all(re.search(rf"(?<!\d){re.escape(item)}", page) for item in items)
    html = (out / REPORT_PAGE).read_text(encoding="utf-8")
    assert html.count("<ul>") <= 2 * MAX_NESTING + 1

    code, stdout, _ = run_cli("check", "--site", site, "--format", "json")
    [finding] = [f for f in json.loads(stdout) if f["code"] == "P707"]
    deepest_shown = 2 * (MAX_NESTING + 1)  # two columns a level here: level 42 is 84 columns, 21 levels, deep
    first_deep = written.split("\n").index("  " * deepest_shown + f"- {items[deepest_shown]}") + 1
    assert (finding["path"], finding["line"], finding["severity"]) == (REPORT, first_deep, "warning")


def test_quotes_nested_past_the_limit_keep_their_text_at_the_limit():
    html = render_body("> " * (MAX_NESTING + 15) + "最深的引用").html
    assert "最深的引用" in html and html.count("<blockquote>") == MAX_NESTING


def test_a_body_within_the_limit_is_rendered_as_written():
    body = "".join("    " * level + f"- 第{level}层\n" for level in range(MAX_NESTING))
    assert render_body(body).html.count("<ul>") == MAX_NESTING


def test_the_checker_and_the_theme_render_a_body_once(monkeypatch):
    """P704–P709 render a body to see what the site shows, and the theme's filters render it again in
    the same worker: one conversion, however the arguments are passed."""
    import markdown

    from site_builder.render.markdown_body import document_outline, markdown_to_html

    conversions = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: conversions.append(text) or real(self, text))
    body = "## 一、概况\n\n    缩进的一段，" + "测试" * 7 + "\n\n[链接](javascript:alert(1))\n"
    checked = render_body(body)
    assert markdown_to_html(body, 2) == checked.html and document_outline(body, 2) == checked.outline
    assert len(conversions) == 1
    markdown_to_html(body, 4, "doc-1-")  # another heading level is another page's rendering
    assert len(conversions) == 2
