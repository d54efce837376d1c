"""The stages in order: load → check → model → render → write.

Commands call :func:`load_and_check` and :func:`build` instead of wiring the
stages themselves. The serve command keeps the site in memory and rebuilds it
piece by piece with :func:`check_loaded` and :func:`publish`.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import archive, cache, check
from .errors import Finding, SiteError
from .load import CONTENT_DIR, LoadedSite, load_site
from .model import Page, Site, build_model
from .render import Theme, render_pages
from .write import asset_bytes, mask_personal_data, write_site


def load_and_check(site_dir: Path) -> tuple[Site | None, list[Finding]]:
    """Every finding about the site, from unreadable files to sums that do not add up."""
    return check_loaded(load_site(Path(site_dir)))


@dataclass
class Memo:
    """What a long-running caller (serve) keeps between runs: records and rule
    findings of files whose text has not changed are reused, not made again."""

    records: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)


def check_loaded(loaded: LoadedSite, memo: Memo | None = None) -> tuple[Site | None, list[Finding]]:
    """:func:`load_and_check` for files already loaded (serve reloads only the files that changed)."""
    site, model_findings = build_model(loaded, memo.records if memo else None)
    findings = loaded.findings + model_findings
    if site is not None:
        findings += check.run(site, loaded, memo.findings if memo else None)
    findings += archive.check_archives(loaded.site_dir)  # a tampered archive is never published
    return site, check.acknowledge(findings, site, loaded)


def build(site_dir: Path, out_dir: Path, strict: bool = False) -> list[Finding]:
    """Check, render and write the site; raise SiteError and leave out_dir as it was on errors.

    When nothing the build reads has changed since the last build into `out_dir`
    and `out_dir` is as that build left it, nothing is done (see site_builder.cache).
    """
    site_dir, out_dir = Path(site_dir), Path(out_dir)
    with _few_collections():
        previous = cache.previous_build(site_dir, out_dir)
        # A custom theme folder is named in content/site.yaml, itself an input: the last build's is used.
        folders = previous.theme_folders if previous else Theme.for_site(site_dir).folders
        inputs = _inputs(site_dir, out_dir, folders, strict)
        if cache.is_noop(previous, inputs, out_dir):
            return previous.findings
        site, findings = load_and_check(site_dir)
        blocking = [f for f in findings if f.is_error or (strict and not f.acknowledged)]
        if blocking or site is None:
            raise SiteError(findings)
        publication = publish(site_dir, site)
        files = {**publication.assets(), **publication.pages(workers=os.cpu_count() or 1)}
        write_site(out_dir, files, verbatim=publication.archives.files,
                   unchanged=cache.unchanged_outputs(previous, out_dir, files))
        if publication.theme.folders != folders:
            folders = publication.theme.folders
            inputs = _inputs(site_dir, out_dir, folders, strict)
        cache.save_build(site_dir, out_dir, inputs, findings, files, folders)
        return findings


def _inputs(site_dir: Path, out_dir: Path, theme_folders: tuple[Path, ...], strict: bool) -> tuple | None:
    return cache.inputs_of([site_dir / CONTENT_DIR, site_dir / archive.ARCHIVES_DIR, *theme_folders],
                           strict, str(out_dir.resolve()))


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


@dataclass
class Publication:
    """What build writes and serve serves: pages, theme assets and archives, from one place."""

    site: Site
    theme: Theme
    archives: archive.ArchiveIndex

    def pages(self, pages: list[Page] | None = None, workers: int = 1) -> dict[str, bytes]:
        """The bytes of `pages` (default: all), personal data masked; rendered by `workers` processes."""
        config = self.site.config
        rendered = render_pages(self.site, self.theme, pages, context={"archives": self.archives}, workers=workers)
        return {path: mask_personal_data(text, config.phone_display, config.office_phone).encode("utf-8")
                for path, text in rendered.items()}

    def assets(self) -> dict[str, bytes]:
        config = self.site.config
        return {path: asset_bytes(source, config.phone_display, config.office_phone)
                for path, source in self.theme.assets().items()}


def publish(site_dir: Path, site: Site, theme: Theme | None = None) -> Publication:
    """Add the archive pages to a checked site and pick its theme (serve passes its own)."""
    theme = theme or Theme.for_site(site_dir, site.config.theme_dir)
    archives = archive.published(site_dir)  # copied byte for byte into out_dir/archive/
    site.pages += archive.live_pages(site, archives)
    return Publication(site, theme, archives)
