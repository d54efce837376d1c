"""Each self-evaluation table of the seeds is published in full.

Seed 001 holds the 2023 self-evaluation report followed by 11 tables (one
部门整体支出 table, ten 项目支出 tables). Each table must have its own page,
and every non-empty cell of the source table must be found in that page's
visible text (whitespace removed on both sides, mobile numbers in their masked
form 139****6836).

A few cells are printed by the page in another arrangement, and are checked
part by part by :func:`requirements` (every other cell is compared whole):

* label/value cells ("填表人：卢彦军  填报日期：…", "实施单位：…", "备注：…") are
  printed as label/value pairs: each label must be followed by its value;
* a heading with its unit ("项目资金（万元）", "年度预算申请（万元）") is printed as
  the heading plus "单位：万元" in the table caption;
* a column label typed with a trailing colon ("按收入性质分：") may be printed as
  a column header without the colon.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitetest import FIXTURES, mask_mobiles, squeeze, visible_text
from seed_text import drop_artifacts, read_cells, split_tables

SEED_001 = FIXTURES / "seed-001-2023-forms.txt"
SEED_000 = FIXTURES / "seed-000-2021-form.txt"

TABLES = split_tables(SEED_001.read_text(encoding="utf-8"))
DEPARTMENT_PAGE = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbiao.html"
PROJECT_NAME_LABEL = "项目支出名称"  # printed as "项目支\n出名称" in the Word text

LABELS = ("填表人", "填报日期", "联系电话", "单位负责人签字", "实施单位", "备注")
_LABEL_SPLIT = re.compile("(" + "|".join(LABELS) + ")：")
UNIT = "（万元）"


def requirements(cell_text: str) -> list[list[list[str]]]:
    """What must be on the page for this cell.

    A list of requirements, all of which must hold; each requirement is a list of
    alternatives, one of which must hold; an alternative is a list of strings that
    must all occur in the page text (whitespace removed).
    """
    text = squeeze(mask_mobiles(drop_artifacts(cell_text)))
    if not text:
        return []
    if _LABEL_SPLIT.match(text):
        parts = _LABEL_SPLIT.split(text)[1:]  # label, value, label, value, …
        # each label followed by its value: "label：value" or label and value as a pair
        return [[[label + "：" + value], [label + value]] for label, value in zip(parts[0::2], parts[1::2])]
    if text.endswith(UNIT) and len(text) > len(UNIT):
        return [[[text], [text[: -len(UNIT)], "单位：万元"]]]
    if text.endswith("：") and text.count("：") == 1:
        return [[[text], [text[:-1]]]]
    return [[[text]]]


def missing_parts(cell_text: str, page_text: str) -> list[str]:
    """The requirements of the cell the page does not meet (empty when the cell is found)."""
    return [requirement[0][0] for requirement in requirements(cell_text)
            if not any(all(s in page_text for s in alternative) for alternative in requirement)]


def cell_found(cell_text: str, page_text: str) -> bool:
    return not missing_parts(cell_text, page_text)


# --- the page of each table ------------------------------------------------------------------


def _h1(path: Path) -> str:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    return squeeze(visible_text(match.group(1))) if match else ""


@pytest.fixture(scope="session")
def page_of_table(real_build):
    """Table index → its page in the build, matched by the project name in the page's <h1>."""
    candidates = sorted((real_build / "disclosure" / "2023").glob("*.html"))
    headings = {path: _h1(path) for path in candidates}
    mapping, problems = {}, []
    for index, table in enumerate(TABLES):
        if table.is_department:
            mapping[index] = real_build / DEPARTMENT_PAGE
            continue
        name = squeeze(table.cell_after(PROJECT_NAME_LABEL) or "")
        found = [path for path, h1 in headings.items() if name and name in h1 and table.title in h1]
        if len(found) != 1:
            problems.append(f"{table.title}「{name}」(第 {table.line} 行): 匹配到的网页 {[p.name for p in found]}")
        else:
            mapping[index] = found[0]
    assert not problems, "找不到项目表对应的唯一网页：\n" + "\n".join(problems)
    return mapping


def test_seed_001_has_one_department_and_ten_project_tables():
    assert len(TABLES) == 11
    assert sum(t.is_department for t in TABLES) == 1
    names = [t.cell_after(PROJECT_NAME_LABEL) for t in TABLES if not t.is_department]
    assert all(names) and len(set(names)) == 10, names


def test_each_table_has_its_own_page(page_of_table):
    pages = list(page_of_table.values())
    assert len(pages) == 11 and len(set(pages)) == 11
    assert all(page.is_file() for page in pages)


@pytest.mark.parametrize("index", range(len(TABLES)),
                         ids=[f"table{i + 1:02d}-line{t.line}" for i, t in enumerate(TABLES)])
def test_every_cell_of_the_table_is_on_its_page(index, page_of_table):
    table = TABLES[index]
    page = page_of_table[index]
    page_text = squeeze(visible_text(page))
    checked = [cell for cell in table.cells if requirements(cell.text)]
    assert len(checked) > 20, "the table parsed into too few cells: the fixture parser is broken"
    misses = [f"  第 {cell.line} 行：{squeeze(mask_mobiles(cell.text))[:80]!r}，缺少 {missing_parts(cell.text, page_text)}"
              for cell in checked if not cell_found(cell.text, page_text)]
    name = table.cell_after(PROJECT_NAME_LABEL) or table.title
    assert not misses, (f"{name}（{page.name}）缺少 {len(misses)} 个单元格（共 {len(checked)} 个）：\n"
                        + "\n".join(misses))


def test_department_footer_phone_is_masked_on_its_page(page_of_table):
    department = next(i for i, t in enumerate(TABLES) if t.is_department)
    text = squeeze(visible_text(page_of_table[department]))
    assert "联系电话139****6836" in text or "联系电话：139****6836" in text
    assert "13907306836" not in text


def test_report_text_before_the_tables_is_on_the_report_page(real_build):
    """Seed 001 begins with the 2023 self-evaluation report, one paragraph a line."""
    lines = SEED_001.read_text(encoding="utf-8").split("\n")
    first_table = TABLES[0].line - 1
    paragraphs = [squeeze(mask_mobiles(drop_artifacts(line))) for line in lines[:first_table]]
    paragraphs = [p for p in paragraphs if p]
    assert len(paragraphs) > 10
    reports = [p for p in (real_build / "disclosure" / "2023").glob("*.html") if "自评报告" in _h1(p)]
    assert len(reports) == 1, [p.name for p in reports]
    text = squeeze(visible_text(reports[0]))
    missing = [p[:60] for p in paragraphs if p not in text]
    assert not missing, "自评报告网页缺少这些段落：\n" + "\n".join(missing)


# --- the self-test of the matching rules: they must be able to fail -----------------------


def test_matching_rules_reject_what_is_not_there():
    page = squeeze("填表人 卢彦军 填报日期 2024年9月11日 联系电话 139****2708 单位负责人签字 李伟灵")
    assert cell_found("填表人：卢彦军   填报日期：2024年9月11日  联系电话：13973032708  单位负责人签字：李伟灵", page)
    assert not cell_found("填表人：何雄   填报日期：2024年9月11日  联系电话：13973032708  单位负责人签字：李伟灵", page)
    assert not cell_found("填表人：卢彦军   填报日期：2024年9月11日  联系电话：13973032709  单位负责人签字：李伟灵", page)
    # the value must follow its own label, not merely occur somewhere
    assert not cell_found("填表人：李伟灵", page)
    assert not cell_found("项目资金（万元）", squeeze("项目资金 其他"))
    assert cell_found("项目资金（万元）", squeeze("项目资金 单位：万元"))
    assert not cell_found("政府性基金拨款：", squeeze("政府基金拨款"))
    assert not cell_found("1,463.31", squeeze("1463.31"))


# --- seed 000: the 2021 form ------------------------------------------------------------------


def _units_of_2021_form() -> list[tuple[int, str, bool]]:
    """(line, text, is_narrative) for each thing printed in the 2021 form.

    A cell whose paragraphs are all short fragments of a label ("年度主要", blank,
    "工作内容") is one unit; a long cell gives one unit per paragraph.
    """
    lines = SEED_000.read_text(encoding="utf-8").split("\n")
    units = []
    cells = read_cells(lines, blank_ends_cell=False)
    for number, line in enumerate(lines[: cells[0].line - 1], start=1):  # before the first cell
        if line.strip():
            units.append((number, squeeze(line), False))
    narrative_label = "年度部门（单位）总体运行情况及取得的成绩"
    for index, cell in enumerate(cells):
        paragraphs = [squeeze(p) for p in cell.text.split("\n") if p.strip()]
        if not paragraphs:
            continue
        narrative = index > 0 and squeeze(cells[index - 1].text) == narrative_label
        if len("".join(paragraphs)) <= 20:
            units.append((cell.line, "".join(paragraphs), False))
        else:
            units.extend((cell.line, p, narrative) for p in paragraphs)
    return units


def test_every_cell_of_the_2021_form_is_on_the_site(real_build):
    units = _units_of_2021_form()
    assert len(units) > 40 and sum(n for _, _, n in units) > 20
    form_pages = [p for p in (real_build / "disclosure" / "2021").glob("*.html")
                  if "2021年度部门（单位）整体支出绩效自评表" in _h1(p)]
    assert len(form_pages) == 1, [p.name for p in form_pages]
    form_text = squeeze(visible_text(form_pages[0]))
    others = {p: squeeze(visible_text(p)) for p in real_build.rglob("*.html")
              if p != form_pages[0] and p.name != "index.html"}
    misses = []
    for line, text, narrative in units:
        if text not in form_text:
            misses.append(f"  第 {line} 行（表格网页）：{text[:60]!r}")
        if narrative and not any(text in other for other in others.values()):
            misses.append(f"  第 {line} 行（工作总结/计划网页）：{text[:60]!r}")
    assert not misses, "2021年度表格的这些内容没有出现在网站上：\n" + "\n".join(misses)


def test_2021_narrative_is_split_between_the_summary_and_the_plan(real_build):
    units = [text for _, text, narrative in _units_of_2021_form() if narrative]
    summary = [p for p in real_build.rglob("*.html") if "2021年工作总结" in _h1(p)]
    plan = [p for p in real_build.rglob("*.html") if "2022年工作计划" in _h1(p)]
    assert len(summary) == 1 and len(plan) == 1
    summary_text, plan_text = squeeze(visible_text(summary[0])), squeeze(visible_text(plan[0]))
    split = next(i for i, text in enumerate(units) if text.startswith("2022年即将来临"))
    assert all(text in summary_text for text in units[:split])
    assert all(text in plan_text for text in units[split:])
