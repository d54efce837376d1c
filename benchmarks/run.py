"""Build speed at scale, side by side with Hugo, MkDocs and Pelican: one command.

    python3 benchmarks/run.py                                  # the defaults below
    python3 benchmarks/run.py --sizes 1000,5000 --others 1000  # a quicker run

For each size (HTML pages) a site is generated from the real records
(generate_site.py) and built with `python3 -m site_builder build` as staff run
it, timing (wall clock, on this machine, in this run):

- cold build: no build/ and no cache;
- no-op rebuild: the same command again, nothing changed;
- one changed record: a project form's name edited, then the command again
  (no-op and one change: three runs each, three different forms; the median is kept);

with the peak memory (largest resident set of the build process or of one of its
workers, from wait4 in measure.py, a small process: see why there). For the
sizes in --others, the same pages (one Markdown page per record with a table of
the same rows and columns as its form, and the list pages) are built by Hugo,
MkDocs and Pelican with their own default templates (Hugo has none: a minimal
baseof/single/list layout is written) and timed the same way, cold. Prints a table with ratios and writes it, with a
description of the machine, to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_site import REPO, generate  # noqa: E402

sys.path.insert(0, str(REPO))
from site_builder.load import load_site  # noqa: E402
from site_builder.model import DepartmentEvaluation, Document, ProjectEvaluation, build_model  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
MEASURE = Path(__file__).resolve().parent / "measure.py"
TIMEOUT = 600  # seconds for one build of another tool; longer is reported as a timeout


def run_timed(command: list[str], cwd: Path, timeout: float = TIMEOUT) -> dict:
    """Wall-clock seconds and peak RSS (MB) of one command, measured by measure.py (see why there)."""
    with tempfile.TemporaryDirectory() as scratch:
        result, errors = Path(scratch) / "result.json", Path(scratch) / "stderr"
        with open(errors, "wb") as stderr:
            process = subprocess.Popen([sys.executable, str(MEASURE), str(result), *command], cwd=cwd,
                                       stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the command and its workers
                process.wait()
                return {"seconds": None, "peak_mb": None, "error": f"timeout after {timeout} s"}
        measured = json.loads(result.read_text(encoding="utf-8"))
        error = errors.read_text(encoding="utf-8", errors="replace")[-2000:] if measured["exit"] else ""
    return {"seconds": measured["seconds"], "peak_mb": measured["peak_mb"], "error": error}


REPEATS = 3  # no-op and one-change builds are short: the median of this many runs is reported


def bench_site_builder(site: Path) -> dict:
    build = [sys.executable, "-m", "site_builder", "build", "--site", str(site)]
    time.sleep(2.1)  # as if the site had been edited a moment ago, not in the last 2 s (see below)
    result = {"cold": run_timed(build, REPO, timeout=3600)}
    time.sleep(2.1)  # files written in the last 2 s are never trusted to be unchanged (site_builder.cache)
    result["noop"] = median_run([run_timed(build, REPO, timeout=3600) for _ in range(REPEATS)])
    forms = sorted((site / "content").glob("*/projects/*.yaml"))
    runs = []
    for form in forms[:REPEATS]:  # a different record each time: its name edited, as staff would
        text = form.read_text(encoding="utf-8")
        form.write_text(text.replace("\nproject: ", "\nproject: 改", 1), encoding="utf-8")
        runs.append(run_timed(build, REPO, timeout=3600))
    result["changed"] = median_run(runs)
    return result


def median_run(runs: list[dict]) -> dict:
    """The run of median time, with every run's seconds; a failed run is reported as such."""
    failed = [run for run in runs if run.get("error")]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return {**ordered[len(ordered) // 2], "runs": [round(run["seconds"], 3) for run in runs],
            "peak_mb": max(run["peak_mb"] for run in runs)}


# --- an equivalent Markdown corpus for the other tools --------------------------------------

def _table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") or " " for c in cells) + " |"
    return "\n".join([line(header), line(["---"] * len(header)), *(line(r) for r in rows)])


def record_markdown(record) -> str:
    """The record's page as Markdown: its form as a table of the same rows and columns."""
    if isinstance(record, Document):
        return record.body
    parts = []
    if isinstance(record, ProjectEvaluation):
        parts.append(_table(["资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                            [[key, *(c.text for c in row.cells.values())] for key, row in record.funds.items()]))
    if isinstance(record, (ProjectEvaluation, DepartmentEvaluation)):
        rows = [[l1.label.text, l2.label.text, r.level3.text, r.target.text, r.actual.text, r.weight.text,
                 r.score.text, r.deviation.text] for l1 in record.indicators for l2 in l1.groups for r in l2.rows]
        parts.append(_table(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                             "偏差原因"], rows))
    else:
        parts.append(_table(["项目", "内容"], [[t.title.text, ""] for t in getattr(record, "tables", [])] or [["", ""]]))
    return "\n\n".join(parts)


def corpus(site: Path, out: Path) -> int:
    """One Markdown page per page of the site: records, and the year, column, home and 404 pages as lists."""
    model, _ = build_model(load_site(site))
    pages = []  # (folder, slug, title, date, markdown)
    for year in model.years:
        links = "\n".join(f"- {r.title}" for r in year.records)
        pages.append((str(year.year), "index", f"{year.year}年度", f"{year.year}-12-31", links))
        for record in year.records:
            pages.append((str(year.year), record.slug, record.title, f"{year.year}-12-31", record_markdown(record)))
    for name in ("home", "column", "not-found"):
        pages.append(("site", name, name, "2024-01-01", "\n".join(f"- {y.year}年度" for y in model.years)))
    if model.organization is not None:
        pages.append(("site", "organization", model.organization.title, "2024-01-01", model.organization.body))
    for folder, slug, title, date, markdown in pages:
        target = out / folder / f"{slug}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        title = title.replace('"', "'")
        target.write_text(f'---\ntitle: "{title}"\ndate: {date}\n---\n\n{markdown}\n', encoding="utf-8")
    return len(pages)


HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                   '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
                 '{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}


def bench_other(tool: str, markdown: Path, work: Path, timeout: float = TIMEOUT) -> dict:
    project = work / tool
    if tool == "hugo":
        shutil.copytree(markdown, project / "content")
        (project / "hugo.toml").write_text('baseURL = "http://example.org/"\nlanguageCode = "zh-cn"\n'
                                           'title = "benchmark"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
                                           encoding="utf-8")
        layouts = project / "layouts" / "_default"
        layouts.mkdir(parents=True)
        for name, text in HUGO_LAYOUTS.items():
            (layouts / name).write_text(text, encoding="utf-8")
        return run_timed(["hugo", "--quiet", "--destination", "public"], project, timeout)
    if tool == "mkdocs":
        shutil.copytree(markdown, project / "docs")
        (project / "mkdocs.yml").write_text("site_name: benchmark\ntheme: mkdocs\n", encoding="utf-8")
        return run_timed([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"], project, timeout)
    if tool == "pelican":
        shutil.copytree(markdown, project / "content")
        (project / "pelicanconf.py").write_text(
            'SITENAME = "benchmark"\nSITEURL = ""\nTIMEZONE = "Asia/Shanghai"\nDEFAULT_LANG = "zh"\n'
            'FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n'
            'AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nUSE_FOLDER_AS_CATEGORY = True\n', encoding="utf-8")
        return run_timed([sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                         project, timeout)
    raise ValueError(tool)


# --- the machine and the report -------------------------------------------------------------

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    versions = {}
    for tool, command in (("hugo", ["hugo", "version"]), ("mkdocs", [sys.executable, "-m", "mkdocs", "--version"]),
                          ("pelican", [sys.executable, "-m", "pelican", "--version"])):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=60)
            versions[tool] = (out.stdout or out.stderr).strip().splitlines()[-1][:120]
        except (OSError, subprocess.SubprocessError, IndexError) as exc:
            versions[tool] = f"unavailable: {exc}"
    return {"date": datetime.date.today().isoformat(), "system": platform.platform(), "cpu": cpu,
            "cpus": os.cpu_count(), "memory_mb": memory, "python": platform.python_version(),
            "load_average_at_start": os.getloadavg(), "tools": versions}


def fmt(result: dict | None, key: str = "seconds") -> str:
    if not result:
        return "—"
    if result.get("error") and result.get("seconds") is None:
        return "timeout"
    if result.get("error"):
        return "failed"
    value = result[key]
    return f"{value:.2f}" if key == "seconds" else f"{value:.0f}"


def report(results: dict) -> str:
    lines = ["| Pages | site_builder cold (s) | no-op (s) | 1 changed record (s) | peak MB | ms/page (cold) "
             "| Hugo (s) | MkDocs (s) | Pelican (s) | Hugo ÷ ours | MkDocs ÷ ours | Pelican ÷ ours |",
             "|" + " --- |" * 12]
    for size, row in results["sizes"].items():
        ours = row["site_builder"]
        cold = ours["cold"]["seconds"]
        peak = max((ours[k]["peak_mb"] or 0) for k in ("cold", "noop", "changed"))
        cells = [f"{int(size):,}", fmt(ours["cold"]), fmt(ours["noop"]), fmt(ours["changed"]), f"{peak:.0f}",
                 f"{cold / int(size) * 1000:.1f}" if cold else "—"]
        others = row.get("others", {})
        cells += [fmt(others.get(tool)) for tool in ("hugo", "mkdocs", "pelican")]
        for tool in ("hugo", "mkdocs", "pelican"):
            other = others.get(tool) or {}
            cells.append(f"{other['seconds'] / cold:.2f}" if cold and other.get("seconds") and not other.get("error")
                         else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="与 Hugo、MkDocs、Pelican 对比的生成速度测试。")
    parser.add_argument("--sizes", default="1000,5000,10000,20000", help="site_builder 的网页数，逗号分隔")
    parser.add_argument("--others", default="1000,10000", help="同时用 Hugo、MkDocs、Pelican 生成的网页数（须在 --sizes 中）")
    parser.add_argument("--tools", default="hugo,mkdocs,pelican", help="对比的工具")
    parser.add_argument("--work", type=Path, default=None, help="工作文件夹（默认临时文件夹，结束后删除）")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"其他工具一次生成的时限（秒，默认 {TIMEOUT}），超时记为 timeout")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    others = {int(s) for s in args.others.split(",") if s}
    tools = [t for t in args.tools.split(",") if t]
    work = args.work or Path(tempfile.mkdtemp(prefix="site-builder-bench-"))
    results = {"machine": machine(), "command": " ".join(["benchmarks/run.py", *(argv or sys.argv[1:])]),
               "sizes": {}}
    try:
        for size in sizes:
            site = work / f"site-{size}"
            shutil.rmtree(site, ignore_errors=True)
            generate(site, size)
            print(f"[{size} pages] site_builder …", file=sys.stderr, flush=True)
            row = {"site_builder": bench_site_builder(site)}
            for key, value in row["site_builder"].items():
                if value.get("error"):
                    print(f"  {key} failed: {value['error']}", file=sys.stderr)
            if size in others:
                markdown = work / f"markdown-{size}"
                shutil.rmtree(markdown, ignore_errors=True)
                row["markdown_pages"] = corpus(site, markdown)
                row["others"] = {}
                for tool in tools:
                    print(f"[{size} pages] {tool} …", file=sys.stderr, flush=True)
                    shutil.rmtree(work / tool, ignore_errors=True)
                    row["others"][tool] = bench_other(tool, markdown, work, args.timeout)
                    if row["others"][tool].get("error"):
                        print(f"  {tool} failed: {row['others'][tool]['error']}", file=sys.stderr)
                    shutil.rmtree(work / tool, ignore_errors=True)
                shutil.rmtree(markdown, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
            results["sizes"][str(size)] = row
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    table = report(results)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    m = results["machine"]
    (RESULTS / f"{stamp}.md").write_text(
        f"# Benchmark {m['date']}\n\n`{results['command']}`\n\n{m['system']}; {m['cpu']}, {m['cpus']} CPUs, "
        f"{m['memory_mb']:,} MB; Python {m['python']}; load average {m['load_average_at_start']} at start, "
        f"{m['load_average_at_end']} at end.\n\nTools: {m['tools']}\n\n{table}\n", encoding="utf-8")
    print(f"\n结果已写入 {RESULTS / stamp}.json 和 .md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
