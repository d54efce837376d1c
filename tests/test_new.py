"""`site-builder new` writes a commented template in the documented place, and never overwrites."""

from __future__ import annotations

import re

import pytest

from sitetest import run_cli
from site_builder.load import load_file

# kind → the arguments after the kind
ARGS = {
    "project-evaluation": ["2024", "测试项目"],
    "department-evaluation": ["2024"],
    "report": ["2024"],
    "summary": ["2024"],
    "plan": ["2024"],
    "organization": [],
}


def _files(site):
    content = site / "content"
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()}


def _new_file(site, kind):
    """Run `new KIND …` and return the one file it added, relative to content/."""
    if kind == "organization":
        (site / "content" / "organization.md").unlink()
    before = _files(site)
    code, stdout, stderr = run_cli("new", kind, *ARGS[kind], "--site", site)
    assert code == 0, stderr
    after = _files(site)
    assert {k: v for k, v in after.items() if k in before} == before, "new changed an existing file"
    added = sorted(set(after) - set(before))
    assert len(added) == 1, added
    assert added[0].rsplit("/", 1)[-1] in stdout  # the command says which file it wrote
    return added[0]


def _documented_place(kind, relative):
    """content-model.md: where each kind of record lives."""
    if kind == "project-evaluation":
        match = re.fullmatch(r"2024/projects/([a-z0-9-]+)\.yaml", relative)
        assert match, relative
        assert match.group(1).replace("-", "") == "ceshixiangmu"  # pinyin of 测试项目
    elif kind == "department-evaluation":
        assert relative == "2024/department-evaluation.yaml"
    elif kind == "organization":
        assert relative == "organization.md"
    else:
        assert re.fullmatch(r"2024/[a-z0-9-]+\.md", relative), relative


@pytest.mark.parametrize("kind", list(ARGS))
def test_new_writes_the_record_in_its_documented_place(site, kind):
    relative = _new_file(site, kind)
    _documented_place(kind, relative)
    loaded = load_file(site / "content" / relative, site)  # well-formed YAML / front matter
    assert loaded.data["kind"] == kind
    if kind != "organization":
        assert loaded.data["year"] == "2024"
    if kind == "project-evaluation":
        assert loaded.data["project"] == "测试项目"
    text = (site / "content" / relative).read_text(encoding="utf-8")
    assert "${" not in text  # every placeholder filled in
    assert re.search(r"[\u4e00-\u9fff]", text)  # commented in Chinese


@pytest.mark.parametrize("kind", list(ARGS))
def test_new_refuses_to_overwrite(site, kind):
    relative = _new_file(site, kind)
    path = site / "content" / relative
    path.write_text(path.read_text(encoding="utf-8") + "\n# 编辑过\n", encoding="utf-8")
    edited = path.read_bytes()
    code, stdout, stderr = run_cli("new", kind, *ARGS[kind], "--site", site)
    assert code == 1
    assert path.read_bytes() == edited
    assert "Traceback" not in stderr
    assert "已经存在" in stderr


def test_new_refuses_to_overwrite_a_real_record(site):
    existing = site / "content" / "2023" / "department-evaluation.yaml"
    before = existing.read_bytes()
    code, _, stderr = run_cli("new", "department-evaluation", "2023", "--site", site)
    assert code == 1
    assert existing.read_bytes() == before
    assert "已经存在" in stderr


def test_new_organization_refuses_while_one_exists(site):
    before = (site / "content" / "organization.md").read_bytes()
    code, _, _ = run_cli("new", "organization", "--site", site)
    assert code == 1
    assert (site / "content" / "organization.md").read_bytes() == before


def test_new_project_needs_a_name(site):
    code, _, stderr = run_cli("new", "project-evaluation", "2024", "--site", site)
    assert code == 1
    assert "项目支出名称" in stderr
    assert not (site / "content" / "2024").exists()


def test_new_needs_a_four_digit_year(site):
    code, _, stderr = run_cli("new", "report", "24", "--site", site)
    assert code == 1
    assert "年度" in stderr
    assert not (site / "content" / "24").exists()


def test_new_rejects_an_unknown_kind(site):
    code, _, stderr = run_cli("new", "budget", "2024", "--site", site)
    assert code == 2
    assert "Traceback" not in stderr
