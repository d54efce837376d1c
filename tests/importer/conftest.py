"""Helpers of the importer tests, reached through the `import_helpers` fixture.

Tests run `site-builder import` and `site-builder build` on temporary sites and
read the Markdown record and the built page, as a member of staff would.
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
FIXTURES = REPO / "tests" / "fixtures"
SEED_003 = FIXTURES / "seed-003-district-summary-plan.txt"

if str(REPO) not in sys.path:  # plain `pytest` without `pip install -e .`
    sys.path.insert(0, str(REPO))

from sitetest import run_cli as run  # noqa: E402  (one in-process runner for the whole suite)




def empty_site(root: Path) -> Path:
    """A site with the real content/site.yaml and no records."""
    (root / "content").mkdir(parents=True)
    shutil.copyfile(REPO / "content" / "site.yaml", root / "content" / "site.yaml")
    return root


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_subsequence(needle: str, haystack: str) -> tuple[bool, str]:
    """Whether every character of `needle` appears in `haystack` in order; else where it stopped."""
    position = 0
    for index, ch in enumerate(needle):
        position = haystack.find(ch, position)
        if position < 0:
            return False, needle[max(0, index - 20):index + 20]
        position += 1
    return True, ""


class Outline(HTMLParser):
    """The headings of a page's <main> in order: (level, id, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self.paragraphs: list[str] = []
        self._in_main = False
        self._current: list | None = None
        self._paragraph: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._current = [int(tag[1]), dict(attrs).get("id", ""), ""]
        elif tag == "p":
            self._paragraph = []

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        if self._current is not None and tag == f"h{self._current[0]}":
            self.headings.append((self._current[0], self._current[1], self._current[2].strip()))
            self._current = None
        elif tag == "p" and self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
            self._paragraph = None

    def handle_data(self, data):
        if self._current is not None:
            self._current[2] += data
        if self._paragraph is not None:
            self._paragraph.append(data)


def outline(page: Path) -> Outline:
    parser = Outline()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def markdown_headings(text: str) -> list[tuple[int, str]]:
    """(level, text) of the `#` headings of a Markdown record's body."""
    body = text.split("\n---\n", 1)[1]
    return [(len(m.group(1)), m.group(2)) for m in re.finditer(r"(?m)^(#{1,6}) (.+)$", body)]


def front_matter(text: str) -> dict:
    import yaml

    return yaml.safe_load(text.split("---\n", 2)[1])


HELPERS = SimpleNamespace(REPO=REPO, FIXTURES=FIXTURES, SEED_003=SEED_003, run=run, empty_site=empty_site,
                          squeeze=squeeze, is_subsequence=is_subsequence, outline=outline,
                          markdown_headings=markdown_headings, front_matter=front_matter)


@pytest.fixture(scope="session")
def import_helpers() -> SimpleNamespace:
    return HELPERS


@pytest.fixture
def new_site(tmp_path) -> Path:
    return empty_site(tmp_path / "site")
