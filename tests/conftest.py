"""Fixtures shared by the site_builder test suite; the helpers themselves are in sitetest.py.

Test modules import helpers with ``from sitetest import …`` (not ``from conftest``: other
folders of tests/ have conftest.py files of their own).
"""

from __future__ import annotations

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
