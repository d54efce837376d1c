"""Issue 13, point 1: the rule deciding which page addresses can be used (S209).

Reserved by the site (index, 404, assets, …), reserved by Windows in any case
and with any extension (con, nul, com1, …), too long, ending in a dot or a space.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.model.slugs import RESERVED_NAMES, WINDOWS_NAMES, address_problem

_WINDOWS = st.sampled_from(sorted(WINDOWS_NAMES)).flatmap(
    lambda name: st.tuples(*[st.sampled_from([ch.lower(), ch.upper()]) for ch in name]).map("".join))


@settings(max_examples=200, deadline=None)
@given(_WINDOWS, st.sampled_from(["", ".html", ".xml", ".tar.gz"]))
def test_windows_names_are_refused_in_any_case_and_with_any_extension(name, extension):
    assert "Windows" in address_problem(f"disclosure/2023/{name}{extension}")
    assert "Windows" in address_problem(f"{name}{extension}/page.html")  # as a folder too


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,3}", fullmatch=True))
def test_ordinary_slugs_are_accepted(slug):
    problem = address_problem(f"disclosure/2023/{slug}.html")
    assert (problem is None) == (slug not in RESERVED_NAMES | WINDOWS_NAMES)


@pytest.mark.parametrize("address, words", [
    ("disclosure/2023/" + "a" * 96 + ".html", "太长"),
    ("/".join(["d" * 60] * 4) + ".html", "240"),
    ("disclosure/2023./page.html", "以点或空格结尾"),
    ("disclosure/2023 /page.html", "以点或空格结尾"),
    ("about/index.html", "网站自己"),
])
def test_long_names_and_trailing_dots_are_refused(address, words):
    assert words in address_problem(address)
