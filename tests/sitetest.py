"""Shared helpers for the site_builder test suite (fixtures: conftest.py).

Tests read what a user reads: the exit code and messages of the command, and
the text of the built pages. Nothing here reads outside the repository: the
seed texts are copied into tests/fixtures/.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

if str(REPO) not in sys.path:  # plain `pytest` without `pip install -e .`
    sys.path.insert(0, str(REPO))

from site_builder.cli import main as _cli_main  # noqa: E402

MOBILE = re.compile(r"1[3-9][0-9]{9}")


# --- running the command -------------------------------------------------------------


def run_cli(*args, cwd=None) -> tuple[int, str, str]:
    """Run `site-builder ARGS` in this process: (exit code, stdout, stderr).

    argparse's exits (SystemExit) become the exit code. Any other exception
    propagates, so that a test sees the crash itself.
    """
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = _cli_main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


def run_cli_process(*args, cwd=None, timeout=120) -> tuple[int, str, str]:
    """Run `python -m site_builder ARGS` as a real process: (exit code, stdout, stderr)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    completed = subprocess.run(
        [sys.executable, "-m", "site_builder", *[str(a) for a in args]],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )
    return completed.returncode, completed.stdout, completed.stderr


# --- sites and builds ------------------------------------------------------------------


def copy_site(target: Path) -> Path:
    """A site folder at `target` holding a copy of the repository's content/ and nothing else."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONTENT, target / "content")
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Relative path → bytes of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def zip_of(members: dict[str, str | bytes]) -> bytes:
    """A zip file holding `members` (name → text or bytes), made in memory."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def html_files(build: Path) -> list[Path]:
    return sorted(Path(build).rglob("*.html"))


# --- reading pages -----------------------------------------------------------------------


class _TextParser(HTMLParser):
    _SKIP = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        self.parts.append(" ")  # element boundaries separate words

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(page) -> str:
    """The text a reader sees in an HTML file (a Path) or HTML string: no tags, no <script>/<style>."""
    html = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def squeeze(text: str) -> str:
    """`text` with all whitespace (including the ideographic space U+3000) removed."""
    return re.sub(r"\s+", "", text)


def mask_mobiles(text: str) -> str:
    """139****6836 for each mobile number, as the site prints them."""
    return MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the line holding the nth occurrence of `needle` (fails when missing)."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} (occurrence {nth}) not found")
