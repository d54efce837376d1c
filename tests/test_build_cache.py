"""The build cache (site_builder.cache) and parallel rendering never change what is built.

A rebuild with nothing changed does nothing; a changed record is built again
with the pages whose bytes did not change linked, not rewritten; rendering in
several processes gives the same pages in the same order as one process.
"""

from __future__ import annotations

import os
import time

from sitetest import run_cli

from site_builder import render
from site_builder.load import load_site
from site_builder.model import build_model
from site_builder.render import Theme, render_pages


def _age(folder, seconds=60):
    """Make every file look saved a minute ago: files saved in the last 2 s are never trusted unchanged."""
    past = time.time() - seconds
    for root, _dirs, files in os.walk(folder):
        for name in files:
            os.utime(os.path.join(root, name), (past, past))


def _snapshot(out):
    return {path.relative_to(out).as_posix(): (path.read_bytes(), path.stat().st_ino)
            for path in sorted(out.rglob("*")) if path.is_file()}


def test_noop_rebuild_leaves_the_output_untouched(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    code, stdout, _ = run_cli("build", "--site", site, "--out", out)
    assert code == 0 and "已生成网站" in stdout
    assert _snapshot(out) == before  # same bytes, same files (inodes): nothing written


def test_changed_record_is_rebuilt_and_unchanged_pages_are_linked(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    before = _snapshot(out)
    form = next(site.glob("content/*/projects/*.yaml"))
    form.write_text(form.read_text(encoding="utf-8").replace("\nproject: ", "\nproject: 新", 1), encoding="utf-8")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    after = _snapshot(out)
    assert set(after) == set(before)
    changed = {path for path in after if after[path][0] != before[path][0]}
    assert any("新" in after[path][0].decode("utf-8") for path in changed)
    assert "404.html" not in changed  # no record on it: the very file of the last build, linked
    assert after["404.html"][1] == before["404.html"][1]
    fresh = tmp_path / "fresh"
    (site / ".site-builder-cache").rename(tmp_path / "old-cache")
    assert run_cli("build", "--site", site, "--out", fresh)[0] == 0
    assert {p: v[0] for p, v in _snapshot(fresh).items()} == {p: v[0] for p, v in after.items()}


def test_changed_output_file_is_written_again(site, tmp_path):
    out = tmp_path / "out"
    _age(site)
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    original = (out / "index.html").read_bytes()
    (out / "index.html").write_bytes(b"edited by hand")
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    assert (out / "index.html").read_bytes() == original


def test_rendering_in_several_processes_gives_the_same_pages_in_order(site, monkeypatch):
    model, _ = build_model(load_site(site))
    theme = Theme.for_site(site, model.config.theme_dir)
    alone = render_pages(model, theme)
    monkeypatch.setattr(render, "_PAGES_PER_WORKER_AT_LEAST", 1)
    together = render_pages(model, theme, workers=2)
    assert list(together.items()) == list(alone.items())
