"""One content file through every stage: the unit of work of a build.

:func:`read_one` loads, models and checks one file and renders its record's
page into the staging folder; what comes out is a :class:`~site_builder.cache.FileEntry`
(the record's summary, its findings, its page) that the next build reuses
while the file is unchanged. Nothing here looks at other content files except
the documents a record embeds, which are read on demand and listed as the
entry's dependencies.

A record's page is rendered before the other files are read, with what every
page shares (:class:`Frame`): the settings, the organisation and the archives.
The lists of other records (``site.years``, ``site.records``,
``page.year.groups``) are not known yet: a template that reads them on a
record's page raises :class:`NeedsWholeSite`, and the build renders that page
again once every file is read (``whole_site``), with the records' summaries.
The same project's forms of other years (``site.other_years``) are not known
either: a project's form is therefore not rendered in this first pass (its
result is ``deferred``), and the build renders its page once every file is
read (site_builder.pipeline.incremental), as it renders again the pages of an
unchanged project that gained, lost or changed a year. Rendering a page then
reads its file again for the record, but keeps the findings and the downloads
of the first reading (``Frame.first_reading``): a form's Excel, CSV and JSON
files are made once per build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..archive import ArchiveIndex
from ..cache import FileEntry, digest, stat_key
from ..downloads import Link, form_files
from ..check import acknowledge_file, check_record
from ..check.notes import public_notes
from ..errors import Finding, SiteError, relative
from ..layouts import Layouts, layouts_for
from ..load import CONTENT_DIR, RECORD_SUFFIXES, SKIPPED_PREFIXES, load_file
from ..model import Site, SiteConfig, YearGroup
from ..model.from_source import record_from_file
from ..model.index_numbers import needs_number
from ..model.forms import FormRecord
from ..model.records import Document, Record
from ..model.site import record_page, record_url, resolve_references, summarize, year_url
from ..model.slugs import address_problem
from ..render import PageRenderer, Theme
from ..write import put_file, text_bytes
from ..write.search_index import indexed_digest
from .stages import stage


class NeedsWholeSite(Exception):
    """A record's page read the list of other records, not known while files are read one by one."""


class _NotYetKnown:
    """Stands for the records of the site or of a year while files are read one by one."""

    def _unknown(self, *args):
        raise NeedsWholeSite

    __iter__ = __len__ = __bool__ = __getitem__ = __contains__ = _unknown


NOT_YET_KNOWN = _NotYetKnown()


@dataclass
class Frame:
    """What every record's page shares, set once before the files are read."""

    site_dir: Path
    config: SiteConfig
    organization: Document | None
    theme: Theme
    archives: ArchiveIndex
    staging: Path  # where pages are written
    whole_site: Site | None = None  # every record's summary: for pages that list other records
    compiled: Path | None = None  # where compiled templates are kept between builds
    index_numbers: dict = field(default_factory=dict)  # record id → 索引号 given out (model.index_numbers)
    first_reading: dict = field(default_factory=dict)  # name → its Result of this build's first pass (see read_one)
    _renderer: PageRenderer | None = field(default=None, repr=False)
    _documents: dict = field(default_factory=dict, repr=False)  # embedded documents read so far
    _layouts: Layouts | None = field(default=None, repr=False)

    def layouts(self) -> Layouts:
        """The site's form layouts, read once per build."""
        if self._layouts is None:
            self._layouts = layouts_for(self.site_dir)
        return self._layouts

    def renderer(self) -> PageRenderer:
        if self._renderer is None:
            self._renderer = PageRenderer(self.theme, context={"archives": self.archives}, compiled=self.compiled)
        return self._renderer

    def site(self) -> Site:
        if self.whole_site is not None:
            return self.whole_site
        return Site(self.config, NOT_YET_KNOWN, NOT_YET_KNOWN, self.organization, NOT_YET_KNOWN, series_known=False)

    def year(self, year: int) -> YearGroup:
        if self.whole_site is not None:
            return next(group for group in self.whole_site.years if group.year == year)
        return YearGroup(year, year_url(year), NOT_YET_KNOWN)


@dataclass
class Result:
    """What reading one file gave: its entry and, when it has a page, the page's output path and digest."""

    name: str
    entry: FileEntry
    page_digest: bytes | None = None
    written: bool = False  # it got as far as writing its downloads (its page offers `links`)
    deferred: bool = False  # its page is rendered once every file is read (a form of a project that may recur)

    @property
    def links(self) -> tuple[Link, ...] | None:
        """The links its page shows to its downloads, taken out of its entry where they are kept packed;
        None when it did not get as far as writing them."""
        return tuple(Link(*link) for link in self.entry.links) if self.written else None


def read_one(path: Path, frame: Frame, now: int | None = None) -> Result:
    """Load, model and check the file at `path`, then render its page into `frame.staging`.

    Theme errors raise SiteError (T501–T503); everything wrong with the file is in the entry's findings."""
    name = relative(path, frame.site_dir)
    try:
        stat = stat_key(os.stat(path), now)
        with stage("load"):
            loaded = load_file(path, frame.site_dir)
    except OSError as exc:  # deleted or made unreadable while the build ran: never left out quietly
        return Result(name, FileEntry(None, findings=[Finding(
            code="L108", path=name, message=f"无法读取文件：{exc.strerror or exc}",
            hint="文件在生成过程中被删除、移动或改了权限：请确认文件还在、可以读取，然后重新运行。")]))
    except SiteError as exc:
        return Result(name, FileEntry(stat, findings=exc.findings))
    with stage("model"):
        record, findings = record_from_file(loaded, frame.layouts())
    if record is None:
        return Result(name, FileEntry(stat, findings=findings, content=loaded.source.digest))
    record.url = record_url(record)
    deps: dict[str, bytes | str] = {}
    with stage("model"):
        findings += resolve_references(record, lambda ref: _embedded(ref, frame, deps), loaded.source)
    earlier = frame.first_reading.get(name)
    if earlier is not None and earlier.written and earlier.entry.stat == stat:
        # read again to render its page with the whole site: its findings and downloads are those of the
        # first pass, or of the last build when the file is unchanged (see `unchanged_reading`)
        entry = replace(earlier.entry, whole_site=False)
        record.notes = public_notes(entry.findings)
        return _render(name, record, entry, earlier.links, frame)
    with stage("check"):
        findings += check_record(record, loaded.source, loaded.data, frame.config)
    lines = loaded.source.lines

    def quote(line: int) -> str:
        return lines[line - 1] if 0 < line <= len(lines) else ""

    entry = FileEntry(
        stat, deps=tuple(sorted(deps.items())), summary=summarize(record, loaded),
        findings=acknowledge_file(name, findings, record.acknowledgements, quote, loaded.data),
        content=loaded.source.digest)
    record.notes = public_notes(entry.findings)
    if address_problem(record.url) is not None:
        return Result(name, entry)  # S209 (found across files with S205) stops the build: nothing is written
    if frame.config.index_format is not None and needs_number(record) and record.id not in frame.index_numbers:
        entry.whole_site = True  # a new item: numbered once every file is read, its page rendered then
        return Result(name, entry)
    with stage("downloads"):
        made = form_files(record) if isinstance(record, FormRecord) else None
    if made is None:
        return _render(name, record, entry, (), frame)
    try:
        with stage("write"):
            entry.keep_downloads([(path, digest(put_file(frame.staging, path, content)))
                                  for path, content in made.files.items()])
    except SiteError as exc:  # a download cannot be published (P706): an error of this file
        entry.findings = entry.findings + exc.findings
        return Result(name, entry)
    entry.describe(made.resources)
    entry.offer(made.links)
    return _render(name, record, entry, tuple(made.links), frame)


def _render(name: str, record: Record, entry: FileEntry, links: tuple, frame: Frame) -> Result:
    """The record's page rendered and staged, its downloads (`links`) already written.

    In the first pass a form of a project (``record.series``) is not rendered: its page links to
    the project's other years, known only once every file is read, so the build renders it then,
    once, instead of twice."""
    if frame.whole_site is None and record.series:
        return Result(name, entry, written=True, deferred=True)
    if isinstance(record, FormRecord):
        record.downloads = list(links)
    if frame.config.index_format is not None and needs_number(record):
        record.index_number = frame.index_numbers[record.id]  # known: read_one returned before, were it not
    page = record_page(record, frame.year(record.year) if record.year is not None else None, frame.config.column)
    try:
        with stage("render"):
            text = frame.renderer()(frame.site(), page)
    except NeedsWholeSite:
        entry.whole_site = True
        return Result(name, entry, written=True)
    entry.whole_site = frame.whole_site is not None
    try:
        with stage("write"):
            data = put_file(frame.staging, page.url, text_bytes(text, frame.config.phone_display,
                                                                frame.config.office_phone))
    except SiteError as exc:  # the page cannot be published (P706): an error of this file
        entry.findings = entry.findings + exc.findings
        return Result(name, entry)
    entry.indexed = indexed_digest(data)
    return Result(name, entry, digest(data), written=True)


def unchanged_reading(name: str, entry: FileEntry, damaged: set[str]) -> Result | None:
    """The last build's reading of an unchanged file, as a first reading: its page is rendered again
    (a record it lists, or a year of its project, changed) with the findings and downloads the entry
    keeps. None, and the file is read through, when the entry does not keep the links to its downloads
    or one of them was changed in the output folder (`damaged`): they are made again."""
    if (entry.stat is None or (entry.files and not entry.offers)
            or any(path in damaged for path, _ in entry.downloads)):
        return None
    return Result(name, entry, written=True)


def acknowledged_again(name: str, site_dir: Path, own: list[Finding], across: list[Finding]) -> list[Finding]:
    """A file's findings with those found across files (S205), acknowledged again: the
    file is read again for its record's acknowledgements (this is rare: a clash is an error)."""
    own = [replace(f, acknowledged="") for f in own if f.code != "F399"]
    try:
        loaded = load_file(site_dir / name, site_dir)
    except (SiteError, OSError):
        return own + across
    record = record_from_file(loaded)[0]
    lines = loaded.source.lines
    return acknowledge_file(name, own + across, record.acknowledgements if record else [],
                            lambda line: lines[line - 1] if 0 < line <= len(lines) else "", loaded.data)


def _embedded(ref: str, frame: Frame, deps: dict) -> Record | None:
    """The record of id `ref` (its path under content/ without suffix), read on demand, as
    the whole site would find it: of files with that id, the last in file order."""
    parts = ref.split("/")
    if not ref or any(part in ("", ".", "..") or part.startswith(SKIPPED_PREFIXES) for part in parts):
        return None
    found = None
    for suffix in sorted(RECORD_SUFFIXES):  # file order: .md < .yaml < .yml
        path = frame.site_dir / CONTENT_DIR / (ref + suffix)
        try:
            stat = os.stat(path)
        except OSError:
            deps[relative(path, frame.site_dir)] = "absent"
            continue
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in frame._documents:
            frame._documents[key] = record_at(path, frame.site_dir)
        record, read = frame._documents[key]
        deps[relative(path, frame.site_dir)] = read  # the digest of the bytes its record was read from
        found = record or found
    return found


def record_at(path: Path, site_dir: Path) -> tuple[Record | None, bytes | str]:
    """The record of one file with its page address, or None when it has none (its findings are reported
    with the file's own); and the digest of the bytes it was read from ("unreadable" when it could not be)."""
    try:
        loaded = load_file(path, site_dir)
        record = record_from_file(loaded)[0]
    except (SiteError, OSError):
        return None, "unreadable"
    if record is not None:
        record.url = record_url(record)
    return record, loaded.source.digest


__all__ = ["Frame", "Result", "NeedsWholeSite", "read_one", "record_at", "unchanged_reading", "acknowledged_again", "NOT_YET_KNOWN"]
