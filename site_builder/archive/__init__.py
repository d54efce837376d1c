"""Yearly archives: snapshots of a year's pages that never change once published.

Public surface:

- :func:`freeze` (snapshot.py) archives a year into ``<site>/archives/YEAR/``;
- :func:`verify_archives` (verify.py) checks every archive against its manifest,
  the archive log (log.py: append-only, hash-chained), its supersede chain and its zip;
- :func:`compare_with_copy` (against.py) compares the archives with a copy held elsewhere;
- :func:`check_archives` gives the findings `check` and `build` block on;
- :func:`published` and :func:`live_pages` (publish.py) give what `build`
  copies into ``build/archive/`` and the 历年公开 / 更正记录 pages.

The codes (A6xx) are documented in codes.py, imported by the check stage.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Finding
from .manifest import ARCHIVES_DIR, Manifest
from .publish import ArchiveIndex, index, live_pages
from . import log
from .verify import log_entries, read_archives, verify_archives


def check_archives(site_dir: Path) -> list[Finding]:
    """Every difference between an archive and its manifest: a tampered archive is never published."""
    return verify_archives(Path(site_dir))[1]


def published(site_dir: Path) -> ArchiveIndex:
    """The archives to publish; call after check_archives found nothing (it has
    hashed every file already: here the manifests are only read)."""
    entries = log_entries(Path(site_dir))
    return index(read_archives(Path(site_dir)), entries, log.path_of(Path(site_dir) / ARCHIVES_DIR))


__all__ = ["ARCHIVES_DIR", "ArchiveIndex", "Manifest", "archive_date", "check_archives", "compare_with_copy",
           "freeze", "init_log", "live_pages", "log_entries", "published", "verify_archives", "write_zip"]


def __getattr__(name: str):
    """freeze, write_zip and archive_date render pages: imported only by the commands that archive."""
    if name in ("archive_date", "freeze", "init_log", "write_zip"):
        from . import snapshot

        return getattr(snapshot, name)
    if name == "compare_with_copy":
        from .against import compare_with_copy

        return compare_with_copy
    raise AttributeError(name)
