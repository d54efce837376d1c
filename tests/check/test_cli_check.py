"""`site-builder check` as an editor and a tool see it, and the checker inside `site-builder build`.

Text output: `path:line:column: CODE 级别 message`, the quoted line, a caret,
"  提示：…"; JSON output: the same findings; exit codes 0/1/2;
acknowledgements; build stopped by errors, not by warnings (unless --strict);
content never rewritten.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser

import pytest

from sitetest import line_of

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
COPY = "content/2023/projects/copy.yaml"
BROKEN = "content/2023/projects/broken.yaml"
GUIHUA = "content/2023/projects/jiaoyu-guihua-yu-fazhan.yaml"
JSON_KEYS = {"path", "line", "column", "code", "severity", "message", "hint", "source_line", "acknowledged"}

HEADER = re.compile(r"^(?P<path>content/\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3}) "
                    r"(?P<severity>错误|警告)(?P<ack>（已确认）)? (?P<message>\S.*)$")
LOCATION = re.compile(r"^(?P<path>\S+?)(?::(?P<line>\d+))?(?::(?P<column>\d+))?: (?P<code>[A-Z]\d{3}) ")
QUOTE = re.compile(r"^  \s*(?P<number>\d+) \| (?P<source>.*)$")
CARET = re.compile(r"^  \s* \| *\^$")
SUMMARY = re.compile(r"^共 (\d+) 个错误、(\d+) 个警告(?:(?:、|；)(\d+) 个已确认的问题(?P<unlisted>未列出（--all 列出）)?)?。$")


def summary_counts(summary: str) -> tuple[str, str, str]:
    """(errors, warnings, acknowledged) read from the report's last line."""
    match = SUMMARY.match(summary)
    assert match, summary
    return match[1], match[2], match[3] or "0"


def sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def weights_40_40(text: str) -> str:
    """A valid table with adjusted weights (产出 40, 效益 40): only F307 warnings."""
    text = sub(text, "产出指标（50分）", "产出指标（40分）")
    text = sub(text, "450人, actual: 100%, weight: 8, score: 8", "450人, actual: 100%, weight: 3, score: 3")
    text = sub(text, "9科, actual: 100%, weight: 8, score: 8, deviation: }\n          - {level3: 3.",
               "9科, actual: 100%, weight: 3, score: 3, deviation: }\n          - {level3: 3.")
    text = sub(text, "效益指标（30分）", "效益指标（40分）")
    return sub(text, "教育附加预算, actual: , weight: 10, score: 10", "教育附加预算, actual: , weight: 20, score: 20")


def bad_total_score(text: str) -> str:
    return sub(text, "total: {label: 合计, weight: 100, score: 100}", "total: {label: 合计, weight: 100, score: 90}")


def parse_text_report(out: str) -> tuple[list[list[str]], str]:
    """The blocks of a text report (one per finding) and its summary line."""
    blocks = [block.split("\n") for block in out.strip("\n").split("\n\n")]
    summary = blocks.pop()
    assert len(summary) == 1, summary
    return blocks, summary[0]


@pytest.fixture
def mixed_site(check_helpers, tmp_path):
    """Errors and warnings in three files: F306 + F307 (project), S202 (copy), L103 (broken)."""
    base = check_helpers.baseline_text()
    files = {
        PROJECT: sub(base, "产出指标（50分）", "产出指标（40分）"),
        COPY: sub(sub(base, "slug: gaosan-fuxi-yingkao", "slug: copy"), "prepared_by", "prepard_by"),
        BROKEN: sub(sub(base, "slug: gaosan-fuxi-yingkao", "slug: broken"), "target: 450人", 'target: "450人'),
    }
    return check_helpers.make_site(tmp_path / "site", files), files


# --- the text format ---------------------------------------------------------------------


def test_text_report_shape(mixed_site, check_helpers):
    site, files = mixed_site
    code, out, err = check_helpers.check_text(site)
    assert code == 1
    assert "Traceback" not in out + err
    blocks, summary = parse_text_report(out)
    codes = []
    for block in blocks:
        header = HEADER.match(block[0])
        assert header, f"header not in the form path:line:column: CODE 级别 message: {block[0]!r}"
        codes.append(header["code"])
        source = files[header["path"]].splitlines()[int(header["line"]) - 1]
        quote = QUOTE.match(block[1])
        assert quote, block
        assert quote["number"] == header["line"]
        assert quote["source"] == source.rstrip()
        assert CARET.match(block[2]), block
        assert block[-1].startswith("  提示："), block
        assert check_helpers.has_chinese(block[-1])
    assert sorted(codes) == ["F306", "F307", "L103", "S202"]
    assert summary_counts(summary) == ("3", "1", "0")


def test_caret_points_at_the_column_counting_wide_characters(check_helpers, tmp_path):
    """The caret sits under the offending cell; a Chinese character takes two terminal columns."""
    row = "4.开展高中教师竞赛, target: 14科, actual: 100%, weight: 8, score: "
    text = sub(check_helpers.baseline_text(), row + "8", row + "9")
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: text})
    _, findings = check_helpers.check_json(site)
    _, out, _ = check_helpers.check_text(site)
    blocks, _ = parse_text_report(out)
    block = next(b for b in blocks if " F305 " in b[0])
    source = text.splitlines()[line_of(text, row) - 1]
    prefix = source[: source.index(row) + len(row)]
    assert [f["column"] for f in findings if f["code"] == "F305"] == [len(prefix) + 1]
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in prefix)
    assert CARET.match(block[2]), block
    assert block[2].index("^") - block[1].index(" | ") - len(" | ") == width
    assert block[1][block[1].index(" | ") + len(" | "):] == source


def test_clean_site_says_so_and_exits_0(check_site, check_helpers):
    code, out, err = check_helpers.check_text(check_site)
    assert code == 0
    assert out.strip() == "检查完毕，没有发现问题。"
    code, out, _ = check_helpers.run("check", "--site", check_site, "--format", "json")
    assert code == 0 and json.loads(out) == []


# --- JSON ----------------------------------------------------------------------------------


def test_json_has_the_same_findings_as_text(mixed_site, check_helpers):
    site, _ = mixed_site
    code_json, findings = check_helpers.check_json(site)
    code_text, out, _ = check_helpers.check_text(site)
    assert code_json == code_text == 1
    blocks, _ = parse_text_report(out)
    from_text = []
    for block in blocks:
        header = HEADER.match(block[0])
        hint = block[-1][len("  提示："):]
        from_text.append((header["path"], int(header["line"]), int(header["column"]), header["code"],
                          "error" if header["severity"] == "错误" else "warning", header["message"], hint))
    from_json = [(f["path"], f["line"], f["column"], f["code"], f["severity"], f["message"], f["hint"])
                 for f in findings]
    assert from_json == from_text


def test_json_fields(mixed_site, check_helpers):
    site, files = mixed_site
    _, findings = check_helpers.check_json(site)
    assert findings
    for finding in findings:
        assert set(finding) == JSON_KEYS
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
        assert finding["severity"] in ("error", "warning")
        assert finding["acknowledged"] is None
        assert finding["source_line"] == files[finding["path"]].splitlines()[finding["line"] - 1]


def test_json_on_the_real_content_matches_text(check_helpers, tmp_path):
    site = check_helpers.copy_real_site(tmp_path / "site")
    _, findings = check_helpers.check_json(site)
    _, out, _ = check_helpers.run("check", "--all", "--site", site)  # every finding is acknowledged
    blocks, summary = parse_text_report(out)
    located = [LOCATION.match(block[0]) for block in blocks]
    assert [(m["path"], int(m["line"]), m["code"]) for m in located] == \
           [(f["path"], f["line"], f["code"]) for f in findings]
    reasons = [line[len("  说明："):] for block in blocks for line in block if line.startswith("  说明：")]
    assert reasons == [f["acknowledged"] for f in findings]


# --- exit codes ----------------------------------------------------------------------------


def test_exit_0_with_only_warnings(check_helpers, tmp_path):
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: weights_40_40(check_helpers.baseline_text())})
    code, findings = check_helpers.check_json(site)
    assert code == 0
    assert [f["code"] for f in findings] == ["F307", "F307"]
    code, out, _ = check_helpers.check_text(site)
    assert code == 0 and "警告" in out


def test_exit_1_with_an_error(check_helpers, tmp_path):
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: bad_total_score(check_helpers.baseline_text())})
    code, findings = check_helpers.check_json(site)
    assert code == 1
    assert [f["code"] for f in findings] == ["F310"]


@pytest.mark.parametrize("args", [
    ["check", "--format", "xml"],
    ["check", "--format"],
    ["check", "--bogus"],
    ["check", "extra-argument"],
    ["chekc"],
    [],
], ids=["unknown-format", "format-without-value", "unknown-option", "extra-argument", "unknown-command", "no-command"])
def test_exit_2_when_the_command_is_misused(args, check_site, check_helpers):
    code, out, err = check_helpers.run(*args, *(["--site", check_site] if args[:1] == ["check"] else []))
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert check_helpers.has_chinese(err)


def _process(check_helpers, *args):
    env = dict(os.environ, PYTHONPATH=str(check_helpers.REPO), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_exit_codes_of_a_real_process(check_helpers, tmp_path):
    clean = check_helpers.make_site(tmp_path / "clean", {PROJECT: check_helpers.baseline_text()})
    broken = check_helpers.make_site(tmp_path / "broken", {PROJECT: bad_total_score(check_helpers.baseline_text())})
    assert _process(check_helpers, "check", "--site", clean)[0] == 0
    code, out, err = _process(check_helpers, "check", "--site", broken)
    assert code == 1 and " F310 错误 " in out and "Traceback" not in out + err
    code, out, err = _process(check_helpers, "check", "--site", clean, "--format", "yaml")
    assert code == 2 and "Traceback" not in out + err
    code, out, _ = _process(check_helpers, "check", "--site", broken, "--format", "json")
    assert code == 1 and [f["code"] for f in json.loads(out)] == ["F310"]


# --- every finding located in a file has a column and quotes its line ----------------------------


LOCATED = {
    "F306": lambda t: sub(t, "产出指标（50分）", "产出指标（40分）"),
    "S202": lambda t: sub(t, "prepared_by", "prepard_by"),
    "L104": lambda t: sub(t, "  prepared_by", "\tprepared_by"),
    "F314": lambda t: sub(t, "prepared_by: 卢彦军", "prepared_by:"),
    "F315": lambda t: sub(t, "year: 2023", "year: 2022"),
    "F399": lambda t: t + "acknowledgements:\n  - {code: F306, line: 33, reason: 核对过}\n",
}


@pytest.mark.parametrize("code", list(LOCATED))
def test_a_finding_at_a_line_is_printed_as_path_line_column_with_the_quoted_line(code, check_helpers, tmp_path):
    text = LOCATED[code](check_helpers.baseline_text())
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: text})
    _, out, _ = check_helpers.check_text(site)
    blocks, _ = parse_text_report(out)
    block = next(b for b in blocks if f" {code} " in b[0])
    assert HEADER.match(block[0]), f"not path:line:column: CODE 级别 message: {block[0]!r}"
    number = int(LOCATION.match(block[0])["line"])
    quote = QUOTE.match(block[1]) if len(block) > 1 else None
    assert quote, f"the source line is not quoted: {block}"
    assert quote["source"] == text.splitlines()[number - 1].rstrip()


# --- acknowledgements ------------------------------------------------------------------------


def _with_acks(text: str, *acks: str) -> str:
    return text + "acknowledgements:\n" + "".join(f"  - {ack}\n" for ack in acks)


def _guihua(check_helpers, keep: list[str]) -> tuple[str, dict[str, int]]:
    """jiaoyu-guihua-yu-fazhan.yaml with only the acknowledgement lines holding one of `keep`."""
    text = check_helpers.read_real(GUIHUA)
    head, _, acks = text.partition("\nacknowledgements:\n")
    kept = [line for line in acks.splitlines() if any(k in line for k in keep)]
    lines = {"产出": line_of(text, "level1: 产出指标（50分）"), "效益": line_of(text, "level1: 效益指标（30分）"),
             "total": next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("total:"))}
    return head + "\nacknowledgements:\n" + "".join(k + "\n" for k in kept), lines


def test_acknowledged_finding_is_listed_marked_and_does_not_block(check_helpers, tmp_path):
    base = bad_total_score(check_helpers.baseline_text())
    total = line_of(base, "total: {label")
    text = _with_acks(base, f"{{code: F310, line: {total}, reason: 签字原表合计得分印为 90，照原表公开}}")
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: text})
    code, findings = check_helpers.check_json(site)
    assert code == 0
    assert [(f["code"], f["line"], f["severity"], f["acknowledged"]) for f in findings] == \
           [("F310", total, "error", "签字原表合计得分印为 90，照原表公开")]
    # Issue 16: without --all an acknowledged finding is only counted; --all lists it in full.
    code, out, _ = check_helpers.check_text(site)
    assert code == 0
    assert out.strip() == "共 0 个错误、0 个警告；1 个已确认的问题未列出（--all 列出）。"
    code, out, _ = check_helpers.run("check", "--all", "--site", site)
    assert code == 0
    blocks, summary = parse_text_report(out)
    assert len(blocks) == 1
    header = HEADER.match(blocks[0][0])
    assert header["ack"] == "（已确认）" and header["severity"] == "错误"
    assert "  说明：签字原表合计得分印为 90，照原表公开" in blocks[0]
    assert blocks[0][-1].startswith("  提示：")
    assert summary == "共 0 个错误、0 个警告、1 个已确认的问题。"


def test_acknowledgement_at_another_line_hides_nothing(check_helpers, tmp_path):
    base = bad_total_score(check_helpers.baseline_text())
    total = line_of(base, "total: {label")
    text = _with_acks(base, f"{{code: F310, line: {total - 1}, reason: 行号写错了}}")
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: text})
    code, findings = check_helpers.check_json(site)
    assert code == 1
    f310 = [f for f in findings if f["code"] == "F310"]
    assert [(f["line"], f["acknowledged"]) for f in f310] == [(total, None)]
    f399 = [f for f in findings if f["code"] == "F399"]
    assert [f["line"] for f in f399] == [line_of(text, "reason: 行号写错了")]
    assert f399[0]["severity"] == "warning"


def test_acknowledgement_of_another_code_at_the_same_line_hides_nothing(check_helpers, tmp_path):
    base = bad_total_score(check_helpers.baseline_text())
    total = line_of(base, "total: {label")
    text = _with_acks(base, f"{{code: F309, line: {total}, reason: 代码写错了}}")
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: text})
    code, findings = check_helpers.check_json(site)
    assert code == 1
    assert [(f["code"], f["acknowledged"]) for f in findings if f["code"] == "F310"] == [("F310", None)]
    assert "F399" in {f["code"] for f in findings}


def test_f309_acknowledged_leaves_f310_on_the_same_line_an_error(check_helpers, tmp_path):
    text, lines = _guihua(check_helpers, keep=["F306", "F309"])
    site = check_helpers.make_site(tmp_path / "site", {GUIHUA: text})
    code, findings = check_helpers.check_json(site)
    assert code == 1
    errors = [(f["code"], f["line"]) for f in findings if f["severity"] == "error" and not f["acknowledged"]]
    assert errors == [("F310", lines["total"])]
    assert [f["acknowledged"] is not None for f in findings if f["code"] == "F309"] == [True]


def test_one_f306_acknowledged_leaves_the_other_f306_an_error(check_helpers, tmp_path):
    text, lines = _guihua(check_helpers, keep=["产出指标", "F309", "F310"])
    assert text.count("code: F306") == 1
    site = check_helpers.make_site(tmp_path / "site", {GUIHUA: text})
    code, findings = check_helpers.check_json(site)
    assert code == 1
    f306 = {f["line"]: f["acknowledged"] for f in findings if f["code"] == "F306"}
    assert set(f306) == {lines["产出"], lines["效益"]}
    assert f306[lines["产出"]] and f306[lines["效益"]] is None


def test_acknowledgement_in_one_file_does_not_cover_another(check_helpers, tmp_path):
    base = bad_total_score(check_helpers.baseline_text())
    total = line_of(base, "total: {label")
    acked = _with_acks(base, f"{{code: F310, line: {total}, reason: 照原表}}")
    other = sub(base, "slug: gaosan-fuxi-yingkao", "slug: copy")
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: acked, COPY: other})
    code, findings = check_helpers.check_json(site)
    assert code == 1
    by_path = {f["path"]: f["acknowledged"] for f in findings if f["code"] == "F310"}
    assert by_path == {PROJECT: "照原表", COPY: None}


def test_acknowledgement_without_a_line_covers_that_code_in_the_file(check_helpers, tmp_path):
    text, lines = _guihua(check_helpers, keep=["F309", "F310"])
    text += "  - {code: F306, reason: 签字原表两处一级指标分值不符}\n"
    site = check_helpers.make_site(tmp_path / "site", {GUIHUA: text})
    code, findings = check_helpers.check_json(site)
    assert code == 0
    assert sorted(f["line"] for f in findings if f["code"] == "F306") == sorted([lines["产出"], lines["效益"]])
    assert all(f["acknowledged"] for f in findings)


def test_acknowledgements_change_no_other_finding(check_helpers, tmp_path):
    """With and without acknowledgements the same findings are listed, at the same places."""
    site = check_helpers.copy_real_site(tmp_path / "with")
    _, with_acks = check_helpers.check_json(site)
    bare = check_helpers.copy_real_site(tmp_path / "without")
    for path in (bare / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?m)^acknowledgements:", text):
            path.write_text(check_helpers.strip_acknowledgements(text), encoding="utf-8")
    _, without = check_helpers.check_json(bare)
    strip = lambda fs: [{k: v for k, v in f.items() if k != "acknowledged"} for f in fs]  # noqa: E731
    assert strip(with_acks) == strip(without)


# --- the checker inside build ---------------------------------------------------------------------


def _real_site_built(check_helpers, root):
    site = check_helpers.copy_real_site(root / "site")
    code, out, err = check_helpers.run("build", "--site", site)
    assert code == 0, out + err
    return site


def test_build_stopped_by_an_error_leaves_the_previous_build_byte_identical(check_helpers, tmp_path):
    site = _real_site_built(check_helpers, tmp_path)
    before = check_helpers.snapshot(site / "build")
    assert before
    project = site / PROJECT
    project.write_text(bad_total_score(project.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = check_helpers.run("build", "--site", site)
    assert code == 1
    assert re.search(rf"(?m)^{re.escape(PROJECT)}:\d+:\d+: F310 错误 ", err), err
    assert "  提示：" in err
    assert "已生成网站" not in out + err
    assert check_helpers.snapshot(site / "build") == before


def test_build_with_a_warning_prints_it_and_goes_on(check_helpers, tmp_path):
    site = _real_site_built(check_helpers, tmp_path)
    page = site / "build" / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html"
    assert "产出指标（40分）" not in page.read_text(encoding="utf-8")
    project = site / PROJECT
    project.write_text(weights_40_40(project.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = check_helpers.run("build", "--site", site)
    assert code == 0, out + err
    assert re.search(rf"(?m)^{re.escape(PROJECT)}:\d+:\d+: F307 警告 ", err), err
    assert "已生成网站" in out
    assert "产出指标（40分）" in page.read_text(encoding="utf-8")


def test_build_strict_blocks_on_an_unacknowledged_warning(check_helpers, tmp_path):
    site = _real_site_built(check_helpers, tmp_path)
    before = check_helpers.snapshot(site / "build")
    project = site / PROJECT
    project.write_text(weights_40_40(project.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = check_helpers.run("build", "--site", site, "--strict")
    assert code == 1
    assert " F307 警告 " in err
    assert check_helpers.snapshot(site / "build") == before


def test_build_strict_passes_when_the_warnings_are_acknowledged(check_helpers, tmp_path):
    site = check_helpers.copy_real_site(tmp_path / "site")
    project = site / PROJECT
    text = weights_40_40(project.read_text(encoding="utf-8"))
    text = _with_acks(text, "{code: F307, reason: 本部门调整了权重}")
    project.write_text(text, encoding="utf-8")
    code, out, err = check_helpers.run("build", "--site", site, "--strict")
    assert code == 0, out + err
    assert (site / "build" / "index.html").is_file()


def test_build_strict_on_the_real_content(check_helpers, tmp_path):
    """The real content's warnings (F302, and P711 on the three undated originals) are acknowledged, so even --strict builds."""
    site = check_helpers.copy_real_site(tmp_path / "site")
    code, out, err = check_helpers.run("build", "--site", site, "--strict", "--out", tmp_path / "out")
    assert code == 0, out + err
    assert (tmp_path / "out" / "index.html").is_file()
    assert "已确认" in err


def test_build_without_previous_output_creates_nothing_on_error(check_helpers, tmp_path):
    site = check_helpers.make_site(tmp_path / "site", {PROJECT: bad_total_score(check_helpers.baseline_text())})
    code, _, _ = check_helpers.run("build", "--site", site)
    assert code == 1
    assert not (site / "build").exists()


def test_check_and_build_leave_content_byte_identical(check_helpers, tmp_path):
    site = check_helpers.copy_real_site(tmp_path / "site")
    (site / "content" / "2023" / "projects" / "zz-broken.yaml").write_bytes(
        bad_total_score(check_helpers.baseline_text()).replace("slug: gaosan-fuxi-yingkao", "slug: zz")
        .replace("\n", "\r\n").encode("utf-8"))
    (site / "content" / "2023" / "projects" / "zz-bom.yaml").write_bytes(
        b"\xef\xbb\xbf" + weights_40_40(check_helpers.baseline_text()).replace(
            "slug: gaosan-fuxi-yingkao", "slug: zz-bom").replace(  # another project: a second form of one is S212
            "project: 高三复习迎考", "project: 高三复习迎考（BOM）").encode("utf-8"))
    before = check_helpers.snapshot(site / "content")
    check_helpers.run("check", "--site", site)
    check_helpers.run("check", "--site", site, "--format", "json")
    assert check_helpers.run("build", "--site", site)[0] == 1
    (site / "content" / "2023" / "projects" / "zz-broken.yaml").unlink()
    del before["2023/projects/zz-broken.yaml"]
    assert check_helpers.run("build", "--site", site)[0] == 0
    check_helpers.run("build", "--site", site, "--strict")
    assert check_helpers.snapshot(site / "content") == before


class _Cells(HTMLParser):
    """Text of every th/td inside <tfoot>, in order."""

    def __init__(self):
        super().__init__()
        self.in_foot = False
        self.cell = None
        self.cells: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping or "note-ref" in (dict(attrs).get("class") or ""):
            self.skipping += 1  # a published note's mark (说明 N, issue 14) is not the printed figure
        elif tag == "tfoot":
            self.in_foot = True
        elif tag in ("th", "td") and self.in_foot:
            self.cell = []

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
        elif tag == "tfoot":
            self.in_foot = False
        elif tag in ("th", "td") and self.cell is not None:
            self.cells.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skipping:
            self.cell.append(data)


@pytest.mark.parametrize("slug,printed", [("jiaoyu-guihua-yu-fazhan", ["100", "100"]),
                                          ("jiaoyu-keyan-chengguo-tuiguang", ["100", "98"]),
                                          ("jiaoyu-xinxihua", ["100", "90"])])
def test_published_page_shows_the_printed_totals(slug, printed, check_helpers, tmp_path):
    """The rows of these tables add up to 110, yet the page prints the signed form's 合计."""
    site = _real_site_built(check_helpers, tmp_path)
    html = (site / "build" / "disclosure" / "2023" / f"{slug}.html").read_text(encoding="utf-8")
    parser = _Cells()
    parser.feed(html)
    cells = [c for c in parser.cells if c]
    assert cells[:1] == ["合计"] and cells[1:3] == printed, cells
    # ...and, in the row beside it, the rows' sum and why the form is published as signed (issue 14)
    assert cells[3] == "合计的说明" and "各行得分之和为" in cells[4] and "照原表公开" in cells[4]
    assert "110" not in cells and "108" not in cells
    assert "产出指标（50分）" in html
