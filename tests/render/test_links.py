"""The relative links between the site's pages (render.relative_url)."""

from __future__ import annotations

import posixpath

from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.render import _relative_path, relative_url

_PART = st.sampled_from(["disclosure", "2023", "downloads", "x.html", "index.html", "a", "", ".", "..", "年度"])
_PATH = st.lists(_PART, min_size=1, max_size=5).map("/".join)


@settings(max_examples=2000, deadline=None)
@given(_PATH, _PATH)
@example("disclosure/2023/x.html", "disclosure/2023")
@example("disclosure/2023", "disclosure/2023")
@example("downloads/2023/x.xlsx", "disclosure/2023")
@example("a/../b", ".")
def test_a_link_is_what_posixpath_relpath_gives(path, folder):
    """The quick way, from the parts of clean paths, gives exactly what posixpath.relpath gives."""
    if not path:
        return
    folder = folder or "."
    _relative_path.cache_clear()
    assert _relative_path(path, folder) == posixpath.relpath(path, folder)


def test_links_from_pages_at_every_depth():
    assert relative_url("disclosure/2023/x.html#t1", "catalogue.html") == "disclosure/2023/x.html#t1"
    assert relative_url("index.html", "disclosure/2023/x.html") == "../../index.html"
    assert relative_url("disclosure/2023/index.html", "disclosure/2023/x.html") == "index.html"
    assert relative_url("downloads/2023/x.xlsx", "disclosure/2023/x.html") == "../../downloads/2023/x.xlsx"
    assert relative_url("#top", "disclosure/2023/x.html") == "#top"
