"""What the search index reads from a page (write.search_index.indexed_digest): a page changed only
inside an element marked data-pagefind-ignore does not re-index its part; any other change does."""

from __future__ import annotations

import html

from hypothesis import given, strategies as st

from site_builder.write.search_index import indexed_digest

PAGE = ('<html lang="zh-CN"><head><title>标题</title></head><body><main data-pagefind-body>'
        '<h1>高三复习迎考</h1>{before}<p>正文{text}</p>{after}</main></body></html>')
NAV = '<nav class="related-years" aria-label="相关公开" data-pagefind-ignore>\n<ul><li>{links}</li></ul>\n</nav>'


def _digest(text="", before="", after="") -> bytes:
    return indexed_digest(PAGE.format(text=text, before=before, after=after).encode("utf-8"))


def test_links_inside_an_ignored_element_are_not_read():
    assert _digest(before=NAV.format(links="2022年度：高三复习迎考")) == _digest(before=NAV.format(links="2022年度：改名"))
    # a page of a project no longer in another year: the links gone, the line around them kept
    assert _digest(before="\n" + NAV.format(links="2022年度") + "\n") == _digest(before="\n")


def test_a_change_outside_it_is_read():
    assert _digest(text="一", before=NAV.format(links="a")) != _digest(text="二", before=NAV.format(links="a"))


def test_an_element_whose_extent_or_meaning_is_uncertain_is_read():
    kept = [
        '<p data-pagefind-ignore>{}</p>',  # a paragraph's end may be implied
        '<div data-pagefind-ignore><div>{}</div>',  # never closed
        '<div data-pagefind-ignore><span data-pagefind-filter="year">{}</span></div>',  # a filter is still read
        '<div data-pagefind-ignore><h2 id="a">{}</h2></div>',  # a heading (anchors, the title)
        '<div title=" data-pagefind-ignore">{}</div>',  # the name inside another attribute's value
        '<div data-pagefind-ignored>{}</div>',  # another attribute
    ]
    for element in kept:
        assert _digest(after=element.format("一")) != _digest(after=element.format("二")), element


def test_nested_elements_of_the_same_name_end_where_the_outer_one_ends():
    nested = '<div data-pagefind-ignore><div>{}</div><div>x</div></div>'
    assert _digest(after=nested.format("一")) == _digest(after=nested.format("二"))
    assert _digest(after=nested.format("一") + "<p>一</p>") != _digest(after=nested.format("一") + "<p>二</p>")


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_text_in_the_ignored_links_gives_the_same_digest(one, other):
    assert _digest(before=NAV.format(links=html.escape(one))) == _digest(before=NAV.format(links=html.escape(other)))


@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()), st.text(max_size=40))
def test_words_added_to_the_body_always_change_the_digest(added, links):
    base = NAV.format(links=html.escape(links))
    assert _digest(before=base, text="") != _digest(before=base, text=html.escape(added.strip()))


@given(st.binary(max_size=400))
def test_any_bytes_give_a_digest(data):
    assert len(indexed_digest(data)) == 20
    assert len(indexed_digest(b"<div data-pagefind-ignore>" + data)) == 20


@given(st.lists(st.sampled_from([b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\xa0", b"\x85", b"a",
                                 "\u3000".encode(), b"<p>"]), max_size=30).map(b"".join))
def test_white_space_counts_as_one_space_as_the_pattern_says(text):
    import re

    from site_builder.write.search_index import _one_space

    assert _one_space(text) == re.sub(rb"\s+", b" ", text)
