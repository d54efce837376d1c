"""Issue 16, point 4: imports that need no cleanup.

Numbered items of a level treated alike, no Markdown escapes where plain text reads the same,
N407 for numbering that does not follow on, the closing date in `date`, the closing kept as a
right-aligned signature, and Word's automatic numbering written as the numbers it shows.
"""

from __future__ import annotations

import datetime
import re
import sys

import pytest

PLAN = "\n".join([
    "岳阳市教育科学技术研究院2025年工作计划",
    "2025年，我院将围绕全市教育高质量发展，扎实推进各项工作，现制定计划如下。",
    "一、强化党建引领",
    "1.党建引领开创新局面。一是加强理论武装，全年集中学习12次；二是落实“三会一课”制度。",
    "2.开展专题研讨。",
    "3.加强作风建设。",
    "二、保障重点工作",
    "1. 完成省级课题结题10项。",
    "2. 举办全市教学竞赛3场。",
    "岳阳市教育科学技术研究院",
    "2025年1月10日",
])


def _import(import_helpers, site, tmp_path, text: str, name: str = "计划.txt", *extra: str):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    code, out, err = import_helpers.run("import", source, "--kind", "plan", "--year", "2025", "--site", site, *extra)
    assert code == 0, out + err
    return (site / "content" / "2025" / "work-plan.md").read_text(encoding="utf-8"), err


def _body(record: str) -> str:
    return record.split("\n---\n", 1)[1]


def test_items_of_one_level_are_all_headings(new_site, tmp_path, import_helpers):
    record, _ = _import(import_helpers, new_site, tmp_path, PLAN)
    assert import_helpers.markdown_headings(record) == [
        (2, "一、强化党建引领"), (3, "1.党建引领开创新局面。"), (3, "2.开展专题研讨。"), (3, "3.加强作风建设。"),
        (2, "二、保障重点工作"), (3, "1. 完成省级课题结题10项。"), (3, "2. 举办全市教学竞赛3场。")]


def test_a_level_of_sentences_stays_text_alike(new_site, tmp_path, import_helpers):
    text = "\n".join(["2025年工作计划", "一、主要职责",
                      "1.负责全市中小学教育教学研究，指导各县市区教研工作；",
                      "2.开展专题研讨。",
                      "3.承担全市基础教育课程改革的组织实施和质量监测，组织开展教学竞赛和成果评选工作；"])
    record, _ = _import(import_helpers, new_site, tmp_path, text)
    assert import_helpers.markdown_headings(record) == [(2, "一、主要职责")]
    body = _body(record)
    for line in text.split("\n")[2:]:
        assert f"\n{line}\n" in body  # each a paragraph of its own, written as printed


def test_no_escapes_where_plain_text_reads_the_same(new_site, tmp_path, import_helpers):
    text = "\n".join(["2025年工作计划", "全年工作如下。",
                      "2.开展专题研讨，每季度一次，全年共4次，形成纪要并印发各县市区教研部门参照执行；",
                      "3.2次分析全市近3万高三学生的学习情况，形成质量分析报告，报市教育局并通报各学校；",
                      "12.5万元用于教师培训，按季度拨付，年底前全部执行完毕，结余资金按规定上缴财政；"])
    record, _ = _import(import_helpers, new_site, tmp_path, text)
    assert "\\" not in _body(record)
    for line in text.split("\n")[1:]:
        assert line in record
    # and the page shows them as text, not as a list
    code, out, err = import_helpers.run("build", "--site", new_site, "--out", new_site / "build")
    assert code == 0, out + err
    html = (new_site / "build" / "disclosure" / "2025" / "gongzuo-jihua.html").read_text(encoding="utf-8")
    prose = html.split('<div class="prose">', 1)[1]
    assert "<ol" not in prose and "<li>" not in prose and "2.开展专题研讨" in prose


def test_a_list_marker_with_a_space_is_still_escaped(new_site, tmp_path, import_helpers):
    text = "\n".join(["2025年工作计划", "全年工作如下，共分三个方面，分别由院内各部门负责落实，年底总结。",
                      "1. 开展专题研讨，每季度一次，全年共4次，形成纪要并印发各县市区教研部门参照执行；"])
    record, _ = _import(import_helpers, new_site, tmp_path, text)
    assert "1\\. 开展专题研讨" in record


@pytest.mark.parametrize("lines, jump", [
    (["一、强化党建引领", "1.党建引领开创新局面。全年集中学习12次。", "（3）组织教师培训。全年培训500人次。"], "（3）"),
    (["一、强化党建引领", "全年集中学习12次。", "三、保障重点工作", "全年结题10项。"], "三、"),
])
def test_numbering_that_does_not_follow_on_is_n407(lines, jump, new_site, tmp_path, import_helpers):
    _, err = _import(import_helpers, new_site, tmp_path, "\n".join(["2025年工作计划", *lines]))
    reported = [line for line in err.splitlines() if " N407 " in line]
    assert len(reported) == 1 and f"“{jump}”" in reported[0], err
    assert re.match(r"^\S+计划\.txt:\d+:1: N407 警告 ", reported[0])


def test_numbering_that_follows_on_is_not_reported(new_site, tmp_path, import_helpers):
    _, err = _import(import_helpers, new_site, tmp_path, PLAN)
    assert "N407" not in err


@pytest.mark.parametrize("printed, iso", [("2025年1月10日", "2025-01-10"), ("二〇二五年一月十日", "2025-01-10"),
                                          ("2024 年 12 月 31 日", "2024-12-31"), ("二〇二四年十二月三十一日", "2024-12-31")])
def test_the_closing_date_goes_into_date_and_the_closing_is_a_signature(printed, iso, new_site, tmp_path, import_helpers):
    record, _ = _import(import_helpers, new_site, tmp_path, PLAN.replace("2025年1月10日", printed))
    assert str(import_helpers.front_matter(record)["date"]) == iso
    assert "取自文末落款" in record
    assert record.rstrip().endswith(f"岳阳市教育科学技术研究院\n{printed}\n{{: .signature}}")
    code, out, err = import_helpers.run("build", "--site", new_site, "--out", new_site / "build")
    assert code == 0, out + err
    html = (new_site / "build" / "disclosure" / "2025" / "gongzuo-jihua.html").read_text(encoding="utf-8")
    assert f'<p class="signature">岳阳市教育科学技术研究院\n{printed}</p>' in html
    assert "{: .signature}" not in html
    css = next((new_site / "build").rglob("style*.css")).read_text(encoding="utf-8")
    rule = re.search(r"\.prose p\.signature\s*\{([^}]*)\}", css)
    assert rule and "text-align: right" in rule[1] and "pre-line" in rule[1]


def test_seed_003_closing_is_kept_as_signature_with_its_date(new_site, import_helpers):
    code, out, err = import_helpers.run("import", import_helpers.SEED_003, "--kind", "summary", "--year", "2021",
                                        "--site", new_site)
    assert code == 0, out + err
    record = (new_site / "content" / "2021" / "work-summary.md").read_text(encoding="utf-8")
    assert str(import_helpers.front_matter(record)["date"]) == "2022-01-17"
    assert record.rstrip().endswith("东湖区教育局\n体育局\n2022 年 1 月 17 日\n{: .signature}")
    assert "\\" not in _body(record)


@pytest.fixture
def numbered_docx(tmp_path, import_helpers):
    sys.path.insert(0, str(import_helpers.FIXTURES))
    try:
        import numbered_docx as maker
    finally:
        sys.path.remove(str(import_helpers.FIXTURES))
    return maker, maker.make(tmp_path / "2025年工作计划.docx")


def test_word_automatic_numbering_is_written_as_the_visible_numbers(numbered_docx, new_site, import_helpers):
    maker, path = numbered_docx
    code, out, err = import_helpers.run("import", path, "--kind", "plan", "--year", "2025", "--site", new_site)
    assert code == 0, out + err
    record = (new_site / "content" / "2025" / "work-plan.md").read_text(encoding="utf-8")
    lines = [re.sub(r"^#+ ", "", line) for line in _body(record).split("\n")]
    numbered = [line for line in lines if re.match(r"^([一二三四五六七八九十]+、|\d+\.|（\d+）)", line)]
    assert numbered == maker.VISIBLE
    assert import_helpers.markdown_headings(record)[:3] == [(2, "一、强化党建引领"), (3, "1.党建引领开创新局面。"),
                                                            (3, "2.开展专题研讨。")]
    assert "- 本计划自印发之日起执行\n- 由院办公室负责解释" in record  # bullets stay a list
    assert str(import_helpers.front_matter(record)["date"]) == "2025-01-10"
    code, out, err = import_helpers.run("build", "--site", new_site, "--out", new_site / "build")
    assert code == 0, out + err


# --- the parsing underneath ---------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from site_builder.importer.numbering import closing_date  # noqa: E402
from site_builder.importer.word_numbering import chinese_number  # noqa: E402
from site_builder.render.outline import cn_number  # noqa: E402


@given(st.integers(min_value=1, max_value=999))
def test_word_chinese_counting_reads_back_as_the_same_number(value):
    assert cn_number(chinese_number(value)) == value


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_closing_dates_in_arabic_and_chinese_figures(day):
    arabic = f"{day.year}年{day.month}月{day.day}日"
    chinese = "".join("〇一二三四五六七八九"[int(d)] for d in str(day.year)) + \
        f"年{chinese_number(day.month)}月{chinese_number(day.day)}日"
    assert closing_date(arabic) == closing_date(chinese) == day.isoformat()


@given(st.text(max_size=30))
def test_closing_date_of_any_line_is_a_date_or_nothing(text):
    found = closing_date(text)
    assert found is None or datetime.date.fromisoformat(found).isoformat() == found
    assert closing_date("2025年2月30日") is None
