"""The stages in order: load → check → model → render → write.

Commands call these two functions instead of wiring the stages themselves.
"""

from __future__ import annotations

from pathlib import Path

from . import check
from .errors import Finding, SiteError
from .load import load_site
from .model import Site, build_model
from .render import Theme, render_pages
from .write import write_site


def load_and_check(site_dir: Path) -> tuple[Site | None, list[Finding]]:
    """Every finding about the site, from unreadable files to sums that do not add up."""
    loaded = load_site(Path(site_dir))
    site, model_findings = build_model(loaded)
    findings = loaded.findings + model_findings
    if site is not None:
        findings += check.run(site, loaded)
    return site, check.acknowledge(findings, site)


def build(site_dir: Path, out_dir: Path, strict: bool = False) -> list[Finding]:
    """Check, render and write the site; raise SiteError and leave out_dir as it was on errors."""
    site, findings = load_and_check(site_dir)
    blocking = [f for f in findings if f.is_error or (strict and not f.acknowledged)]
    if blocking or site is None:
        raise SiteError(findings)
    theme = Theme.for_site(Path(site_dir), site.config.theme_dir)
    pages = render_pages(site, theme)
    write_site(out_dir, pages, theme.assets(), site.config.phone_display, site.config.office_phone)
    return findings
