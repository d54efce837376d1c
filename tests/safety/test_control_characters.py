"""Invisible control characters (pasted from Word: U+000B, U+000C; U+001B …) are refused at their line (L111).

One in a title ("\\u000b" in YAML, or typed into a Markdown body) was published as it was: pages carried it,
and feed.xml was no longer well-formed XML, so that feed readers dropped the whole feed.
"""

from __future__ import annotations

import xml.dom.minidom

import pytest

from sitetest import run_cli

from site_builder.errors import _display_width

from .conftest import PROJECT, REPORT, edit

BASE = "base_url:                               # 正式发布的网址，未配置则留空"


@pytest.mark.parametrize("character", ["\x0b", "\x0c", "\x1b", "\x01", "\x7f", "\x85", "\ufffe", "\u202e", "\u2066"])
def test_a_control_character_in_a_body_is_refused_at_its_line_and_column(site, character):
    line = edit(site, REPORT, "核定全额编制数44名。", f"核定全额编制数{character}44名。")
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 1, stdout + stderr
    assert f"{REPORT}:{line}:8: L111" in stdout + stderr and f"U+{ord(character):04X}" in stdout + stderr
    assert not (site / "build").exists()


@pytest.mark.parametrize("escape", ["\\u000b", "\\x1b", "\\a", "\\e", "\\u0085"])
def test_a_control_character_written_as_a_yaml_escape_is_refused_at_its_value(site, escape):
    line = edit(site, PROJECT, "project: 高三复习迎考", f'project: "高三{escape}复习迎考"')
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 1, stdout + stderr
    assert f"{PROJECT}:{line}:10: L111" in stdout + stderr
    assert not (site / "build").exists()


def test_the_feed_of_the_real_content_is_well_formed(site):
    edit(site, "content/site.yaml", BASE, "base_url: https://www.example.gov.cn/jky/")
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    xml.dom.minidom.parse(str(site / "build" / "feed.xml"))


def test_an_error_on_a_long_line_quotes_the_part_around_its_column(site):
    """A Markdown paragraph is one line: the report quotes some hundred characters around the mistake, with
    the caret under it, not the whole paragraph (100,000 characters filled the editor's window)."""
    long_line = "核定全额编制数" * 5000 + "\x0c" + "人员经费" * 5000
    line = edit(site, REPORT, "核定全额编制数44名。", long_line)
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 1, stdout + stderr
    column = long_line.index("\x0c") + 1
    output = (stdout + stderr).splitlines()
    assert f"{REPORT}:{line}:{column}: L111" in stdout + stderr
    quoted = [text for text in output if text.startswith(f"  {line:>4} | ")]
    assert len(quoted) == 1 and len(quoted[0]) < 120 and quoted[0].count("…") == 2
    caret = output[output.index(quoted[0]) + 1]
    shown = quoted[0][len(f"  {line:>4} | "):]
    width = caret.index("^") - len(f"  {line:>4} | ")
    # the caret is under the character where the control character was, counted in terminal columns
    before = next(shown[:i] for i in range(len(shown) + 1) if _display_width(shown[:i]) >= width)
    assert shown[len(before):].startswith("人员经费")  # the control character itself is left out of the quote
