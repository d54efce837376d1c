"""Mistakes office staff make on Windows PCs (Notepad, WPS, Word "save as text"), driven through the
CLI on a copy of the real site: each gives exit code 1 and a Chinese finding at the right file, line
and column with a hint that says how to fix it; nothing is published wrong or dropped silently."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitetest import copy_site, run_cli

from site_builder.model.schema import suggest_date

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
REPORT = "content/2023/self-evaluation-report.md"


@pytest.fixture
def site(tmp_path):
    return copy_site(tmp_path / "site")


def edit(site, relative: str, old: str, new: str) -> str:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_bytes(text.encode("utf-8"))
    return text


def check(site) -> tuple[int, list[dict]]:
    """(exit code, the findings the records do not acknowledge)."""
    code, out, err = run_cli("check", "--site", site, "--format", "json")
    assert "Traceback" not in out + err
    return code, [f for f in json.loads(out) if not f["acknowledged"]]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def english(message: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", message.replace("YAML", ""))


# --- values YAML reads as syntax --------------------------------------------------------------------


@pytest.mark.parametrize("old, new, fixed", [
    ("project: 高三复习迎考", "project: &高三复习迎考", 'project: "&高三复习迎考"'),
    ("note: 一个", "note: *一个", 'note: "*一个'),
    ("target: 14科,", "target: @14科,", 'target: "@14科",'),
    ("implementer: 岳阳市教育科学技术研究院", "implementer: -", 'implementer: "-"'),
])
def test_value_starting_with_a_yaml_character_is_named_in_chinese(site, old, new, fixed):
    text = edit(site, PROJECT, old, new)
    code, findings = check(site)
    assert code == 1
    [finding] = [f for f in findings if f["severity"] == "error"]
    assert (finding["path"], finding["code"], finding["line"]) == (PROJECT, "L103", line_of(text, new))
    assert english(finding["message"]) == [], finding["message"]
    assert fixed in finding["hint"]


# --- control characters ---------------------------------------------------------------------------------


def test_word_page_break_in_a_report_is_l111_and_nothing_is_built(site):
    """A page break (U+000C) before a heading published “### （二）主要工作职责” as a paragraph, exit 0."""
    text = edit(site, REPORT, "### （二）主要工作职责", "\x0c### （二）主要工作职责")
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    assert (finding["path"], finding["code"], finding["line"], finding["column"]) == (
        REPORT, "L111", line_of(text, "\x0c###"), 1)
    assert "U+000C" in finding["message"] and "分页符" in finding["message"]
    status, out, err = run_cli("build", "--site", site, "--out", site / "build")
    assert status == 1 and not (site / "build").exists()


def test_control_character_in_yaml_names_line_and_column_in_chinese(site):
    """It was “unacceptable character #x000b: control characters are not allowed in "<unicode string>", position 847”."""
    text = edit(site, PROJECT, "3.建立高三教学的新模式", "3.建立高三\x0b教学的新模式")
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    assert (finding["code"], finding["line"], finding["column"]) == ("L111", line_of(text, "\x0b"), 11)
    assert "unacceptable" not in finding["message"] and "position" not in finding["message"]


# --- record files whose name keeps them from being read --------------------------------------------


@pytest.mark.parametrize("renamed, meant", [
    ("content/2023/报告.md.txt", "报告.md"),                                # Notepad added .txt
    ("content/2023/projects/gaosan-fuxi-yingkao.yaml.txt", "gaosan-fuxi-yingkao.yaml"),
    ("content/2023/projects/gaosan-fuxi-yingkao.yaml ", "gaosan-fuxi-yingkao.yaml"),   # a trailing space
    ("content/2023/report.markdown", "report.md"),
    ("content/2023/2023年自评报告.txt", "2023年自评报告.md"),                  # a record saved as plain .txt
])
def test_a_record_file_misnamed_by_an_editor_is_l112_not_dropped(site, renamed, meant):
    """Each was read by nobody: check said 0 errors and the site was built without the record."""
    source = PROJECT if ".yaml" in renamed else REPORT
    (site / renamed).parent.mkdir(parents=True, exist_ok=True)
    (site / source).rename(site / renamed)
    code, findings = check(site)
    assert code == 1
    [finding] = [f for f in findings if f["code"] == "L112"]
    assert finding["path"] == renamed and finding["severity"] == "error"
    assert f"“{meant}”" in finding["hint"]
    status, out, err = run_cli("build", "--site", site, "--out", site / "build")
    assert status == 1 and not (site / "build").exists()


def test_files_that_hold_no_record_are_still_left_alone(site):
    for name, data in [("content/2023/说明.txt", "原件存档于办公室。\n".encode()), ("content/2023/Thumbs.db", b"\0\1"),
                       ("content/2023/desktop.ini", b"[.ShellClassInfo]\r\n"), ("content/2023/~$报告.docx", b"x"),
                       ("content/.DS_Store", b"\0"), ("content/2023/原表.docx", b"PK\3\4")]:
        (site / name).write_bytes(data)
    code, findings = check(site)
    assert code == 0 and findings == []


# --- a list item without its dash, a key without its colon ----------------------------------------


@pytest.mark.parametrize("old, new", [
    # was reported on the next line as “缺少冒号”
    ("          - {level3: 2.建立高考新模式；", "          {level3: 2.建立高考新模式；"),
    ("      - level2: 质量指标", "      level2: 质量指标"),
])
def test_list_item_without_its_dash_is_reported_on_its_own_line(site, old, new):
    text = edit(site, PROJECT, old, new)
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    assert (finding["code"], finding["line"], finding["column"]) == ("L103", line_of(text, new), len(new) - len(new.lstrip()) + 1)
    assert "短横线" in finding["message"]
    assert old.strip() in finding["hint"]


def test_key_without_its_colon_is_reported_on_its_own_line(site):
    text = edit(site, PROJECT, "department: 岳阳市教育体育局", "department 岳阳市教育体育局")
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    assert (finding["code"], finding["line"]) == ("L103", line_of(text, "department 岳阳市"))
    assert "department: 岳阳市教育体育局" in finding["hint"]


# --- figures read leniently must be read right, or said so -----------------------------------------------

TOTAL = "  total:         {initial: 50, annual: 50, executed: 50, weight: 10, rate: 100%, score: 10}"


@pytest.mark.parametrize("rate, suggested", [("1", "100%"), ("1.00", "100%"), ("0.95", "95%"), ("95", "95%")])
def test_execution_rate_without_its_percent_sign_is_said_not_skipped(site, rate, suggested):
    """rate: 1 (Excel's 100%) left the rate and the budget score unchecked without a word (exit 0, no finding)."""
    text = edit(site, PROJECT, TOTAL, TOTAL.replace("rate: 100%", f"rate: {rate}"))
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "F322"]
    assert finding["line"] == line_of(text, f"rate: {rate},") and "百分号" in finding["message"]
    assert suggested in finding["hint"]


def test_zero_rate_without_a_percent_sign_is_fine(site):
    edit(site, PROJECT, TOTAL, "  total:         {initial: 0, annual: 0, executed: 0, weight: 10, rate: 0, score: 10}")
    code, findings = check(site)
    assert [f for f in findings if f["code"] == "F322"] == []


def test_figure_in_chinese_quotes_is_named_with_the_quotes_taken_off(site):
    text = edit(site, PROJECT, TOTAL, TOTAL.replace("initial: 50", "initial: “50”"))
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "F322"]
    assert finding["line"] == line_of(text, "“50”") and "引号" in finding["message"]
    assert "请改为 50" in finding["hint"]


@pytest.mark.parametrize("figure", ["1,050", "1,463.31", "12,345,678.00"])
def test_unquoted_thousands_in_a_row_is_named_with_the_quoted_fix(site, figure):
    """annual: 1,050 in { } was “有不认识的项 050” (annual read as 1) with a hint naming every key."""
    text = edit(site, PROJECT, TOTAL, TOTAL.replace("annual: 50", f"annual: {figure}"))
    code, findings = check(site)
    assert code == 1
    [finding] = [f for f in findings if f["code"] == "S202"]
    assert finding["line"] == line_of(text, f"annual: {figure}")
    assert f"“{figure}”" in finding["message"]
    assert f'annual: "{figure}"' in finding["hint"]


def test_key_written_as_its_chinese_label_gets_the_english_key(site):
    """实施单位: … was told only “这一层可以写的项：…” and to quote a value."""
    edit(site, PROJECT, "implementer: 岳阳市教育科学技术研究院", "实施单位: 岳阳市教育科学技术研究院")
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "S202"]
    assert "implementer" in finding["hint"].split("这一层")[0] and "引号" not in finding["hint"]


def test_acknowledgement_place_in_chinese_quotes_is_told_so(site):
    """at: “funds/total/annual” was told “问题已经改正，或这一格换了位置”."""
    department = "content/2023/department-evaluation.yaml"
    edit(site, department, 'at: "funds/total/annual"', "at: “funds/total/annual”")
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "F399"]
    assert 'at: "funds/total/annual"' in finding["hint"] and "中文引号" in finding["hint"]


# --- dates and years as people write them ------------------------------------------------------------


@pytest.mark.parametrize("written, meant", [
    ("2023年12月31日", "2023-12-31"), ("2023.12.31", "2023-12-31"), ("2023/12/31", "2023-12-31"),
    ("2023-1-5", "2023-01-05"), ("２０２３-12-31", "2023-12-31"), ("二〇二三年十二月三十一日", "2023-12-31"),
])
def test_date_as_written_in_office_gets_the_exact_fix(site, written, meant):
    text = edit(site, PROJECT, "date: 2024-09-11", f"date: {written}")
    code, findings = check(site)
    [finding] = findings
    assert (finding["code"], finding["line"]) == ("S204", line_of(text, f"date: {written}"))
    assert finding["hint"].startswith(f"请改为 {meant}")


def test_date_not_on_the_calendar_gets_no_made_up_fix(site):
    edit(site, PROJECT, "date: 2024-09-11", "date: 2023年2月30日")
    code, findings = check(site)
    [finding] = findings
    assert finding["code"] == "S204" and "请改为" not in finding["hint"]


@pytest.mark.parametrize("written", ["二〇二三", "２０２３", "2023年", "2023年度"])
def test_year_as_written_in_office_gets_the_exact_fix(site, written):
    edit(site, PROJECT, "year: 2023", f"year: {written}")
    code, findings = check(site)
    [finding] = findings
    assert finding["code"] == "S204" and finding["hint"].startswith("请改为 2023")


def test_empty_year_is_said_to_be_empty(site):
    edit(site, PROJECT, "year: 2023", "year:")
    code, findings = check(site)
    [finding] = findings
    assert finding["code"] == "S204" and "没有填写" in finding["message"] and "“”" not in finding["message"]


@pytest.mark.parametrize("folder", ["２０２２", "2022年", "2022年度"])
def test_year_folder_named_as_people_write_years_is_named(site, folder):
    """content/２０２２/ was told “请把 year 改为 ２０２２” (a full-width year, itself an error)."""
    (site / "content/2022").rename(site / "content" / folder)
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "F315"]
    assert finding["path"] == f"content/{folder}/work-plan.md"
    assert "改名为“2022”" in finding["hint"]


def test_acknowledgement_code_in_lower_case_gets_the_fix(site):
    department = "content/2023/department-evaluation.yaml"
    edit(site, department, "- {code: F302,", "- {code: f302,")
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "S204"]
    assert finding["hint"].startswith("请改为 F302")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31)),
       st.sampled_from(["{y}年{m}月{d}日", "{y}.{m}.{d}", "{y}/{m:02}/{d:02}", "{y}-{m}-{d}", "{y} 年 {m} 月 {d} 日"]),
       st.booleans())
def test_any_date_written_the_office_way_is_suggested_as_itself(day, pattern, full_width):
    written = pattern.format(y=day.year, m=day.month, d=day.day)
    if full_width:
        written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert suggest_date(written) == day.isoformat()


# --- a report's front matter as editors break it ---------------------------------------------------------


def _front_matter_broken(site, change) -> tuple[str, dict]:
    path = site / REPORT
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    assert finding["code"] == "L106"
    return text, finding


@pytest.mark.parametrize("opening, named", [("+++", "+++"), ("——", "“——”"), ("----", "“----”"), ("－－－", "“－－－”")])
def test_front_matter_opened_with_something_else_than_three_dashes_is_named(site, opening, named):
    text, finding = _front_matter_broken(site, lambda t: opening + t[3:])
    assert finding["line"] == 1 and named in finding["message"]
    assert "---" in finding["hint"]


def test_blank_lines_before_the_front_matter_are_named(site):
    text, finding = _front_matter_broken(site, lambda t: "\n\n" + t)
    assert finding["line"] == 3 and "2 个空行" in finding["message"]


def test_front_matter_without_its_opening_dashes_says_where_to_add_them(site):
    text, finding = _front_matter_broken(site, lambda t: t[4:])
    assert finding["line"] == 1 and "最前面加一行 ---" in finding["hint"]


def test_front_matter_without_its_closing_dashes_points_at_the_body(site):
    text, finding = _front_matter_broken(site, lambda t: t.replace("\n---\n", "\n", 1))
    assert finding["line"] == line_of(text, "## 一、单位基本情况")


# --- indentation one space off ------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, meant", [
    ("  appropriation:", " appropriation:", "  appropriation:"),
    ("    groups:\n      - level2: 数量指标", "     groups:\n      - level2: 数量指标", "    groups:"),
    ("implementer:", "  implementer:", "implementer:"),
    ("  - level1: 产出指标（50分）", " - level1: 产出指标（50分）", "  - level1: 产出指标（50分）"),  # was blamed on the next line
])
def test_line_one_space_off_is_named_with_its_indentation(site, old, new, meant):
    """Each was “这里不能出现‘键: 值’（常见原因：值里含有冒号加空格…）” or “没有找到预期的键”, with the general hint."""
    text = edit(site, PROJECT, old, new)
    code, findings = check(site)
    [finding] = findings
    first = new.split("\n")[0]
    assert (finding["code"], finding["line"]) == ("L103", line_of(text, first))
    assert "缩进" in finding["message"]
    spaces = len(meant) - len(meant.lstrip(" "))
    assert (f"开头改为 {spaces} 个空格" if spaces else "顶格书写") in finding["hint"]


# --- two forms of one project in one year ----------------------------------------------------------------


def test_second_form_of_a_project_under_another_slug_is_s212_in_check_and_build(site):
    """A copy kept as a draft under another slug: both were published, exit 0."""
    copy = site / "content/2023/projects/gaosan-fuxi-yingkao-caogao.yaml"
    copy.write_text((site / PROJECT).read_text(encoding="utf-8").replace(
        "slug: gaosan-fuxi-yingkao", "slug: gaosan-fuxi-yingkao-caogao"), encoding="utf-8")
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    both = {PROJECT, "content/2023/projects/gaosan-fuxi-yingkao-caogao.yaml"}
    assert finding["code"] == "S212" and finding["path"] in both  # on the later of the two in file order
    assert (both - {finding["path"]}).pop() in finding["message"] and "删除" in finding["hint"]
    status, out, err = run_cli("build", "--site", site, "--out", site / "build")
    assert status == 1 and "S212" in out + err and not (site / "build").exists()


def test_same_project_name_in_two_years_is_no_s212(site):
    other_year = site / "content/2024/projects/gaosan-fuxi-yingkao.yaml"
    other_year.parent.mkdir(parents=True)
    other_year.write_text((site / PROJECT).read_text(encoding="utf-8").replace("year: 2023", "year: 2024"),
                          encoding="utf-8")
    code, findings = check(site)
    assert [f for f in findings if f["code"] == "S212"] == []


# --- Markdown lines shown otherwise than typed -------------------------------------------------------


@pytest.mark.parametrize("old, new", [
    ("岳阳市教育科学技术研究院是由", "    岳阳市教育科学技术研究院是由"),   # four spaces: a code block
    ("2\\.负责全市中小学教学研究", "\t2\\.负责全市中小学教学研究"),       # a tab: a code block
    ("### （二）主要工作职责", "　　### （二）主要工作职责"),                # full-width spaces: “###” as text
    ("### （二）主要工作职责", "＃＃＃ （二）主要工作职责"),                 # full-width ＃
])
def test_report_line_the_site_would_show_otherwise_is_p709(site, old, new):
    """Each was published without a word: a paragraph in a typewriter font without wrapping, or “###” as text."""
    text = edit(site, REPORT, old, new)
    code, findings = check(site)
    assert code == 1
    [finding] = findings
    assert (finding["code"], finding["line"], finding["path"]) == ("P709", line_of(text, new), REPORT)
    assert old.replace("\\\\", "\\")[:10] in finding["hint"]


def test_full_width_indent_of_a_paragraph_is_fine(site):
    """Two full-width spaces before a paragraph are the Chinese way to begin one: shown as typed."""
    edit(site, REPORT, "岳阳市教育科学技术研究院是由", "　　岳阳市教育科学技术研究院是由")
    code, findings = check(site)
    assert code == 0 and findings == []


def test_indented_lines_inside_a_list_are_no_p708(site):
    edit(site, REPORT, "岳阳市教育科学技术研究院是由", "- 第一项\n\n    第一项的第二段\n\n岳阳市教育科学技术研究院是由")
    code, findings = check(site)
    assert [f for f in findings if f["code"] == "P709"] == []


@pytest.mark.parametrize("written", ["2022\\work-plan", "content/2022/work-plan.md", "2022/work-plan.md"])
def test_document_reference_written_the_windows_way_gets_the_path_to_write(site, written):
    edit(site, "content/2021/department-evaluation.yaml", "- 2022/work-plan ", f"- {written} ")
    code, findings = check(site)
    if written.endswith(".md") and not written.startswith("content/"):
        assert code == 0  # .md is taken off already
        return
    [finding] = findings
    assert finding["code"] == "S207" and finding["hint"].startswith("请改为 2022/work-plan")


def test_kind_written_as_its_chinese_name_gets_the_kind(site):
    edit(site, PROJECT, "kind: project-evaluation", "kind: 项目支出绩效自评表")
    code, findings = check(site)
    [finding] = findings
    assert finding["code"] == "S206" and finding["hint"].startswith("您是不是想写“project-evaluation”")


# --- a # in a value --------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, read", [("project: 高三复习迎考 #1", "高三复习迎考"), ("project: #1高三复习迎考", "")])
def test_hash_in_a_value_taken_for_a_comment_is_said(site, written, read):
    """`project: 高三复习迎考 #1` published 高三复习迎考 without a word."""
    text = edit(site, PROJECT, "project: 高三复习迎考", written)
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "F323"]
    assert finding["line"] == line_of(text, written) and finding["column"] == written.index("#") + 1
    assert (f"读到的是“{read}”" if read else "读到的是空的") in finding["message"]
    assert 'project: "' in finding["hint"]


def test_comments_with_a_space_and_hashes_in_block_text_are_no_f323(site):
    edit(site, PROJECT, "project: 高三复习迎考", "project: 高三复习迎考  # 项目支出名称")
    edit(site, PROJECT, "    1.优化课堂教学方法", "    1.优化课堂教学方法 #1")
    code, findings = check(site)
    assert [f for f in findings if f["code"] == "F323"] == []


# --- invisible characters pasted from web pages, WeChat or Word -------------------------------------------


@pytest.mark.parametrize("old, new, column, named", [
    ("project: 高三复习迎考", "\u200bproject: 高三复习迎考", 1, "U+200B"),       # was S201 + “不认识的项 ​project”
    ("kind: project-evaluation", "\ufeffkind: project-evaluation", 1, "U+FEFF"),  # was “多余的内容” on the next line
    ("project: 高三复习迎考", "project:\u00a0高三复习迎考", 9, "U+00A0"),         # was “缺少冒号”
    ("  total:         {", "\u00a0\u00a0total:         {", 1, "U+00A0"),        # was blamed on the next line
    ("weight: 10, rate: 100%", "weight: 1\u200b0, rate: 100%", 67, "U+200B"),   # was “分值‘1​0’不是数字”
])
def test_invisible_character_in_yaml_is_named_where_it_is(site, old, new, column, named):
    text = edit(site, PROJECT, old, new)
    code, findings = check(site)
    assert code == 1
    finding = findings[0]
    assert (finding["code"], finding["line"], finding["column"]) == ("L110", line_of(text, new), column)
    assert named in finding["message"]
    assert old.strip().split("{")[0] in finding["hint"] or "英文空格" in finding["hint"]


def test_no_break_space_inside_a_value_is_text(site):
    edit(site, PROJECT, "project: 高三复习迎考", "project: 高三\u00a0复习迎考")
    code, findings = check(site)
    assert code == 0 and findings == []


@pytest.mark.parametrize("name", ["con.yaml", "aux.yaml", "Nul.md.yaml", "a:b.yaml", "报告?.yaml"])
def test_record_file_name_windows_cannot_hold_is_l113_and_still_published(site, name):
    """Made on another system, such a file cannot be checked out on the editors' Windows PCs."""
    renamed = f"content/2023/projects/{name}"
    (site / PROJECT).rename(site / renamed)
    code, findings = check(site)
    assert code == 0  # a warning: the record is read and published as before
    [finding] = findings
    assert (finding["code"], finding["severity"], finding["path"]) == ("L113", "warning", renamed)
    assert "Windows" in finding["message"] and "改名" in finding["hint"]
    status, out, err = run_cli("build", "--site", site, "--out", site / "build")
    assert status == 0 and (site / "build/disclosure/2023/gaosan-fuxi-yingkao.html").is_file()


def test_amount_in_yuan_in_a_table_of_wan_yuan_is_said(site):
    """500000元 in the 万元 table was read as 500,000 万元: only “相差 499,950 万元” said so."""
    text = edit(site, PROJECT, TOTAL, TOTAL.replace("initial: 50,", "initial: 500000元,"))
    code, findings = check(site)
    [finding] = [f for f in findings if f["code"] == "F322"]
    assert finding["line"] == line_of(text, "500000元") and "万元" in finding["message"]
    assert "50 万元写作 50" in finding["hint"]


def test_a_report_without_its_title_is_told_the_title_its_first_heading_gives(site):
    """A report typed with its title as the body's first heading, as in Word, and no title: in the front
    matter: S201 names that heading as the title: line to write."""
    edit(site, REPORT, "title: 2023年度部门整体支出绩效自评报告\n", "")
    edit(site, REPORT, "\n## 一、单位基本情况：", "\n# 2023年度部门整体支出绩效自评报告\n\n## 一、单位基本情况：")
    code, findings = check(site)
    assert code == 1
    missing = [f for f in findings if f["code"] == "S201"]
    assert len(missing) == 1 and missing[0]["path"] == REPORT
    assert "title: 2023年度部门整体支出绩效自评报告" in missing[0]["hint"]
