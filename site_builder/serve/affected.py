"""Which pages a change touches: the rules of the incremental rebuild.

A page shows its own record, the records it embeds, the records of its year
(the year page) or a summary of every year (home, column and 404 pages); every
page shows the organisation's title in its navigation. A change to a record
therefore re-renders the record's page, the pages embedding it (the 2021
department form embeds the documents listed in operation_documents), the year
pages of its old and new year (with the report and the department form of
those years, which link to each other and to the year's forms), the pages of the same project's (or the
department's) forms of other years, which link to it, and the site-wide pages; a change to the
organisation re-renders everything. A template change re-renders the pages
whose template uses it (extends, includes, imports), found with jinja2.meta.
A page that is new to the site is always rendered.

tests/serve/test_incremental.py compares the result with a full build byte for
byte after a change to every record and template: a theme that starts showing
other records on a page (say, links to the previous and next record) must
extend these rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import is_not

import jinja2

from ..model import Page, Site
from ..render import templates_used

# Record pages that link to the records of their year: the self-evaluation report
# (to the forms it explains) and the department form (back to the report).
SHOWS_ITS_YEAR = {"report", "department-evaluation"}
# Pages that carry the theme's style sheet inline (served at any depth): rendered
# again when an asset changes.
INLINES_ASSETS = {"404.html"}


class Affected:
    """The rules above, for one preview. The preview compares each site with the next: each site's
    pages are indexed once, as the new site, and looked up again as the old one at the next change."""

    def __init__(self) -> None:
        self._last: list[tuple[Site, int, _PageIndex]] = []  # the last two sites, their page counts, indexes

    def pages_to_render(self, old: Site, new: Site, records: Iterable[str], templates: Iterable[str],
                        env: jinja2.Environment) -> set[str]:
        """Output paths of `new`'s pages to render again after `records` (paths of
        content files, relative to the site folder) and `templates` (names) changed."""
        records, templates = set(records), set(templates)
        old_index = self._index(old)
        new_index = self._index(new)  # indexed last: kept for the next change
        urls = new_index.urls - old_index.urls
        if records:
            urls |= _record_pages(old, new, records, old_index, new_index)
        if templates:
            urls |= _template_pages(new, templates, env)
        return urls

    def page_urls(self, site: Site) -> set[str]:
        """The output paths of `site`'s pages (from its index, which the next change looks up again)."""
        return self._index(site).urls

    def _index(self, site: Site) -> _PageIndex:
        """`site`'s index, from the last two sites asked about when it is one of them."""
        for position, (known, pages, index) in enumerate(self._last):
            if known is site and pages == len(site.pages):
                break
        else:
            earlier = self._last[0][2] if self._last else None
            index, position = (earlier and earlier.after(site)) or _PageIndex.of(site), 2
        self._last[:] = [(site, len(site.pages), index), *(self._last[:position] + self._last[position + 1:])[:1]]
        return index


def _record_pages(old: Site, new: Site, records: set[str], old_index: _PageIndex, new_index: _PageIndex) -> set[str]:
    if any(site.organization is not None and site.organization.path in records for site in (old, new)):
        return {page.url for page in new.pages}
    urls: set[str] = set()
    years: set[int] = set()
    series: set[str] = set()
    indexes = [old_index, new_index]
    for index in indexes:
        for path in records:
            page = index.by_path.get(path)
            if page is not None:
                urls.add(page.url)
                if page.record.year is not None:
                    years.add(page.record.year)
                if page.record.series:
                    series.add(page.record.series)
        urls.update(page.url for page in index.embedding
                    if any(document.path in records for document in page.record.embedded_documents))
    for index in indexes:
        # home, column and 404 pages summarise every year; a year's page lists its records
        urls.update(page.url for page in index.lists if page.year is None or page.year.year in years)
        for year in years:
            urls.update(index.linking_their_year.get(year, ()))
    for key in series:
        urls.update(indexes[1].by_series.get(key, ()))
    return urls


@dataclass
class _PageIndex:
    """A site's pages as the rules above look them up."""

    pages: list[Page] = field(default_factory=list)  # the site's, indexed
    urls: set[str] = field(default_factory=set)
    lists: list[Page] = field(default_factory=list)  # pages of no record
    by_path: dict[str, Page] = field(default_factory=dict)  # a record's path → its page
    by_series: dict[str, list[str]] = field(default_factory=dict)  # a project → its forms' pages
    linking_their_year: dict[int, list[str]] = field(default_factory=dict)  # year → its SHOWS_ITS_YEAR pages
    embedding: list[Page] = field(default_factory=list)  # pages of forms whose text cells embed documents

    @classmethod
    def of(cls, site: Site) -> _PageIndex:
        index = cls(list(site.pages))
        index.urls = {page.url for page in site.pages}
        for page in site.pages:
            record = page.record
            if record is None:
                index.lists.append(page)
                continue
            index.by_path[record.path] = page
            if record.series:
                index.by_series.setdefault(record.series, []).append(page.url)
            if _links_its_year(page) is not None:
                index.linking_their_year.setdefault(page.year.year, []).append(page.url)
            if record.embeds_documents:
                index.embedding.append(page)
        return index

    def after(self, site: Site) -> _PageIndex | None:
        """`site`'s index made from this one, when `site` has the pages of the same addresses, a few
        made again (a save: its record's page, its year's pages) and each page of no record in the same
        place; else None."""
        pages = site.pages
        if len(pages) != len(self.pages):
            return None
        positions = list(compress(range(len(pages)), map(is_not, self.pages, pages)))
        gone, added = [self.pages[i] for i in positions], [pages[i] for i in positions]
        if any((before.record is None) != (now.record is None) for before, now in zip(gone, added)) or (
                {page.url for page in gone} != {page.url for page in added}):
            return None
        gone_ids = {id(page) for page in gone}
        index = replace(self, pages=list(pages), lists=list(self.lists), by_path=dict(self.by_path),
                        by_series=dict(self.by_series), linking_their_year=dict(self.linking_their_year),
                        embedding=[page for page in self.embedding if id(page) not in gone_ids])
        list_at = {id(page): i for i, page in enumerate(self.lists)}
        for before, now in zip(gone, added):
            if before.record is None:
                index.lists[list_at[id(before)]] = now
                continue
            if index.by_path.get(before.record.path) is before:
                del index.by_path[before.record.path]
            _without(index.by_series, before.record.series, before.url)
            _without(index.linking_their_year, _links_its_year(before), before.url)
        for page in added:  # the lists are copied, not appended to: the old index has them too
            if page.record is None:
                continue
            record = page.record
            index.by_path[record.path] = page
            _with(index.by_series, record.series, page.url)
            _with(index.linking_their_year, _links_its_year(page), page.url)
            if record.embeds_documents:
                index.embedding.append(page)
        return index


def _links_its_year(page: Page) -> int | None:
    """The year whose pages link to `page`'s record page as one of its SHOWS_ITS_YEAR pages, or None."""
    return page.year.year if page.year is not None and page.record.kind in SHOWS_ITS_YEAR else None


def _with(lists: dict, key, url: str) -> None:
    """`lists[key]` (a list which another index may share: copied, not changed) with `url` added."""
    if key not in (None, ""):  # (no project, no year)
        lists[key] = [*lists.get(key, ()), url]


def _without(lists: dict, key, url: str) -> None:
    """`lists[key]` (a list which another index may share: copied, not changed) without `url`."""
    if key in (None, "") or key not in lists:
        return
    rest = [other for other in lists[key] if other != url]
    if rest:
        lists[key] = rest
    else:
        del lists[key]


def _template_pages(site: Site, templates: set[str], env: jinja2.Environment) -> set[str]:
    used: dict[str, frozenset[str] | None] = {}
    urls = set()
    for page in site.pages:
        if page.template not in used:
            used[page.template] = templates_used(env, page.template)
        names = used[page.template]
        if names is None or names & templates:
            urls.add(page.url)
    return urls


__all__ = ["Affected", "INLINES_ASSETS", "SHOWS_ITS_YEAR"]
