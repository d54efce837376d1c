"""The site as the preview serves it: held in memory, rebuilt piece by piece.

:class:`Preview` reads, models and checks the whole site once, then
:meth:`Preview.update` takes the files that changed, reads only those again and
notes the pages they touch (see :mod:`.affected`). Pages and downloads are made
when they are first asked for (:mod:`.files`), so a save is answered, and the
browser reloaded, before anything is rendered. Nothing is ever written to disk:
build/ may be the copy about to be published. Every file passes
write.published_bytes, and every response body and the error page
privacy.mask_bytes, as every file of a build does.

While the content has errors the preview keeps its findings and answers every
page with the error page (themes/default/templates/preview-error.html); the
changes made meanwhile are remembered, so the next good build re-renders
everything they touched. A page that cannot be rendered when it is asked for
(a theme that breaks on some data) shows the error page too, and is said on
the console through `on_failure`.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import stat
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

import jinja2

from .. import archive, downloads, pipeline
from ..errors import Finding, FindingCounts, SiteError
from ..layouts import SITE_LAYOUTS_DIR
from ..load import CONTENT_DIR, SITE_FILE, LoadedFile, LoadedSite, content_listing, load_file
from ..model import Site
from ..privacy import UnmaskableData, mask_bytes, mask_markdown, mask_text
from ..render import DEFAULT_THEME, TEMPLATES, Theme, compile_templates
from ..write import published_bytes
from .affected import INLINES_ASSETS, Affected
from .files import PreviewFiles

ERROR_TEMPLATE = "preview-error.html"


@dataclass
class Update:
    """What one rebuild did, for the console."""

    ok: bool
    full: bool = False
    outdated: list[str] = field(default_factory=list)  # pages to render again (when asked for)
    years: list[int] = field(default_factory=list)  # years whose downloads are made again (when asked for)
    removed: list[str] = field(default_factory=list)  # pages, assets and archive files no longer in the site
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    internal_error: str = ""  # a bug of ours, with its traceback


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    location: str = ""  # for redirects


class Preview:
    def __init__(self, site_dir: Path, on_failure: Callable[[Update], None] | None = None):
        self.site_dir = Path(site_dir).resolve()
        self.site: Site | None = None  # the last site built without errors
        self.theme: Theme | None = None
        self._downloads = downloads.Memo()  # the download files of unchanged forms and years, reused
        self.files = PreviewFiles(None, self._downloads, {})  # output path → bytes, as `build` would write them
        self.update_result: Update | None = None
        self._on_failure = on_failure  # told when a page asked for cannot be made
        self._loaded: LoadedSite | None = None
        self._loaded_by_name: dict[str, LoadedFile | list[Finding]] = {}
        self._positions: dict[str, int] | None = None  # each file's place in self._loaded.files
        self._config_findings: list[Finding] = []
        self._listing_findings: list[Finding] = []  # what content_listing said last time
        self._fresh: list[LoadedFile] = []  # the files read by this rebuild
        self._pending: set[Path] = set()  # changes since the last good build
        self._error_page: bytes | None = None
        self._asset_paths: set[str] = set()
        self._memo = pipeline.Memo()  # records and findings of unchanged files, reused
        self._affected = Affected()  # which pages a change touches

    # --- building ---------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        return self._error_page is None

    def build(self) -> Update:
        """The whole site, from scratch."""
        self.site = None
        return self.update(())

    def update(self, changed: Iterable[Path]) -> Update:
        """Rebuild after `changed` files (absolute paths) were modified, added or removed."""
        started = time.perf_counter()
        self._pending.update(Path(path) for path in changed)
        result, failure = self._guarded(self._rebuild)
        if failure is not None:
            return failure
        result.seconds = time.perf_counter() - started
        self.update_result = result
        return result

    def _guarded(self, work: Callable):
        """(what `work()` returns, None), or (None, the failed Update) when it raises: a mistake in the
        content or the theme (SiteError), or a bug of ours, which the error page shows; the preview runs on."""
        started = time.perf_counter()
        try:
            return work(), None
        except SiteError as exc:
            failure = self._fail(exc.findings)
        except Exception:
            failure = self._fail([], internal_error=traceback.format_exc())
        failure.seconds = time.perf_counter() - started
        self.update_result = failure
        return None, failure

    def _rebuild(self) -> Update:
        content, templates, assets, config = self._classify(self._pending)
        full = self.site is None or config
        if full:
            self._memo = pipeline.Memo()
        loaded = self._load_all() if full else self._reload(content)
        site, findings = pipeline.check_loaded(loaded, self._memo)
        for loaded_file in self._fresh:  # kept as records and findings now: the parsed values are most of
            loaded_file.forget()         # the memory, and are parsed again only if ever needed
        if site is None or any(f.is_error for f in findings):
            return self._fail(findings)
        theme = self.theme
        if full or templates or theme is None:  # a new environment: no template compiled before the change
            theme = _PreviewTheme.for_site(self.site_dir, site.config.theme_dir)
        publication = pipeline.publish(self.site_dir, site, theme)  # archive pages and files, as build has them
        archives = publication.archives
        earlier = self.files.ready()
        site_urls = self._affected.page_urls(site)  # (its index's set: not to be changed)
        if full:
            outdated = set(site_urls)
        else:
            outdated = self._affected.pages_to_render(self.site, site, content, templates, theme.environment())
            if assets:
                outdated |= INLINES_ASSETS
        if full or templates:  # a template that does not parse is said now, not when a page needs it
            compile_templates(theme, {page.template for page in site.pages if page.url in outdated})
        asset_paths = self._asset_paths
        made = {} if full else {path: data for path, data in earlier.items()
                                if path not in outdated and not downloads.is_download(path)}
        if full or assets or templates:  # a theme folder may have gained or lost an asset
            for path in asset_paths:
                made.pop(path, None)
            asset_output = {path: published_bytes(path, data) for path, data in publication.assets().items()}
            made.update(asset_output)
            asset_paths = set(asset_output)
        if full:  # archives change only with a full rebuild (see _classify)
            made.update({path: published_bytes(path, source.read_bytes()) for path, source in archives.files.items()})
        wanted = site_urls | asset_paths | set(archives.files)
        known = set(earlier) | (self.files.pending_pages() if self.site is not None else set())
        removed = sorted(path for path in known - wanted if not downloads.is_download(path))
        made = {path: data for path, data in made.items() if path in wanted}
        years = sorted(group.year for group in site.years if not downloads.is_made(group, self._downloads))
        downloads.forget_others(site, self._downloads)
        self.files = PreviewFiles(publication, self._downloads, made, earlier=self.files)
        self.site, self.theme, self._asset_paths = site, theme, asset_paths
        self._pending.clear()
        self._error_page = None
        return Update(ok=True, full=full, outdated=sorted(outdated & site_urls), years=years,
                      removed=removed, findings=findings)

    def _classify(self, paths: set[Path]) -> tuple[set[str], set[str], bool, bool]:
        """(content files, template names, whether assets changed, whether site.yaml, an archive or a layout changed)."""
        content, templates, assets, config = set(), set(), False, False
        content_root = self.site_dir / CONTENT_DIR
        for path in paths:
            if (path == content_root / SITE_FILE or path.is_relative_to(self.site_dir / archive.ARCHIVES_DIR)
                    or path.is_relative_to(self.site_dir / SITE_LAYOUTS_DIR)):
                config = True  # settings, archives and the forms' layouts reach every page: everything again
            elif path.is_relative_to(content_root):
                content.add(path.relative_to(self.site_dir).as_posix())
            for folder in self.theme_folders():
                if path.is_relative_to(folder / TEMPLATES):
                    templates.add(path.relative_to(folder / TEMPLATES).as_posix())
                elif path.is_relative_to(folder):
                    assets = True
        return content, templates, assets, config

    def theme_folders(self) -> list[Path]:
        """The folders whose templates and assets the site uses, most specific first."""
        if self.theme is not None:
            return list(self.theme.folders)
        return [DEFAULT_THEME]

    def _load_all(self) -> LoadedSite:
        loaded = pipeline.load_each(self.site_dir, self._memo)  # each file modelled and checked as it is read
        listing = content_listing(self.site_dir)
        names = [f"{CONTENT_DIR}/{name}" for name, _stat in listing.files]
        read: dict[str, LoadedFile | list[Finding]] = dict(loaded.by_name)
        for finding in loaded.findings:
            read.setdefault(finding.path, []).append(finding)
        by_name = {name: read[name] for name in names if name in read}  # in the order of the listing
        # what kept files from being listed (an unreadable folder) is listed again by every reload
        listed = set(names)
        self._config_findings = [f for f in loaded.findings if f.path not in listed and f not in listing.findings]
        self._listing_findings = listing.findings
        self._loaded, self._loaded_by_name, self._fresh = loaded, by_name, list(loaded.files)
        self._positions = None  # each file's place in self._loaded.files: found again when a save needs it
        return loaded

    def _reload(self, changed: set[str]) -> LoadedSite:
        """load_site, reading again only the files that changed (or are new)."""
        previous = self._loaded
        self._fresh = []
        if self._only_edited(changed):  # the same files as last time: no need to list them again
            patched = self._patched(changed)  # ... in the same places
            if patched is not None:
                return patched
            names, listing_findings = list(self._loaded_by_name), self._listing_findings
        else:
            listing = content_listing(self.site_dir)
            names = [f"{CONTENT_DIR}/{listed}" for listed, _stat in listing.files]
            listing_findings = self._listing_findings = listing.findings
        loaded = LoadedSite(previous.site_dir, previous.config, findings=self._config_findings + listing_findings)
        by_name: dict[str, LoadedFile | list[Finding]] = {}
        for name in names:
            result = self._loaded_by_name.get(name)
            if result is None or name in changed:
                try:
                    result = load_file(self.site_dir / name, self.site_dir)
                    self._fresh.append(result)
                except SiteError as exc:
                    result = exc.findings
            by_name[name] = result
            if isinstance(result, LoadedFile):
                loaded.files.append(result)
            else:
                loaded.findings.extend(result)
        self._loaded, self._loaded_by_name, self._positions = loaded, by_name, None
        return loaded

    def _patched(self, changed: set[str]) -> LoadedSite | None:
        """The last LoadedSite with the files of `changed` (each read last time, and still listed)
        read again in their places; None when one of them could not be read then or cannot now."""
        previous = self._loaded
        if self._positions is None:
            self._positions = {f.source.name: i for i, f in enumerate(previous.files)}
        files, by_name = list(previous.files), dict(previous.by_name)
        for name in changed:
            if name not in self._positions:
                return None
            try:
                loaded_file = load_file(self.site_dir / name, self.site_dir)
            except SiteError:
                return None  # its findings take the long way
            files[self._positions[name]] = by_name[name] = loaded_file
        loaded = LoadedSite(previous.site_dir, previous.config, files, list(previous.findings))
        loaded.by_name = by_name  # (a cached property: set, not made again from 10,000 files)
        self._fresh = [by_name[name] for name in changed]
        self._loaded_by_name.update((name, by_name[name]) for name in changed)
        self._loaded = loaded
        return loaded

    def _only_edited(self, changed: set[str]) -> bool:
        """Whether every file of `changed` was read last time, is still a file of its own reached
        through no symbolic link, and is still listed by every folder on its way (a folder that can
        no longer be read is reported by content_listing): then listing content/ again would list
        the same files. Never while the last listing reported something: it may be mended now."""
        if self._listing_findings:
            return False
        content = os.path.realpath(self.site_dir / CONTENT_DIR)
        listed: dict[str, set[str]] = {}  # folder → the names it lists
        for name in changed:
            if name not in self._loaded_by_name:
                return False  # new, or not listed before
            parts = name.split("/")[1:]  # the names below content/
            path = os.path.join(content, *parts)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    return False  # removed, or now a link or a folder
                if os.path.realpath(path) != path:
                    return False  # a folder on its way became a link
                folder = content
                for part in parts:
                    if folder not in listed:
                        with os.scandir(folder) as entries:
                            listed[folder] = {entry.name for entry in entries}
                    if part not in listed[folder]:
                        return False
                    folder = os.path.join(folder, part)
            except OSError:
                return False
        return True

    def _fail(self, findings: list[Finding], internal_error: str = "") -> Update:
        # a quoted line of a document shows a number its emphasis splits (139**7303**2708) as written:
        # masked as Markdown here, the page as a whole below
        errors = [replace(f, source_line=mask_markdown(f.source_line), message=mask_markdown(f.message))
                  for f in findings if f.is_error]
        template = _error_environment().get_template(ERROR_TEMPLATE)
        page = template.render(
            findings=errors, summary=FindingCounts.of(findings).summary(how_to_list="site-builder check --all 列出"),
            internal_error=self._relative(internal_error), site_dir=self.site_dir.name)
        self._error_page = mask_text(page).encode("utf-8")  # findings quote the content's lines
        return Update(ok=False, findings=findings, internal_error=internal_error)

    def _relative(self, text: str) -> str:
        """`text` (a traceback) with the site folder's absolute path left out: paths relative to it."""
        return text.replace(self.site_dir.as_posix() + "/", "").replace(self.site_dir.as_posix(), ".")

    # --- serving ------------------------------------------------------------------------

    def response(self, path: str) -> Response:
        """The answer to a request for `path` (the URL path, already unquoted); a page or download
        not made since the last change is made now."""
        answer, failure = self._guarded(lambda: self._response(path))
        if failure is None:
            return answer
        if self._on_failure is not None:
            self._on_failure(failure)
        return _masked(Response(500, "text/html; charset=utf-8", self._error_page))

    def _response(self, path: str) -> Response:
        relative = path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        elif relative + "/index.html" in self.files:
            # Path only, one leading slash, escaped: "//disclosure" must not become the
            # protocol-relative "//disclosure/", which leaves the site.
            return Response(301, "text/plain; charset=utf-8", b"", location="/" + quote(relative, safe="/") + "/")
        is_page = relative.endswith((".html", ".htm"))
        if self._error_page is not None and (is_page or not self.files.is_made(relative)):
            return _masked(Response(500, "text/html; charset=utf-8", self._error_page))
        body = self.files.get(relative)
        if body is None:
            missing = self.files.get("404.html", "找不到这个网页。".encode("utf-8"))
            kind = "text/html" if "404.html" in self.files else "text/plain"
            return _masked(Response(404, f"{kind}; charset=utf-8", missing))
        return _masked(Response(200, _content_type(relative), body))


class _PreviewTheme(Theme):
    """A theme whose Jinja environment (and so its compiled templates) is kept between rebuilds."""

    @functools.cached_property
    def _environment(self):
        return super().environment()

    def environment(self, compiled=None):
        return self._environment


def _masked(response: Response) -> Response:
    """Every body the preview sends passes the masking step, as every file the build writes does."""
    try:
        response.body = mask_bytes(response.body, response.content_type)
    except UnmaskableData as exc:
        return Response(403, "text/plain; charset=utf-8", f"预览不提供这个文件：{exc}。".encode("utf-8"))
    return response


def _content_type(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/json"):
        kind += "; charset=utf-8"
    return kind


def _error_environment() -> jinja2.Environment:
    """The error page comes from the default theme only: a site's own theme may be what is broken."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(DEFAULT_THEME / TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


__all__ = ["Preview", "Update", "Response"]
