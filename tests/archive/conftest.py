"""Helpers of the archive tests, reached through the `arc` fixture.

Self-contained on purpose (other folders of tests/ have helpers of their own):
every test works on a temporary copy of the real content/, drives the
`site-builder` command in this process and reads the files a user reads.
SOURCE_DATE_EPOCH is fixed, so the archiving date is 2025-01-01.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
EPOCH = "1735689600"  # 2025-01-01T00:00:00Z
ARCHIVED_ON = "2025-01-01"

if str(REPO) not in sys.path:  # plain `pytest` without `pip install -e .`
    sys.path.insert(0, str(REPO))

from sitetest import run_cli as run  # noqa: E402  (one in-process runner for the whole suite)

MOBILE = re.compile(r"1[3-9][0-9]{9}")
LINK = re.compile(r"""\s(?:href|src)="([^"]*)\"""")




def new_site(target: Path) -> Path:
    """A site folder holding a copy of the repository's content/ and nothing else."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONTENT, target / "content")
    return target


def ok(*args) -> str:
    """Run a command that must succeed; its stdout."""
    code, stdout, stderr = run(*args)
    assert code == 0, f"site-builder {' '.join(map(str, args))} exited {code}:\n{stdout}\n{stderr}"
    return stdout


def build(site: Path, out: Path | None = None) -> Path:
    out = out if out is not None else site / "build"
    ok("build", "--site", site, "--out", out)
    return out


def tree(folder: Path) -> dict[str, bytes]:
    """Relative path → bytes of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def links(page: Path) -> list[str]:
    """Every local link (href/src) of an HTML file, without fragments-only links."""
    found = []
    for link in LINK.findall(page.read_text(encoding="utf-8")):
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        found.append(unquote(parts.path))
    return found


def resolve(page: Path, link: str) -> Path:
    """Where a relative link of `page` leads on disk, as a browser on file:// resolves it."""
    return Path(str(PurePosixPath(page.parent.as_posix()) / link)).resolve()


def visible_text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", "", text.replace("&amp;", "&"))


@pytest.fixture(autouse=True)
def _fixed_archiving_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def arc():
    return SimpleNamespace(run=run, ok=ok, build=build, tree=tree, manifest=manifest, links=links,
                           resolve=resolve, visible_text=visible_text, new_site=new_site,
                           MOBILE=MOBILE, ARCHIVED_ON=ARCHIVED_ON, EPOCH=EPOCH, REPO=REPO)


@pytest.fixture
def site(tmp_path) -> Path:
    """A fresh copy of the real content as a site folder."""
    return new_site(tmp_path / "site")


@pytest.fixture
def archived(site) -> Path:
    """The site with 2023 archived (on 2025-01-01); returns the site folder."""
    ok("archive", "2023", "--site", site)
    return site
