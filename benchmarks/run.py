"""Build speed at scale, side by side with Hugo, MkDocs and Pelican: one command.

    python3 benchmarks/run.py                                   # the defaults below
    python3 benchmarks/run.py --sizes 1000,10000 --others 1000  # a quicker run

For each size (HTML pages) a site is generated from the real records
(generate_site.py) and built with `python3 -m site_builder build` as staff run
it. Everything happens on a RAM disk (/dev/shm where it exists, else the
system's temporary folder, said so in the results), and every timed build
writes into a folder that did not exist before: on this machine's ext4 without
a journal, creating files right after deleting many others is slow, and would
inflate whichever tool writes more files.

Timed (wall clock) for site_builder:

- cold build: a new output folder and no cache, `--repeats` times (median);
- no-op rebuild: the same command again, nothing changed (median of `--repeats`);
- one changed record: a project form's name edited, then the command again
  (`--repeats` different forms; median). The first rebuild after a cold build
  is timed apart ("first"): it has no previous output beside its output folder
  to start from (site_builder.write keeps one, `.build.previous`), every later
  rebuild has, as an editor's has;

with the peak memory (largest resident set of the build process or one of its
workers, from wait4 in measure.py) and the time per stage (load, model, check,
render, write, downloads, index: CPU seconds summed over the workers, written by
the build when SITE_BUILDER_STAGE_TIMES names a file).

For the sizes in --others, the same pages are built cold by Hugo, MkDocs and
Pelican. The corpus is made from site_builder's own output: one Markdown page
per HTML page, holding the same tables (every row and cell) and the same text,
the list pages as Hugo list pages (`_index.md`: an `index.md` would make the
folder a leaf bundle whose pages Hugo never renders). The cold builds of all
tools alternate (ours, Hugo, MkDocs, Pelican, ours, …) and the median is kept.

Fairness guard: after every build of another tool, its HTML pages and table
cells (<td>) are counted; a tool that rendered fewer pages than the corpus
holds, or fewer table cells (<td>) than the corpus holds (every body cell of
site_builder's tables, its row headers included, so at least what site_builder
rendered for the same records), fails the benchmark (exit 1): its time would
not be comparable.

For the sizes in --serve (10,000 by default), the preview is timed too, on the
same generated site: `site-builder serve` runs as staff run it and a project
form is saved five times; each time is from the save to the live-reload message
reaching a connected client, and to the edited page fetched again
(serve_reload.py, which also runs on its own).

Prints a table with ratios and each target (met or missed) and writes them,
with a description of the machine, to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_site import REPO, generate  # noqa: E402
from serve_reload import edited_record, reload_times  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
MEASURE = Path(__file__).resolve().parent / "measure.py"
TIMEOUT = 600  # seconds for one build of another tool; longer is reported as a timeout
SERVE_RUNS = 5  # saves timed in each preview measurement
TOOLS = ("hugo", "mkdocs", "pelican")
STAGES = ("load", "model", "check", "render", "write", "downloads", "index")


def code_files(repo: Path = REPO) -> dict[str, tuple[int, int]]:
    """The generator's code and default theme: relative path → (size, modification time)."""
    found = {}
    for folder in ("site_builder", "themes"):
        for path in sorted((repo / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                found[path.relative_to(repo).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def changed_code(before: dict, after: dict) -> list[str]:
    """The files of `code_files` added, removed or changed between two listings. A build keeps nothing
    of its cache when the generator's code changed (cache.fingerprint): a run during which the code
    was edited times full builds as no-ops and changes, and is reported as void."""
    return sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))


def run_timed(command: list[str], cwd: Path, timeout: float = TIMEOUT, env: dict | None = None) -> dict:
    """Wall-clock seconds and peak RSS (MB) of one command, measured by measure.py (see why there)."""
    with tempfile.TemporaryDirectory() as scratch:
        result, errors = Path(scratch) / "result.json", Path(scratch) / "stderr"
        with open(errors, "wb") as stderr:
            process = subprocess.Popen([sys.executable, str(MEASURE), str(result), *command], cwd=cwd,
                                       stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
                                       env=env)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the command and its workers
                process.wait()
                return {"seconds": None, "peak_mb": None, "error": f"timeout after {timeout} s"}
        measured = json.loads(result.read_text(encoding="utf-8"))
        error = ""
        if measured["exit"]:  # a build killed by a signal (the system out of memory: -9) says nothing on stderr
            error = (errors.read_text(encoding="utf-8", errors="replace")[-2000:]
                     or f"exit code {measured['exit']}" + (" (killed by a signal: out of memory?)" if measured["exit"] < 0 else ""))
    return {"seconds": measured["seconds"], "peak_mb": measured["peak_mb"], "error": error}


def median_run(runs: list[dict]) -> dict:
    """The run of median time, with every run's seconds; a failed run is reported as such."""
    failed = [run for run in runs if run.get("error")]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return {**ordered[len(ordered) // 2], "runs": [round(run["seconds"], 3) for run in runs],
            "peak_mb": max(run["peak_mb"] for run in runs)}


# --- site_builder ------------------------------------------------------------------------------

class Ours:
    """site_builder on one generated site: cold builds into new folders, then no-op, one change and (at
    the sizes of --whole) every page again with the cache in place."""

    def __init__(self, site: Path, work: Path):
        self.site, self.work, self.count = site, work, 0
        self.out: Path | None = None
        self.stage_runs: list[dict] = []

    def _build(self, out: Path) -> dict:
        times = self.work / f"stages-{self.count}.json"
        self.count += 1
        env = dict(os.environ, SITE_BUILDER_STAGE_TIMES=str(times))
        result = run_timed([sys.executable, "-m", "site_builder", "build", "--site", str(self.site),
                            "--out", str(out)], REPO, timeout=7200, env=env)
        if times.exists():
            result["stages"] = json.loads(times.read_text(encoding="utf-8"))
        return result

    def cold(self) -> dict:
        """A build without cache into a new output folder. The last cold build's output is removed: before
        this build on a RAM disk, where removing files leaves nothing behind that slows writing new ones, and
        two outputs of 100,000 pages (11 GB each) do not fit in this machine's memory beside each other
        (--repeats 3 filled /dev/shm and had the second build fail); elsewhere after it, never just before a
        timing (ext4 without a journal creates files slowly right after many were deleted)."""
        shutil.rmtree(self.site / ".site-builder-cache", ignore_errors=True)
        previous = self.out
        if previous is not None and on_ram_disk(previous):
            shutil.rmtree(previous, ignore_errors=True)
        self.out = self.work / f"ours-out-{self.count}"
        # files written in the last 2 s are not trusted to their size and time: the next build would compare
        # their bytes (site_builder.cache); the no-op and change times are of the usual case, files saved earlier
        time.sleep(2.1)
        result = self._build(self.out)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        if "stages" in result:
            self.stage_runs.append(result["stages"])
        return result

    def noop(self, repeats: int) -> dict:
        return median_run([self._build(self.out) for _ in range(repeats)])

    def changed(self, repeats: int) -> dict:
        """The median of `repeats` rebuilds after one change each, with the first rebuild after the
        cold build (no previous output to start from) as "first"."""
        forms = sorted((self.site / "content").glob("*/projects/*.yaml"))
        runs = []
        for form in forms[:repeats + 1]:  # a different record each time: its name edited, as staff would
            text = form.read_text(encoding="utf-8")
            form.write_text(text.replace("\nproject: ", "\nproject: 改", 1), encoding="utf-8")
            runs.append(self._build(self.out))
        if runs[0].get("error"):
            return runs[0]
        result = median_run(runs[1:])
        result["first"] = runs[0]
        result["peak_mb"] = max(result.get("peak_mb") or 0, runs[0].get("peak_mb") or 0)
        return result

    def whole(self) -> dict:
        """Every page made again with the cache and the output folder in place, as the first build after
        an upgrade of site_builder or a change to the theme or content/site.yaml: site.yaml's bytes changed
        (a comment added). Once, at the sizes of --whole: it takes as long as a cold build, and the output
        folder is on the RAM disk twice meanwhile (at 100,000 pages some 22 GB)."""
        settings = self.site / "content" / "site.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "# 基准：site.yaml 改动之后全部重新生成\n",
                            encoding="utf-8")
        return self._build(self.out)

    def stages(self) -> dict:
        """Median CPU seconds per stage over the cold builds."""
        if not self.stage_runs:
            return {}
        names = [n for n in STAGES if any(n in run for run in self.stage_runs)]
        names += sorted({n for run in self.stage_runs for n in run} - set(names))
        return {n: statistics.median(run.get(n, 0.0) for run in self.stage_runs) for n in names}


# --- the same pages for the other tools, made from our output ---------------------------------

class _PageReader(HTMLParser):
    """A page's title, its tables (rows of cell texts; header rows apart) and its text blocks."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "dd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.tables, self.blocks = "", [], []
        self._in_title = self._in_main = False
        self._table_depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._head = False
        self._block: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "main":
            self._in_main = True
        elif tag == "table" and self._in_main:
            self._table_depth += 1
            self.tables.append({"head": [], "body": []})
        elif self._table_depth:
            if tag == "thead":
                self._head = True
            elif tag in ("tbody", "tfoot"):
                self._head = False
            elif tag == "tr":
                self._row = []
            elif tag in ("td", "th") and self._row is not None:
                self._cell = []
            elif tag == "br" and self._cell is not None:
                self._cell.append(" ")
        elif self._in_main and tag in self.BLOCKS:
            self._block = []

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "main":
            self._in_main = False
        elif tag == "table" and self._table_depth:
            self._table_depth -= 1
        elif self._table_depth:
            if tag in ("td", "th") and self._cell is not None and self._row is not None:
                self._row.append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif tag == "tr" and self._row is not None:
                self.tables[-1]["head" if self._head else "body"].append(self._row)
                self._row = None
        elif tag in self.BLOCKS and self._block is not None:
            text = " ".join("".join(self._block).split())
            if text:
                self.blocks.append(text)
            self._block = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title += data
        elif self._cell is not None:
            self._cell.append(data)
        elif self._block is not None:
            self._block.append(data)


def _markdown_table(table: dict) -> tuple[str, int]:
    """The table in Markdown and the number of body cells it holds (each one a <td> once rendered)."""
    rows = table["body"]
    width = max((len(r) for r in table["head"] + rows), default=0)
    if not rows or not width:
        return "", 0
    header = table["head"][0] if table["head"] else [""] * width

    def line(cells):
        cells = list(cells) + [""] * (width - len(cells))
        return "| " + " | ".join(c.replace("|", "\\|") or "&nbsp;" for c in cells) + " |"

    return "\n".join([line(header), line(["---"] * width), *(line(r) for r in rows)]), width * len(rows)


def corpus(out: Path, target: Path) -> dict:
    """One Markdown page per HTML page of our output; returns pages and body cells written."""
    pages = cells = 0
    for html in sorted(out.rglob("*.html")):
        relative = html.relative_to(out)
        if relative.parts[0] in ("assets", "archives", "pagefind", "downloads"):
            continue
        reader = _PageReader()
        reader.feed(html.read_text(encoding="utf-8"))
        parts = []
        for table in reader.tables:
            markdown, count = _markdown_table(table)
            if markdown:
                parts.append(markdown)
                cells += count
        parts = [b.replace("|", "\\|") for b in reader.blocks] + parts
        name = "_index.md" if relative.name == "index.html" else relative.with_suffix(".md").name
        page = target / relative.parent / name
        page.parent.mkdir(parents=True, exist_ok=True)
        title = (reader.title.split("|")[0].strip() or relative.stem).replace('"', "'")
        slug = relative.with_suffix("").as_posix()
        page.write_text(f'---\ntitle: "{title}"\ndate: 2024-09-11\nslug: "{slug}"\n---\n\n'
                        + "\n\n".join(parts) + "\n", encoding="utf-8")
        pages += 1
    return {"pages": pages, "cells": cells}


def rendered(out: Path) -> dict:
    """HTML pages and table data cells a build wrote."""
    pages = cells = 0
    for html in out.rglob("*.html"):
        pages += 1
        cells += html.read_text(encoding="utf-8", errors="replace").count("<td")
    return {"pages": pages, "cells": cells}


HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                   '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="'
                 '{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}
PELICAN_CONF = '''SITENAME = "benchmark"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
USE_FOLDER_AS_CATEGORY = True
ARTICLE_URL = ARTICLE_SAVE_AS = "{slug}.html"
'''


class Others:
    """Hugo, MkDocs and Pelican set up once on the corpus; each build goes to a new folder."""

    def __init__(self, markdown: Path, work: Path, timeout: float):
        self.markdown, self.work, self.timeout, self.count = markdown, work, timeout, 0
        hugo = work / "hugo"
        layouts = hugo / "layouts" / "_default"
        layouts.mkdir(parents=True)
        (hugo / "hugo.toml").write_text(
            'baseURL = "http://example.org/"\nlanguageCode = "zh-cn"\ntitle = "benchmark"\n'
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
        for name, text in HUGO_LAYOUTS.items():
            (layouts / name).write_text(text, encoding="utf-8")
        mkdocs = work / "mkdocs"
        mkdocs.mkdir()
        (mkdocs / "mkdocs.yml").write_text(f"site_name: benchmark\ntheme: mkdocs\ndocs_dir: {markdown}\n",
                                           encoding="utf-8")
        pelican = work / "pelican"
        pelican.mkdir()
        (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")

    def command(self, tool: str, out: Path) -> tuple[list[str], Path]:
        if tool == "hugo":
            binary = shutil.which("hugo") or str(Path(sys.executable).parent / "hugo")
            return [binary, "--quiet", "--contentDir", str(self.markdown), "--destination", str(out)], self.work / "hugo"
        if tool == "mkdocs":
            return [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)], self.work / "mkdocs"
        if tool == "pelican":
            return [sys.executable, "-m", "pelican", str(self.markdown), "-o", str(out), "-s", "pelicanconf.py",
                    "-q"], self.work / "pelican"
        raise ValueError(tool)

    def cold(self, tool: str, expected: dict) -> dict:
        out = self.work / f"{tool}-out-{self.count}"
        self.count += 1
        command, cwd = self.command(tool, out)
        result = run_timed(command, cwd, self.timeout)
        if not result.get("error"):
            result["rendered"] = rendered(out)
            short = [what for what in ("pages", "cells") if result["rendered"][what] < expected[what]]
            if short:
                result["unfair"] = (f"{tool} rendered {result['rendered']} for a corpus of {expected}: "
                                    f"fewer {' and '.join(short)} than site_builder")
        shutil.rmtree(out, ignore_errors=True)  # after the timing, never just before one
        return result


# --- the machine and the report -------------------------------------------------------------

def on_ram_disk(path: Path) -> bool:
    """Whether `path` is on a file system kept in memory (tmpfs, as /dev/shm), by /proc/mounts."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return False
    where = os.path.realpath(path)
    found = max((point for point, _ in mounts if where == point or where.startswith(point.rstrip("/") + "/")),
                key=len, default="")
    return any(point == found and kind in ("tmpfs", "ramfs") for point, kind in mounts)


def ram_disk() -> Path | None:
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def machine(work: Path) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    versions = {}
    hugo = shutil.which("hugo") or str(Path(sys.executable).parent / "hugo")
    for tool, command in (("hugo", [hugo, "version"]), ("mkdocs", [sys.executable, "-m", "mkdocs", "--version"]),
                          ("pelican", [sys.executable, "-m", "pelican", "--version"])):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=60)
            versions[tool] = (out.stdout or out.stderr).strip().splitlines()[-1][:120]
        except (OSError, subprocess.SubprocessError, IndexError) as exc:
            versions[tool] = f"unavailable: {exc}"
    return {"date": datetime.date.today().isoformat(), "system": platform.platform(), "cpu": cpu,
            "cpus": os.cpu_count(), "memory_mb": memory, "python": platform.python_version(),
            "work": str(work), "ram_disk": bool(ram_disk()) and str(work).startswith("/dev/shm"),
            "load_average_at_start": os.getloadavg(), "tools": versions}


def fmt(result: dict | None, key: str = "seconds") -> str:
    if not result:
        return "—"
    if result.get("error") and result.get("seconds") is None:
        return "timeout"
    if result.get("error"):
        return "failed"
    if result.get("unfair"):
        return "unfair"
    value = result[key]
    return f"{value:.2f}" if key == "seconds" else f"{value:.0f}"


def _seconds(result: dict | None) -> float | None:
    if not result or result.get("error") or result.get("unfair"):
        return None
    return result.get("seconds")


def _peak(ours: dict) -> float:
    """The highest peak memory of site_builder's builds of one size (cold, no-op, changes, all again)."""
    return max((ours[k].get("peak_mb") or 0) for k in ("cold", "noop", "changed", "whole") if k in ours)


def report(results: dict) -> str:
    lines = ["| Pages | site_builder cold (s) | no-op (s) | 1 changed record (s) | first change after cold (s) "
             "| all again, cache in place (s) | peak MB | ms/page (cold) | Hugo (s) | MkDocs (s) | Pelican (s) "
             "| ours ÷ Hugo | Pelican ÷ ours |",
             "|" + " --- |" * 13]
    for size, row in results["sizes"].items():
        ours = row["site_builder"]
        cold = _seconds(ours["cold"])
        peak = _peak(ours)
        cells = [f"{int(size):,}", fmt(ours["cold"]), fmt(ours["noop"]), fmt(ours["changed"]),
                 fmt(ours["changed"].get("first")), fmt(ours.get("whole")), f"{peak:.0f}",
                 f"{cold / int(size) * 1000:.2f}" if cold else "—"]
        others = row.get("others", {})
        cells += [fmt(others.get(tool)) for tool in TOOLS]
        hugo, pelican = _seconds(others.get("hugo")), _seconds(others.get("pelican"))
        cells.append(f"{cold / hugo:.2f}" if cold and hugo else "—")
        cells.append(f"{pelican / cold:.2f}" if cold and pelican else "—")
        lines.append("| " + " | ".join(cells) + " |")
    served = [(size, row["serve"]) for size, row in results["sizes"].items() if row.get("serve")]
    if served:
        lines += ["", f"`site-builder serve`, save to reload (median of {SERVE_RUNS} saves):", "",
                  "| Pages | save → reload message (s) | save → edited page fetched again (s) |", "| --- | --- | --- |"]
        lines += [f"| {int(size):,} | {s['reload']['seconds']:.3f} | {s['shown']['seconds']:.3f} |" for size, s in served]
    stages = [(size, row["site_builder"].get("stages")) for size, row in results["sizes"].items()]
    if any(s for _, s in stages):
        names = [n for n in STAGES if any(n in (s or {}) for _, s in stages)]
        lines += ["", "CPU seconds per stage of a cold build (summed over the workers; median):", "",
                  "| Pages | " + " | ".join(names) + " |", "|" + " --- |" * (len(names) + 1)]
        for size, s in stages:
            lines.append(f"| {int(size):,} | " + " | ".join(f"{(s or {}).get(n, 0):.2f}" for n in names) + " |")
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    """Each target of issue 17, met or missed, with the figure (only those this run measured)."""
    out = []
    sizes = results["sizes"]

    def ours(size, key):
        return _seconds(sizes.get(str(size), {}).get("site_builder", {}).get(key))

    def other(size, tool):
        return _seconds(sizes.get(str(size), {}).get("others", {}).get(tool))

    def line(ok, text):
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")

    cold, hugo, pelican = ours(10000, "cold"), other(10000, "hugo"), other(10000, "pelican")
    if cold and hugo:
        line(cold <= 2.5 * hugo, f"cold build of 10,000 pages within 2.5× Hugo's: {cold:.2f} s = {cold / hugo:.2f}× Hugo's {hugo:.2f} s")
        for key, limit, label in (("changed", 0.05, "one changed record"), ("noop", 0.03, "no-op")):
            value = ours(10000, key)
            if value:
                line(value < limit * hugo, f"{label} at 10,000 pages under {limit}× Hugo's cold time ({limit * hugo:.2f} s): {value:.2f} s")
    if cold and pelican:
        line(pelican >= 5 * cold, f"at least 5× faster than Pelican at 10,000 pages: Pelican {pelican:.2f} s = {pelican / cold:.2f}× ours")
    served = sizes.get("10000", {}).get("serve")
    if served:
        reload = served["reload"]["seconds"]
        line(reload < 0.2, f"serve: save to reload under 200 ms at 10,000 pages: {reload:.3f} s "
                           f"(the edited page fetched again: {served['shown']['seconds']:.3f} s)")
    big = sizes.get("100000", {}).get("site_builder")
    small = ours(1000, "cold")
    if big:
        big_cold = _seconds(big["cold"])
        if big_cold and small:
            ratio = (big_cold / 100000) / (small / 1000)
            line(ratio <= 1.2, f"time per page flat from 1,000 to 100,000 pages (within 20 %): {small:.2f} ms → {big_cold / 100:.2f} ms per page ({ratio:.2f}×)")
        peak = _peak(big)
        line(peak < 1024, f"peak memory at 100,000 pages under 1 GB: {peak:.0f} MB")
        changed = _seconds(big["changed"])
        if changed:
            line(changed < 1, f"one change at 100,000 pages under 1 s: {changed:.2f} s")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="与 Hugo、MkDocs、Pelican 对比的生成速度测试。")
    parser.add_argument("--sizes", default="1000,10000,100000", help="site_builder 的网页数，逗号分隔")
    parser.add_argument("--others", default="1000,10000", help="同时用 Hugo、MkDocs、Pelican 生成的网页数（须在 --sizes 中）")
    parser.add_argument("--tools", default=",".join(TOOLS), help="对比的工具")
    parser.add_argument("--repeats", type=int, default=3, help="每种生成重复的次数，取中位数（默认 3）")
    parser.add_argument("--work", type=Path, default=None, help="工作文件夹（默认内存盘 /dev/shm 中的临时文件夹，结束后删除）")
    parser.add_argument("--serve", default="10000", help="也测预览（保存到刷新）的网页数，逗号分隔（须在 --sizes 中）")
    parser.add_argument("--whole", default="1000,10000",
                        help="也测缓存还在时全部重做的网页数，逗号分隔（须在 --sizes 中）。100,000 页不在默认之内："
                             "全部重做时新旧两份输出（各约 11 GB）同在内存盘上，24 GB 的机器放不下")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"其他工具一次生成的时限（秒，默认 {TIMEOUT}），超时记为 timeout，不再重复")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    others = {int(s) for s in args.others.split(",") if s}
    serve = {int(s) for s in args.serve.split(",") if s}
    whole = {int(s) for s in args.whole.split(",") if s}
    tools = [t for t in args.tools.split(",") if t]
    # Compiled once, as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as in some shells and
    # containers) every build would otherwise compile the whole package before doing anything.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "site_builder")], check=True)
    code_before = code_files()
    work = args.work or Path(tempfile.mkdtemp(prefix="site-builder-bench-", dir=ram_disk()))
    results = {"machine": machine(work), "command": " ".join(["benchmarks/run.py", *(argv or sys.argv[1:])]),
               "sizes": {}}
    unfair = []
    try:
        for size in sizes:
            folder = work / str(size)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            site = generate(folder / "site", size)
            ours = Ours(site, folder)
            print(f"[{size} pages] site_builder, cold …", file=sys.stderr, flush=True)
            cold_runs = [ours.cold()]
            row: dict = {}
            if size in others and not cold_runs[0].get("error"):
                markdown = folder / "markdown"
                expected = corpus(ours.out, markdown)
                row["corpus"] = expected
                row["ours_rendered"] = rendered(ours.out)
                tool_runs: dict[str, list[dict]] = {tool: [] for tool in tools}
                bench = Others(markdown, folder, args.timeout)
                for repeat in range(args.repeats):  # alternating: ours, hugo, mkdocs, pelican, ours, …
                    if repeat:
                        cold_runs.append(ours.cold())
                    for tool in tools:
                        if tool_runs[tool] and (tool_runs[tool][-1].get("error") or tool_runs[tool][-1].get("unfair")):
                            continue  # a timeout, failure or unfair run is not repeated
                        print(f"[{size} pages] {tool}, cold ({repeat + 1}) …", file=sys.stderr, flush=True)
                        tool_runs[tool].append(bench.cold(tool, expected))
                row["others"] = {}
                for tool, runs in tool_runs.items():
                    bad = [r for r in runs if r.get("error") or r.get("unfair")]
                    row["others"][tool] = bad[0] if bad else median_run(runs)
                    if bad and bad[0].get("unfair"):
                        unfair.append(f"{size} pages: {bad[0]['unfair']}")
                    elif bad:
                        print(f"  {tool} failed: {bad[0]['error']}", file=sys.stderr)
            else:
                for _ in range(args.repeats - 1):
                    cold_runs.append(ours.cold())
            print(f"[{size} pages] site_builder, no-op, one change{', all again' if size in whole else ''} …",
                  file=sys.stderr, flush=True)
            row["site_builder"] = {"cold": median_run(cold_runs), "noop": ours.noop(args.repeats),
                                   "changed": ours.changed(args.repeats), "stages": ours.stages()}
            if size in whole:
                row["site_builder"]["whole"] = ours.whole()
            for key in ("cold", "noop", "changed", "whole"):
                if row["site_builder"].get(key, {}).get("error"):
                    print(f"  {key} failed: {row['site_builder'][key]['error']}", file=sys.stderr)
            if size in serve:
                print(f"[{size} pages] site-builder serve, save to reload …", file=sys.stderr, flush=True)
                measured = reload_times(site, edited_record(site), SERVE_RUNS)
                row["serve"] = {key: {"runs": measured[key], "seconds": statistics.median(measured[key])}
                                for key in ("reload", "shown")}
            results["sizes"][str(size)] = dict(row)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["targets"] = targets(results)
    results["unfair"] = unfair
    results["code_changed"] = edited = changed_code(code_before, code_files())
    table = report(results)
    print(table)
    print("\n".join(["", *results["targets"], *(f"- UNFAIR: {u}" for u in unfair)]))
    if edited:
        print(f"\n生成器的代码或主题在测量期间被修改（{'、'.join(edited[:5])}），本次结果作废。", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    m = results["machine"]
    where = ("on a RAM disk (/dev/shm)" if m["ram_disk"] else f"in {m['work']} (no RAM disk found)")
    (RESULTS / f"{stamp}.md").write_text(
        f"# Benchmark {m['date']}\n\n`{results['command']}`\n\n{m['system']}; {m['cpu']}, {m['cpus']} CPUs, "
        f"{m['memory_mb']:,} MB; Python {m['python']}; load average {m['load_average_at_start']} at start, "
        f"{m['load_average_at_end']} at end.\n\nEvery build ran {where}, into an output folder that did not exist "
        f"before; cold builds of the tools alternated; medians of {args.repeats} runs.\n\nTools: {m['tools']}\n\n"
        f"{table}\n\nTargets (issue 17):\n\n" + "\n".join(results["targets"] or ["- (none measured)"])
        + ("\n\nUnfair comparisons (the benchmark failed):\n\n" + "\n".join(f"- {u}" for u in unfair) if unfair else "")
        + ("\n\n**Void:** the generator's code or theme changed during the run (every build after it starts without "
           "its cache): " + ", ".join(edited) if edited else "")
        + "\n", encoding="utf-8")
    print(f"\n结果已写入 {RESULTS / stamp}.json 和 .md", file=sys.stderr)
    return 1 if unfair or edited else 0


if __name__ == "__main__":
    sys.exit(main())
