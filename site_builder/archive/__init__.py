"""Yearly archives: snapshots of a year's pages that never change once published.

Public surface:

- :func:`freeze` (snapshot.py) archives a year into ``<site>/archives/YEAR/``;
- :func:`verify_archives` (verify.py) checks every archive against its manifest;
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
from .verify import read_archives, verify_archives


def check_archives(site_dir: Path) -> list[Finding]:
    """Every difference between an archive and its manifest: a tampered archive is never published."""
    return verify_archives(Path(site_dir))[1]


def published(site_dir: Path) -> ArchiveIndex:
    """The archives to publish; call after check_archives found nothing (it has
    hashed every file already: here the manifests are only read)."""
    return index(read_archives(Path(site_dir)))


__all__ = ["ARCHIVES_DIR", "ArchiveIndex", "Manifest", "archive_date", "check_archives", "freeze",
           "live_pages", "published", "verify_archives", "write_zip"]


def __getattr__(name: str):
    """freeze, write_zip and archive_date render pages: imported only by the commands that archive."""
    if name in ("archive_date", "freeze", "write_zip"):
        from . import snapshot

        return getattr(snapshot, name)
    raise AttributeError(name)
