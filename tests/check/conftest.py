"""Helpers of the checker tests, reached through the `check_helpers` fixture.

Nothing here is imported by name from other test modules (several folders
under tests/ have their own conftest.py); a test asks for the fixture
`check_helpers` and calls e.g. ``check_helpers.check_json(site)``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[2]
REAL_CONTENT = REPO / "content"
BASELINE = "content/2023/projects/gaosan-fuxi-yingkao.yaml"

if str(REPO) not in sys.path:  # plain `pytest` without `pip install -e .`
    sys.path.insert(0, str(REPO))

from sitetest import line_of  # noqa: E402
from sitetest import run_cli as run  # noqa: E402  (one in-process runner for the whole suite)




def check_json(site: Path) -> tuple[int, list[dict]]:
    """`site-builder check --site SITE --format json`: (exit code, findings)."""
    code, out, err = run("check", "--site", site, "--format", "json")
    assert "Traceback" not in out + err
    return code, json.loads(out)


def check_text(site: Path) -> tuple[int, str, str]:
    return run("check", "--site", site)


def read_real(relative: str) -> str:
    """The text of a file of the repository's real site, e.g. 'content/site.yaml'."""
    return (REPO / relative).read_text(encoding="utf-8")


def make_site(root: Path, files: dict[str, str | bytes] | None = None, *, with_config: bool = True) -> Path:
    """A site folder at `root`: the real content/site.yaml plus `files` (path relative to the site → text)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    if with_config:
        shutil.copyfile(REAL_CONTENT / "site.yaml", root / "content" / "site.yaml")
    for relative, data in (files or {}).items():
        write(root / relative, data)
    return root


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def copy_real_site(root: Path) -> Path:
    """A copy of the repository's whole content/ at root/content."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REAL_CONTENT, root / "content")
    return root


_ACK_BLOCK = re.compile(r"(?m)^(?:#[^\n]*\n)?acknowledgements:[^\n]*\n(?:[ \t]+[^\n]*\n?|\n)*")


def strip_acknowledgements(text: str) -> str:
    """`text` without its top-level acknowledgements block (and the comment line just above it)."""
    stripped = _ACK_BLOCK.sub("", text)
    assert not re.search(r"(?m)^acknowledgements:", stripped)
    return stripped


def baseline_text() -> str:
    """The baseline project table, without acknowledgements (it has none today)."""
    text = read_real(BASELINE)
    return strip_acknowledgements(text) if re.search(r"(?m)^acknowledgements:", text) else text




def replace_once(text: str, old: str, new: str) -> str:
    """`text` with the single occurrence of `old` replaced (fails unless `old` occurs exactly once)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


HELPERS = SimpleNamespace(
    REPO=REPO, REAL_CONTENT=REAL_CONTENT, BASELINE=BASELINE, run=run, check_json=check_json,
    check_text=check_text, read_real=read_real, make_site=make_site, write=write, copy_real_site=copy_real_site,
    strip_acknowledgements=strip_acknowledgements, baseline_text=baseline_text, line_of=line_of,
    replace_once=replace_once, snapshot=snapshot, has_chinese=has_chinese,
)


@pytest.fixture(scope="session")
def check_helpers() -> SimpleNamespace:
    """The helpers above, as attributes."""
    return HELPERS


@pytest.fixture
def check_site(tmp_path) -> Path:
    """A site with the real site.yaml and the baseline project table (acknowledgements stripped)."""
    return make_site(tmp_path / "site", {BASELINE: baseline_text()})
