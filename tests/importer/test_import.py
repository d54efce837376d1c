"""`site-builder import`: seed 003 (text) and a Word file become records whose pages have the right headings."""

from __future__ import annotations

import re
import sys

import pytest

CN = "一二三四五六七八九十"


@pytest.fixture
def seed_import(new_site, import_helpers):
    code, out, err = import_helpers.run("import", import_helpers.SEED_003, "--kind", "summary", "--year", "2021",
                                        "--site", new_site)
    assert code == 0, out + err
    record = new_site / "content" / "2021" / "work-summary.md"
    assert "已导入" in out and str(record) in out
    return new_site, record


@pytest.fixture
def plan_docx(tmp_path, import_helpers):
    sys.path.insert(0, str(import_helpers.FIXTURES))
    try:
        import plan_docx as maker
    finally:
        sys.path.remove(str(import_helpers.FIXTURES))
    return maker, maker.make(tmp_path / "2024年工作计划.docx")


def _build(site, import_helpers):
    code, out, err = import_helpers.run("build", "--site", site, "--out", site / "build")
    assert code == 0, out + err
    return site / "build"


def test_seed_003_front_matter_has_issuer_number_and_title(seed_import, import_helpers):
    _, record = seed_import
    front = import_helpers.front_matter(record.read_text(encoding="utf-8"))
    assert front["kind"] == "summary" and front["year"] == 2021
    assert front["issuer"] == "南昌市东湖区教育体育局"
    assert front["doc_number"] == "东教字〔2022〕1号"
    assert front["title"] == "东湖区教体局2021年工作总结 及2022年工作计划"


def test_seed_003_keeps_every_character(seed_import, import_helpers):
    """Every character of the source, layout whitespace aside, is in the record, in order."""
    _, record = seed_import
    source = import_helpers.squeeze(import_helpers.SEED_003.read_text(encoding="utf-8"))
    output = import_helpers.squeeze(record.read_text(encoding="utf-8"))
    found, where = import_helpers.is_subsequence(source, output)
    assert found, f"missing from the record near: {where}"


def test_seed_003_page_headings_run_summary_then_plan(seed_import, import_helpers):
    site, _ = seed_import
    page = _build(site, import_helpers) / "disclosure" / "2021" / "gongzuo-zongjie.html"
    headings = import_helpers.outline(page).headings
    assert headings[0][0] == 1 and headings[0][2] == "东湖区教体局2021年工作总结 及2022年工作计划"
    h2 = [text for level, _, text in headings if level == 2]
    assert [t[:2] for t in h2[:6]] == [f"{CN[i]}、" for i in range(6)]
    assert h2[6] == "区教体局2022年工作计划" and len(h2) == 7
    # The summary's sections hold its 一是/二是 runs; the plan's 一、… sections hold items 1.–28.
    start = next(i for i, h in enumerate(headings) if h[2] == "区教体局2022年工作计划")
    summary, plan = headings[1:start], headings[start + 1:]
    assert all(level == 3 and re.match(f"[{CN}]是", text) for level, _, text in summary if level != 2)
    sections = [text for level, _, text in plan if level == 3]
    assert [s[:2] for s in sections] == [f"{CN[i]}、" for i in range(8)]
    items = [text for level, _, text in plan if level == 4]
    assert [int(re.match(r"\d+", t).group()) for t in items] == list(range(1, 29))
    assert {level for level, _, _ in plan} == {3, 4}
    # Levels never skip.
    levels = [level for level, _, _ in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_seed_003_heading_opening_a_paragraph_is_split_and_paragraphs_kept_whole(seed_import, import_helpers):
    site, _ = seed_import
    page = import_helpers.outline(_build(site, import_helpers) / "disclosure" / "2021" / "gongzuo-zongjie.html")
    texts = [text for _, _, text in page.headings]
    assert "一是聚焦建党一百周年，赓续初心聚合力。" in texts
    assert "1. 持续深化理论学习。" in texts
    paragraphs = [import_helpers.squeeze(p) for p in page.paragraphs]
    assert any(p.startswith("以“奋斗百年路") for p in paragraphs)
    # A paragraph the page break cut in two is one paragraph again.
    assert any("持续深化党员队伍建设，举办2021年党员培训班" in p for p in paragraphs)
    assert not any(p.startswith("建设，举办") for p in paragraphs)
    assert any("围绕“优质带动，优势互补，逐步覆盖，共同发展”的工作思路" in p for p in paragraphs)


def test_seed_003_anchors_follow_the_numbering(seed_import, import_helpers):
    site, _ = seed_import
    page = import_helpers.outline(_build(site, import_helpers) / "disclosure" / "2021" / "gongzuo-zongjie.html")
    ids = {text: anchor for _, anchor, text in page.headings}
    assert ids["一、正本清源，聚力夯实“党的建设”根基"] == "s1"
    assert ids["二是聚焦党史学习教育，学思践悟办实事。"] == "s1-2"
    anchors = [anchor for level, anchor, _ in page.headings if level > 1]
    assert all(re.fullmatch(r"[a-z0-9-]+", a) for a in anchors)
    assert len(set(anchors)) == len(anchors)


def test_import_never_overwrites_without_force(seed_import, import_helpers):
    site, record = seed_import
    record.write_text(record.read_text(encoding="utf-8") + "\n编辑过的文字。\n", encoding="utf-8")
    before = record.read_bytes()
    code, out, err = import_helpers.run("import", import_helpers.SEED_003, "--kind", "summary", "--year", "2021",
                                        "--site", site)
    assert code == 1
    assert "N405" in err and "已经存在" in err and "--force" in err
    assert record.read_bytes() == before
    code, out, err = import_helpers.run("import", import_helpers.SEED_003, "--kind", "summary", "--year", "2021",
                                        "--site", site, "--force")
    assert code == 0, err
    assert "编辑过的文字" not in record.read_text(encoding="utf-8")


def test_docx_imports_and_builds_with_heading_tree_and_table(new_site, plan_docx, import_helpers):
    maker, docx_file = plan_docx
    code, out, err = import_helpers.run("import", docx_file, "--kind", "plan", "--year", "2024", "--site", new_site)
    assert code == 0, out + err
    record = new_site / "content" / "2024" / "work-plan.md"
    text = record.read_text(encoding="utf-8")
    front = import_helpers.front_matter(text)
    assert (front["issuer"], front["doc_number"], front["title"]) == (maker.ISSUER, maker.DOC_NUMBER, maker.TITLE)
    assert import_helpers.markdown_headings(text) == [
        (2, "一、强化党建引领"), (3, "1.党建引领开创新局面。"), (3, "2.作风建设持续深化。"),
        (2, "二、保障重点工作"), (3, "（一）经费预算安排"), (3, "（二）重点任务清单")]
    assert "- 完成省级课题结题10项\n- 举办全市教学竞赛3场" in text
    # Every character of the Word file's text and table is in the record.
    for part in [c for _, c in maker.PARAGRAPHS if isinstance(c, str)] + [cell for row in maker.TABLE for cell in row]:
        assert import_helpers.squeeze(part) in import_helpers.squeeze(text.replace("\\|", "|")), part
    # What could not be imported is reported: the picture and the page header.
    assert "N406" in err and "图片" in err and maker.HEADER in err

    build = _build(new_site, import_helpers)
    page = build / "disclosure" / "2024" / "gongzuo-jihua.html"
    headings = import_helpers.outline(page).headings
    assert [(level, text) for level, _, text in headings] == [
        (1, maker.TITLE), (2, "一、强化党建引领"), (3, "1.党建引领开创新局面。"), (3, "2.作风建设持续深化。"),
        (2, "二、保障重点工作"), (3, "（一）经费预算安排"), (3, "（二）重点任务清单")]
    html = page.read_text(encoding="utf-8")
    assert "<table>" in html and "<th>金额（万元）</th>" in html and "<td>含培训|资料</td>" in html
    assert import_helpers.squeeze("一是加强理论武装，全年集中学习12次；二是落实“三会一课”制度。") in \
        [import_helpers.squeeze(p) for p in import_helpers.outline(page).paragraphs]
    assert "发文机关" in html and maker.ISSUER in html


def test_inconsistent_numbering_gets_a_clean_tree_and_is_reported(new_site, tmp_path, import_helpers):
    """Numbered as the 2023 report is: 一、 （一）…（三） （4） 2、 （1） 3、 五、 9、."""
    source = tmp_path / "报告.txt"
    source.write_text("\n".join([
        "一、单位基本情况：", "（一）主要职能", "承担全市中小学教育教学研究等主要工作任务。", "（二）主要工作职责",
        "负责全市中小学教学研究。", "（三）机构设置", "内设党政办公室等机构。", "（4） 人员编制情况", "核定全额编制数44名。",
        "2、 一般公共预算支出情况", "（1） 基本支出情况", "基本支出1,129.76万元。", "3、 政府性基金预算支出情况", "无",
        "五、社会保险基金预算支出情况", "无", "9、 部门整体支出绩效自评结果拟应用和公开情况", "按要求及时公开。",
    ]), encoding="utf-8")
    code, out, err = import_helpers.run("import", source, "--kind", "report", "--year", "2023", "--title",
                                        "2023年度部门整体支出绩效自评报告", "--site", new_site)
    assert code == 0, out + err
    text = (new_site / "content" / "2023" / "self-evaluation-report.md").read_text(encoding="utf-8")
    assert [level for level, _ in import_helpers.markdown_headings(text)] == [2, 3, 3, 3, 3, 2, 3, 2, 2, 2]
    assert "N407" in err and "（4）" in err and "9、" in err
    page = _build(new_site, import_helpers) / "disclosure" / "2023" / "bumen-zhengti-zhichu-jixiao-zipingbaogao.html"
    headings = import_helpers.outline(page).headings
    assert [level for level, _, _ in headings] == [1, 2, 3, 3, 3, 3, 2, 3, 2, 2, 2]
    assert [anchor for _, anchor, _ in headings[1:]] == [
        "s1", "s1-1", "s1-2", "s1-3", "s1-4", "s2", "s2-1", "s3", "s5", "s9"]


def test_import_mistakes_are_reported_in_chinese(new_site, tmp_path, import_helpers):
    code, out, err = import_helpers.run("import", tmp_path / "没有这个文件.docx", "--kind", "plan", "--year", "2024",
                                        "--site", new_site)
    assert code == 1 and "N403" in err and "找不到要导入的文件" in err
    old = tmp_path / "总结.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    code, out, err = import_helpers.run("import", old, "--kind", "summary", "--year", "2024", "--site", new_site)
    assert code == 1 and "N404" in err and "另存为 .docx" in err
    for name in ("自评表.xls", "自评表.et", "自评表.xlsx"):  # a spreadsheet is imported as forms, without --kind
        sheet = tmp_path / name
        sheet.write_bytes(b"\xd0\xcf\x11\xe0")
        code, out, err = import_helpers.run("import", sheet, "--kind", "summary", "--year", "2024", "--site", new_site)
        assert code == 1 and "N404" in err and f"去掉 --kind 导入：site-builder import {sheet} --year 2024" in err, err
    broken = tmp_path / "坏的.docx"
    broken.write_bytes(b"not a zip")
    code, out, err = import_helpers.run("import", broken, "--kind", "summary", "--year", "2024", "--site", new_site)
    assert code == 1 and "N403" in err and "Traceback" not in err
    code, out, err = import_helpers.run("import", import_helpers.SEED_003, "--kind", "memo", "--year", "2024",
                                        "--site", new_site)
    assert code == 2 and "无效的选择" in err
    code, out, err = import_helpers.run("rules", "N405")
    assert code == 0 and "--force" in out


def test_gbk_text_and_markdown_files_import(new_site, tmp_path, import_helpers):
    gbk = tmp_path / "计划.txt"
    gbk.write_bytes("2025年工作计划\n\n一、加强教研\n1.开展视导。全年视导学校20所。\n".encode("gb18030"))
    code, out, err = import_helpers.run("import", gbk, "--kind", "plan", "--year", "2025", "--site", new_site)
    assert code == 0, err
    text = (new_site / "content" / "2025" / "work-plan.md").read_text(encoding="utf-8")
    assert import_helpers.front_matter(text)["title"] == "2025年工作计划"
    assert import_helpers.markdown_headings(text) == [(2, "一、加强教研"), (3, "1.开展视导。")]

    md = tmp_path / "总结.md"
    md.write_text("---\ntitle: 2025年工作总结\ndoc_number: 岳教科字〔2025〕2号\n---\n\n## 一、总体情况\n\n"
                  "1\\.视导工作扎实。全年视导\n学校20所。\n\n- 第一项\n- 第二项\n", encoding="utf-8")
    code, out, err = import_helpers.run("import", md, "--kind", "summary", "--year", "2025", "--slug",
                                        "gongzuo-zongjie-2025", "--site", new_site)
    assert code == 0, err
    text = (new_site / "content" / "2025" / "gongzuo-zongjie-2025.md").read_text(encoding="utf-8")
    front = import_helpers.front_matter(text)
    assert front["title"] == "2025年工作总结" and front["doc_number"] == "岳教科字〔2025〕2号"
    assert import_helpers.markdown_headings(text) == [(2, "一、总体情况"), (3, "1.视导工作扎实。")]
    assert "全年视导学校20所。" in text and "- 第一项\n- 第二项" in text
    _build(new_site, import_helpers)


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_a_document_s_invisible_characters_are_read_as_they_show(new_site, tmp_path, import_helpers, suffix):
    """Text copied from a web page or a PDF brings line separators (U+2028) and, now and then, a
    bidirectional override (U+202E: what follows is shown backwards). The record written held them, and
    check refused it (L111) right after the import: a line separator is a line break, an override nothing."""
    import docx

    lines = ["一、基本情况", "全年视导学校20所。\u2028完成课题3项。", "项目资金\u202e13.54\u202c万元。"]
    path = tmp_path / f"总结{suffix}"
    if suffix == ".docx":
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    else:
        path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = import_helpers.run("import", path, "--kind", "summary", "--year", "2024", "--site", new_site)
    assert code == 0, err
    record = next((new_site / "content" / "2024").glob("*.md")).read_text(encoding="utf-8")
    assert "项目资金13.54万元。" in record and "完成课题3项。" in record
    assert not any(character in record for character in "\u2028\u202e\u202c")
    code, out, err = import_helpers.run("check", "--site", new_site)
    assert "L111" not in out + err, out + err


def test_a_document_keeps_text_word_holds_in_content_controls_and_tracked_changes(new_site, tmp_path, import_helpers):
    """A report made from a template: a paragraph inside a block content control, a date typed into an
    inline one, a sentence inserted with changes tracked. Word shows them all; the record keeps them all,
    and nothing deleted."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("一、基本情况")
    body = document.add_paragraph("本单位全年完成预算执行。")
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "办公室")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "执行率为99.95%。"
    run.append(text)
    inserted.append(run)
    body._p.append(inserted)
    block = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    block.append(content)
    inside = document.add_paragraph("二、存在的问题")
    content.append(inside._p)  # moved into the content control
    document.element.body.insert(len(document.element.body) - 1, block)
    path = tmp_path / "报告.docx"
    document.save(str(path))
    code, out, err = import_helpers.run("import", path, "--kind", "report", "--year", "2024", "--site", new_site)
    assert code == 0, err
    record = next((new_site / "content" / "2024").glob("*.md")).read_text(encoding="utf-8")
    assert "本单位全年完成预算执行。执行率为99.95%。" in record
    assert "存在的问题" in record


def test_a_document_leaves_out_text_word_hides_and_says_so(new_site, tmp_path, import_helpers):
    """Hidden text (字体 → 隐藏) set on a run, by a paragraph's style, or on a table cell's run, is not
    printed: not in the record, each piece named in a note (N406) with its paragraph."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("一、基本情况")
    body = document.add_paragraph("全年完成预算执行。")
    body.add_run("（待主任确认后删去此句）").font.hidden = True
    drafting = document.styles.add_style("起草说明", WD_STYLE_TYPE.PARAGRAPH)
    drafting.font.hidden = True
    document.add_paragraph("起草说明：第三部分数字未核", style=drafting)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "执行率"
    table.cell(0, 1).paragraphs[0].add_run("99.95%")
    table.cell(0, 1).paragraphs[0].add_run("（草稿数）").font.hidden = True
    path = tmp_path / "报告.docx"
    document.save(str(path))
    code, out, err = import_helpers.run("import", path, "--kind", "report", "--year", "2024", "--site", new_site)
    assert code == 0, err
    record = next((new_site / "content" / "2024").glob("*.md")).read_text(encoding="utf-8")
    assert "全年完成预算执行。" in record and "99.95%" in record
    for hidden, where in (("（待主任确认后删去此句）", "第 2 段"), ("起草说明：第三部分数字未核", "第 3 段"),
                          ("（草稿数）", "第 4 段（表格）")):
        assert hidden not in record
        assert f"{where}：隐藏文字“{hidden}”没有导入" in err, err
