"""The preview's files, made when they are first asked for.

After a save the preview only reads, models and checks the site, and notes
which pages the change touched (affected.py); the browser is told to reload
at once. A page is rendered, and a year's downloads are made, when a request
(or anything reading the mapping) first asks for it; the bytes are kept until
a later change touches them. The cost of a save thus no longer grows with the
pages it touches (a project renamed on 50 years' pages, a catalogue of 10,000
entries), only with the records read and checked again.

What a page needs of the downloads is made before it is rendered: a form's
page shows the sizes of its own files, a year's page those of the year's
workbook and zip (the default theme shows nothing else of them; a theme that
does must extend :meth:`PreviewFiles._needs`). datapackage.json describes every
file, so asking for it makes every year's downloads.

Every file passes write.published_bytes, as every file of a build does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .. import downloads
from ..model import Page, YearGroup
from ..model.forms import FormRecord
from ..pipeline import Publication
from ..write import published_bytes


class PreviewFiles(Mapping[str, bytes]):
    """Output path → bytes, as `build` would write them.

    `made`: the bytes ready (assets, archives, and the pages and downloads made
    so far); the site's other pages and its downloads are made when read.
    `earlier` is the mapping this one replaces: downloads whose bytes did not
    change are not masked again."""

    def __init__(self, publication: Publication | None, memo: downloads.Memo, made: dict[str, bytes],
                 earlier: PreviewFiles | None = None):
        self.publication = publication
        self._memo = memo
        self._made = made
        site = publication.site if publication is not None else None
        self._pages: dict[str, Page] = {page.url: page for page in site.pages if page.url not in made} if site else {}
        self._years: dict[int, YearGroup] = {group.year: group for group in site.years} if site else {}
        self._package_due = site is not None
        self._resources: dict[int, list[tuple[str, bytes]]] = {}  # year → its files' descriptions
        # (unmasked bytes, published bytes) of every download made before, by path: shared with the
        # mappings before and after this one (an entry is used only while its unmasked bytes are the same object)
        self._published: dict[str, tuple[bytes, bytes]] = earlier._published if earlier is not None else {}

    # --- what is due --------------------------------------------------------------------

    def pending_pages(self) -> set[str]:
        """The pages not rendered yet."""
        return set(self._pages)

    def ready(self) -> dict[str, bytes]:
        """The files made so far, nothing made now."""
        return dict(self._made)

    def is_made(self, path: str) -> bool:
        return path in self._made

    # --- Mapping ------------------------------------------------------------------------

    def __getitem__(self, path: str) -> bytes:
        if path not in self._made:
            self._make(path)
        return self._made[path]

    def __contains__(self, path) -> bool:
        if path in self._made or path in self._pages:
            return True
        self._make(path)
        return path in self._made

    def __iter__(self) -> Iterator[str]:
        self.make_all()
        return iter(self._made)

    def __len__(self) -> int:
        self.make_all()
        return len(self._made)

    def make_all(self) -> None:
        """Every page rendered and every download made (tests compare them with a build)."""
        for url in list(self._pages):
            self._make(url)
        self._make(downloads.PACKAGE)

    # --- making -------------------------------------------------------------------------

    def _make(self, path: str) -> None:
        if path in self._pages:
            self._render(self._pages[path])
        elif path == downloads.PACKAGE:
            self._package()
        else:
            year = downloads.year_of(path)
            if year is not None and path == downloads.year_package_path(year):  # a large site's (_package)
                self._package()
            elif year in self._years:
                self._year(year)

    def _render(self, page: Page) -> None:
        self._needs(page)
        for url, data in self.publication.pages([page]).items():
            self._made[url] = published_bytes(url, data)
        del self._pages[page.url]

    def _needs(self, page: Page) -> None:
        """Make what `page` shows of the downloads: its form's files, or its year's workbook and zip."""
        if isinstance(page.record, FormRecord):
            downloads.form_downloads(page.record, self._memo)
        elif (page.record is None and page.year is not None and page.url == page.year.url
              and page.year.year in self._years):  # the year's page, not the year's page of the catalogue
            self._year(page.year.year)

    def _year(self, year: int) -> None:
        group = self._years.pop(year, None)
        if group is None:
            return
        files, self._resources[year] = downloads.year_downloads(group, self._memo)
        for path, data in files.items():
            earlier = self._published.get(path)
            published = earlier[1] if earlier is not None and earlier[0] is data else published_bytes(path, data)
            self._published[path] = (data, published)
            self._made[path] = published

    def _package(self) -> None:
        if not self._package_due:
            return
        for year in list(self._years):
            self._year(year)
        self._package_due = False
        title = downloads.package_title(self.publication.site.config.name)
        resources = [described for year in sorted(self._resources) for described in self._resources[year]]
        if not resources:
            return
        if not self.publication.site.catalogue_by_year:
            self._made[downloads.PACKAGE] = published_bytes(downloads.PACKAGE, downloads.package(resources, title))
            return
        year_files, sizes = [], {}  # each year's files described in its folder, as build describes them
        for year in sorted(self._resources):
            if self._resources[year]:
                path = downloads.year_package_path(year)
                self._made[path] = published_bytes(path, downloads.year_package(year, self._resources[year], title))
                sizes[year] = len(self._made[path])
                own = {downloads.described_path(p) for p in downloads.year_paths(year)}
                year_files += [d for d in self._resources[year] if d[0] in own]
        self._made[downloads.PACKAGE] = published_bytes(downloads.PACKAGE,
                                                        downloads.years_package(year_files, sizes, title))


__all__ = ["PreviewFiles"]
