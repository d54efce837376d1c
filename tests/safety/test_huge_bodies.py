"""Bodies that would keep a build busy for minutes (pasted garbage, or hostile): refused with the line, quickly.

Python-Markdown looks for a link's ] and ) from every [ of a paragraph to its end: 30,000 [ in one paragraph
took minutes (P708). Thousands of headings of one name took seconds each time the anchors were numbered.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.render.markdown_body import render_body
from site_builder.render.outline import Anchors
from sitetest import run_cli_process

from .conftest import REPORT

FLOODS = {"brackets": "[" * 30000, "images": "![" * 15000, "links": "[a](" * 20000, "closed": "[" * 30000 + "]"}


@pytest.mark.parametrize("flood", sorted(FLOODS))
def test_a_paragraph_of_thousands_of_brackets_is_refused_at_its_line_quickly(site, flood):
    path = site / REPORT
    text = path.read_text(encoding="utf-8").rstrip("\n")
    line = text.count("\n") + 3
    path.write_text(f"{text}\n\n{FLOODS[flood]}\n\n后面的段落。\n", encoding="utf-8")
    started = time.monotonic()
    code, stdout, stderr = run_cli_process("build", "--site", site, timeout=120)
    assert time.monotonic() - started < 60
    assert code == 1, stdout + stderr
    assert f"{REPORT}:{line}:1: P708" in stdout + stderr
    assert not (site / "build").exists()


def test_a_long_document_with_many_links_still_builds():
    paragraph = "见[附件](files/a.pdf)和[说明](#s1)。" * 40
    body = "\n\n".join([paragraph] * 200)
    started = time.monotonic()
    html = render_body(body).html
    assert html.count('href="files/a.pdf"') == 8000 and time.monotonic() - started < 30


def _numbered_as_before(names: list[tuple[int, str]]) -> list[str]:
    """Anchors.name's result numbered as it was, "-2", "-3", … looked for from "-2" each time."""
    used, stack, result = set(), [], []
    for level, text in names:
        while stack and stack[-1][0] >= level:
            stack.pop()
        base = Anchors()
        base._stack = list(stack)
        anchor = base.name(level, text)  # the anchor before numbering: a fresh set of used names
        unique, n = anchor, 1
        while unique in used:
            n += 1
            unique = f"{anchor}-{n}"
        used.add(unique)
        stack.append((level, unique))
        result.append(unique)
    return result


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["一、a", "（二）b", "2.c", "主要职能", "1.x", "二、y"])),
                max_size=40))
def test_anchors_are_numbered_as_before(names):
    anchors = Anchors()
    assert [anchors.name(level, text) for level, text in names] == _numbered_as_before(names)


def test_thousands_of_headings_of_one_name_are_numbered_quickly():
    anchors = Anchors()
    started = time.monotonic()
    names = [anchors.name(0, "一、a") for _ in range(20000)]
    assert names[:3] == ["s1", "s1-2", "s1-3"] and names[-1] == "s1-20000" and time.monotonic() - started < 2
