"""The generated site of the benchmarks (benchmarks/generate_site.py) is valid at every size:
exactly the pages asked for, every year one the schema accepts."""

from __future__ import annotations

import importlib.util
import re

import pytest

from sitetest import REPO, run_cli, run_cli_process

_SPEC = importlib.util.spec_from_file_location("generate_site", REPO / "benchmarks" / "generate_site.py")
generate_site = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate_site)


def _years(site):
    return sorted(int(folder.name) for folder in (site / "content").iterdir() if folder.name.isdigit())


def test_a_site_too_big_for_its_years_has_more_forms_a_year(tmp_path, monkeypatch):
    """100,000 pages at 200 forms a year would reach back to 1533: no longer a year (Y-codes)."""
    monkeypatch.setattr(generate_site, "YEARS_AT_MOST", 3)
    site = generate_site.generate(tmp_path / "site", 800)
    assert generate_site.real_pages(site / "content") == 800
    years = _years(site)
    assert years[0] >= generate_site.FIRST_GENERATED_YEAR - 2
    assert len(list(site.glob("content/2020/projects/*.yaml"))) > generate_site.PROJECTS_PER_YEAR
    code, stdout, stderr = run_cli("check", "--site", site)
    assert code == 0, stderr[-2000:]


def test_a_small_site_keeps_the_usual_forms_a_year(tmp_path):
    site = generate_site.generate(tmp_path / "site", 500)
    assert generate_site.real_pages(site / "content") == 500
    assert len(list(site.glob("content/2020/projects/*.yaml"))) == generate_site.PROJECTS_PER_YEAR
    assert all(re.fullmatch(r"(19|20)\d\d", str(year)) for year in _years(site))


def test_the_stage_times_of_a_build_count_each_cpu_second_once(tmp_path, monkeypatch):
    """benchmarks/run.py prints CPU seconds per stage, summed over the build's processes: together
    they are at most what the build's processes spent. (A worker forked after the first pass once
    handed back the stage times it inherited, and every stage of that pass counted three times.)"""
    import json
    import resource

    site = generate_site.generate(tmp_path / "site", 300)  # enough files for worker processes in both passes
    times = tmp_path / "stages.json"
    monkeypatch.setenv("SITE_BUILDER_STAGE_TIMES", str(times))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    code, stdout, stderr = run_cli_process("build", "--site", site, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert code == 0, stderr[-2000:]
    spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stages = json.loads(times.read_text(encoding="utf-8"))
    assert {"load", "model", "check", "render", "downloads", "write", "index"} <= set(stages)
    assert sum(stages.values()) <= spent * 1.02 + 0.2, (stages, spent)


def _bench_run():
    """benchmarks/run.py as a module."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
        bench_run = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench_run)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return bench_run


def test_a_benchmark_run_during_which_the_code_changed_is_void(tmp_path):
    """benchmarks/run.py compares the generator's code and theme before and after: every build after an
    edit starts without its cache, so the no-op and one-change timings of such a run mean nothing."""
    bench_run = _bench_run()
    (tmp_path / "site_builder" / "__pycache__").mkdir(parents=True)
    (tmp_path / "themes" / "default").mkdir(parents=True)
    code = tmp_path / "site_builder" / "build.py"
    code.write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "themes" / "default" / "base.html").write_text("<p>", encoding="utf-8")
    before = bench_run.code_files(tmp_path)
    assert sorted(before) == ["site_builder/build.py", "themes/default/base.html"]
    (tmp_path / "site_builder" / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"compiled")
    assert bench_run.changed_code(before, bench_run.code_files(tmp_path)) == []
    code.write_text("x = 12\n", encoding="utf-8")
    (tmp_path / "themes" / "default" / "base.html").unlink()
    assert bench_run.changed_code(before, bench_run.code_files(tmp_path)) == ["site_builder/build.py",
                                                                              "themes/default/base.html"]


def test_a_build_killed_without_a_word_is_a_failed_run(tmp_path):
    """A build the system kills (out of memory: SIGKILL) writes nothing on stderr; run.py reported such a
    build as a success, with the time it had run (a 100,000-page rebuild killed after 170 s looked like a
    170-second build)."""
    import sys

    bench_run = _bench_run()
    killed = bench_run.run_timed([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
                                 tmp_path)
    assert "-9" in killed["error"] and bench_run.fmt(killed) == "failed"
    failed = bench_run.run_timed([sys.executable, "-c", "raise SystemExit(3)"], tmp_path)
    assert failed["error"] == "exit code 3" and bench_run.fmt(failed) == "failed"
    assert bench_run.run_timed([sys.executable, "-c", "pass"], tmp_path)["error"] == ""


def test_repeated_cold_builds_keep_one_output_folder_at_a_time_on_a_ram_disk(tmp_path, monkeypatch):
    """At 100,000 pages an output folder is 11 GB: run.py's three cold builds into new folders filled the RAM
    disk (the second build failed). On a RAM disk the last output goes before the next build; elsewhere
    right after it (never just before a timing: ext4 without a journal)."""
    import shutil

    bench_run = _bench_run()
    for ram in (True, False):
        work = tmp_path / ("ram" if ram else "disk")
        (work / "site").mkdir(parents=True)
        ours = bench_run.Ours(work / "site", work)
        seen: list[list[str]] = []

        def build(out, ours=ours, seen=seen, work=work):
            seen.append(sorted(p.name for p in work.glob("ours-out-*")))  # what is there as the build starts
            (out / "index.html").parent.mkdir(parents=True)
            (out / "index.html").write_text("x", encoding="utf-8")
            ours.count += 1
            return {"seconds": 1.0}

        monkeypatch.setattr(ours, "_build", build)
        monkeypatch.setattr(bench_run, "on_ram_disk", lambda path, ram=ram: ram)
        monkeypatch.setattr(bench_run.time, "sleep", lambda seconds: None)
        for _ in range(3):
            ours.cold()
        assert seen == ([[], [], []] if ram else [[], ["ours-out-0"], ["ours-out-1"]])
        assert sorted(p.name for p in work.glob("ours-out-*")) == ["ours-out-2"] == [ours.out.name]
        shutil.rmtree(work)


@pytest.mark.parametrize("pages, cells, unfair", [(3, 4, None), (2, 4, "pages"), (3, 3, "cells"), (2, 1, "pages and cells")])
def test_another_tool_that_renders_fewer_pages_or_cells_is_unfair(tmp_path, monkeypatch, pages, cells, unfair):
    """The fairness guard (issue 17): Hugo once took each year's index.md for a leaf bundle and rendered 14
    pages of 1,000 and no table; such a build is reported unfair (and run.py exits 1), not timed."""
    import sys

    bench_run = _bench_run()
    corpus = tmp_path / "markdown"
    corpus.mkdir()
    others = bench_run.Others(corpus, tmp_path / "work", timeout=60)
    script = ("import pathlib, sys\nout = pathlib.Path(sys.argv[1]); out.mkdir(parents=True)\n"
              f"for n in range({pages}):\n"
              f"    (out / f'{{n}}.html').write_text('<td>x</td>' * ({cells} if n == 0 else 0))\n")
    monkeypatch.setattr(others, "command", lambda tool, out: ([sys.executable, "-c", script, str(out)], tmp_path))
    result = others.cold("hugo", {"pages": 3, "cells": 4})
    assert result["error"] == "" and result["rendered"] == {"pages": pages, "cells": cells}
    if unfair is None:
        assert "unfair" not in result and bench_run.fmt(result) != "unfair"
    else:
        assert f"fewer {unfair} than site_builder" in result["unfair"] and bench_run.fmt(result) == "unfair"
