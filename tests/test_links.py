"""Every link of the built site works: over HTTP under any sub-path, and from file://.

The site must request nothing from any other host. Only loopback addresses
are used here; every loop is bounded.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from sitetest import html_files, run_cli

MAX_FETCHES = 1000
LINK_ATTRIBUTES = ("href", "src", "action", "poster", "data")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.I)
NON_FETCH_SCHEMES = ("mailto:", "tel:", "data:")  # data: is the page's own bytes (the empty icon of base.html)


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value.strip())
            elif name == "srcset":
                self.links.extend(part.strip().split()[0] for part in value.split(",") if part.strip())
            elif name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name == "style":
                self.styles.append(value)
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse_html(text: str) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser


def css_links(css: str) -> list[str]:
    return [m.group(2).strip() for m in CSS_URL.finditer(css)] + [m.group(2) for m in CSS_IMPORT.finditer(css)]


def links_of(path: Path) -> list[str]:
    """Every URL a file of the site refers to (HTML attributes, inline CSS, CSS files)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        return css_links(text)
    parsed = parse_html(text)
    return parsed.links + [link for style in parsed.styles for link in css_links(style)]


def is_external(link: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", link, re.I)) or link.startswith("//")


# --- (a) over HTTP, from a sub-path ------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def served_site(real_build, tmp_path_factory):
    """The build copied under /some/sub/path/ of a loopback HTTP server: (base URL of the site)."""
    root = tmp_path_factory.mktemp("srv")
    shutil.copytree(real_build, root / "some" / "sub" / "path")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        yield f"http://127.0.0.1:{port}/some/sub/path/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def fetch(url: str) -> tuple[int, str, bytes]:
    assert urlsplit(url).hostname == "127.0.0.1", url
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def crawl(start_urls: list[str], prefix: str) -> tuple[set[str], list[str]]:
    """Fetch every internal URL reachable from `start_urls`: (fetched URLs, problems)."""
    queue = list(start_urls)
    seen: set[str] = set(queue)
    problems: list[str] = []
    fetches = 0
    while queue:
        url = queue.pop(0)
        fetches += 1
        assert fetches <= MAX_FETCHES, "the crawl does not end: too many distinct URLs"
        status, content_type, body = fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if content_type == "text/html":
            parsed = parse_html(body.decode("utf-8"))
            links = parsed.links + [link for style in parsed.styles for link in css_links(style)]
        elif content_type == "text/css":
            links = css_links(body.decode("utf-8"))
        else:
            continue
        for link in links:
            if not link or link.startswith("#") or link.lower().startswith(NON_FETCH_SCHEMES):
                continue
            if is_external(link):
                problems.append(f"{url}: 指向外部网址 {link}")
                continue
            target, _ = urldefrag(urljoin(url, link))
            if not target.startswith(prefix):
                problems.append(f"{url}: 链接 {link} 离开了网站所在的路径（{target}）")
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen, problems


def test_crawl_over_http_from_a_sub_path_reaches_every_page(served_site, real_build):
    fetched, problems = crawl([served_site + "index.html", served_site + "404.html"], served_site)
    assert not problems, "\n".join(problems)
    reached = {unquote(url[len(served_site):]) for url in fetched}
    pages = {p.relative_to(real_build).as_posix() for p in html_files(real_build)}
    unreached = sorted(pages - reached - {"404.html"})
    assert not unreached, f"从首页出发到不了这些网页：{unreached}"
    assert len(pages) > 20
    assert any(url.endswith(".css") for url in fetched)


def test_crawl_reports_a_broken_link(served_site, real_build):
    """The crawler itself can fail: a missing file under the sub-path is a 404."""
    status, _, _ = fetch(served_site + "disclosure/2023/no-such-page.html")
    assert status == 404
    _, problems = crawl([served_site + "disclosure/2023/no-such-page.html"], served_site)
    assert problems and "HTTP 404" in problems[0]


# --- (b) from file:// ------------------------------------------------------------------------------


def _check_file_links(build: Path) -> list[str]:
    problems = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids_cache:
            ids_cache[page] = parse_html(page.read_text(encoding="utf-8")).ids
        return ids_cache[page]

    files = html_files(build) + sorted(build.rglob("*.css"))
    for page in files:
        name = page.relative_to(build).as_posix()
        for link in links_of(page):
            if not link or link.lower().startswith(NON_FETCH_SCHEMES) or is_external(link):
                continue  # external links are test (c)'s business
            path, _, fragment = link.partition("#")
            if link.startswith("/"):
                problems.append(f"{name}: {link} 是从根目录开始的链接，在子路径和 file:// 下都会失效")
                continue
            if "?" in path:
                problems.append(f"{name}: {link} 带有查询参数，file:// 下找不到文件")
                continue
            target = (page.parent / unquote(path)).resolve() if path else page
            if path.endswith("/") or (target.exists() and target.is_dir()):
                problems.append(f"{name}: {link} 指向文件夹，file:// 下不会打开 index.html")
                continue
            if not target.is_file():
                problems.append(f"{name}: {link} 指向的文件不存在")
                continue
            if build.resolve() not in target.parents:
                problems.append(f"{name}: {link} 指向网站文件夹之外")
                continue
            if fragment and target.suffix == ".html" and unquote(fragment) not in ids_of(target):
                problems.append(f"{name}: {link} 的锚点 #{fragment} 在目标网页中不存在")
    return problems


def test_every_relative_link_resolves_to_a_file(real_build):
    problems = _check_file_links(real_build)
    assert not problems, "\n".join(problems)


def test_file_link_check_can_fail(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="missing.html">x</a><a href="index.html#nowhere">y</a><a href="/abs.html">z</a>'
        '<a href="#here" id="here">ok</a>', encoding="utf-8")
    problems = _check_file_links(tmp_path)
    assert len(problems) == 3, problems


# --- (c) nothing from other hosts ---------------------------------------------------------------------


def _absolute_urls(build: Path) -> list[tuple[str, str]]:
    found = []
    for path in html_files(build) + sorted(build.rglob("*.css")):
        for link in links_of(path):
            if is_external(link):
                found.append((path.relative_to(build).as_posix(), link))
    return found


def test_no_link_or_resource_points_to_any_host(real_build):
    """base_url is empty in the real site: no absolute or protocol-relative URL at all."""
    found = _absolute_urls(real_build)
    assert not found, "\n".join(f"{page}: {link}" for page, link in found)
    # also in places the attribute parser might miss (inline scripts, meta refresh, …)
    for path in html_files(real_build) + sorted(real_build.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I), path
        assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", text, re.I), path


def test_absolute_url_detection_can_fail(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link href="//cdn.example.com/a.css"><img src="https://example.com/x.png">'
        '<div style="background:url(http://example.com/b.png)"></div>', encoding="utf-8")
    (tmp_path / "s.css").write_text("body{background:url('https://example.com/c.png')}", encoding="utf-8")
    assert len(_absolute_urls(tmp_path)) == 4


def test_with_base_url_the_404_page_links_to_full_addresses(site):
    base = "https://www.example.gov.cn/jky/"
    config = site / "content" / "site.yaml"
    text, count = re.subn(r"(?m)^base_url:.*$", f"base_url: {base}", config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    code, _, stderr = run_cli("build", "--site", site)
    assert code == 0, stderr
    build = site / "build"
    found = _absolute_urls(build)
    assert all(link.startswith(base) for _, link in found), found
    links_404 = [link for link in links_of(build / "404.html")
                 if not link.startswith("#") and not link.lower().startswith(NON_FETCH_SCHEMES)]
    assert links_404 and all(link.startswith(base) for link in links_404), links_404
    for link in links_404:  # each points at a file of the site
        assert (build / urldefrag(link)[0][len(base):]).is_file(), link
