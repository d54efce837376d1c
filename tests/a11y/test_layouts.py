"""Every shipped layout, and a grid with merged cells, renders a sample record with zero
accessibility findings: the grid check, unique ids, the HTML validator and axe."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from a11y_support import ROOT, grid_problems, parse_html
from conftest import _QuietHandler, elder_init_script, run_vnu
from test_axe import axe, axe_problems  # noqa: F401  (axe: the fixture)

sys.path.insert(0, str(ROOT / "tests"))
from layout_samples import sample_site  # noqa: E402
from site_builder.layouts import load_layouts  # noqa: E402


@pytest.fixture(scope="module")
def layouts_site(tmp_path_factory) -> Path:
    """The sample site of every layout, built once (by a real process, as the real site is)."""
    site = sample_site(tmp_path_factory.mktemp("layouts-site") / "site")
    out = site.parent / "build"
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--site", str(site), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def layout_pages(layouts_site) -> list[str]:
    pages = sorted(p.relative_to(layouts_site).as_posix() for p in (layouts_site / "disclosure" / "2024").glob("*.html")
                   if p.name != "index.html")
    expected = {f"disclosure/2024/{layout.id}.html" for layout in load_layouts(None).distinct()}
    assert expected <= set(pages), sorted(expected - set(pages))
    return pages


def test_every_layout_page_has_whole_grids_and_unique_ids(layouts_site, layout_pages):
    problems = []
    for path in layout_pages:
        document = parse_html((layouts_site / path).read_text(encoding="utf-8"))
        problems += [f"{path}: {problem}" for problem in grid_problems(document)]
        counts = Counter(n.attrs["id"] for n in document.iter() if "id" in n.attrs)
        problems += [f"{path}: id {ident!r} used {count} times" for ident, count in counts.items() if count > 1]
        assert document.find(lambda n: n.tag == "table"), f"{path} has no table"
    assert not problems, "\n".join(problems)


def test_every_layout_page_validates(java, layouts_site, layout_pages):
    results = run_vnu(java, [layouts_site / "disclosure" / "2024"])
    assert not results, "\n".join(f"{path}: {m.get('message')}" for path, messages in results.items() for m in messages)


@pytest.fixture(scope="module")
def layouts_url(layouts_site):
    handler = functools.partial(_QuietHandler, directory=str(layouts_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder-mode"])
def test_axe_finds_nothing_on_any_layout_page(browser, layouts_url, layout_pages, axe, elder):
    context = browser.new_context(base_url=layouts_url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        context.add_init_script(elder_init_script(elder))
        problems, ran = axe_problems(context.new_page(), layout_pages, axe, elder)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert {"td-has-header", "td-headers-attr", "th-has-data-cells"} <= ran
