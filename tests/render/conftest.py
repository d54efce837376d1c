"""Helpers of the render tests, reached through the `render_helpers` fixture.

The real content is copied to a temporary site and built with the CLI; tests
read the built pages' headings, anchors and table of contents.
"""

from __future__ import annotations

import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[2]

if str(REPO) not in sys.path:  # plain `pytest` without `pip install -e .`
    sys.path.insert(0, str(REPO))

from sitetest import run_cli as run  # noqa: E402  (one in-process runner for the whole suite)




def copy_real_site(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", root / "content")
    return root


def build(site: Path) -> Path:
    out = site / "build"
    code, stdout, stderr = run("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    return out


class Page(HTMLParser):
    """What a reader of a page's <main> meets: headings (level, id, text), paragraphs, ids, the TOC."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self.paragraphs: list[str] = []
        self.ids: list[str] = []
        self.toc: list[tuple[int, str, str]] = []  # (list depth, href, text) of the 目录 nav
        self.toc_navs = 0
        self.text: list[str] = []
        self._main = False
        self._heading: list | None = None
        self._paragraph: list[str] | None = None
        self._nav_depth = 0
        self._in_toc = False
        self._list_depth = 0
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "main":
            self._main = True
        if not self._main:
            return
        if tag == "nav" and attrs.get("aria-label") == "目录":
            self._in_toc = True
            self.toc_navs += 1
        if self._in_toc:
            if tag == "ul" or tag == "ol":
                self._list_depth += 1
            elif tag == "a":
                self._link = [self._list_depth, attrs.get("href", ""), ""]
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), attrs.get("id", ""), ""]
        elif tag == "p":
            self._paragraph = []

    def handle_endtag(self, tag):
        if tag == "main":
            self._main = False
        if self._in_toc:
            if tag in ("ul", "ol"):
                self._list_depth -= 1
            elif tag == "a" and self._link:
                self.toc.append(tuple(self._link))
                self._link = None
            elif tag == "nav":
                self._in_toc = False
            return
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1], self._heading[2].strip()))
            self._heading = None
        elif tag == "p" and self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
            self._paragraph = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[2] += data
        if not self._main or self._in_toc:
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading[2] += data
        if self._paragraph is not None:
            self._paragraph.append(data)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_of(markdown_file: Path) -> str:
    return markdown_file.read_text(encoding="utf-8").split("\n---\n", 1)[1]


HELPERS = SimpleNamespace(REPO=REPO, run=run, copy_real_site=copy_real_site, build=build, read_page=read_page,
                          squeeze=squeeze, body_of=body_of)


@pytest.fixture(scope="session")
def render_helpers() -> SimpleNamespace:
    return HELPERS


@pytest.fixture(scope="session")
def real_pages(tmp_path_factory) -> Path:
    """The real content built once for these tests; do not modify."""
    return build(copy_real_site(tmp_path_factory.mktemp("render-real") / "site"))
