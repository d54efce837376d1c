"""The stages in order: load → check → model → render → write.

Commands call :func:`load_and_check` and :func:`build` instead of wiring the
stages themselves. The serve command keeps the site in memory: it reads it with
:func:`load_each` (each file modelled and checked as it is read) and rebuilds it
piece by piece with :func:`check_loaded` and :func:`publish`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import archive, check
from ..check.rules.publication import empty_year_folders
from ..errors import Finding
from ..layouts import layouts_for
from ..load import LoadedFile, LoadedSite, load_site
from ..model import ModelMemo, Page, Site, build_model
from ..model.site import config_from
from ..model.index_numbers import needs_number, read_assignments
from ..render import Theme, render_pages
from ..write import asset_bytes, text_bytes
from .incremental import Built, build


def load_and_check(site_dir: Path) -> tuple[Site | None, list[Finding]]:
    """Every finding about the site, from unreadable files to sums that do not add up."""
    return check_loaded(load_site(Path(site_dir)))


@dataclass
class Memo:
    """What a long-running caller (serve) keeps between runs: records and rule
    findings of files whose text has not changed are reused, not made again."""

    model: ModelMemo = field(default_factory=ModelMemo)
    findings: dict = field(default_factory=dict)
    acknowledged: check.AcknowledgeMemo = field(default_factory=check.AcknowledgeMemo)  # as check.acknowledge marked them


def check_loaded(loaded: LoadedSite, memo: Memo | None = None) -> tuple[Site | None, list[Finding]]:
    """:func:`load_and_check` for files already loaded (serve reloads only the files that changed)."""
    try:
        return _check_loaded(loaded, memo)
    except BaseException:
        if memo is not None:  # stopped half-way (a bug): the next run goes through every file again
            memo.model.last = None
        raise


def _check_loaded(loaded: LoadedSite, memo: Memo | None) -> tuple[Site | None, list[Finding]]:
    site, model_findings = build_model(loaded, memo.model if memo else None)
    changed = memo.model.changed if memo else None  # the files read again since the last run, or None: all
    findings = loaded.findings + layouts_for(loaded.site_dir).findings + model_findings
    if site is not None:
        findings += check.run(site, loaded, memo.findings if memo else None, changed)
    findings += archive.check_archives(loaded.site_dir)  # a tampered archive is never published
    if site is not None:
        files = list(loaded.by_name) + [f.path for f in loaded.findings]  # unreadable ones too
        findings += empty_year_folders(loaded.site_dir, files)
        if site.config.index_format is not None:
            findings += read_assignments(loaded.site_dir)[1]
    return site, check.acknowledge(findings, site, loaded, memo.acknowledged if memo else None, changed)


def load_each(site_dir: Path, memo: Memo) -> LoadedSite:
    """load_site for a long-running caller (serve), who then calls check_loaded with the same `memo`: each
    file is modelled and checked as soon as it is read, and its parsed values let go (`LoadedFile.forget`),
    so that the values of every file (most of the memory of reading a site) are never held at once."""
    layouts = layouts_for(Path(site_dir))
    settings = {}  # the SiteConfig (None when the settings have errors), made from the first file's LoadedSite

    def each(loaded: LoadedSite, loaded_file: LoadedFile) -> None:
        if not settings:
            settings["config"] = config_from(loaded)[0]
        config = settings["config"]  # how the rules show phone numbers
        record = memo.model.model_file(loaded_file, layouts)
        if record is not None and config is not None:
            memo.findings[record.path] = (record, check.check_record(record, loaded_file.source, loaded_file.data,
                                                                      config))
            memo.acknowledged.prepare(record, loaded_file)
        loaded_file.forget()

    return load_site(site_dir, each)


@dataclass
class Publication:
    """What serve serves as build writes it: pages, theme assets and archives, from one place
    (the downloads: site_builder.downloads)."""

    site: Site
    theme: Theme
    archives: archive.ArchiveIndex

    def pages(self, pages: list[Page] | None = None) -> dict[str, bytes]:
        """The bytes of `pages` (default: all), personal data masked."""
        config = self.site.config
        rendered = render_pages(self.site, self.theme, pages, context={"archives": self.archives})
        return {path: text_bytes(text, config.phone_display, config.office_phone) for path, text in rendered.items()}

    def assets(self) -> dict[str, bytes]:
        config = self.site.config
        return {path: asset_bytes(source, config.phone_display, config.office_phone)
                for path, source in self.theme.assets().items()}


def publish(site_dir: Path, site: Site, theme: Theme | None = None) -> Publication:
    """Add the archive pages to a checked site and pick its theme (serve passes its own)."""
    theme = theme or Theme.for_site(site_dir, site.config.theme_dir)
    if site.config.index_format is not None:  # numbers as build gives them out; only build saves them
        numbers = read_assignments(site_dir)[0].assign(site.config.index_format, site.records).numbers
        for record in site.records:
            if needs_number(record) and record.id in numbers:
                record.index_number = numbers[record.id]
    archives = archive.published(site_dir)  # copied byte for byte into out_dir/archive/
    site.pages += archive.live_pages(site, archives)
    return Publication(site, theme, archives)


__all__ = ["load_and_check", "check_loaded", "load_each", "Memo", "Publication", "publish", "build", "Built"]
