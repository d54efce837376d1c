"""One broken file per rule and per loading error.

Each case starts from a valid baseline (a real record copied into a temporary
site with the real content/site.yaml, its acknowledgements stripped), makes one
small text edit, runs `check --format json` and expects the code at the line
computed from the edited text, with a Chinese hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pytest

from sitetest import line_of

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
REPORT = "content/2023/self-evaluation-report.md"
DEPARTMENT = "content/2023/department-evaluation.yaml"
DEPARTMENT_2021 = "content/2021/department-evaluation.yaml"
SUMMARY_2021 = "content/2021/work-summary.md"
PLAN_2022 = "content/2022/work-plan.md"

BASES = {
    "project": [PROJECT],
    "report": [REPORT],
    "department": [DEPARTMENT],
    "department-2021": [DEPARTMENT_2021, SUMMARY_2021, PLAN_2022],
}


def _base_files(helpers, base: str) -> dict[str, str]:
    files = {}
    for relative in BASES[base]:
        text = helpers.read_real(relative)
        if re.search(r"(?m)^acknowledgements:", text):
            text = helpers.strip_acknowledgements(text)
        files[relative] = text
    return files


# --- edits ----------------------------------------------------------------------------------


def sub(old: str, new: str) -> Callable[[str], str]:
    """An edit replacing the single occurrence of `old`."""
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the baseline"
        return text.replace(old, new)
    return edit


def chain(*edits):
    def edit(text):
        for one in edits:
            text = one(text)
        return text
    return edit


def at(needle: str, nth: int = 1) -> Callable[[str], int]:
    """The expected line: where `needle` is in the edited text."""
    return lambda text: line_of(text, needle, nth)


def at_regex(pattern: str) -> Callable[[str], int]:
    def line(text: str) -> int:
        for number, content in enumerate(text.splitlines(), start=1):
            if re.search(pattern, content):
                return number
        raise AssertionError(f"{pattern!r} not in the edited text")
    return line


def first_non_ascii_line(text: str) -> int:
    index = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    return text[:index].count("\n") + 1


def after_front_matter(text: str) -> int:
    """The line just after the closing --- of a Markdown front matter."""
    lines = text.split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return closing + 2


@dataclass
class Case:
    id: str
    code: str
    edit: Callable
    line: Callable[[str], int] | set | int
    path: str = PROJECT
    base: str = "project"
    hint_has: tuple[str, ...] = ()
    extra: dict[str, Callable] = field(default_factory=dict)  # other files: path → (base files → text)
    any_path: bool = False  # the finding may be on any of the files involved (S205)

    @property
    def severity(self) -> str:
        return "warning" if self.code in ("F302", "F307", "F399", "P711") else "error"


def _project_total(weight, score):
    return sub("total: {label: 合计, weight: 100, score: 100}", f"total: {{label: 合计, weight: {weight}, score: {score}}}")


ROW_44 = "{level3: 骨干教师培训合格率, target: 100%, actual: 100%, weight: 4, score: 4, deviation: }"

CASES = [
    # --- load stage ------------------------------------------------------------------------
    Case("L101-gbk", "L101", lambda t: t.encode("gbk"), first_non_ascii_line, hint_has=("GBK", "UTF-8")),
    Case("L101-md-gbk", "L101", lambda t: t.encode("gbk"), first_non_ascii_line, path=REPORT, base="report",
         hint_has=("GBK",)),
    Case("L102-empty", "L102", lambda t: "", 0),
    Case("L102-blank-lines", "L102", lambda t: "\n  \n\n", 0),
    Case("L103-unclosed-quote", "L103", sub("target: 450人", 'target: "450人'), at('"450人')),
    Case("L103-bad-indentation", "L103", sub("\ndepartment: 岳阳市教育体育局", "\n  department: 岳阳市教育体育局"),
         at("  department: 岳阳市教育体育局")),
    Case("L103-colon-in-flow-mapping", "L103", sub("target: 14科", "target: 14科: 全部"), at("14科: 全部")),
    Case("L103-unclosed-brace", "L103", sub(ROW_44, ROW_44[:-1]),
         # libyaml only notices at the next line; the hint says "这一行及上一行"
         lambda t: {at("骨干教师培训合格率")(t), at("骨干教师培训合格率")(t) + 1}),
    Case("L103-md-front-matter", "L103", sub("title: 2023年度", 'title: "2023年度'), at('title: "2023年度'),
         path=REPORT, base="report"),
    Case("L104-tab", "L104", sub("  prepared_by", "\tprepared_by"), at("\tprepared_by")),
    Case("L104-md-tab", "L104", sub("date: 2024-09-11", "\tdate: 2024-09-11"), at("\tdate"),
         path=REPORT, base="report"),
    Case("L105-duplicate-key", "L105", sub("project: 高三复习迎考\n", "project: 高三复习迎考\nproject: 重复\n"),
         at("project: 重复")),
    Case("L105-duplicate-key-in-flow-row", "L105", sub("骨干教师培训合格率, target: 100%,", "骨干教师培训合格率, target: 100%, target: 90%,"),
         at("target: 90%")),
    Case("L105-md-duplicate-key", "L105", sub("date: 2024-09-11\n", "date: 2024-09-11\ndate: 2024-09-12\n"),
         at("date: 2024-09-12"), path=REPORT, base="report"),
    Case("L106-no-front-matter", "L106", lambda t: t.split("---\n", 2)[2].lstrip("\n"), 1,
         path=REPORT, base="report", hint_has=("---",)),
    # at the first line of the body, where the closing --- is missing (it was line 1)
    Case("L106-unclosed-front-matter", "L106", lambda t: re.sub(r"(?m)^---\n(?=\n## )", "", t, count=1),
         at("## 一、单位基本情况"), path=REPORT, base="report", hint_has=("---",)),
    Case("L106-empty-front-matter", "L106", lambda t: "---\n---\n\n" + t.split("---\n", 2)[2], 1,
         path=REPORT, base="report"),
    Case("L106-front-matter-is-a-list", "L106", lambda t: "---\n- kind: report\n- year: 2023\n---\n\n正文\n", 2,
         path=REPORT, base="report"),
    Case("L107-top-level-list", "L107", lambda t: "\n".join("- " + line if line and not line.startswith(("#", " "))
                                                           else line for line in t.split("\n")),
         at("- kind:")),
    Case("L107-top-level-text", "L107", lambda t: "# 说明\n高三复习迎考\n", 2),
    # --- model stage -----------------------------------------------------------------------
    Case("S201-missing-project", "S201", sub("project: 高三复习迎考\n", ""), at("kind: project-evaluation"),
         hint_has=("project",)),
    Case("S201-missing-total", "S201", sub("total: {label: 合计, weight: 100, score: 100}\n", ""),
         at("kind: project-evaluation"), hint_has=("total",)),
    Case("S201-missing-level2", "S201", sub("      - level2: 时效指标\n        rows:", "      - rows:"),
         at("      - rows:"), hint_has=("level2",)),
    Case("S201-md-missing-title", "S201", sub("title: 2023年度部门整体支出绩效自评报告\n", ""), at("kind: report"),
         path=REPORT, base="report", hint_has=("title",)),
    Case("S201-department-missing-layout", "S201", sub("layout: standard\n", ""), at("kind: department-evaluation"),
         path=DEPARTMENT, base="department", hint_has=("layout",)),
    Case("S202-typo", "S202", sub("prepared_by", "prepard_by"), at("prepard_by"),
         hint_has=("您是不是想写", "prepared_by")),
    Case("S202-typo-in-row", "S202", sub("target: 14科", "targt: 14科"), at("targt: 14科"),
         hint_has=("您是不是想写", "target")),
    Case("S202-typo-top-level", "S202", sub("implementer:", "implementor:"), at("implementor:"),
         hint_has=("您是不是想写", "implementer")),
    Case("S202-md-typo", "S202", sub("title:", "titel:"), at("titel:"), path=REPORT, base="report",
         hint_has=("您是不是想写", "title")),
    Case("S203-list-for-text", "S203", sub("project: 高三复习迎考\n", "project:\n  - 高三复习迎考\n"),
         at("  - 高三复习迎考")),
    Case("S203-text-for-list", "S203",
         lambda t: re.sub(r"(?ms)^indicators:\n.*?(?=^total:)", "indicators: 见附件\n\n", t, count=1),
         at("indicators: 见附件")),
    Case("S203-mapping-for-text", "S203", sub("  head: 李伟灵", "  head: {name: 李伟灵}"), at("head: {name")),
    Case("S204-year", "S204", sub("year: 2023", "year: 23"), at("year: 23")),
    Case("S204-date", "S204", sub("date: 2024-09-11", "date: 2024年9月11日"), at("date: 2024年9月11日")),
    Case("S204-slug", "S204", sub("slug: gaosan-fuxi-yingkao", "slug: Gaosan_Fuxi"), at("slug: Gaosan_Fuxi")),
    Case("S204-md-date", "S204", sub("date: 2024-09-11", "date: 2024/9/11"), at("date: 2024/9/11"),
         path=REPORT, base="report"),
    Case("S204-department-layout", "S204", sub("layout: standard", "layout: yueyang-2022"), at("layout: yueyang-2022"),
         path=DEPARTMENT, base="department"),
    Case("S205-duplicate-slug", "S205", lambda t: t, at("slug: gaosan-fuxi-yingkao"), any_path=True,
         extra={"content/2023/projects/copy.yaml": lambda files: files[PROJECT].replace(
             "project: 高三复习迎考", "project: 高三复习迎考（副本）")}),
    Case("S206-kind", "S206", sub("kind: project-evaluation", "kind: project"), at("kind: project"),
         hint_has=("project-evaluation",)),
    Case("S206-kind-typo", "S206", sub("kind: project-evaluation", "kind: project-evalution"),
         at("kind: project-evalution"), hint_has=("您是不是想写", "project-evaluation")),
    Case("S206-md-kind", "S206", sub("kind: report", "kind: reprot"), at("kind: reprot"),
         path=REPORT, base="report", hint_has=("您是不是想写", "report")),
    Case("S207-missing-document", "S207", sub("- 2022/work-plan ", "- 2022/work-plann "), at("2022/work-plann"),
         path=DEPARTMENT_2021, base="department-2021", hint_has=("2021/work-summary",)),
    Case("S207-deleted-document", "S207", lambda t: t, at("- 2021/work-summary"),
         path=DEPARTMENT_2021, base="department-2021", extra={SUMMARY_2021: None}),
    # --- form rules ------------------------------------------------------------------------
    Case("F301", "F301", sub("appropriation: {initial: 50,", "appropriation: {initial: 40,"),
         at("  total:         {initial: 50")),
    Case("F301-department-by_nature", "F301", sub("1,129.76万元", "1,029.76万元"), at_regex(r"^\s+total:\s*\{"),
         path=DEPARTMENT, base="department"),
    Case("F301-department-income", "F301", sub("{label: 政府性基金拨款, value: }", "{label: 政府性基金拨款, value: 100}"),
         at_regex(r"^\s+total:\s*\{"), path=DEPARTMENT, base="department"),
    Case("F302", "F302", sub("appropriation: {initial: 50,", "appropriation: {initial: 49.99,"),
         at("  total:         {initial: 50")),
    Case("F303", "F303", sub("executed: 50, weight: 10, rate: 100%", "executed: 45, weight: 10, rate: 100%"),
         at("executed: 45")),
    Case("F304", "F304", sub("rate: 100%, score: 10}", "rate: 100%, score: 9}"), at("rate: 100%, score: 9}")),
    Case("F305-above-weight", "F305", sub("4.开展高中教师竞赛, target: 14科, actual: 100%, weight: 8, score: 8",
                                          "4.开展高中教师竞赛, target: 14科, actual: 100%, weight: 8, score: 9"),
         at("4.开展高中教师竞赛")),
    Case("F305-negative", "F305", chain(sub("{level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 10, deviation: }",
                                            "{level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: -1, deviation: 满意率统计有误}")),
         at("学校满意率")),
    Case("F306", "F306", sub("产出指标（50分）", "产出指标（40分）"), at("产出指标（40分）")),
    Case("F306-row-weights", "F306", chain(
        sub("{level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 10",
            "{level3: 学校满意率, target: 95%, actual: 100%, weight: 5, score: 5"),
        sub("{level3: 政策保障, target: 教育附加预算, actual: , weight: 10, score: 10",
            "{level3: 政策保障, target: 教育附加预算, actual: , weight: 15, score: 15")),
         at("满意度指标（10分）")),
    Case("F307", "F307", chain(
        sub("产出指标（50分）", "产出指标（40分）"),
        sub("1.培训高中骨干教师, target: 450人, actual: 100%, weight: 8, score: 8",
            "1.培训高中骨干教师, target: 450人, actual: 100%, weight: 3, score: 3"),
        sub("2.建立高考新模式；, target: 9科, actual: 100%, weight: 8, score: 8",
            "2.建立高考新模式；, target: 9科, actual: 100%, weight: 3, score: 3"),
        sub("效益指标（30分）", "效益指标（40分）"),
        sub("target: 教育附加预算, actual: , weight: 10, score: 10", "target: 教育附加预算, actual: , weight: 20, score: 20")),
         at("产出指标（40分）")),
    Case("F308", "F308", chain(
        sub("满意度指标（10分）", "满意度指标（20分）"),
        sub("{level3: 学校满意率, target: 95%, actual: 100%, weight: 10, score: 10",
            "{level3: 学校满意率, target: 95%, actual: 100%, weight: 20, score: 20"),
        _project_total(110, 110)),
         at_regex(r"^total:")),
    Case("F309", "F309", _project_total(90, 100), at_regex(r"^total:")),
    Case("F310", "F310", _project_total(100, 90), at_regex(r"^total:")),
    Case("F310-department", "F310", sub("total: {label: 总分, weight: 100, score: 96}", "total: {label: 总分, weight: 100, score: 100}"),
         at_regex(r"^total:"), path=DEPARTMENT, base="department"),
    Case("F311", "F311", sub("score: 100}\n", "score: 100}\ngrade: 良\n"), at("grade: 良")),
    Case("F312", "F312", chain(sub(ROW_44, ROW_44.replace("score: 4,", "score: 3,")), _project_total(100, 99)),
         at("骨干教师培训合格率")),
    Case("F312-department", "F312", sub("原因：部分学校心理活动开展不规范；措施：应加强交流和指导。", "无"),
         at("全市初中、高中、职教工作得到提高"), path=DEPARTMENT, base="department"),
    Case("F313-level2-under-wrong-level1", "F313", sub("level2: 质量指标", "level2: 社会效益指标"),
         at("level2: 社会效益指标")),
    Case("F313-unknown-level1", "F313", sub("产出指标（50分）", "产出效果（50分）"), at("产出效果（50分）")),
    Case("F314-empty-cell", "F314", sub("prepared_by: 卢彦军", "prepared_by:"), at("prepared_by:")),
    Case("F314-missing-cell", "F314", sub("  head: 李伟灵\n", ""), at("  prepared_by:")),  # the footer mapping
    Case("F314-department-2021-contact", "F314", sub("contact: 刘婷", "contact:"), at("contact:"),
         path=DEPARTMENT_2021, base="department-2021"),
    Case("F314-md-empty-body", "F314", lambda t: t.split("\n---\n", 1)[0] + "\n---\n\n", after_front_matter,
         path=REPORT, base="report"),
    Case("F315", "F315", sub("year: 2023", "year: 2022"), at("year: 2022")),
    Case("F315-md", "F315", sub("year: 2023", "year: 2022"), at("year: 2022"), path=REPORT, base="report"),
    Case("F316-underscores", "F316", sub("head: 李伟灵", "head: ____"), at("head: ____")),
    Case("F316-XX", "F316", sub("department: 岳阳市教育体育局", "department: 岳阳市XX局"), at("岳阳市XX局")),
    Case("F316-stars", "F316", sub("department: 岳阳市教育体育局", "department: 岳阳市***局"), at("岳阳市***局")),
    Case("F316-md-body", "F316", lambda t: t.replace("## 一、单位基本情况：", "## 一、单位基本情况：\n\n联系人：____\n", 1),
         at("联系人：____"), path=REPORT, base="report"),
    Case("F399", "F399", lambda t: t + "acknowledgements:\n  - {code: F306, line: 33, reason: 核对过}\n",
         at("code: F306")),
    Case("P711-form", "P711", sub("date: 2024-09-11\n", ""), at("year: 2023"), hint_has=("date:",)),
    Case("P711-document", "P711", sub("date: 2024-09-11\n", ""), at("year: 2023"), path=REPORT, base="report"),
]

FORM_CODES = [f"F3{n:02d}" for n in range(1, 17)] + ["F399"]
LOADING_CODES = [f"L10{n}" for n in range(1, 8)] + [f"S20{n}" for n in range(1, 8)]


def test_every_rule_has_a_case():
    covered = {case.code for case in CASES}
    assert set(FORM_CODES) <= covered
    assert set(LOADING_CODES) <= covered


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("base", list(BASES))
def test_baseline_has_no_errors(base, check_helpers, tmp_path):
    files = _base_files(check_helpers, base)
    site = check_helpers.make_site(tmp_path / "site", files)
    code, findings = check_helpers.check_json(site)
    assert code == 0, findings
    assert [f for f in findings if f["severity"] == "error"] == []
    if base == "department":  # the signed form's rounding difference, a warning
        assert [f["code"] for f in findings] == ["F302"]
    elif base == "department-2021":  # originals without a publication date (issue 15), a warning each
        assert sorted(f["path"] for f in findings if f["code"] == "P711") == sorted(BASES[base])
        assert {f["code"] for f in findings} == {"P711"}
    else:
        assert findings == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_one_broken_file_gives_its_code_at_its_line(case, check_helpers, tmp_path):
    files = _base_files(check_helpers, case.base)
    original = files[case.path]
    edited = case.edit(original)
    assert edited != original or case.extra, "the edit changed nothing"
    files[case.path] = edited
    for relative, make in case.extra.items():
        if make is None:
            files.pop(relative)
        else:
            files[relative] = make(files)
    site = check_helpers.make_site(tmp_path / "site", files)

    code, findings = check_helpers.check_json(site)

    text = edited.decode("gbk") if isinstance(edited, bytes) else edited
    expected = case.line(text) if callable(case.line) else case.line
    expected = expected if isinstance(expected, set) else {expected}
    paths = set(files) if case.any_path else {case.path}
    mine = [f for f in findings if f["code"] == case.code and f["path"] in paths]
    assert mine, f"{case.code} not reported; findings: {[(f['code'], f['path'], f['line']) for f in findings]}"
    assert {f["line"] for f in mine} & expected, (
        f"{case.code} at lines {[f['line'] for f in mine]}, expected {sorted(expected)}")
    for finding in mine:
        assert finding["severity"] == case.severity
        assert finding["hint"].strip(), "empty hint"
        assert check_helpers.has_chinese(finding["hint"]), finding["hint"]
        assert check_helpers.has_chinese(finding["message"]), finding["message"]
        for needle in case.hint_has:
            assert needle in finding["hint"], f"{needle!r} not in hint {finding['hint']!r}"
        assert finding["acknowledged"] is None
        if finding["source_line"]:  # whether every finding quotes its line: see test_cli_check.py
            assert finding["source_line"] == text.splitlines()[finding["line"] - 1]
    if case.severity == "error":
        assert code == 1
    else:
        assert code == 0
        assert [f for f in findings if f["severity"] == "error"] == []


# --- what the rules must not report ---------------------------------------------------------


NOT_FINDINGS = [
    ("masked-phone-is-not-a-placeholder", "F316", sub("phone: 13973032708", "phone: 139****2708")),
    ("masked-phone-in-text", "F316", sub("note: 一个一级项目", "note: 联系电话 139****6836。一个一级项目")),
    ("xx-inside-a-word", "F316", sub("note: 一个一级项目", "note: XXL 码。一个一级项目")),
    ("placeholder-in-a-comment", "F316", sub("# 照原表录入", "# ____ 照原表录入")),
    ("rounding-is-not-f301", "F301", sub("appropriation: {initial: 50,", "appropriation: {initial: 49.99,")),
    ("real-reason-is-a-reason", "F312", chain(
        sub(ROW_44, ROW_44.replace("score: 4, deviation: }", "score: 3, deviation: 原因：时间紧；措施：提前安排}")),
        _project_total(100, 99))),
    ("full-score-needs-no-reason", "F312", lambda t: t),
    ("adjusted-weights-are-no-f306", "F306", CASES[[c.id for c in CASES].index("F307")].edit),
    ("adjusted-weights-are-no-f308", "F308", CASES[[c.id for c in CASES].index("F307")].edit),
    ("rate-within-half-a-point", "F303", sub("executed: 50, weight: 10, rate: 100%", "executed: 49.8, weight: 10, rate: 100%")),
    ("rate-over-100-scores-full", "F304", sub("executed: 50, weight: 10, rate: 100%", "executed: 55, weight: 10, rate: 110%")),
]


@pytest.mark.parametrize("edit", [(code, edit) for _, code, edit in NOT_FINDINGS],
                         ids=[name for name, _, _ in NOT_FINDINGS])
def test_not_a_finding(edit, check_helpers, tmp_path):
    code, change = edit
    files = _base_files(check_helpers, "project")
    files[PROJECT] = change(files[PROJECT])
    site = check_helpers.make_site(tmp_path / "site", files)
    _, findings = check_helpers.check_json(site)
    assert [f for f in findings if f["code"] == code] == []


@pytest.mark.parametrize("deviation", ["", "无", "/", "／", "—", "——", "-", '""', "无。"])
def test_non_reasons_do_not_count_as_a_deviation_reason(deviation, check_helpers, tmp_path):
    files = _base_files(check_helpers, "project")
    edit = chain(sub(ROW_44, ROW_44.replace("score: 4, deviation: }", f"score: 3, deviation: {deviation}}}")),
                 _project_total(100, 99))
    files[PROJECT] = edit(files[PROJECT])
    site = check_helpers.make_site(tmp_path / "site", files)
    code, findings = check_helpers.check_json(site)
    assert [f["line"] for f in findings if f["code"] == "F312"] == [at("骨干教师培训合格率")(files[PROJECT])]
    assert code == 1


GRADES = [("100", "优", True), ("90", "优", True), ("90", "良", False), ("89.99", "良", True),
          ("89.99", "优", False), ("80", "良", True), ("79.9", "中", True), ("79.9", "良", False),
          ("60", "中", True), ("59.9", "差", True), ("59.9", "中", False), ("0", "差", True)]


@pytest.mark.parametrize("score,grade,matches", GRADES, ids=[f"{s}-{g}" for s, g, _ in GRADES])
def test_grade_boundaries(score, grade, matches, check_helpers, tmp_path):
    files = _base_files(check_helpers, "project")
    files[PROJECT] = sub("total: {label: 合计, weight: 100, score: 100}\n",
                         f"total: {{label: 合计, weight: 100, score: {score}}}\ngrade: {grade}\n")(files[PROJECT])
    site = check_helpers.make_site(tmp_path / "site", files)
    _, findings = check_helpers.check_json(site)
    f311 = [f for f in findings if f["code"] == "F311"]
    if matches:
        assert f311 == []
    else:
        assert [f["line"] for f in f311] == [at(f"grade: {grade}")(files[PROJECT])]


def test_f302_tolerance_edge(check_helpers, tmp_path):
    """0.01 万元 is rounding (F302); 0.02 is not (F301)."""
    for value, code in (("49.99", "F302"), ("49.98", "F301")):
        files = _base_files(check_helpers, "project")
        files[PROJECT] = sub("appropriation: {initial: 50,", f"appropriation: {{initial: {value},")(files[PROJECT])
        site = check_helpers.make_site(tmp_path / value, files)
        _, findings = check_helpers.check_json(site)
        assert [f["code"] for f in findings if f["code"] in ("F301", "F302")] == [code], value


# --- site-builder rules -------------------------------------------------------------------


def test_rules_lists_every_tested_code(check_helpers):
    code, out, err = check_helpers.run("rules")
    assert code == 0, err
    listed = set(re.findall(r"(?m)^\s+([A-Z]\d{3})\s+(?:错误|警告)\s+\S", out))
    tested = {case.code for case in CASES}
    assert tested <= listed, tested - listed
    for severity_code, severity in (("F302", "警告"), ("F307", "警告"), ("F399", "警告"), ("F306", "错误")):
        assert re.search(rf"(?m)^\s+{severity_code}\s+{severity}\s", out)


@pytest.mark.parametrize("code", sorted({case.code for case in CASES}))
def test_rules_code_explains_with_wrong_and_right_examples(code, check_helpers):
    status, out, err = check_helpers.run("rules", code)
    assert status == 0, err
    assert out.startswith(code + " ")
    assert "错误的写法" in out and "正确的写法" in out
    assert out.index("错误的写法") < out.index("正确的写法")
    wrong = out.split("错误的写法", 1)[1].split("正确的写法", 1)[0]
    right = out.split("正确的写法", 1)[1]
    assert wrong.strip("：\n ") and right.strip("：\n "), "an example is empty"
    explanation = out.split("错误的写法", 1)[0].split("\n", 1)[1]
    assert check_helpers.has_chinese(explanation)


def test_rules_code_is_case_insensitive(check_helpers):
    status, out, _ = check_helpers.run("rules", "f306")
    assert status == 0 and out.startswith("F306 ")


@pytest.mark.parametrize("bad", ["NOPE", "F999", "F30"])
def test_rules_unknown_code_exits_2(bad, check_helpers):
    status, out, err = check_helpers.run("rules", bad)
    assert status == 2
    assert bad in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("extra", ["***", "* * *", "___", "联系电话：139****6836"],
                         ids=["rule-stars", "rule-spaced-stars", "rule-underscores", "masked-phone"])
def test_markdown_rules_and_masked_phones_are_not_placeholders(extra, check_helpers, tmp_path):
    files = _base_files(check_helpers, "report")
    files[REPORT] = files[REPORT].replace("## 一、单位基本情况：", f"{extra}\n\n## 一、单位基本情况：", 1)
    site = check_helpers.make_site(tmp_path / "site", files)
    code, findings = check_helpers.check_json(site)
    assert code == 0 and findings == []


# --- issue 16.3: the examples never advise changing a signed figure ------------------------------

FIGURE_RULES = [f"F3{n:02d}" for n in range(1, 13)]  # every rule about printed figures, weights and grades
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?%?|[优良中差](?=\s*$)")


def _figures(example: str) -> list[str]:
    """The figures an example writes: comments and the acknowledgements block left out."""
    kept = []
    for line in example.splitlines():
        if line.strip() == "acknowledgements:":
            break
        kept.append(line.split("#", 1)[0])
    return _FIGURE.findall("\n".join(kept))


@pytest.mark.parametrize("code", FIGURE_RULES)
def test_right_example_keeps_the_printed_figures_and_acknowledges_them(code, check_helpers):
    status, out, err = check_helpers.run("rules", code)
    assert status == 0, err
    wrong = out.split("错误的写法：", 1)[1].split("正确的写法：", 1)[0]
    right = out.split("正确的写法：", 1)[1]
    assert _figures(wrong), f"{code}: the wrong-hand example shows no figure"
    assert _figures(right) == _figures(wrong), code
    assert re.search(rf"(?m)^\s+acknowledgements:\n\s+- \{{code: {code}, .*reason: \S", right), right
    assert "照原表" in right or "说明" in right
