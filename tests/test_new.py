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


# --- issue 16.6: several department-level forms in one year ---------------------------------------


def _fill_like_the_real_form(path, real_form: str, year: str) -> None:
    """Fill a template as an editor would: the cells of a real department form, keeping the
    template's own slug and department, for `year`."""
    template = path.read_text(encoding="utf-8")
    slug = re.search(r"(?m)^slug: (\S+)", template)[1]
    department = re.search(r"(?m)^department: (\S+)", template)[1]
    filled = real_form.replace("year: 2023", f"year: {year}").replace("2023年度", f"{year}年度")
    filled = re.sub(r"(?m)^slug: \S+", f"slug: {slug}", filled)
    filled = re.sub(r"(?m)^department: .*$", f"department: {department}", filled)
    path.write_text(filled, encoding="utf-8")


def test_two_department_level_forms_in_one_year_with_slug(site):
    real_form = (site / "content" / "2023" / "department-evaluation.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli("new", "department-evaluation", "2024", "岳阳市教育体育局", "--site", site)
    assert code == 0, err
    first = site / "content" / "2024" / "department-evaluation.yaml"
    assert str(first) in out

    # A second one without --slug is refused, and the hint names --slug ...
    code, _, err = run_cli("new", "department-evaluation", "2024", "岳阳市教育科学技术研究院", "--site", site)
    assert code == 1 and "--slug" in err
    # ... which now does what it says.
    code, out, err = run_cli("new", "department-evaluation", "2024", "岳阳市教育科学技术研究院",
                             "--slug", "danwei-zhengti-zhichu-jixiao-zipingbiao", "--site", site)
    assert code == 0, err
    second = site / "content" / "2024" / "danwei-zhengti-zhichu-jixiao-zipingbiao.yaml"
    assert second.is_file() and str(second) in out
    assert "slug: danwei-zhengti-zhichu-jixiao-zipingbiao" in second.read_text(encoding="utf-8")
    assert "department: 岳阳市教育科学技术研究院" in second.read_text(encoding="utf-8")
    # The same slug again is refused, not overwritten.
    before = second.read_bytes()
    code, _, err = run_cli("new", "department-evaluation", "2024", "甲", "--slug",
                           "danwei-zhengti-zhichu-jixiao-zipingbiao", "--site", site)
    assert code == 1 and second.read_bytes() == before

    for path in (first, second):
        _fill_like_the_real_form(path, real_form, "2024")
    code, out, err = run_cli("check", "--site", site)
    assert code == 0, out + err
    code, out, err = run_cli("build", "--site", site, "--out", site / "build")
    assert code == 0, out + err
    pages = site / "build" / "disclosure" / "2024"
    first_page = (pages / "bumen-zhengti-zhichu-jixiao-zipingbiao.html").read_text(encoding="utf-8")
    second_page = (pages / "danwei-zhengti-zhichu-jixiao-zipingbiao.html").read_text(encoding="utf-8")
    assert "岳阳市教育体育局" in first_page and "岳阳市教育科学技术研究院" in second_page
    year_page = (pages / "index.html").read_text(encoding="utf-8")
    assert "bumen-zhengti-zhichu-jixiao-zipingbiao.html" in year_page
    assert "danwei-zhengti-zhichu-jixiao-zipingbiao.html" in year_page


@pytest.mark.parametrize("year", ["２０２４", "二〇二四", "2024年"])
def test_new_refuses_a_year_as_people_write_it_and_names_the_year_to_write(site, year):
    """`new project-evaluation ２０２４ …` made content/２０２４/, a folder no build reads as a year."""
    before = _files(site)
    code, stdout, stderr = run_cli("new", "project-evaluation", year, "测试项目", "--site", site)
    assert code == 1 and "N401" in stdout + stderr and "2024" in stdout + stderr
    assert _files(site) == before


@pytest.mark.parametrize("slug", ["工作计划", "Gongzuo_Jihua", "gongzuo jihua"])
def test_new_refuses_a_slug_that_check_would_refuse(site, slug):
    """`--slug 工作计划` wrote content/2024/工作计划.md, which check then refused (S204)."""
    before = _files(site)
    code, stdout, stderr = run_cli("new", "plan", "2024", "--slug", slug, "--site", site)
    assert code == 1 and "N401" in stdout + stderr and "--slug" in stdout + stderr
    assert _files(site) == before
