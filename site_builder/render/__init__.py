"""Render stage: pages of the model through the theme's Jinja2 templates.

Public surface: :class:`Theme` (where templates and assets come from, with a
site's own folder overriding the default theme file by file, as MkDocs'
custom_dir does) and :func:`render_pages`. All markup lives in the theme.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import Finding, SiteError, relative
from ..model import Page, Site
from . import charts
from .markdown_body import document_outline, markdown_to_html

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"
TEMPLATES = "templates"
ASSETS = "assets"


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # most specific first

    @classmethod
    def for_site(cls, site_dir: Path, theme_dir: str = "") -> "Theme":
        folders = []
        if theme_dir:
            custom = (site_dir / theme_dir).resolve()
            if not custom.is_dir():
                raise SiteError(Finding(
                    code="S208", path="content/site.yaml",
                    message=f"找不到自定义主题文件夹 {theme_dir}",
                    hint="theme_dir 写相对于站点文件夹的路径，例如 theme；不需要自定义主题就删掉这一项。"))
            broken = _unreadable_files(custom, site_dir)
            if broken:
                raise SiteError(broken)
            folders.append(custom)
        if not DEFAULT_THEME.is_dir():  # pragma: no cover - a broken installation
            raise SiteError(Finding(code="S208", message=f"找不到默认主题 {DEFAULT_THEME}",
                                    hint="请用 pip install -e . 在源码目录中安装 site_builder。"))
        folders.append(DEFAULT_THEME)
        return cls(tuple(folders))

    def environment(self, compiled: Path | None = None) -> jinja2.Environment:
        """The templates' environment; `compiled` is a folder where compiled templates are kept
        between runs (Jinja2 recompiles a template whose source changed)."""
        loader = jinja2.FileSystemLoader([str(folder / TEMPLATES) for folder in self.folders])
        cache = None
        if compiled is not None:
            try:
                compiled.mkdir(parents=True, exist_ok=True)
                cache = jinja2.FileSystemBytecodeCache(str(compiled))
            except OSError:  # a site folder that cannot be written to: compiled every run
                pass
        env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                 bytecode_cache=cache,
                                 # an environment lives for one build or one preview theme (a changed
                                 # template gets a new one): no stat of every imported template per page
                                 auto_reload=False)
        env.filters["markdown"] = markdown_to_html
        env.filters["outline"] = document_outline  # headings of a body, for the table of contents
        # Defaults of the context every template may test: `archive` is set on the
        # pages of a yearly snapshot, `archives` lists the archived years of the site.
        env.globals.update(archive=None, archives=None)
        # The charts' geometry (render/charts.py); the SVG is the theme's (_macros/charts.html).
        env.globals.update(funds_chart=charts.funds_chart, score_chart=charts.score_chart)
        env.globals["inline_asset"] = self.inline_asset  # the 404 page carries its own styles
        return env

    def inline_asset(self, path: str) -> Markup:
        """The text of a theme asset (e.g. "assets/style.css"), for a page that must not
        depend on where it is served from (the 404 page). Never closes its <style> early."""
        source = self.assets().get(path)
        text = source.read_text(encoding="utf-8") if source is not None else ""
        return Markup(text.replace("</", "<\\/"))

    def assets(self) -> dict[str, Path]:
        """Output path → file, later folders overridden by earlier ones."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            root = folder / ASSETS
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        found[f"{ASSETS}/{path.relative_to(root).as_posix()}"] = path
        return found


def _unreadable_files(folder: Path, site_dir: Path) -> list[Finding]:
    """T504 for every file or folder of a site's theme that cannot be read: a link to
    nothing, a link loop, no permission. Found before anything is rendered."""
    findings = []

    def report(path: str, reason: str) -> None:
        findings.append(Finding(
            code="T504", path=relative(Path(path), site_dir), message=f"主题里的这个文件无法读取（{reason}）",
            hint="请删除它，或换成真正的文件（不要用指向别处的快捷方式或符号链接），并确认有读取权限。"))

    def walk_error(exc: OSError) -> None:
        report(exc.filename or str(folder), exc.strerror or str(exc))

    for root, dirs, files in os.walk(folder, onerror=walk_error):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if not os.access(path, os.R_OK):  # follows links: false for a link to nothing or a loop
                try:
                    os.stat(path)
                    reason = "没有读取权限"
                except OSError as exc:
                    reason = "符号链接形成循环" if exc.errno == errno.ELOOP else "符号链接指向的文件不存在"
                report(path, reason)
    return findings


def relative_url(target: str, page_url: str) -> str:
    """A link from `page_url` to `target` (both relative to the site root) that
    works under any sub-path and from file://."""
    path, _, fragment = target.partition("#")
    link = _relative_path(path, posixpath.dirname(page_url) or ".") if path else ""
    return link + ("#" + fragment if fragment else "")


@functools.lru_cache(maxsize=65536)  # every page links the same few places from the same few folders
def _relative_path(path: str, folder: str) -> str:
    """posixpath.relpath(path, folder); for the clean paths of the site's own pages (no "", ".", ".."
    parts) worked out from their parts: the catalogue links every record from one page, a call each."""
    parts, base = path.split("/"), ([] if folder == "." else folder.split("/"))
    if path.startswith("/") or folder.startswith("/") or any(p in _UNCLEAN for p in parts) or any(
            p in _UNCLEAN for p in base):
        return posixpath.relpath(path, folder)
    common = 0
    for here, there in zip(base, parts):
        if here != there:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


_UNCLEAN = frozenset({"", ".", ".."})


def render_pages(site: Site, theme: Theme, pages: list[Page] | None = None, *,
                 link: Callable[[str, Page], str] | None = None, context: dict | None = None) -> dict[str, str]:
    """Render `pages` (default: all of the site's) to HTML text by output path, in page order.

    `link(target, page)` replaces the default relative links (archived snapshots
    use it); `context` adds template variables (`archive`, `archives`). The
    build spreads its pages over the cores itself (site_builder.pipeline.incremental).
    """
    renderer = PageRenderer(theme, link=link, context=context)
    return {page.url: renderer(site, page) for page in (site.pages if pages is None else pages)}


class PageRenderer:
    """A theme's templates, compiled once, rendering one page after another.

    Theme errors (syntax, missing template, unknown variable) are raised as
    SiteError with codes T501–T503."""

    def __init__(self, theme: Theme, *, link: Callable[[str, Page], str] | None = None,
                 context: dict | None = None, compiled: Path | None = None):
        self.env = theme.environment(compiled)
        self.link = link
        self.context = context

    def __call__(self, site: Site, page: Page) -> str:
        return _render_reporting(self.env, site, page, self.link, self.context)


def _render_reporting(env: jinja2.Environment, site: Site, page: Page, link, context) -> str:
    with _theme_errors(page.url):
        return render_page(env, site, page, link=link, context=context)


def compile_templates(theme: Theme, names: Iterable[str]) -> None:
    """Compile the templates `names` and those they extend, include or import, as far as that is
    known without rendering: SiteError (T501, T502) for the first that cannot be. A preview that
    renders its pages only when they are asked for finds a broken template this way on saving it."""
    env = theme.environment()
    wanted: set[str] = set()
    for name in set(names):
        used = templates_used(env, name)
        if used is None:  # one of them does not parse, or is chosen while rendering: all of them
            wanted |= {name, *env.list_templates()}
            break
        wanted |= used
    with _theme_errors(""):
        for name in sorted(wanted):
            env.get_template(name)


@contextlib.contextmanager
def _theme_errors(url: str):
    """Theme errors raised inside as SiteError T501–T503 (`url`: the page being rendered, or "")."""
    needed = f"（生成 {url} 时需要）" if url else ""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise SiteError(Finding(
            code="T501", path=_theme_path(exc.filename), line=exc.lineno or 0,
            message=f"主题模板有语法错误：{exc.message}",
            hint="请检查这一行的 {{ }} 和 {% %} 是否成对、拼写是否正确；改坏的模板可以删掉，恢复使用默认主题。",
            source_line=(exc.source or "").splitlines()[exc.lineno - 1] if exc.source and exc.lineno else "",
        )) from None
    except jinja2.TemplateNotFound as exc:
        raise SiteError(Finding(code="T502", message=f"找不到主题模板 {exc.name}{needed}",
                                hint="自定义主题里的模板文件名要与默认主题（themes/default/templates/）中的一致。")) from None
    except jinja2.UndefinedError as exc:
        raise SiteError(Finding(code="T503", message=f"生成 {url} 时，模板用到了不存在的数据：{exc.message}",
                                hint="请检查自定义主题模板中的变量名，可对照默认主题中的同名模板。")) from None


def _theme_path(filename: str | None) -> str:
    if not filename:
        return ""
    path = Path(filename)
    for parent in path.parents:
        if parent.name == TEMPLATES:
            return f"{parent.parent.name}/{TEMPLATES}/{path.relative_to(parent).as_posix()}"
    return path.as_posix()


def render_page(env: jinja2.Environment, site: Site, page: Page, *,
                link: Callable[[str, Page], str] | None = None, context: dict | None = None) -> str:
    def url(target: str) -> str:
        if link is not None:
            return link(target, page)
        if page.url == "404.html" and site.config.base_url:
            # The 404 page is served at whatever address was missing.
            return site.config.base_url.rstrip("/") + "/" + target
        return relative_url(target, page.url)

    template = env.get_template(page.template)
    return template.render(site=site, config=site.config, page=page, record=page.record, url=url, **(context or {}))


def templates_used(env: jinja2.Environment, name: str) -> frozenset[str] | None:
    """`name` and every template it extends, includes or imports, transitively.

    None when that cannot be known without rendering (a template chosen by a
    variable, or one that does not parse): the caller must then assume the page
    uses every template. The serve command re-renders a page when one of these changes.
    """
    from jinja2 import meta

    used: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in used:
            continue
        used.add(current)
        try:
            source, _, _ = env.loader.get_source(env, current)
            referenced = set(meta.find_referenced_templates(env.parse(source)))
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            return None
        if None in referenced:
            return None
        waiting.extend(referenced)
    return frozenset(used)


__all__ = ["Theme", "PageRenderer", "render_pages", "render_page", "relative_url", "markdown_to_html", "templates_used",
           "compile_templates"]
