"""Fixtures shared by the site_builder test suite; the helpers themselves are in sitetest.py.

Test modules import helpers with ``from sitetest import …`` (not ``from conftest``: other
folders of tests/ have conftest.py files of their own).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sitetest, seed_text

from sitetest import copy_site, run_cli  # noqa: E402


@pytest.fixture
def site(tmp_path) -> Path:
    """A fresh copy of the real content as a site folder (tmp_path/site/content)."""
    return copy_site(tmp_path / "site")


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Path:
    """The real content built once per session; returns the build folder. Do not modify it."""
    root = tmp_path_factory.mktemp("real-site")
    site_dir = copy_site(root / "site")
    out = root / "build"
    code, stdout, stderr = run_cli("build", "--site", site_dir, "--out", out)
    assert code == 0, f"building the real content failed (exit {code}):\n{stdout}\n{stderr}"
    assert (out / "index.html").is_file()
    return out


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for the whole session, driven by Playwright's sync API.

    Playwright allows one sync driver per thread, so every browser test of the
    suite (tests/a11y, tests/serve) shares this one. With CI=true a missing
    Chromium fails; elsewhere it skips.
    """
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (sh scripts/test.sh installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a broken test environment, never a reason to skip
        pytest.fail(f"Playwright is not installed ({exc}); run pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
