"""Whatever a record file holds, `check` answers with findings: exit 0 or 1, never a crash.

`main()` runs in this process, so an exception would surface here; the
command's own catch-all (exit 3, "内部错误") counts as a failure too.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
REPORT = "content/2023/self-evaluation-report.md"
DEPARTMENT = "content/2023/department-evaluation.yaml"
DEPARTMENT_2021 = "content/2021/department-evaluation.yaml"
DOCS_2021 = ["content/2021/work-summary.md", "content/2022/work-plan.md"]

FUZZ = settings(max_examples=200, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


_SITE: list[Path] = []


def _fresh_site(helpers, files) -> Path:
    """One site folder for the whole module, emptied (but for content/site.yaml) before each example."""
    if not _SITE:
        _SITE.append(helpers.make_site(Path(tempfile.mkdtemp(prefix="check-fuzz-")) / "site"))
    site = _SITE[0]
    for path in sorted((site / "content").rglob("*"), reverse=True):
        if path.is_dir():
            path.rmdir()
        elif path.name != "site.yaml" or path.parent != site / "content":
            path.unlink()
    for relative, data in files.items():
        helpers.write(site / relative, data)
    return site


@pytest.fixture(scope="module", autouse=True)
def _remove_the_fuzz_site():
    yield
    if _SITE:
        shutil.rmtree(_SITE.pop().parent, ignore_errors=True)


def assert_check_answers(helpers, files: dict[str, str | bytes], fmt: str = "text") -> list | str:
    """Run check on a site holding `files`; it must exit 0 or 1 and print no traceback."""
    site = _fresh_site(helpers, files)
    code, out, err = helpers.run("check", "--site", site, "--format", fmt)
    assert code in (0, 1), f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err
    assert "内部错误" not in out + err
    if fmt == "json":
        findings = json.loads(out)
        assert (code == 1) == any(f["severity"] == "error" and not f["acknowledged"] for f in findings)
        for finding in findings:
            assert finding["code"] and finding["path"] and finding["message"]
        return findings
    return out


# --- strategies --------------------------------------------------------------------------------

PATHS = st.sampled_from([PROJECT, REPORT, DEPARTMENT, "content/organization.md", "content/2023/x.yml"])
FORMATS = st.sampled_from(["text", "json"])

KEYS = st.sampled_from([
    "kind", "year", "slug", "order", "date", "title", "layout", "project", "department", "implementer", "funds",
    "total", "appropriation", "carryover", "other", "initial", "annual", "executed", "weight", "rate", "score",
    "indicators", "level1", "groups", "level2", "rows", "level3", "target", "actual", "deviation", "goals",
    "expected", "footer", "prepared_by", "filled_date", "phone", "head", "grade", "note", "label",
    "acknowledgements", "code", "line", "reason", "by_nature", "income", "expenditure", "value", "basic",
    "contact", "operation_documents", "tables",
]) | st.text(max_size=8)

ODD_TEXT = st.sampled_from([
    "", " ", "100%", "1,463.31", "1,463.31万元", "=<50万", "-1", "0", "-0", "0.005", "1e400", "NaN", "∞",
    "１００", "٣", "99999999999999999999999999.5", "123456789012345678901234567890.5", "1" * 60,
    "0." + "0" * 40 + "1", "产出指标（50分）", "产出指标（1e9分）", "效益指标（0分）", "满意度指标", "数量指标",
    "社会效益指标", "13973032708", "139****6836", "____", "XX", "***", "F306", "2023", "2024-09-11",
    "2024-02-30", "优", "良", "无", "/", "—", "project-evaluation", "department-evaluation", "standard",
    "yueyang-2021", "report", "2021/work-summary", "../../etc/passwd", "\x00", "\t", "a: b", "- x", "{", "'",
])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | ODD_TEXT
YAML_DATA = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                         | st.dictionaries(KEYS, children, max_size=6), max_leaves=30)
KINDS = st.sampled_from([
    {"kind": "project-evaluation", "year": "2023"},
    {"kind": "department-evaluation", "layout": "standard", "year": "2023"},
    {"kind": "department-evaluation", "layout": "yueyang-2021", "year": "2023"},
    {"kind": "report", "year": "2023", "title": "报告"},
    {},
])


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --- arbitrary files -----------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=2000), path=PATHS, fmt=FORMATS)
@example(data=b"\xff\xfe", path=PROJECT, fmt="text")
@example(data=b"\xef\xbb\xbf", path=PROJECT, fmt="text")
@example(data=b"---\n", path=REPORT, fmt="json")
def test_arbitrary_bytes(check_helpers, data, path, fmt):
    assert_check_answers(check_helpers, {path: data}, fmt)


@FUZZ
@given(text=st.text(max_size=2000), path=PATHS, fmt=FORMATS)
@example(text="---\n---\n", path=REPORT, fmt="text")
@example(text="---\nkind: report\n---", path=REPORT, fmt="text")
@example(text="a: &x [*x]\n", path=PROJECT, fmt="text")
@example(text="? [a]\n: b\n", path=PROJECT, fmt="text")
@example(text="kind: project-evaluation\n---\nkind: report\n", path=PROJECT, fmt="text")
def test_arbitrary_text(check_helpers, text, path, fmt):
    assert_check_answers(check_helpers, {path: text}, fmt)


@FUZZ
@given(data=YAML_DATA, head=KINDS, path=PATHS, fmt=FORMATS)
@example(data={"kind": []}, head={}, path=REPORT, fmt="text")
def test_arbitrary_yaml_shaped_data(check_helpers, data, head, path, fmt):
    if isinstance(data, dict):
        data = {**head, **data} if head else data
    text = dump(data)
    if path.endswith(".md"):
        text = "---\n" + text + "---\n\n正文\n"
    assert_check_answers(check_helpers, {path: text}, fmt)


# --- the valid baselines with one value changed ------------------------------------------------------


_BASELINES: dict = {}


def _baselines(helpers) -> dict[str, tuple]:
    """name → (other files of the site, the record to mutate, its data); read once."""
    if not _BASELINES:
        _BASELINES.update(_read_baselines(helpers))
    return _BASELINES


def _read_baselines(helpers) -> dict[str, tuple]:
    project = helpers.baseline_text()
    department = helpers.strip_acknowledgements(helpers.read_real(DEPARTMENT))
    docs = {path: helpers.read_real(path) for path in DOCS_2021}
    return {
        "project": ({}, PROJECT, yaml.safe_load(project)),
        "department": ({}, DEPARTMENT, yaml.safe_load(department)),
        "department-2021": (docs, DEPARTMENT_2021, yaml.safe_load(helpers.read_real(DEPARTMENT_2021))),
    }


def _places(data, prefix=()):
    """Every path (tuple of keys/indexes) to a value inside `data`, leaves and containers."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _places(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _places(value, prefix + (index,))


def _replace(data, place, new):
    if not place:
        return new
    data = _copy(data)
    node = data
    for key in place[:-1]:
        node = node[key]
    if new is _DELETE:
        del node[place[-1]]
    else:
        node[place[-1]] = new
    return data


def _copy(data):
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


_DELETE = object()
REPLACEMENTS = ODD_TEXT | st.text(max_size=30) | st.integers() | st.floats() | st.none() \
    | st.just(_DELETE) | st.lists(ODD_TEXT, max_size=2) | st.dictionaries(KEYS, ODD_TEXT, max_size=2)


@FUZZ
@given(choice=st.data(), base=st.sampled_from(["project", "department", "department-2021"]), fmt=FORMATS)
def test_valid_record_with_one_value_replaced(check_helpers, choice, base, fmt):
    others, path, data = _baselines(check_helpers)[base]
    places = [p for p in _places(data) if p]
    place = choice.draw(st.sampled_from(places), label="place")
    new = choice.draw(REPLACEMENTS, label="new value")
    mutated = _replace(data, place, new)
    assert_check_answers(check_helpers, {**others, path: dump(mutated)}, fmt)


CELLS = [
    ("funds", "total", "initial"), ("funds", "total", "annual"), ("funds", "total", "executed"),
    ("funds", "total", "weight"), ("funds", "total", "rate"), ("funds", "total", "score"),
    ("funds", "appropriation", "annual"), ("total", "weight"), ("total", "score"),
    ("indicators", 0, "level1"), ("indicators", 1, "groups", 1, "level2"),
    ("indicators", 0, "groups", 0, "rows", 0, "weight"), ("indicators", 0, "groups", 0, "rows", 0, "score"),
    ("indicators", 0, "groups", 0, "rows", 0, "deviation"), ("grade",), ("year",),
]
NUMBERS = st.from_regex(r"-?[0-9]{24,40}\.[0-9]{1,4}", fullmatch=True) | st.sampled_from(["99999999999999999999999999.5", "123456789012345678901234567890.5", "1" * 60,
                           "0." + "0" * 40 + "1", "-0", "0", "1e5", "１００", "100%", "0%", "-5%", "",
                           "产出指标（99999999999999999999999999.5分）", "效益指标（0.001分）"]) \
    | st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str) \
    | st.from_regex(r"-?[0-9]{1,40}(\.[0-9]{1,30})?%?", fullmatch=True)


@settings(FUZZ, max_examples=100)
@given(cell=st.sampled_from(CELLS), value=NUMBERS, fmt=FORMATS)
@example(cell=("indicators", 0, "groups", 0, "rows", 0, "score"), value="99999999999999999999999999.5", fmt="text")
def test_form_rules_with_odd_numbers(check_helpers, cell, value, fmt):
    """The cells the form rules compute with, given odd figures (`grade:` added when missing)."""
    _, path, data = _baselines(check_helpers)["project"]
    data = _replace(data, ("grade",), "优") if cell == ("grade",) else data
    mutated = _replace(data, cell, value)
    assert_check_answers(check_helpers, {path: dump(mutated)}, fmt)


# --- the crashes fuzzing found, kept as plain tests -----------------------------------------------------


@pytest.mark.parametrize("old,new", [
    ("weight: 8, score: 8", "weight: 8, score: 99999999999999999999999999.5"),
    ("weight: 8, score: 8", "weight: 99999999999999999999999999.5, score: 8"),
    ("产出指标（50分）", "产出指标（123456789012345678901234567.5分）"),
    ("executed: 50, weight: 10", "executed: 499999999999999999999999999.25, weight: 10"),
    ("{initial: 50, annual: 50,", "{initial: 999999999999999999999999999.5, annual: 50,"),
], ids=["row-score-F310", "row-weight-F306", "level1-weight-F306", "executed-F303", "initial-F301"])
def test_long_figures_are_findings_not_crashes(old, new, check_helpers):
    """27 integer digits and a fraction: the figure in the message must not overflow Decimal's precision."""
    text = check_helpers.baseline_text()
    assert text.count(old) >= 1
    assert_check_answers(check_helpers, {PROJECT: text.replace(old, new, 1)})


@pytest.mark.parametrize("kind", ["[]", "[report]", "{a: b}"], ids=["empty-list", "list", "mapping"])
def test_markdown_kind_that_is_not_text_is_a_finding(kind, check_helpers):
    findings = assert_check_answers(check_helpers, {
        REPORT: f"---\nkind: {kind}\nyear: 2023\ntitle: 报告\n---\n\n正文\n"}, "json")
    assert [(f["code"], f["line"]) for f in findings] in ([("S206", 2)], [("S203", 2)])
