"""Shared fixtures and helpers of the accessibility suite.

The suite checks the real site (content/ rendered through themes/default/),
built once per session into a temporary folder. Browser tests drive Debian's
Chromium through Playwright; the HTML validator is the Nu Html Checker
(vnu.jar, installed by scripts/test.sh with ``npm ci --prefix tests/tools``).

With CI=true nothing here skips: a missing Chromium, Java or vnu.jar is a
failure. Without CI the browser tests skip only when Chromium is absent and
the validator tests only when Java is absent.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from a11y_support import (ROOT, VNU_JAR, Document, QuietHandler as _QuietHandler, elder_init_script,  # noqa: F401
                          parse_html, remove_one_cell, run_vnu)

IN_CI = os.environ.get("CI") == "true"


def _unavailable(message: str):
    """Skip on a developer's machine; fail in CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------
# The real site
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The real site, built once from content/ with the default theme."""
    out = tmp_path_factory.mktemp("a11y-site") / "build"
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not (out / "index.html").is_file():
        pytest.fail(f"site_builder build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return out


@pytest.fixture(scope="session")
def page_paths(site_dir) -> list[str]:
    """Every page of the site, as paths relative to its root (index.html first)."""
    paths = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    assert "index.html" in paths
    paths.remove("index.html")
    return ["index.html", *paths]


@pytest.fixture(scope="session")
def documents(site_dir, page_paths) -> dict[str, "Document"]:
    """Every page parsed into a small element tree, by path."""
    return {path: parse_html((site_dir / path).read_text(encoding="utf-8")) for path in page_paths}


@pytest.fixture(scope="session")
def project_page(documents) -> str:
    """The first project self-evaluation page (the one the screenshots show)."""
    pages = [path for path, doc in documents.items() if doc.find(lambda n: "indicator-table" in n.classes)
             and doc.find(lambda n: n.tag == "meta" and n.attrs.get("name") == "ArticleTitle"
                          and "项目支出绩效自评表" in n.attrs.get("content", ""))]
    assert pages, "the real site has no project self-evaluation page"
    return pages[0]


@pytest.fixture(scope="session")
def base_url(site_dir):
    """The built site served on loopback (port chosen by the system)."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------

# The session's one Chromium is the `browser` fixture of tests/conftest.py.


@pytest.fixture(scope="session")
def new_context(browser, base_url):
    """Factory: a fresh browser context on the served site, optionally in 长辈模式."""
    contexts = []

    def make(width: int = 1280, height: int = 900, elder: bool | None = None, **options):
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height},
                                      locale="zh-CN", **options)
        if elder is not None:
            context.add_init_script(elder_init_script(elder))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:  # already closed by the test
            pass


# --------------------------------------------------------------------------
# The Nu Html Checker
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def java():
    found = shutil.which("java")
    if not found:
        _unavailable("Java not found (vnu.jar needs a Java runtime; Debian: default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: run npm ci --prefix tests/tools "
                    "(scripts/test.sh does)", pytrace=False)
    return found


@pytest.fixture(scope="session")
def broken_page(site_dir, project_page, tmp_path_factory) -> Path:
    """A copy of the project page with one <td> of its indicator table removed,
    in a folder of its own (so the validator's single run can cover both)."""
    folder = tmp_path_factory.mktemp("a11y-broken")
    html = (site_dir / project_page).read_text(encoding="utf-8")
    broken = remove_one_cell(html)
    assert broken.count("<td") == html.count("<td") - 1
    path = folder / "broken-table.html"
    path.write_text(broken, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def vnu_results(java, site_dir, broken_page) -> dict[Path, list[dict]]:
    """One run of the validator over the whole real site and the broken page."""
    return run_vnu(java, [site_dir, broken_page.parent])
