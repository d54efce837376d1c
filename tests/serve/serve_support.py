"""Helpers of the preview tests: a copy of the real site, the preview server in a
subprocess, and bounded waits.

Every wait polls with a deadline; every server is killed when its test ends;
only 127.0.0.1 is used. Nothing here is imported by other test folders.
"""

from __future__ import annotations

import html as html_entities
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
PROJECT_PAGE = "disclosure/2023/gaosan-fuxi-yingkao.html"
START_TIMEOUT = 60  # seconds for the first build and the server to answer
CHANGE_TIMEOUT = 30  # seconds for a saved change to show

if str(REPO) not in sys.path:  # plain `pytest` without `pip install -e .`
    sys.path.insert(0, str(REPO))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    """Poll `predicate` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"waited {timeout} s for {what}; last result: {last!r}", pytrace=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_bytes(url: str, timeout: float = 10) -> tuple[int, bytes]:
    """(status, body) of a GET; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def fetch(url: str, timeout: float = 10) -> tuple[int, str]:
    """(status, body text) of a GET; HTTP errors are answers too."""
    status, body = fetch_bytes(url, timeout)
    return status, body.decode("utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def site_command(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m site_builder ARGS`, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)], env=_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new`, as an editor saving the file does."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}: the real record changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class ServerProcess:
    """`site-builder serve` running in a subprocess; its console goes to a file."""

    def __init__(self, site: Path, *extra: str, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = site.parent / f"serve-{self.port}.log"
        self._log_file = open(self.log, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "serve", "--site", str(site), "--port", str(self.port), *extra],
            env=_env(), stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True)

    def console(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_until_serving(self) -> None:
        def answering():
            if self.process.poll() is not None:
                pytest.fail(f"serve exited with {self.process.returncode}:\n{self.console()}", pytrace=False)
            try:
                return fetch(self.url, timeout=2)[0] in (200, 500)
            except OSError:
                return False
        wait_for(answering, START_TIMEOUT, f"the preview at {self.url}")

    def page(self, path: str = "") -> tuple[int, str]:
        return fetch(self.url + path)

    def file(self, path: str) -> tuple[int, bytes]:
        return fetch_bytes(self.url + path)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_file.close()


@pytest.fixture
def preview_site(tmp_path) -> Path:
    """A copy of the real content in a site folder of its own."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(CONTENT, site / "content")
    return site


@pytest.fixture
def start_server():
    """start_server(site, *extra_args) → a ServerProcess already answering; killed after the test."""
    started: list[ServerProcess] = []

    def start(site: Path, *extra: str, wait: bool = True) -> ServerProcess:
        server = ServerProcess(site, *extra)
        started.append(server)
        if wait:
            server.wait_until_serving()
        return server

    yield start
    for server in started:
        server.stop()


def text_of(html: str) -> str:
    """The visible words of a page, whitespace removed (enough to look for a phrase)."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", "", html_entities.unescape(re.sub(r"<[^>]+>", " ", html)))
