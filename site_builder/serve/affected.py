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

import jinja2

from ..model import Site
from ..render import templates_used

# Record pages that link to the records of their year: the self-evaluation report
# (to the forms it explains) and the department form (back to the report).
SHOWS_ITS_YEAR = {"report", "department-evaluation"}
# Pages that carry the theme's style sheet inline (served at any depth): rendered
# again when an asset changes.
INLINES_ASSETS = {"404.html"}


def pages_to_render(old: Site, new: Site, records: Iterable[str], templates: Iterable[str],
                    env: jinja2.Environment) -> set[str]:
    """Output paths of `new`'s pages to render again after `records` (paths of
    content files, relative to the site folder) and `templates` (names) changed."""
    records, templates = set(records), set(templates)
    known = {page.url for page in old.pages}
    urls = {page.url for page in new.pages if page.url not in known}
    if records:
        urls |= _record_pages(old, new, records)
    if templates:
        urls |= _template_pages(new, templates, env)
    return urls


def _record_pages(old: Site, new: Site, records: set[str]) -> set[str]:
    if any(site.organization is not None and site.organization.path in records for site in (old, new)):
        return {page.url for page in new.pages}
    urls: set[str] = set()
    years: set[int] = set()
    series: set[str] = set()
    for site in (old, new):
        for page in site.pages:
            record = page.record
            if record is None:
                if page.year is None:
                    urls.add(page.url)  # home, column and 404 pages summarise every year
            elif record.path in records:
                urls.add(page.url)
                if record.year is not None:
                    years.add(record.year)
                if record.series:
                    series.add(record.series)
            elif getattr(record, "embeds_documents", False) and any(
                    document.path in records for document in record.embedded_documents):
                urls.add(page.url)
    for site in (old, new):
        for page in site.pages:
            year, record = page.year, page.record
            if year is not None and year.year in years and (record is None or record.kind in SHOWS_ITS_YEAR):
                urls.add(page.url)
            elif site is new and record is not None and record.series in series:
                urls.add(page.url)
    return urls


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


__all__ = ["pages_to_render"]
