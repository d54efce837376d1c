"""Publishing the archives: copied byte for byte into build/archive/, listed on
the live 历年公开 page, corrections on the 更正记录 page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Page, Site
from ..model.site import COLUMN_DIR, Crumb
from .manifest import MANIFEST

PUBLISHED_DIR = "archive"  # build/archive/<folder>/
INDEX_URL = f"{COLUMN_DIR}/linian-gongkai.html"
CORRECTIONS_URL = f"{COLUMN_DIR}/gengzheng-jilu.html"
INDEX_TITLE = "历年公开"
CORRECTIONS_TITLE = "更正记录"


@dataclass(frozen=True)
class Version:
    year: int
    revision: int
    archived_on: str
    url: str  # its index page on the live site, e.g. archive/2023-r1/index.html
    manifest_url: str
    files: int
    current: bool


@dataclass(frozen=True)
class CorrectionEntry:
    year: int
    date: str  # the day the corrected version was archived
    reason: str
    new: Version
    old: Version | None


@dataclass
class ArchivedYear:
    year: int
    current: Version
    earlier: list[Version] = field(default_factory=list)  # newest first
    corrections: list[CorrectionEntry] = field(default_factory=list)


@dataclass
class ArchiveIndex:
    """The `archives` variable of the live site's templates; false when nothing is archived."""

    years: list[ArchivedYear] = field(default_factory=list)  # newest year first
    corrections: list[CorrectionEntry] = field(default_factory=list)  # newest first
    files: dict[str, Path] = field(default_factory=dict)  # output path → archived file
    url: str = INDEX_URL
    corrections_url: str = CORRECTIONS_URL
    log_entries: int = 0  # lines of the archive log
    log_head: str = ""  # SHA-256 of its last line: stands for the whole history
    log_url: str = ""  # the log itself, published beside the archives
    log_head_shown: str = ""  # log_head in groups of eight, as the 历年公开 page prints it

    def __bool__(self) -> bool:
        return bool(self.years)


def index(archives, log_entries=(), log_file: Path | None = None) -> ArchiveIndex:
    """The index of intact archives (verify.Archive with their manifests read) and of the archive log."""
    result = ArchiveIndex()
    if log_entries and log_file is not None:
        head = log_entries[-1].hash
        result.log_entries, result.log_head = len(log_entries), head
        result.log_head_shown = show_head(head)
        result.log_url = f"{PUBLISHED_DIR}/{log_file.name}"
        result.files[result.log_url] = log_file
    versions: dict[str, Version] = {}
    by_year: dict[int, list] = {}
    for archive in archives:
        manifest = archive.manifest
        if manifest is None:
            continue
        base = f"{PUBLISHED_DIR}/{archive.name}"
        versions[archive.name] = Version(
            archive.year, manifest.revision, manifest.archived_on, f"{base}/index.html", f"{base}/{MANIFEST}",
            len(manifest.files), archive.current)
        by_year.setdefault(archive.year, []).append(archive)
        for path in sorted([*manifest.files, MANIFEST]):
            result.files[f"{base}/{path}"] = archive.folder / path
    for year in sorted(by_year, reverse=True):
        entries = by_year[year]
        current = next((versions[a.name] for a in entries if a.current), None)
        if current is None:
            continue
        item = ArchivedYear(year, current, sorted((versions[a.name] for a in entries if not a.current),
                                                  key=lambda v: -v.revision))
        for archive in sorted(entries, key=lambda a: -a.manifest.revision):
            correction = archive.manifest.correction
            if correction is not None:
                item.corrections.append(CorrectionEntry(year, archive.manifest.archived_on, correction.reason,
                                                        versions[archive.name], versions.get(correction.replaces)))
        result.years.append(item)
        result.corrections += item.corrections
    result.corrections.sort(key=lambda c: (c.date, c.year, c.new.revision), reverse=True)
    return result


def show_head(head: str) -> str:
    """The head hash in groups of eight hex digits: easy to read aloud and compare, and never
    eleven digits in a row that masking would take for a mobile number."""
    return " ".join(head[start:start + 8] for start in range(0, len(head), 8))


def live_pages(site: Site, archives: ArchiveIndex) -> list[Page]:
    """历年公开 when a year is archived, 更正记录 when a year was corrected."""
    if not archives:
        return []
    column = site.config.column
    home = Crumb("首页", "index.html")
    column_crumb = Crumb(column, f"{COLUMN_DIR}/index.html")
    pages = [Page(INDEX_URL, "archives.html", f"{column} {INDEX_TITLE}",
                  [home, column_crumb, Crumb(INDEX_TITLE, None)], column_name=column)]
    if archives.corrections:
        pages.append(Page(CORRECTIONS_URL, "corrections.html", f"{column} {CORRECTIONS_TITLE}",
                          [home, column_crumb, Crumb(INDEX_TITLE, INDEX_URL), Crumb(CORRECTIONS_TITLE, None)],
                          column_name=column))
    return pages
