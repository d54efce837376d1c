"""Documents' pages get their heading structure from the numbering, a table of contents and stable anchors."""

from __future__ import annotations

import re

import pytest

SUMMARY = "disclosure/2021/gongzuo-zongjie.html"
REPORT = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"
DEPARTMENT_2021 = "disclosure/2021/bumen-zhengti-zhichu-jixiao-zipingbiao.html"


def test_summary_numbered_paragraphs_become_headings_under_their_section(real_pages, render_helpers):
    page = render_helpers.read_page(real_pages / SUMMARY)
    levels = [(level, text) for level, _, text in page.headings]
    first = levels.index((2, "一、坚持以为党育人为使命，创新机制与载体，提高教研工作政治站位。"))
    assert levels[first + 1] == (3, "1.加强党对教研工作的全面领导。")
    assert levels[first + 3] == (3, "3. 深入推进新时代大中小学思政课一体化。")
    assert [text[:2] for level, text in levels if level == 2] == ["一、", "二、", "三、"]
    assert sum(1 for level, _ in levels if level == 3) == 14
    paragraphs = [render_helpers.squeeze(p) for p in page.paragraphs]
    assert any(p.startswith("坚持把党的政治建设放在首位") for p in paragraphs)
    # An item written inline (一是…；二是…) stays text.
    assert any(p.startswith("在新的历史形势下") and "一是从研究教科书到关注课程建设" in p for p in paragraphs)


def test_summary_words_unchanged(real_pages, render_helpers):
    """Every paragraph of the record is on the page, character for character (heading + text read on)."""
    page_text = render_helpers.squeeze("".join(render_helpers.read_page(real_pages / SUMMARY).text))
    body = render_helpers.body_of(render_helpers.REPO / "content" / "2021" / "work-summary.md")
    for block in re.split(r"\n\s*\n", body):
        words = render_helpers.squeeze(re.sub(r"^#+ ", "", block.strip()).replace("\\.", "."))
        if words:
            assert words in page_text, words[:40]


@pytest.mark.parametrize("name", [SUMMARY, REPORT, "disclosure/2022/gongzuo-jihua.html",
                                  "about/jigou-gaikuang.html", DEPARTMENT_2021])
def test_heading_levels_never_skip_and_anchors_are_unique_ascii(real_pages, render_helpers, name):
    page = render_helpers.read_page(real_pages / name)
    levels = [level for level, _, _ in page.headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    for level, anchor, _ in page.headings:
        if level > 1:
            assert re.fullmatch(r"[a-z0-9-]+", anchor), anchor


def test_inconsistent_report_numbering_gets_a_clean_structure(real_pages, render_helpers):
    page = render_helpers.read_page(real_pages / REPORT)
    headings = [(level, anchor, text[:3]) for level, anchor, text in page.headings[1:]]
    assert headings[:7] == [(2, "s1", "一、单"), (3, "s1-1", "（一）"), (3, "s1-2", "（二）"), (3, "s1-3", "（三）"),
                            (3, "s1-4", "（4）"), (2, "s2", "2、 "), (3, "s2-1", "（1）")]
    assert [anchor for level, anchor, _ in headings if level == 2] == [f"s{n}" for n in range(1, 10)]
    # Numbered duties ending in ；are items, not headings.
    assert not any(text.startswith("1.负责") for _, _, text in page.headings)


def test_table_of_contents_is_a_named_nested_list_of_the_headings(real_pages, render_helpers):
    page = render_helpers.read_page(real_pages / SUMMARY)
    assert page.toc_navs == 1
    html = (real_pages / SUMMARY).read_text(encoding="utf-8")
    assert re.search(r'<nav class="toc" aria-label="目录">\s*(<p[^>]*>目录</p>\s*)?<ul>', html)
    # One link per heading below the title, nested as the headings are, pointing at their anchors.
    assert [(href, text) for _, href, text in page.toc] == [("#" + a, t) for _, a, t in page.headings[1:]]
    assert [depth for depth, _, _ in page.toc] == [level - 1 for level, _, _ in page.headings[1:]]


def test_embedded_documents_have_their_own_anchors_and_no_toc(real_pages, render_helpers):
    page = render_helpers.read_page(real_pages / DEPARTMENT_2021)
    assert page.toc_navs == 0
    embedded = [anchor for _, anchor, _ in page.headings if anchor.startswith("doc-")]
    assert "doc-1-s1" in embedded and "doc-1-s1-1" in embedded


def test_anchors_stay_when_an_earlier_section_or_paragraph_is_added(tmp_path, render_helpers):
    site = render_helpers.copy_real_site(tmp_path / "site")
    before = render_helpers.read_page(render_helpers.build(site) / SUMMARY)
    record = site / "content" / "2021" / "work-summary.md"
    head, body = record.read_text(encoding="utf-8").split("\n---\n", 1)
    record.write_text(head + "\n---\n\n## 前言\n\n新加的一段说明。\n\n（一）新加的小节。新加的正文。\n" + body,
                      encoding="utf-8")
    after = render_helpers.read_page(render_helpers.build(site) / SUMMARY)
    old = {text: anchor for _, anchor, text in before.headings[1:]}
    new = {text: anchor for _, anchor, text in after.headings[1:]}
    assert new["前言"] == "s-qy" and new["（一）新加的小节。"] == "s-qy-1"
    assert {text: new[text] for text in old} == old

    # The same body builds to the same anchors every time.
    again = render_helpers.read_page(render_helpers.build(site) / SUMMARY)
    assert again.headings == after.headings


def test_markdown_filter_keeps_working_for_existing_callers():
    from site_builder.render import markdown_to_html

    html = markdown_to_html("## 一、总体\n\n#### 细节\n\n<b>原样</b>", 3)
    assert '<h3 id="s1">一、总体</h3>' in html and '<h4 id="s1-xj">细节</h4>' in html
    assert "&lt;b&gt;原样&lt;/b&gt;" in html
