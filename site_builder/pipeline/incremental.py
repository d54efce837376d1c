"""`build`: the site written to disk, reading and rendering only what changed.

The build streams: each content file is loaded, modelled, checked and its
page rendered and staged by one worker process (one_file.read_one), and only
its summary and findings are kept. Memory therefore does not grow with the
records' figures, and the files are spread over the cores. Once every file is
read, the checks across files run (S205), the findings decide whether
anything is written, and the pages that list records (home, column, years,
404, archives) are rendered from the summaries.

The cache (site_builder.cache) keeps each file's entry. The next build reads
again only the files whose size or modification time changed (or whose
embedded documents did), and renders again only their pages and the list
pages whose records changed; every page is rendered again when anything all
pages share changed: the generator's code, the theme, content/site.yaml, the
organisation's record or the archives. Output files are compared with what
the last build wrote, so a page edited or deleted by hand is written again.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait as wait_for
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .. import archive, cache, downloads
from ..cache import BuildState, FileEntry
from ..check import in_report_order
from ..check.rules.publication import empty_year_folders
from ..errors import Finding, SiteError
from ..layouts import SITE_LAYOUTS_DIR, layouts_for
from ..load import CONTENT_DIR, LoadedSite, content_listing, load_settings
from ..model import Site
from ..model.records import Document
from ..model.index_numbers import Assignments, assignments_path, read_assignments, write_assignments
from ..model.site import config_from, group_by_year, list_pages, url_clashes, with_index_numbers
from ..privacy import UnmaskableData
from ..render import Theme
from ..write import (Output, asset_bytes, cannot_write, foreign_output, published_bytes, published_earlier, put_file,
                     remove_leftovers, staged_as_output, text_bytes)
from ..write.search_index import (INDEX_DIR, PARTS_FILE, IndexPrograms, parts_file, refused_index, search_index,
                                  parts as index_parts)
from . import memory, stages
from .one_file import Frame, Result, acknowledged_again, read_one, record_at, unchanged_reading

_FILES_PER_WORKER_AT_LEAST = 50  # below this, starting processes costs more than it saves


@dataclass
class Built:
    """What a build did: every finding (acknowledged ones included) and the HTML pages the output holds."""

    findings: list[Finding]
    pages: int
    notices: list[str] = field(default_factory=list)  # advice that is not a finding (printed, never blocking)


def build(site_dir: Path, out_dir: Path, strict: bool = False) -> Built:
    """Check, render and write the site; raise SiteError and leave out_dir as it was on errors.

    Reads and renders only what changed since the last build into `out_dir`."""
    with _few_collections():
        built = _Build(Path(site_dir), Path(out_dir), strict).run()
    stages.save()
    return built


# The folders of a site that a build reads: the output folder is never one of them or inside one (P804).
_SOURCES = (CONTENT_DIR, SITE_LAYOUTS_DIR, archive.ARCHIVES_DIR, cache.CACHE_DIR)


class _Build:
    def __init__(self, site_dir: Path, out_dir: Path, strict: bool):
        self.site_dir, self.out_dir, self.strict = site_dir, out_dir, strict
        self.now = time.time_ns()
        self._organizations: dict[str | None, tuple[Document | None, bytes | str]] = {}
        self._settled: dict[str, FileEntry] = {}  # unchanged files whose size or time changed: their entries, keyed again
        self._before: dict[str, FileEntry] = {}  # the last build's entries
        self._listing: dict[str, tuple | None] = {}  # every content file's stat key
        self._digests: dict[str, bytes | str] = {}  # files' digests taken by this build (_digest_of)
        self._fingerprint: tuple | None = None  # the code's, the archives', the layouts' and the theme's files

    def run(self) -> Built:
        memory.give_back_large_blocks()  # before anything large is allocated, and inherited by the workers
        # taken meanwhile, where the system can (a first build has nothing to compare it with)
        beside = cache.state_saved(self.site_dir, self.out_dir)
        foreign = foreign_output(self.site_dir, self.out_dir, _SOURCES, built_before=beside)
        if foreign is not None:  # before anything is read or written: the folder and the site stay as they are
            raise SiteError([foreign])
        with cache.OutputListing(self.out_dir, beside=beside) as output_listing:
            # the years' workbooks and zips are made by processes forked now, while this one is small: a worker
            # starts as large as this process is (at 100,000 pages, once the cache or the files are read, over a
            # GB), and a year made here stayed in this process's memory (a year of 2,000 forms: some 200 MB)
            year_workers = _Workers(os.cpu_count() or 1, at_least=1)
            try:
                built, state, output = self._run(output_listing, year_workers)
            finally:
                year_workers.close()
        # saved once _run's locals are gone (the site's model, the readings, the staged files' digests):
        # pickling the state takes as much memory again, and at 100,000 pages both were the build's peak
        try:
            if state is not None:
                cache.save_state(self.site_dir, self.out_dir, state)
        finally:
            if output is not None:
                output.finish()  # the old output, removed meanwhile
        return built

    def _run(self, output_listing: cache.OutputListing,
             year_workers: "_Workers") -> tuple[Built, BuildState | None, Output | None]:
        """The build, up to its state to save (None: nothing to save) and its output to finish. `year_workers`:
        the processes for the years' downloads, forked before anything was read."""
        state = cache.load_state(self.site_dir, self.out_dir)
        settings = load_settings(self.site_dir)
        config, config_findings = config_from(settings)
        if config is None:  # nothing can be rendered: report everything, as `check` does
            from . import load_and_check  # the whole-site checker (this module is imported by it)

            raise SiteError(load_and_check(self.site_dir)[1])
        theme = Theme.for_site(self.site_dir, config.theme_dir)
        # before anything in the archives, the layouts or the theme is read (see cache.fingerprint)
        self._fingerprint = cache.fingerprint([self.site_dir / archive.ARCHIVES_DIR, self.site_dir / SITE_LAYOUTS_DIR,
                                               *theme.folders], self.now)
        same_files = (state is not None and state.key is not None
                      and cache.same_fingerprint(state.key[0], self._fingerprint))
        content = content_listing(self.site_dir)
        site_findings = (settings.findings + config_findings + content.findings
                         + archive.check_archives(self.site_dir) + layouts_for(self.site_dir).findings)
        assignments = Assignments()
        if config.index_format is not None:  # the 索引号 given out so far (model.index_numbers)
            assignments, number_findings = read_assignments(self.site_dir)
            site_findings += number_findings
        listing = {f"{CONTENT_DIR}/{name}": cache.stat_key(stat, self.now)
                   for name, stat in content.files}  # path relative to the site → stat key
        self._listing, self._before = listing, state.entries if state is not None else {}
        organization_path = self._organization_guess(state, listing)
        key = self._key(theme, organization_path, settings)
        in_place = state is not None and self.out_dir.is_dir()
        old_entries = state.entries if in_place else {}
        # the files of the output folder compared with the last build's record: those changed or gone, and
        # how many it did not write (the listing is dropped: at 100,000 pages it names 900,000 files)
        damaged, foreign = (output_listing.take().changed(state.outputs if in_place else {})
                            if state is not None else (set(), 0))
        everything = not in_place or key is None or not same_files or state.key[1:] != key[1:]
        dirty = [name for name in listing if everything or self._changed(name, old_entries.get(name), listing, damaged)]
        removed = set(old_entries) - set(listing)
        if everything and state is not None:
            # every file is read again and nothing of the last build's entries is reused (what they would
            # tell, which records changed, is all of them): dropped now, not held beside the new ones until
            # the state is saved. The first build after an upgrade or a change to the theme or site.yaml:
            # 10,000 pages, 191 → 149 MB (a cold build: 136)
            old_entries, self._before = {}, {}
            state = replace(state, entries={}, saved={})
        if self._settled:
            old_entries = {**old_entries, **self._settled}
        # and the output folder holds the files recorded, and no other
        if not everything and not dirty and not removed and not damaged and not foreign:
            findings = self._findings(site_findings, old_entries, listing)
            self._raise_if_blocking(findings)
            remove_leftovers(self.out_dir)  # of a build killed before its swap
            # a no-op rebuild: nothing read, nothing written; the files whose bytes did not change keep
            # their entries with their new keys, so that the next build does not compare their bytes again
            return (Built(findings, _pages(state.outputs), _notices(config)),
                    replace(state, entries=old_entries) if self._settled else None, None)
        output = Output(self.out_dir, in_place)
        search = None  # the parts of the search index made again, each as soon as its pages are final
        index = None  # those parts, all started (made alongside the years' downloads and the list pages)
        programs = IndexPrograms(output.staging)  # Pagefind's, for the parts of the search index made again
        try:
            if not everything:  # a rebuild: the program that remakes the changed pages' part loads meanwhile
                programs.start()
            frame = Frame(self.site_dir, config, self._organization(organization_path), theme,
                          archive.published(self.site_dir), output.staging,
                          compiled=self.site_dir / cache.CACHE_DIR / "templates", index_numbers=assignments.numbers)
            results = self._read(dirty, listing, frame)
            entries = {name: results[name].entry if name in results else old_entries[name] for name in listing}
            actual = next((name for name, entry in entries.items()
                           if entry.summary is not None and entry.summary.kind == "organization"), None)
            if actual != organization_path:  # the organisation moved: every page shows it
                organization_path, frame.organization = actual, self._organization(actual)
                key = self._key(theme, organization_path, settings)
                everything = True
                results = self._read(list(listing), listing, frame)
                entries = {name: results[name].entry for name in listing}
            findings = self._findings(site_findings, entries, listing)
            self._raise_if_blocking(findings)

            summaries = [entry.summary for entry in entries.values() if entry.summary is not None]
            if config.index_format is not None:  # new items get their numbers now that every file is read
                assignments = assignments.assign(config.index_format, summaries)
                frame.index_numbers = assignments.numbers
            site = _site_of(config, summaries, frame.organization, frame.index_numbers)
            old_summaries = {name: entry.summary for name, entry in old_entries.items()}
            changed = {name for name in set(listing) | removed
                       if old_summaries.get(name) != (entries[name].summary if name in entries else None)}
            whole_site = [name for name, entry in entries.items() if entry.whole_site and (
                everything or changed or name in results)]
            listed = set(whole_site)
            recurring = [name for name in _series_pages(entries, old_summaries, changed, results)
                         if name not in listed]
            flags = {name: entries[name].whole_site for name in recurring}
            again = whole_site + recurring
            # the last build's record, made this build's in place (_Staged.recorded); each of its paths is the
            # interpreter's one copy of that text, found again by the paths unpacked from the entries (_Staged)
            outputs = _with_paths_interned(state.outputs) if in_place else {}
            staged = _Staged(output, outputs, damaged)
            read_again = set(again)
            for name, result in results.items():  # the first reading's pages are final, but for those read again
                if name not in read_again:
                    staged.result(result)
            search = _ChangedParts(output, staged, self.out_dir, entries, old_entries, outputs, damaged, everything,
                                   again, programs)
            if again:  # pages that list other records: rendered now that all are read
                frame.whole_site = site
                # the findings and downloads of this build's reading, else (not read) of the last build's
                frame.first_reading = {
                    name: reading for name in again
                    if (reading := results.get(name) or unchanged_reading(name, entries[name], damaged))}
                results = self._read(again, listing, frame, lambda result: (staged.result(result),
                                                                             search.rendered(result)))
                frame.first_reading = {}
                entries.update({name: results[name].entry for name in again})
                for name, flag in flags.items():  # a project's other years do not make its page list the whole site
                    entries[name].whole_site = flag
            results = None  # what the build keeps of the readings is in the entries (100,000 pages: 40 MB more)
            memory.give_back_free_heap()  # what the workers' results were unpacked in: before the years' files
            changed_years = {summary.year for name in changed
                             for summary in (old_summaries.get(name), entries[name].summary if name in entries else None)
                             if summary is not None}
            with stages.stage("index"):  # Pagefind makes the parts meanwhile (its time is counted when they are taken)
                index = search.all_started(entries)
            made_downloads, rebuilt_years = self._year_downloads(site, entries, staged, outputs, output,
                                                                 everything, changed_years, damaged, year_workers)
            year_workers.close()
            listing_pages = list_pages(site) + archive.live_pages(site, frame.archives)
            for page in listing_pages:
                if (everything or page.url in damaged or page.url not in outputs
                        or (page.year is not None and page.year.year in rebuilt_years)
                        or (changed and (page.year is None or page.year.year in changed_years))):
                    with stages.stage("render"):
                        text = frame.renderer()(site, page)
                    staged.put(page.url, text_bytes(text, config.phone_display, config.office_phone))
            assets = theme.assets()
            for path, source in assets.items():
                staged.put(path, asset_bytes(source, config.phone_display, config.office_phone))
            for path, source in frame.archives.files.items():
                if everything or path in damaged or path not in outputs:
                    staged.copy(path, source)

            others = {page.url for page in listing_pages} | set(assets) | set(frame.archives.files)
            lost = _unpublished(entries, others)
            if lost:
                raise SiteError(lost)
            # grown in place from the downloads' paths: each union made a set of every path again (100,000
            # pages: 900,000)
            expected = made_downloads
            expected.update(entry.page for entry in entries.values() if entry.page is not None)
            expected.update(others)
            with stages.stage("index"):  # the parts Pagefind made alongside the years' downloads and list pages
                index_files = index.result()
            expected |= index_files
            missing = [path for path in expected if path not in staged.digests and path not in outputs]
            if missing:  # pragma: no cover - a page neither rendered nor kept is a bug of ours
                raise RuntimeError(f"pages neither rendered nor kept: {sorted(missing)[:5]}")
            with stages.stage("write"):
                output.commit(staged.digests.keys(), expected)
        except BaseException as exc:
            if search is not None:
                search.wait()
            programs.close()
            year_workers.close()
            output.discard(keep_previous=isinstance(exc, SiteError))
            if isinstance(exc, OSError) and self._in_output(exc.filename):  # a full disk, no permission: P802
                raise SiteError(cannot_write(exc, self.out_dir)) from None
            raise
        try:
            memory.give_back_free_heap()  # recording the output is a large build's peak
            outputs = staged.recorded(self.out_dir, expected)
            if config.index_format is not None and write_assignments(self.site_dir, assignments):
                key = self._key(theme, organization_path, settings)  # the file every page's 索引号 comes from
        except BaseException:
            output.finish()
            raise
        return (Built(in_report_order(findings + output.warnings), _pages(outputs), _notices(config)),
                BuildState(key, entries, outputs, organization_path, site_findings,
                           saved=state.saved if state is not None else {}), output)

    # --- the steps ------------------------------------------------------------------------

    def _in_output(self, path) -> bool:
        """Whether `path` (of an error) is in the output folder or in the staging folder beside it."""
        if not path:
            return False
        output = os.path.realpath(self.out_dir)
        where = os.path.realpath(staged_as_output(os.fsdecode(path)))
        return where == output or where.startswith(output + os.sep)

    def _year_downloads(self, site: Site, entries: dict[str, FileEntry], staged: "_Staged", outputs: dict,
                        output: Output, everything: bool, changed_years: set, damaged: set[str],
                        workers: "_Workers") -> tuple[set[str], set]:
        """Each year's workbook and zip, made again by `workers` where one of its forms' files changed, and
        downloads/datapackage.json; returns every download path and the years made again."""
        with stages.stage("downloads"):
            jobs, paths, rebuilt, year_sizes = self._year_jobs(site, entries, staged, outputs, output, everything,
                                                               changed_years, damaged)
        found, made = [], {}  # made: path → size of each year file staged
        for findings, files in _unwrap_all(workers.map(_year_files, jobs)):
            found += findings
            for path, known, size in files:
                staged.page(path, known)
                made[path] = size
        if found:  # changed in the output folder (P803), cannot be published (P706)
            raise SiteError(found)
        with stages.stage("downloads"):
            years = []
            for group, sizes in year_sizes:
                sizes.update({path: made[path] for path in downloads.year_paths(group.year) if path in made})
                group.downloads, year_resources = downloads.year_links(group.year, sizes)
                years += year_resources
            if paths:
                title = downloads.package_title(site.config.name)
                if site.catalogue_by_year:
                    remake = True if everything else set(rebuilt) | changed_years
                    paths |= self._year_packages(entries, years, staged, outputs, damaged, title, remake)
                else:
                    self._package(entries, years, staged, title)
                paths.add(downloads.PACKAGE)
        return paths, rebuilt

    @staticmethod
    def _year_packages(entries: dict[str, FileEntry], years: list[tuple[str, bytes]], staged: "_Staged",
                       outputs: dict, damaged: set[str], title: str, remake: "set | bool") -> set[str]:
        """A large site's descriptions of its downloads (downloads.year_package): each year's package, made
        again for the years in `remake` (True: every year) and where the output folder's is missing or was
        changed, and datapackage.json describing the years' workbooks, zips and packages. Returns the
        packages' paths. A year kept is not read: a change costs its year, not the site."""
        by_year: dict[int, list] = {}
        for path, text in years:
            by_year.setdefault(int(path.split("/", 1)[0]), []).append((path, text))
        wanted = {year for year in by_year
                  if remake is True or year in remake or downloads.year_package_path(year) in damaged
                  or downloads.year_package_path(year) not in outputs}
        own: dict[int, list[FileEntry]] = {year: [] for year in wanted}  # the entries whose downloads it describes
        for entry in entries.values():  # a form's downloads are under its record's year (downloads.form_files)
            year = entry.summary.year if entry.resources and entry.summary is not None else None
            if year in own:
                own[year].append(entry)
        sizes = {}
        for year in sorted(by_year):
            path = downloads.year_package_path(year)
            if year in wanted:  # its entries' descriptions taken out only now: one year's at a time in memory
                described = [resource for entry in own.pop(year) for resource in entry.descriptions]
                data = downloads.year_package(year, described + by_year[year], title)
                staged.put(path, data)
                sizes[year] = len(data)
            else:
                sizes[year] = cache.recorded_size(outputs[path])
        staged.put(downloads.PACKAGE, downloads.years_package(years, sizes, title))
        return {downloads.year_package_path(year) for year in by_year}

    @staticmethod
    def _package(entries: dict[str, FileEntry], years: list[tuple[str, bytes]], staged: "_Staged", title: str) -> None:
        """downloads/datapackage.json, written as it is joined: each file's descriptions are taken out of
        its entry (compressed) only when their turn comes (downloads.in_path_order). Held whole, they were
        the largest part of a large build's peak memory (100,000 pages: 600,000 descriptions, held three
        times over: read, joined, and the joined bytes copied)."""
        sources = [(min((downloads.described_path(path) for path, _ in entry.downloads), default=""),
                    lambda entry=entry: entry.descriptions) for entry in entries.values() if entry.resources]
        sources += [(path, lambda own=[(path, text)]: own) for path, text in years]
        try:
            staged.put_joined(downloads.PACKAGE, downloads.package_pieces(downloads.in_path_order(sources), title))
        except (UnmaskableData, ValueError):  # cannot be written in pieces: joined in memory, masked whole if need be
            resources = [resource for entry in entries.values() for resource in entry.descriptions] + years
            staged.put(downloads.PACKAGE, downloads.package(resources, title))

    def _year_jobs(self, site: Site, entries: dict[str, FileEntry], staged: "_Staged", outputs: dict,
                   output: Output, everything: bool, changed_years: set, damaged: set[str]) -> tuple:
        """(the years to make again as _year_files's jobs, every download path, those years, each
        year group with the sizes of its files kept in the output folder)."""
        by_path = {entry.summary.path: entry for entry in entries.values() if entry.summary is not None}
        paths, unpacked = set(), set()  # each entry's downloads are unpacked once (FileEntry.downloads)
        rebuilt, jobs, year_sizes = set(), [], []
        for group in site.years:
            forms = [by_path[r.path] for r in group.records if r.path in by_path and by_path[r.path].files]
            if not forms:
                continue
            made = [(entry, entry.downloads) for entry in forms]
            own = [download for _, each in made for download in each]
            unpacked.update(map(id, forms))
            paths.update(sys.intern(path) for path, _ in own)
            year_own = downloads.year_paths(group.year)
            sizes = {path: cache.recorded_size(outputs[path]) for path in year_own if path in outputs}
            if (everything or group.year in changed_years or any(path in staged.digests for path, _ in own)
                    or any(path not in outputs or path in damaged for path in year_own)):
                # each form's files as its entry keeps them, packed, and which of them this build staged (else
                # the output folder holds them): unpacked here, a large site's jobs held every file's path
                # and digest a second time until the last year was made (100,000 pages: 700,000 files)
                jobs.append((group.year, output.staging, self.out_dir,
                             [(entry.files, bytes(path in staged.digests for path, _ in each)) for entry, each in made]))
                rebuilt.add(group.year)
            year_sizes.append((group, sizes))
            paths.update(year_own)
        paths.update(sys.intern(path) for entry in entries.values() if entry.files and id(entry) not in unpacked
                     for path, _ in entry.downloads)
        return jobs, paths, rebuilt, year_sizes

    def _changed(self, name: str, entry: FileEntry | None, listing: dict, damaged: set[str]) -> bool:
        """Whether a content file must be read again: new, modified, its page or one of its downloads changed
        or gone in the output folder, or an embedded document changed. A file whose size or time changed
        (or cannot be trusted yet) but whose bytes are those its entry was read from keeps its entry, with
        its key taken again (`_settled`)."""
        stat = listing[name]
        if entry is None or entry.page in damaged:
            return True
        if damaged and any(path in damaged for path, _ in entry.downloads):
            return True
        if any(self._digest_of(dependency) != read for dependency, read in entry.deps):
            return True
        if stat is None or entry.stat != stat:
            if not entry.content or self._digest_of(name) != entry.content:
                return True
            self._settled[name] = replace(entry, stat=stat)
        return False

    def _read(self, names: list[str], listing: dict, frame: Frame, rendered=None) -> dict[str, Result]:
        """Read, check and render `names`, spread over the cores when there are many; `rendered(result)`,
        when given, is called with each result as it comes."""
        paths = [self.site_dir / name for name in names]
        workers = min(os.cpu_count() or 1, len(paths) // _FILES_PER_WORKER_AT_LEAST)
        size = max(1, len(paths) // (max(workers, 1) * 8))
        chunks = [paths[start:start + size] for start in range(0, len(paths), size)]
        global _FORKED
        _FORKED = (frame, self.now, os.getpid())  # inherited by the forked workers: nothing is pickled but paths
        try:
            results = []
            for chunk in _in_workers(_read_forked, chunks, workers):
                for result in _unwrap(chunk, frame):
                    results.append(result)
                    if rendered is not None:
                        rendered(result)
        finally:
            _FORKED = None
        return {result.name: result for result in results}

    def _organization(self, path: str | None) -> Document | None:
        return self._organization_read(path)[0]

    def _organization_read(self, path: str | None) -> tuple[Document | None, bytes | str]:
        """The organisation's record in `path` and the digest of the bytes it was read from: the guess, the
        frame and the key share one reading."""
        if path not in self._organizations:
            record, read = record_at(self.site_dir / path, self.site_dir) if path is not None else (None, "absent")
            self._organizations[path] = (
                record if isinstance(record, Document) and record.kind == "organization" else None, read)
        return self._organizations[path]

    def _organization_guess(self, state: BuildState | None, listing: dict) -> str | None:
        """The organisation's file as the last build found it; on a first build, the first
        such file at the top of content/ (where it is kept). The build checks the guess."""
        if state is not None and state.organization in listing:
            return state.organization
        for name in listing:
            if name.count("/") == 1 and name.endswith(".md") and self._organization(name) is not None:
                return name
        return None

    def _key(self, theme: Theme, organization: str | None, settings: LoadedSite) -> tuple | None:
        """Everything every page depends on; None when the generator's code was modified just now. The
        settings and the organisation's record count by the bytes this build read them from; the archives',
        layouts' and theme's files by size and time, or by their bytes where too recent (cache.fingerprint)."""
        if self._fingerprint is None:
            return None
        if organization in self._organizations:  # read already (a first build's guess): as it was read
            read = self._organizations[organization][1]
        else:  # read after this, for the pages: were it saved in between, the next build finds other bytes
            read = self._digest_of(organization) if organization is not None else "absent"
        return (self._fingerprint, settings.config.source.digest if settings.config is not None else "absent",
                cache.file_digest(assignments_path(self.site_dir)), read,
                organization, tuple(str(folder) for folder in theme.folders))

    def _digest_of(self, name: str) -> bytes | str:
        """The digest of a content file's bytes (`name` relative to the site): its entry's, when the file's
        size and time are those the last build read it with (and could trust), else read now."""
        if name not in self._digests:
            entry, stat = self._before.get(name), self._listing.get(name)
            if entry is not None and entry.content and stat is not None and entry.stat == stat:
                self._digests[name] = entry.content
            else:
                self._digests[name] = cache.file_digest(self.site_dir / name)
        return self._digests[name]

    def _findings(self, site_findings: list[Finding], entries: dict[str, FileEntry], listing: dict) -> list[Finding]:
        """Every finding: the settings', the archives' and each file's, with the checks across files."""
        findings = list(site_findings)
        findings += empty_year_folders(self.site_dir, listing)
        clashes: dict[str, list[Finding]] = {}
        for finding in url_clashes([entries[name].summary for name in listing if entries[name].summary is not None]):
            clashes.setdefault(finding.path, []).append(finding)
        for name, entry in entries.items():
            if name in clashes:
                findings += acknowledged_again(name, self.site_dir, entry.findings, clashes[name])
            else:
                findings += entry.findings
        return in_report_order(findings)

    def _raise_if_blocking(self, findings: list[Finding]) -> None:
        if any(f.is_error or (self.strict and not f.acknowledged) for f in findings):
            raise SiteError(findings)


def _unpublished(entries: dict[str, FileEntry], others: set[str]) -> list[Finding]:
    """S210 for every content file that would not get a page of its own although nothing
    reported it: the last check that the build publishes as many records as content/ holds."""
    findings = []
    owners: dict[str, str] = {}
    for name, entry in entries.items():
        page = entry.page
        if page is None:
            if not any(finding.is_error for finding in entry.findings):
                findings.append(_lost(name, "这份记录没有生成网页", _UNEXPLAINED))
        elif page in others:
            findings.append(_lost(name, f"这份记录的网页 {page} 会被网站的其他网页或文件覆盖", _RENAME))
        elif owners.setdefault(page, name) != name:
            findings.append(_lost(name, f"这份记录的网页 {page} 与 {owners[page]} 的网页相同，会互相覆盖", _RENAME))
    if findings:
        published = len(owners)
        findings.append(Finding(
            code="S210", path=CONTENT_DIR,
            message=f"content/ 中有 {len(entries)} 份记录，只能生成 {published} 个记录网页，网站没有生成",
            hint="请按上面列出的文件逐一改正，然后重新运行。"))
    return findings


_RENAME = "请给这份记录另写一个 slug（网页文件名），例如在后面加上 -2。"
_UNEXPLAINED = "请重新运行；如果仍然这样，请加上 --debug 重新运行，把输出发给网站维护人员。"


def _lost(name: str, message: str, hint: str) -> Finding:
    return Finding(code="S210", path=name, message=message + "，网站没有生成", hint=hint)


class _IndexParts:
    """The parts of the search index being made (each by a Pagefind program, in a thread)."""

    def __init__(self, made: list[Future], programs: IndexPrograms, staged: "_Staged", kept: set[str], parts: bytes):
        self.made, self.programs, self.staged, self.kept, self.parts = made, programs, staged, kept, parts

    def result(self) -> set[str]:
        """Every file of the index, the parts made now staged (the programs ended, their folders gone)."""
        files = set(self.kept)
        try:
            for future in self.made:
                for path, known in future.result().items():
                    self.staged.record(path, known)
                    files.add(path)
        finally:
            self.wait()
        self.staged.put(PARTS_FILE, self.parts)
        return files | {PARTS_FILE}

    def wait(self) -> None:
        """Wait for the parts and end the programs (also when the build failed: the staging folder they
        work in is removed next)."""
        wait_for(self.made)
        self.programs.close()


class _ChangedParts:
    """The parts of the search index a build makes (again): each started as soon as the last of its pages
    is final, during the second reading (the forms of recurring projects and the pages listing others),
    instead of once every page is read again. A whole build makes every part, and Pagefind no longer
    worked alone at its end; a rebuild makes the parts whose pages changed where the index reads them,
    and a changed form's part no longer waits for its project's other years (fifty pages, whose changed
    links to it the index does not read). Parts none of whose pages is read again are started with the
    second reading's first result, once its workers are forked (a process is not forked while threads
    of it talk to Pagefind), or when every part is (`all_started`)."""

    def __init__(self, output: Output, staged: "_Staged", out_dir: Path, entries: dict[str, FileEntry],
                 old_entries: dict[str, FileEntry], outputs: dict, damaged: set[str], everything: bool,
                 again: list[str], programs: IndexPrograms):
        self.parts = index_parts(_item_pages(entries))
        self._before = index_parts(_item_pages(old_entries))
        self._staging, self._staged, self._out_dir = output.staging, staged, out_dir
        self._damaged, self._everything = damaged, everything
        self._old_index: dict[str, set[str]] = {}  # part → its files in the output folder
        for path in outputs:
            if path.startswith(INDEX_DIR + "/"):
                part, slash, _ = path[len(INDEX_DIR) + 1:].partition("/")
                if slash:
                    self._old_index.setdefault(part, set()).add(path)
        self._read_before = {entry.page: entry.indexed for entry in old_entries.values() if entry.page is not None}
        self._read_now = {entry.page: entry.indexed for entry in entries.values() if entry.page is not None}
        self._part_of = {path: part for part, paths in self.parts.items() for path in paths}
        waiting = {entries[name].page for name in again}
        self._waiting = {part: sum(1 for path in paths if path in waiting) for part, paths in self.parts.items()}
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, len(self.parts))))
        self._index = _IndexParts([], programs, staged, set(), b"")  # its parts as started
        self._decided: set[str] = set()
        self._begun = False

    def rendered(self, result: Result) -> None:
        """One page of the second reading rendered (staged by the worker that rendered it, and recorded
        by the build: _Staged.result)."""
        if result.entry.page is not None:
            self._read_now[result.entry.page] = result.entry.indexed
        if not self._begun:
            self._begun = True
            for part, waiting in self._waiting.items():
                if not waiting:
                    self._decide(part)
        part = self._part_of.get(result.entry.page)
        if part is not None and part not in self._decided:
            self._waiting[part] -= 1
            if self._waiting[part] <= 0:
                self._decide(part)

    def _decide(self, part: str) -> None:
        """Start making `part` when one of its pages changed where the index reads it, or it is new or
        damaged; else keep its files."""
        self._decided.add(part)
        paths, own = self.parts[part], self._old_index.get(part, set())
        staged, read_now = self._staged.digests, self._read_now
        if not (self._everything or not own or own & self._damaged or self._before.get(part) != paths
                or any(path in staged and (not read_now[path] or read_now[path] != self._read_before.get(path))
                       for path in paths)):  # a page changed only where the index does not read it
            self._index.kept |= own  # no page it holds changed: this part stays as it is
            return
        # a page this build staged, else the one in place (the staging folder may hold an older one:
        # write.Output.reused)
        pages = {path: self._staging / path if path in staged else self._out_dir / path for path in paths}
        self._index.made.append(self._pool.submit(_index_part, pages, self._staged, self._index.programs,
                                                  self._out_dir, part))

    def all_started(self, entries: dict[str, FileEntry]) -> _IndexParts:
        """The parts, every one decided now (what it gives stages them once made and ends the programs)."""
        now = index_parts(_item_pages(entries))
        if now != self.parts:  # pragma: no cover - the pages of the index do not change in the second reading
            raise RuntimeError("the search index's parts changed during the second reading")
        for part in self.parts:
            if part not in self._decided:
                self._decide(part)
        self._pool.shutdown(wait=False)
        self._index.parts = parts_file(now)
        # what deciding took, a few entries per page, is not held while the parts are made
        self._read_before = self._read_now = self._part_of = self._waiting = self._before = None
        return self._index

    def wait(self) -> None:
        """Wait for the parts started and end the programs (the build failed)."""
        self._pool.shutdown(wait=True)
        self._index.wait()


def _index_part(pages: dict[str, Path], staged: "_Staged", programs: IndexPrograms, out_dir: Path,
                part: str) -> dict[str, bytes | None]:
    """One part of the search index made and staged (in a thread: see _Staged.write), as soon as it is
    made: held until every part is done, a large site's index (megabytes a year) stayed in memory."""
    try:
        return {path: staged.write(path, data) for path, data in search_index(pages, programs, out_dir, part).items()}
    except SiteError as exc:  # a number the index joined (P706): the pages holding it named
        raise refused_index(exc, pages) from None


class _Staged:
    """The files a build puts in the output folder, each with its digest (b"" for copies).

    A file whose bytes the output folder already holds, untouched since the last
    build wrote it, is not staged: the rebuild leaves it alone."""

    def __init__(self, output: Output, outputs: dict, damaged: set[str]):
        self.output, self.outputs, self.damaged = output, outputs, damaged
        self.digests: dict[str, bytes] = {}

    def _needed(self, path: str, known: bytes) -> bool:
        recorded = self.outputs.get(path)
        return recorded is None or cache.recorded_digest(recorded) != known or path in self.damaged

    def page(self, path: str, known: bytes) -> None:
        """A file a worker has staged already: a record's page or download, or a year's workbook or zip."""
        if self._needed(path, known):
            self.digests[sys.intern(path)] = known  # the paths every download path is unpacked to again

    def result(self, result: Result) -> None:
        """The page and the downloads a worker has staged in reading a file."""
        if result.page_digest is not None:
            self.page(result.entry.page, result.page_digest)
        for path, known in result.entry.downloads:
            self.page(path, known)

    def put(self, path: str, data: bytes) -> None:
        self.record(path, self.write(path, data))

    def put_joined(self, path: str, pieces) -> None:
        """Stage a file joined from pieces masked where they were made (write.put_joined), unless the
        output folder holds these bytes already."""
        known = self.output.put_joined(path, pieces)
        if self._needed(path, known):
            self.digests[path] = known
        else:
            self.output.unstage(path)

    def write(self, path: str, data: bytes) -> bytes | None:
        """Stage `path` unless the output folder holds these bytes already; returns their digest for
        :meth:`record`, or None. A thread may call it: it leaves `digests` to the build's own thread."""
        data = published_bytes(path, data)  # masked once: Output.put sees the result is masked
        known = cache.digest(data)
        if not self._needed(path, known):
            return None
        self.output.put(path, data)
        return known

    def record(self, path: str, known: bytes | None) -> None:
        """A file :meth:`write` has staged (None: not staged, the output folder's is kept)."""
        if known is not None:
            self.digests[path] = known

    def copy(self, path: str, source: Path) -> None:
        self.output.copy(path, source)
        self.digests[path] = b""

    def recorded(self, out_dir: Path, expected: set[str]) -> dict[str, bytes]:
        """What the output folder now holds: path → size, mtime_ns, digest (cache.output_record), made in
        place of the last build's record, or of `digests` on a first build (every file was staged): at
        100,000 pages the folder holds 900,000 files, and a third dict of them beside these two was the
        build's peak memory. Takes the files out of `digests`; the last build's record becomes this build's."""
        folder = os.fspath(out_dir) + os.sep
        outputs = self.outputs or self.digests
        for path in [path for path in outputs if path not in expected]:
            del outputs[path]
        for path, known in self.digests.items():
            if path in expected:
                stat = os.lstat(folder + path)
                outputs[path] = cache.output_record(stat.st_size, stat.st_mtime_ns, known)
        self.digests = {}
        return outputs


def _with_paths_interned(outputs: dict[str, bytes]) -> dict[str, bytes]:
    """`outputs`, each of its paths made the interpreter's one copy of that text (sys.intern): the paths a
    rebuild unpacks from the entries again (every download's) are then these, not copies of them (at
    100,000 pages, 800,000 copies: some 90 MB)."""
    for path in outputs:
        sys.intern(path)
    return outputs


NO_BASE_URL = ("提示：content/site.yaml 没有配置 base_url（正式发布的网址）。404.html 的样式已写在页面里，"
               "在任何路径下都正常显示；但页面中的链接只在服务器把 404.html 放在网站根目录一级时有效。"
               "配置 base_url 后，链接使用完整网址，在任何路径下都有效。")


def _notices(config) -> list[str]:
    return [] if config.base_url else [NO_BASE_URL]


def _series_pages(entries: dict[str, FileEntry], old_summaries: dict, changed: set[str], results: dict) -> list[str]:
    """The forms whose links to the same project's other years must be rendered (again):
    those read just now, rendered before the other years were known, whose project
    recurs, or not rendered yet (one_file: a project's form waits for its other years);
    and those not read whose project gained, lost or changed a year."""
    members: dict[str, int] = {}
    for entry in entries.values():
        if entry.summary is not None and entry.summary.series:
            members[entry.summary.series] = members.get(entry.summary.series, 0) + 1
    affected = {summary.series for name in changed
                for summary in (old_summaries.get(name), entries[name].summary if name in entries else None)
                if summary is not None and summary.series}
    pages = []
    for name, entry in entries.items():
        series = entry.summary.series if entry.summary is not None else ""
        if series and ((name in results and (members[series] > 1 or results[name].deferred))
                       or (name not in results and series in affected)):
            pages.append(name)
    return pages


def _site_of(config, summaries: list, organization: Document | None, index_numbers: dict[str, str]) -> Site:
    """The site as the pages listing records see it: every record by its summary, with its 索引号."""
    summaries = with_index_numbers(summaries, index_numbers)
    records = [s for s in summaries if s.kind != "organization"]
    return Site(config, summaries, group_by_year(records), organization)


def _item_pages(entries: dict[str, FileEntry]) -> dict[str, int]:
    """The pages the search index holds, each item's (a record of a year), with its year."""
    return {entry.page: entry.summary.year for entry in entries.values()
            if entry.page is not None and entry.summary.year is not None and entry.summary.kind != "organization"}


def _pages(outputs) -> int:
    return sum(1 for path in outputs if path.endswith(".html"))


_FORKED: tuple | None = None


class _Workers:
    """`workers` processes forked now, when there are `at_least` of them and the system can fork (the
    years' workbooks are written by XlsxWriter, in Python: threads would take turns); else none, and jobs
    run one after the other in this process. A worker starts as large as this process is now."""

    def __init__(self, workers: int, at_least: int = 2):
        self._pool = None
        if workers < at_least or "fork" not in multiprocessing.get_all_start_methods():
            return
        self._pool = multiprocessing.get_context("fork").Pool(workers, initializer=stages.forget)

    def map(self, function, jobs: list) -> Iterator:
        """`function` of each job, in order, as each is done (in this process when there are no workers)."""
        if self._pool is None:
            return map(function, jobs)
        return self._pool.imap(function, jobs, chunksize=1)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def _in_workers(function, jobs: list, workers: int) -> Iterator:
    """`function` of each job, in order, as each is done, in `workers` processes forked for them (_Workers)."""
    # A forked worker shares this process's memory until it writes to it, and the cycle collector
    # writes to every object it scans: frozen, the build's objects are never scanned in the workers,
    # so a worker forked from a large build (100,000 pages: gigabytes) does not copy them all.
    gc.freeze()
    forked = _Workers(workers)
    try:
        yield from forked.map(function, jobs)
    finally:
        forked.close()
        gc.unfreeze()


def _year_files(job: tuple[int, Path, Path, list[tuple[bytes, bytes]]]) -> tuple[list[Finding], list, dict]:
    """A year's workbook and zip (downloads.year_files) from its forms' files (each form's downloads as
    its entry keeps them, with a byte for each: 1 where this build staged it, 0 where the output folder
    holds it), masked as published and staged into the job's staging folder (the first folder) here: at
    100,000 pages a year's zip is tens of megabytes, and handed back whole it was held by the worker, the
    pipe and the build at once. Returns (path, digest, size) of each, with the CPU time taken (see
    _unwrap_all)."""
    year, staging, out_dir, packed = job
    own = [(path, known, staged) for files, flags in packed
           for (path, known), staged in zip(cache.unpacked_downloads(files), flags)]
    with stages.stage("downloads"):
        try:
            members = {path: published_earlier(path, ((staging if staged else out_dir) / path).read_bytes(), known)
                       for path, known, staged in own}  # read once
            forms = [path.removesuffix(".json") for path, _, _ in own if path.endswith(".json")]
            files = downloads.year_files(year, forms, members)
        except SiteError as exc:  # changed in the output folder (P803), cannot be published (P706): reported by the parent
            return exc.findings, [], stages.take()
    with stages.stage("write"):
        made = []
        for path, content in files.items():
            written = put_file(staging, path, content)
            made.append((path, cache.digest(written), len(written)))
    return [], made, stages.take()


def _unwrap_all(made: Iterator[tuple]) -> Iterator[tuple]:
    """What each job gave, its CPU time per stage (last) added to the build's, from a worker or from this
    process (whose times `take` handed over with the job's, and are added back)."""
    for *result, times in made:
        stages.add(times)
        yield tuple(result)


def _read_forked(paths: list[Path]) -> tuple[list[Finding], list[Result], dict[str, float]]:
    frame, now, build = _FORKED
    try:
        results = [read_one(path, frame, now) for path in paths]
    except SiteError as exc:  # a theme error is the user's: raised by the parent, as without workers
        return exc.findings, [], stages.take()
    if os.getpid() != build:  # handed back by a worker: see _as_sent
        results = [_as_sent(result, frame) for result in results]
    return [], results, stages.take()


class _EntryChanges(dict):
    """The fields of a file's entry (name → value) that rendering its page again changed: the build
    holds the rest already, in its first reading (Frame.first_reading)."""


def _as_sent(result: Result, frame: Frame) -> Result:
    """`result` as a worker hands it back. A page rendered again from its first reading carries only
    what rendering changed in the entry (sent whole, every file's summary, links and downloads came
    back a second time, and the build held both copies: at 100,000 pages, gigabytes)."""
    earlier = frame.first_reading.get(result.name)
    if (earlier is None or not result.written or result.entry is earlier.entry
            or result.entry.offers is not earlier.entry.offers):
        return result
    changes = _EntryChanges((f.name, value) for f in fields(FileEntry)
                            if (value := getattr(result.entry, f.name)) is not getattr(earlier.entry, f.name))
    return replace(result, entry=changes)


def _as_received(result: Result, frame: Frame) -> Result:
    """What _as_sent handed back, whole again."""
    if not isinstance(result.entry, _EntryChanges):
        return result
    earlier = frame.first_reading[result.name]
    return replace(result, entry=replace(earlier.entry, **result.entry))


def _unwrap(chunk: tuple[list[Finding], list[Result], dict[str, float]], frame: Frame) -> list[Result]:
    findings, results, times = chunk
    stages.add(times)  # the worker's CPU time per stage (benchmarks/run.py)
    if findings:
        raise SiteError(findings)
    results = [_as_received(result, frame) for result in results]
    for result in results:
        result.entry.intern_texts()
    return results


@contextmanager
def _few_collections():
    """A build makes millions of small objects that live until it ends: with the
    default thresholds Python's cycle collector scans them again and again, which
    doubled the time of loading a large site. Collect rarely while building."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


__all__ = ["build", "Built"]
