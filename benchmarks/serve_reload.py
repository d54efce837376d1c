"""Save-to-reload time of `site-builder serve`: from writing a record to the
browser being told to reload (the live-reload message on the websocket), and
on to the browser having the edited record's page again (its new text fetched
over HTTP, as the reloading tab asks for it): the preview renders a page when
it is asked for, so the second time is the one an editor waits for.

    python3 benchmarks/serve_reload.py                  # the real site (a copy of content/)
    python3 benchmarks/serve_reload.py --pages 5000     # a generated site (generate_site.py)

The server runs as staff run it (`python3 -m site_builder serve`) on a free
port of 127.0.0.1, in a temporary copy of the site; the benchmark connects to
/livereload as livereload.js does, edits one project form `--runs` times and
prints each time and the median. Wall-clock times: run it on an idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_site import CONTENT, REPO, generate  # noqa: E402

START_TIMEOUT = 1800  # seconds: the first build of a large site on a slow machine
RELOAD_TIMEOUT = 600
STARTUP_RELOAD_TIMEOUT = 60  # seconds to wait for livereload's start-up reload


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_of(record: Path) -> str:
    """The address of a generated or real project form's page: disclosure/YEAR/SLUG.html."""
    slug = re.search(r"(?m)^slug: *(\S+)", record.read_text(encoding="utf-8"))[1]
    return f"disclosure/{record.parent.parent.name}/{slug}.html"


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=RELOAD_TIMEOUT) as answer:
        return answer.read().decode("utf-8")


async def measure(site: Path, port: int, record: Path, runs: int) -> tuple[list[float], list[float]]:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            connection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start in time")
            await asyncio.sleep(0.5)
    await connection.write_message(json.dumps({"command": "hello", "protocols": [
        "http://livereload.com/protocols/official-7"]}))
    await connection.read_message()
    await connection.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    # livereload's own start-up reload comes 2 s after the watcher's first look at the files, which on a
    # large site is seconds after the server answers (100,000 pages: about 5 s): wait for it, then drain.
    try:
        while json.loads(await asyncio.wait_for(connection.read_message(), STARTUP_RELOAD_TIMEOUT) or "{}"
                         ).get("command") != "reload":
            pass
    except asyncio.TimeoutError:
        pass
    while True:
        try:
            await asyncio.wait_for(connection.read_message(), 0.5)
        except asyncio.TimeoutError:
            break
    times, shown = [], []
    original = record.read_text(encoding="utf-8")
    page = page_of(record)
    for run in range(runs):
        name = f"第{run}次修改"
        text = original.replace("project: ", f"project: {name}", 1)
        started = time.perf_counter()
        record.write_text(text, encoding="utf-8")
        while True:
            message = await asyncio.wait_for(connection.read_message(), RELOAD_TIMEOUT)
            if message is None:
                raise SystemExit("the server closed the connection")
            if json.loads(message).get("command") == "reload":
                break
        times.append(time.perf_counter() - started)
        html = await asyncio.get_running_loop().run_in_executor(None, fetch, port, page)
        shown.append(time.perf_counter() - started)
        if name not in html:
            raise SystemExit(f"{page} does not show the edit after the reload")
        await asyncio.sleep(1)
    connection.close()
    return times, shown


def reload_times(site: Path, record: Path, runs: int) -> dict:
    """Serve `site` as staff do, edit `record` `runs` times: {"reload": seconds from each save to the
    reload message, "shown": ... to the edited page fetched again, "console": what the server said}.
    The record is left as it was."""
    original = record.read_bytes()
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        server = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--site", str(site),
                                   "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  cwd=REPO)  # `-m` looks in the working folder first: this copy's code, not another's
        try:
            times, shown = asyncio.run(measure(site, port, record, runs))
        finally:
            server.terminate()
            server.wait(timeout=30)
            record.write_bytes(original)
            log.seek(0)
            console = log.read()
    return {"reload": times, "shown": shown, "console": console}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=0, help="generate a site of this many pages (default: the real site)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if args.pages:
            generate(site, args.pages)
            record = edited_record(site)
        else:
            shutil.copytree(CONTENT, site / "content")
            record = site / "content/2023/projects/gaosan-fuxi-yingkao.yaml"
        measured = reload_times(site, record, args.runs)
        times, shown, console = measured["reload"], measured["shown"], measured["console"]
        updates = sum(1 for line in console.splitlines() if line.startswith("改动涉及"))
        print(console if updates != args.runs else console.splitlines()[1])
    what = f"generated site of {args.pages} pages" if args.pages else "real site"
    print(f"{what}: edited {record.relative_to(site)}")
    print("save to reload message (s): " + ", ".join(f"{t:.3f}" for t in times)
          + f"; median {statistics.median(times):.3f} s")
    print("save to the edited page fetched again (s): " + ", ".join(f"{t:.3f}" for t in shown)
          + f"; median {statistics.median(shown):.3f} s")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    return 0


def edited_record(site: Path) -> Path:
    """The project form a generated site's benchmark edits."""
    return next(iter(sorted((site / "content").glob("*/projects/*-1.yaml"))))


if __name__ == "__main__":
    sys.exit(main())
