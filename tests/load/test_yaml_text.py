"""site_builder.load.yaml_text: every scalar kept as printed, with its place; mistakes as findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteError
from site_builder.load import MarkedDict, MarkedList, MarkedStr, Source
from site_builder.load.source import CONTROL
from site_builder.load.yaml_text import parse_yaml


def source(text: str, name: str = "content/2023/projects/x.yaml") -> Source:
    return Source(Path(name), name, text)


def parse(text: str):
    return parse_yaml(source(text))


def error_of(text: str):
    with pytest.raises(SiteError) as info:
        parse(text)
    assert len(info.value.findings) == 1
    return info.value.findings[0]


def plain(value):
    """Marked values as plain dicts, lists and strs (and checks their types on the way)."""
    if isinstance(value, MarkedDict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, MarkedList):
        return [plain(v) for v in value]
    assert isinstance(value, MarkedStr), type(value)
    return str(value)


# --- scalars as printed ------------------------------------------------------------------------


@pytest.mark.parametrize("written, kept", [
    ("=<50万", "=<50万"),
    ('"1,463.31"', "1,463.31"),
    ("1,463.31", "1,463.31"),
    ("100%", "100%"),
    ("08", "08"),
    ("8", "8"),
    ('"8"', "8"),
    ("8.0", "8.0"),
    ("0x10", "0x10"),
    ("1e3", "1e3"),
    ("2024-09-11", "2024-09-11"),
    ("yes", "yes"),
    ("no", "no"),
    ("true", "true"),
    ("null", "null"),
    ("~", ""),
    ("", ""),
    ("2次，3万人", "2次，3万人"),
    ("≤50万元", "≤50万元"),
    ("'2024.09.11'", "2024.09.11"),
    ("139****6836", "139****6836"),
])
def test_scalars_stay_the_printed_string(written, kept):
    data = parse(f"value: {written}\n")
    assert isinstance(data["value"], MarkedStr)
    assert type(data["value"]) is not int
    assert str(data["value"]) == kept


def test_flow_mappings_keep_strings_too():
    data = parse('total: {initial: "1,463.31", annual: 50, executed: , weight: 10, rate: 100%, score: 08}\n')
    assert plain(data) == {"total": {"initial": "1,463.31", "annual": "50", "executed": "",
                                     "weight": "10", "rate": "100%", "score": "08"}}


def test_block_scalars_keep_line_breaks():
    data = parse("goals:\n  expected: |-\n    1.优化课堂教学方法\n    2.明确高考趋势.\n")
    assert data["goals"]["expected"] == "1.优化课堂教学方法\n2.明确高考趋势."


def test_keys_are_strings():
    data = parse("8: a\n2024: b\n")
    assert set(data) == {"8", "2024"}


# --- places --------------------------------------------------------------------------------------


def test_values_and_keys_carry_line_and_column():
    data = parse("kind: project-evaluation\nfunds:\n  total: {initial: 50, annual: 60}\nlist:\n  - 甲\n  - 乙\n")
    assert (data["kind"].line, data["kind"].column) == (1, 7)
    assert data.mark_of("funds") == (2, 1)
    assert data["funds"].mark_of("total") == (3, 3)
    assert (data["funds"]["total"]["annual"].line, data["funds"]["total"]["annual"].column) == (3, 32)
    assert isinstance(data["list"], MarkedList)
    assert [(v.line, v.column) for v in data["list"]] == [(5, 5), (6, 5)]


def test_line_offset_places_a_fragment_in_its_file():
    data = parse_yaml(source("---\nkind: report\ntitle: 标题\n---\n"), "kind: report\ntitle: 标题", line_offset=1)
    assert data["title"].line == 3


# --- mistakes ------------------------------------------------------------------------------------------


def test_duplicate_key_is_l105_at_the_second_key():
    finding = error_of("kind: report\nyear: 2023\ntitle: 甲\nyear: 2024\n")
    assert finding.code == "L105"
    assert (finding.line, finding.column) == (4, 1)
    assert "year" in finding.message and "第 2 行" in finding.message
    assert finding.source_line == "year: 2024"


def test_nested_duplicate_key_is_l105():
    finding = error_of("funds:\n  total: {initial: 1, initial: 2}\n")
    assert finding.code == "L105"
    assert finding.line == 2


def test_tab_indentation_is_l104():
    finding = error_of("funds:\n\ttotal: 1\n")
    assert finding.code == "L104"
    assert (finding.line, finding.column) == (2, 1)
    assert "Tab" in finding.hint or "制表符" in finding.message


def test_tab_after_spaces_in_indentation_is_l104():
    finding = error_of("funds:\n  total: 1\n  \tother: 2\n")
    assert finding.code == "L104"
    assert (finding.line, finding.column) == (3, 3)


def test_tab_inside_a_value_is_fine():
    assert parse("a: 甲\t乙\n")["a"] == "甲\t乙"


def test_empty_text_parses_to_nothing():
    assert parse("") is None
    assert parse("# 只有注释\n") is None


def test_syntax_error_is_l103_with_its_line():
    finding = error_of("kind: report\ntitle: a: b\n")
    assert finding.code == "L103"
    assert finding.line == 2
    assert "YAML" in finding.message


def test_unclosed_quote_points_at_the_opening_quote():
    text = "kind: project-evaluation\nproject: \"高三复习迎考\nyear: 2023\nslug: x\n"
    finding = error_of(text)
    assert finding.code == "L103"
    assert (finding.line, finding.column) == (2, 10)
    assert "引号" in finding.message
    assert finding.source_line == 'project: "高三复习迎考'


def test_bad_escape_is_reported_where_it_is():
    finding = error_of('a: 1\nb: "x\\qy"\n')
    assert finding.code == "L103"
    assert finding.line == 2
    assert "反斜杠" in finding.message


def test_unclosed_flow_mapping_is_l103():
    finding = error_of("total: {initial: 1, annual: 2\nnext: 3\n")
    assert finding.code == "L103"
    assert finding.line in (1, 2)


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ",".join([f"*{chr(96 + n)}"] * 10) + "]")
    finding = error_of("\n".join(lines) + "\n")
    assert finding.code == "L103"


def test_complex_key_is_l103():
    finding = error_of("? [a, b]\n: c\n")
    assert finding.code == "L103"


# --- property: any structure dumped by PyYAML comes back as the same strings ------------------------------

# U+0085, U+2028 and U+2029 are line breaks to YAML 1.1, and yaml.safe_dump writes them
# unescaped (so that PyYAML's own safe_load does not read them back either): left out. So are the control
# characters, which a record may not hold (L111: see test_a_control_character_in_a_value_is_l111), and the
# zero-width characters and no-break spaces, which are reported (L110: pasted from web pages), as is U+FEFF.
_CONTROLS = "".join(chr(code) for code in range(0x10000) if CONTROL.match(chr(code)))
_text = st.text(st.characters(exclude_categories=("Cs",),
                              exclude_characters="\x85\u2028\u2029\u00a0\u200b\u200c\u200d\u2060\ufeff" + _CONTROLS),
                max_size=20)
_structures = st.recursive(
    _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_text, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_text, _structures, max_size=5))
def test_safe_dump_round_trips_to_the_same_strings(data):
    for flow in (False, None):
        text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
        parsed = parse(text)
        assert plain(parsed if parsed is not None else {}) == data, text


@settings(max_examples=100, deadline=None)
# the characters YAML writes as escapes: not its line breaks (see above), nor the bidirectional controls, written
# as they are (a file holding one is L111 when it is read: tests/safety/test_control_characters.py)
@given(_text, st.sampled_from(sorted(set(_CONTROLS) - set("\x85\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                                                          "\u2066\u2067\u2068\u2069"))), _text)
def test_a_control_character_in_a_value_is_l111(before, control, after):
    text = yaml.safe_dump({"title": before + control + after}, allow_unicode=True)
    with pytest.raises(SiteError) as raised:
        parse(text)
    assert [finding.code for finding in raised.value.findings] == ["L111"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_parse_yaml_raises_only_site_errors(text):
    try:
        parse_yaml(source(text))
    except SiteError as exc:
        assert exc.findings and all(f.code.startswith("L") for f in exc.findings)


def test_a_key_that_only_looks_like_a_slip_is_read_as_written():
    """Read as "{", the full-width brace would break the text: it is the key's own character."""
    assert plain(parse("'0':\n- ｛: ''\n")) == {"0": [{"｛": ""}]}
    with pytest.raises(SiteError) as raised:  # a real slip is still reported
        parse("funds：\n  total: 1\n")
    assert [f.code for f in raised.value.findings] == ["L110"]


# --- values that start with a character YAML reads as syntax ---------------------------------------


def _english(message: str) -> list[str]:
    """Words of the parser's English left in a message (YAML itself is a name editors know)."""
    import re

    return re.findall(r"[A-Za-z]{4,}", message.replace("YAML", ""))


@pytest.mark.parametrize("start", ["&", "*", "!", "|", ">", "@", "`", "%"])
@pytest.mark.parametrize("flow", [False, True])
def test_a_value_starting_with_a_yaml_character_is_named_with_the_quoted_fix(start, flow):
    """`project: &高三复习迎考` was “无法解析（did not find expected alphabetic or numeric character）”."""
    if flow:
        line = f"  - {{level3: 培训, target: {start}450人, weight: 8}}"
        fixed = f'  - {{level3: 培训, target: "{start}450人", weight: 8}}'
    else:
        line = f"project: {start}高三复习迎考"
        fixed = f'project: "{start}高三复习迎考"'
    head = "kind: project-evaluation\nrows:\n" if flow else "kind: project-evaluation\nyear: 2023\n"
    finding = error_of(head + line + "\nnote: 无\n")
    assert finding.code == "L103"
    assert (finding.line, finding.column) == (3, line.index(start) + 1)
    assert f"“{start}”开头" in finding.message
    assert _english(finding.message) == []
    assert fixed.strip() in finding.hint


def test_a_dash_for_an_empty_value_is_named():
    """`implementer: -` (a dash for a blank cell) was “block sequence entries are not allowed in this context”."""
    finding = error_of("implementer: -\nnote: 无\n")
    assert finding.code == "L103" and (finding.line, finding.column) == (1, 14)
    assert "“-”" in finding.message and _english(finding.message) == []
    assert 'implementer: "-"' in finding.hint


@pytest.mark.parametrize("text, line", [
    ("project: &A 高三复习迎考\n", 1),          # the "&A " was dropped: 高三复习迎考 published
    ("a: &t {x: 1}\nb: *t\n", 1),              # b repeated a, with a's line numbers
    ("a: 1\nnote: *注\n", 2),
])
def test_anchors_and_aliases_are_reported_not_read(text, line):
    finding = error_of(text)
    assert finding.code == "L103" and finding.line == line
    assert "引用" in finding.message + finding.hint and _english(finding.message) == []


def test_anchor_that_meant_text_gets_the_quoted_fix():
    finding = error_of("project: &A 高三复习迎考\n")
    assert 'project: "&A 高三复习迎考"' in finding.hint


@pytest.mark.parametrize("text", [
    "---\na: 1\n---\nb: 2\n", "a: 1\n...\nb: 2\n", "{a: 1}}\n", 'a: "\\x4"\n', "a: !x!y 1\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "a: &x 1\nb: &x 2\n",
])
def test_no_parser_english_in_syntax_messages(text):
    finding = error_of(text)
    assert finding.code == "L103"
    assert _english(finding.message) == [], finding.message


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab: -\n{}[],'\"&*!|>%@`#?\\xu中～"), max_size=40))
def test_syntax_messages_never_carry_the_parsers_english(text):
    try:
        parse(text)
    except SiteError as exc:
        for finding in exc.findings:
            assert _english(finding.message) == [], (text, finding.message)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["{level3: 培训, weight: 8}", "一", "二项", "level3: 甲"]), min_size=2, max_size=6),
       st.data(), st.sampled_from([0, 2, 6]))
def test_a_list_item_without_its_dash_is_named_at_its_line(items, data, indent):
    """However many items, whichever loses its dash (not the first: that is no list yet), however deep."""
    items = ["{" + item + "}" if item.startswith("level3") else item for item in items]
    k = data.draw(st.integers(min_value=1, max_value=len(items) - 1))
    pad = " " * indent
    lines = ["kind: x", "rows:"] + [f"{pad}- {item}" for item in items] + ["note: 无"]
    lines[2 + k] = pad + items[k]
    with pytest.raises(SiteError) as info:
        parse("\n".join(lines) + "\n")
    [finding] = info.value.findings
    assert finding.code == "L103"
    assert (finding.line, finding.column) == (3 + k, indent + 1)
    assert "短横线" in finding.message
    assert f"- {items[k]}" in finding.hint


_REAL_PROJECT = (Path(__file__).resolve().parents[2] / "content/2023/projects/gaosan-fuxi-yingkao.yaml").read_text(encoding="utf-8")
_FLOW_ROWS = [number for number, line in enumerate(_REAL_PROJECT.split("\n")) if re.search(r"(:|-)\s+\{", line)]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_FLOW_ROWS), st.floats(min_value=0.05, max_value=0.95))
def test_a_file_cut_off_inside_a_row_points_at_the_open_row(row, fraction):
    """A save caught half-way (the preview reads it) was reported at a line after the end of the file, quoting nothing."""
    lines = _REAL_PROJECT.split("\n")
    line = lines[row]
    opening = re.search(r"\{", line).start()
    closing = line.rindex("}")
    cut = opening + 1 + int((closing - opening - 1) * fraction)
    text = "\n".join(lines[:row] + [line[:cut]])
    with pytest.raises(SiteError) as info:
        parse(text)
    [finding] = info.value.findings
    assert finding.code == "L103"
    assert (finding.line, finding.column) == (row + 1, opening + 1), (line[:cut], finding)
    assert "没有闭合" in finding.message and "“}”" in finding.hint


_KEY_LINES = [number for number, line in enumerate(_REAL_PROJECT.split("\n"))
              if re.match(r"^ *(- +)?[a-z_0-9]+:", line) and number > 0]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_KEY_LINES), st.sampled_from([-1, 1]))
def test_a_key_one_space_off_its_level_is_named_with_a_fix_that_reads(row, shift):
    """`     groups:` under `  - level1:` was “这里不能出现‘键: 值’” with a hint about quotes and colons.
    The finding is on the line moved (or, when that line is still valid YAML, on the next one that is
    not), and the line the hint gives, put in its place, makes the file read."""
    lines = _REAL_PROJECT.split("\n")
    original = lines[row]
    indent = len(original) - len(original.lstrip(" "))
    if indent + shift < 0:
        return
    lines[row] = " " * (indent + shift) + original.lstrip(" ")
    try:
        parse("\n".join(lines))
    except SiteError as exc:
        finding = exc.findings[0]
        assert finding.code == "L103"
        assert row + 1 <= finding.line <= row + 2, (lines[row], finding)
        if "缩进" in finding.message:
            fixed = finding.hint.rsplit("改为：", 1)[1]
            spaces = 0 if "顶格" in finding.hint else int(re.search(r"开头改为 (\d+) 个空格", finding.hint)[1])
            lines[finding.line - 1] = " " * spaces + fixed
            parse("\n".join(lines))  # reads now
    # one space more can still be valid YAML (a value continued on the next line): the schema judges it
