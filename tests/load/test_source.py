"""site_builder.load: reading files as UTF-8 text, front matter, and the findings for unreadable files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteError
from site_builder.load import load_file, load_site
from site_builder.load.source import read_source

RECORD = "kind: report\nyear: 2023\ntitle: 2023年度部门整体支出绩效自评报告\n"


def write(site: Path, relative: str, data: bytes) -> Path:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def finding_of(path: Path, site: Path):
    with pytest.raises(SiteError) as info:
        load_file(path, site)
    assert len(info.value.findings) == 1
    return info.value.findings[0]


# --- reading -------------------------------------------------------------------------------------


def test_path_is_named_relative_to_the_site_with_forward_slashes(tmp_path):
    path = write(tmp_path, "content/2023/projects/a.yaml", RECORD.encode())
    assert read_source(path, tmp_path).name == "content/2023/projects/a.yaml"


def test_bom_and_windows_line_ends_are_accepted(tmp_path):
    path = write(tmp_path, "content/a.yaml", b"\xef\xbb\xbf" + RECORD.replace("\n", "\r\n").encode())
    source = read_source(path, tmp_path)
    assert source.text == RECORD
    data = load_file(path, tmp_path).data
    assert data["title"] == "2023年度部门整体支出绩效自评报告"
    assert data["title"].line == 3


def test_old_mac_line_ends_are_accepted(tmp_path):
    path = write(tmp_path, "content/a.yaml", RECORD.replace("\n", "\r").encode())
    assert read_source(path, tmp_path).text == RECORD


def test_gbk_file_is_l101_with_a_utf8_hint(tmp_path):
    path = write(tmp_path, "content/a.yaml", ("kind: report\ntitle: 自评报告\n").encode("gbk"))
    finding = finding_of(path, tmp_path)
    assert finding.code == "L101"
    assert finding.path == "content/a.yaml"
    assert (finding.line, finding.column) == (2, 8)  # the first byte that is not UTF-8
    assert "UTF-8" in finding.hint
    assert "GBK" in finding.hint


def test_other_non_utf8_bytes_are_l101_without_mentioning_gbk(tmp_path):
    path = write(tmp_path, "content/a.yaml", b"kind: report\ntitle: \xff\xfe\xff\n")
    finding = finding_of(path, tmp_path)
    assert finding.code == "L101"
    assert "UTF-8" in finding.hint
    assert "GBK" not in finding.hint


def test_nul_bytes_are_l101(tmp_path):
    path = write(tmp_path, "content/a.yaml", b"kind: report\n\x00\x01\x02")
    finding = finding_of(path, tmp_path)
    assert finding.code == "L101"
    assert finding.line == 2


@pytest.mark.parametrize("data", [b"", b"\n\n", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_file_is_l102(tmp_path, data):
    path = write(tmp_path, "content/a.yaml", data)
    assert finding_of(path, tmp_path).code == "L102"


def test_empty_markdown_file_is_l102(tmp_path):
    path = write(tmp_path, "content/2023/a.md", b"")
    assert finding_of(path, tmp_path).code == "L102"


def test_unreadable_path_is_l108(tmp_path):
    folder = tmp_path / "content" / "a.yaml"
    folder.mkdir(parents=True)  # a folder where a file should be
    assert finding_of(folder, tmp_path).code == "L108"


@pytest.mark.parametrize("text", ["# 只有注释\n", "# 2023年度项目支出绩效自评表\n# 待填\n", "---\n# 待填\n...\n"])
def test_comment_only_yaml_is_said_to_hold_only_comments(tmp_path, text):
    """It was L107 “文件的最外层应当是‘键: 值’的形式”, quoting the comment as if it were the mistake."""
    path = write(tmp_path, "content/a.yaml", text.encode())
    finding = finding_of(path, tmp_path)
    assert finding.code == "L102" and "只有注释" in finding.message


@pytest.mark.parametrize("text", ["- a\n- b\n", "只是一句话\n"])
def test_yaml_whose_top_level_is_not_a_mapping_is_l107(tmp_path, text):
    path = write(tmp_path, "content/a.yaml", text.encode())
    finding = finding_of(path, tmp_path)
    assert finding.code == "L107"
    assert finding.line == 1


# --- Markdown front matter --------------------------------------------------------------------------


def test_front_matter_and_body(tmp_path):
    path = write(tmp_path, "content/2023/a.md", ("---\n" + RECORD + "---\n\n## 一、标题\n\n正文。\n").encode())
    loaded = load_file(path, tmp_path)
    assert loaded.data["kind"] == "report"
    assert loaded.data["title"].line == 4
    assert "## 一、标题" in loaded.body
    assert loaded.body.line == 6


def test_missing_front_matter_is_l106(tmp_path):
    path = write(tmp_path, "content/2023/a.md", "## 标题\n\n正文\n".encode())
    finding = finding_of(path, tmp_path)
    assert finding.code == "L106"
    assert finding.line == 1


def test_unclosed_front_matter_is_l106(tmp_path):
    path = write(tmp_path, "content/2023/a.md", ("---\n" + RECORD + "\n正文\n").encode())
    assert finding_of(path, tmp_path).code == "L106"


def test_empty_front_matter_is_l106(tmp_path):
    path = write(tmp_path, "content/2023/a.md", "---\n---\n正文\n".encode())
    assert finding_of(path, tmp_path).code == "L106"


def test_front_matter_that_is_not_a_mapping_is_l106(tmp_path):
    path = write(tmp_path, "content/2023/a.md", "---\n- a\n---\n正文\n".encode())
    assert finding_of(path, tmp_path).code == "L106"


def test_yaml_error_in_front_matter_gives_the_line_in_the_file(tmp_path):
    path = write(tmp_path, "content/2023/a.md", "---\nkind: report\ntitle: a: b\n---\n正文\n".encode())
    finding = finding_of(path, tmp_path)
    assert finding.code == "L103"
    assert finding.line == 3
    assert finding.source_line == "title: a: b"


def test_duplicate_key_in_front_matter_gives_the_line_in_the_file(tmp_path):
    path = write(tmp_path, "content/2023/a.md", "---\nkind: report\nyear: 1\nyear: 2\n---\n".encode())
    finding = finding_of(path, tmp_path)
    assert (finding.code, finding.line) == ("L105", 4)


# --- the whole site -------------------------------------------------------------------------------------


def test_load_site_collects_every_unreadable_file(tmp_path):
    write(tmp_path, "content/site.yaml", "name: 测试单位\n".encode())
    write(tmp_path, "content/2023/good.md", ("---\n" + RECORD + "---\n正文\n").encode())
    write(tmp_path, "content/2023/projects/gbk.yaml", "kind: 项目\n".encode("gbk"))
    write(tmp_path, "content/2023/projects/tab.yaml", b"kind: x\nfunds:\n\ttotal: 1\n")
    write(tmp_path, "content/2023/projects/.hidden.yaml", b"\xff")
    write(tmp_path, "content/2023/projects/~lock.yaml", b"\xff")
    write(tmp_path, "content/2023/notes.txt", b"\xff")
    loaded = load_site(tmp_path)
    assert [f.source.name for f in loaded.files] == ["content/2023/good.md"]
    assert sorted((f.path, f.code) for f in loaded.findings) == [
        ("content/2023/projects/gbk.yaml", "L101"), ("content/2023/projects/tab.yaml", "L104")]


def test_load_site_without_content_folder_is_l109(tmp_path):
    with pytest.raises(SiteError) as info:
        load_site(tmp_path)
    assert info.value.findings[0].code == "L109"


def test_load_site_without_site_yaml_is_l109(tmp_path):
    (tmp_path / "content").mkdir()
    assert [f.code for f in load_site(tmp_path).findings] == ["L109"]


# --- property: whatever is in a file, the result is a record or a SiteError -------------------------------

_counter = itertools.count()
_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-site")


def _load(site: Path, relative: str, data: bytes) -> None:
    path = write(site, f"content/{next(_counter)}/{relative}", data)
    try:
        loaded = load_file(path, site)
    except SiteError as exc:
        assert exc.findings
        for finding in exc.findings:
            assert finding.code.startswith("L") and finding.message
            finding.format()  # printable
    else:
        assert isinstance(loaded.data, dict)
    finally:
        path.unlink()


# bytes that look a little like YAML, so that the parser gets past the first character
_yamlish = st.lists(st.sampled_from([b"a", b":", b" ", b"\n", b"-", b"\t", b"\"", b"'", b"{", b"}", b"[", b"]",
                                     b",", b"#", b"&x", b"*x", b"|", b">", b"?", b"!", b"%", b"---", b"...",
                                     "中".encode(), b"\xff", b"\xe4", b"\r", b"\x00", b"\\", b"~"]),
                    max_size=60).map(b"".join)


@_FUZZ
@given(st.binary(max_size=300) | _yamlish)
def test_any_bytes_in_a_yaml_file_load_or_raise_site_error(fuzz_site, data):
    _load(fuzz_site, "record.yaml", data)


@_FUZZ
@given(st.text(max_size=300))
def test_any_text_in_a_yaml_file_loads_or_raises_site_error(fuzz_site, text):
    _load(fuzz_site, "record.yaml", text.encode("utf-8", "surrogatepass"))


@_FUZZ
@given(st.binary(max_size=300) | _yamlish)
def test_any_bytes_in_a_markdown_file_load_or_raise_site_error(fuzz_site, data):
    _load(fuzz_site, "doc.md", data)


@_FUZZ
@given(st.text(max_size=200) | _yamlish.map(lambda b: b.decode("utf-8", "replace")), st.text(max_size=100))
def test_any_front_matter_loads_or_raises_site_error(fuzz_site, meta, body):
    _load(fuzz_site, "doc.md", ("---\n" + meta + "\n---\n" + body).encode("utf-8", "surrogatepass"))


# --- invisible control characters (Word's "save as text", Ctrl+Z) -----------------------------------


@pytest.mark.parametrize("relative, text, line, column", [
    # a page break before a heading: the heading was published as a paragraph “### （二）…”
    ("content/2023/a.md", "---\nkind: report\n---\n\n## 一、\n\n\x0c### （二）主要工作职责\n", 7, 1),
    # Word's manual line break inside a paragraph: published into the page
    ("content/2023/a.md", "---\nkind: report\n---\n\n岳阳市教育科学\x0b技术研究院\n", 5, 8),
    # in YAML it was “unacceptable character #x000b: control characters are not allowed”, without a line
    ("content/2023/a.yaml", "kind: report\nnote: |\n  3.建立高三\x0b教学的新模式\n", 3, 9),
    ("content/2023/a.yaml", RECORD + "\x1a", 4, 1),
    ("content/2023/a.yaml", "kind: report\ntitle: 报告\u2028正文\n", 2, 10),
])
def test_control_characters_are_l111_where_they_are(tmp_path, relative, text, line, column):
    path = write(tmp_path, relative, text.replace("\n", "\r\n").encode("utf-8"))
    finding = finding_of(path, tmp_path)
    assert finding.code == "L111"
    assert (finding.line, finding.column) == (line, column)
    assert "U+" in finding.message and "看不见" in finding.message
    assert "删" in finding.hint
    assert not any(ch < " " for ch in finding.source_line)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=len(RECORD)),
       st.sampled_from(["\x01", "\x08", "\x0b", "\x0c", "\x1a", "\x1f", "\x7f", "\x85", "\u2028", "\u2029"]))
def test_any_control_character_anywhere_is_l111_at_its_place(tmp_path, position, character):
    text = RECORD[:position] + character + RECORD[position:]
    path = write(tmp_path, "content/a.yaml", text.encode("utf-8"))
    with pytest.raises(SiteError) as info:
        load_file(path, tmp_path)
    [finding] = info.value.findings
    assert finding.code == "L111"
    before = RECORD[:position]
    assert finding.line == before.count("\n") + 1
    assert finding.column == len(before) - (before.rfind("\n") + 1) + 1


# --- Notepad's "Unicode" (UTF-16), and where a GBK file goes wrong -----------------------------------------


@pytest.mark.parametrize("encode, named", [
    (lambda t: t.encode("utf-16"), "UTF-16LE"),                          # Notepad's “Unicode”, with its BOM
    (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "UTF-16BE"),         # “Unicode big endian”
    (lambda t: t.encode("utf-16-le"), "UTF-16LE"),                       # without a BOM
    (lambda t: "kind: report\nyear: 2023\n".encode("utf-16-le"), "UTF-16LE"),  # ASCII only: was “空字符，不是文本文件”
])
def test_utf16_file_is_l101_naming_notepads_unicode(tmp_path, encode, named):
    path = write(tmp_path, "content/a.yaml", encode(RECORD.replace("\n", "\r\n")))
    finding = finding_of(path, tmp_path)
    assert finding.code == "L101"
    assert named in finding.message and "Unicode" in finding.message
    assert "UTF-8" in finding.hint and "另存为" in finding.hint
    assert "Word" not in finding.hint


def test_gbk_file_quotes_its_line_as_the_editor_sees_it_and_counts_characters(tmp_path):
    path = write(tmp_path, "content/a.yaml", "kind: report\ntitle: 2023年度自评报告\n".encode("gbk"))
    finding = finding_of(path, tmp_path)
    assert (finding.line, finding.column) == (2, 12)
    assert finding.source_line == "title: 2023年度自评报告"


def test_gbk_piece_in_a_utf8_file_is_placed_by_characters_not_bytes(tmp_path):
    """A GBK piece pasted after UTF-8 Chinese: the column was counted in bytes (43 for the 19th character)."""
    data = "kind: report\n# 2023年度项目支出绩效自评表：".encode() + "高三".encode("gbk") + "复习\n".encode()
    finding = finding_of(write(tmp_path, "content/a.yaml", data), tmp_path)
    assert (finding.code, finding.line, finding.column) == ("L101", 2, 19)
    assert finding.source_line.startswith("# 2023年度项目支出绩效自评表：")


def test_gbk_file_is_placed_at_its_first_chinese_character(tmp_path):
    """站 in GBK (D5 BE) passes for UTF-8: the decoding failed a character later, at 1:4."""
    path = write(tmp_path, "content/site.yaml", "# 站点设置\nname: 岳阳市\n".encode("gbk"))
    finding = finding_of(path, tmp_path)
    assert (finding.line, finding.column) == (1, 3)
    assert finding.source_line == "# 站点设置"
