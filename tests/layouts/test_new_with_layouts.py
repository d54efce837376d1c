"""`site-builder new` lists the layouts and writes a record of the layout asked for."""

from __future__ import annotations

import json

from sitetest import copy_site, run_cli
from site_builder.layouts import load_layouts

from .test_pages import COUNTY_LAYOUT


def test_new_list_shows_shipped_and_site_layouts(tmp_path):
    site = copy_site(tmp_path / "site")
    (site / "layouts").mkdir()
    (site / "layouts" / "county.yaml").write_text(COUNTY_LAYOUT, encoding="utf-8")
    code, out, err = run_cli("new", "--list", "--site", site)
    assert code == 0, err
    for layout in load_layouts(None).distinct():
        assert f"  {layout.id}" in out and layout.name in out
    assert "county-project-2024：某县项目支出绩效自评表，项目支出绩效自评表  [layouts/county.yaml]" in out
    assert "yueyang-department-2023（也可写 standard）" in out
    code, out, err = run_cli("new", "--help")
    assert "sichuan-project-2023" in out and "--layout" in out


def test_new_with_a_layout_writes_a_record_of_that_layout(tmp_path):
    site = copy_site(tmp_path / "site")
    code, out, err = run_cli("new", "project-evaluation", "2024", "校舍维修", "--layout", "sichuan-project-2023",
                             "--site", site)
    assert code == 0, err
    [path] = (site / "content" / "2024" / "projects").glob("*.yaml")
    text = path.read_text(encoding="utf-8")
    assert "layout: sichuan-project-2023" in text and "project: 校舍维修   # 项目名称" in text
    assert "special_account:" in text and "# 财政专户管理资金" in text and "initial:" not in text.split("indicators:")[1]
    code, out, err = run_cli("check", "--site", site, "--format", "json")
    mine = [f for f in json.loads(out) if f["path"].startswith("content/2024/")]
    # a blank record of the layout is valid: only the cells still to fill in are reported
    assert {f["code"] for f in mine} <= {"F314", "P711"}, mine  # a new record has no publication date yet
    code, out, err = run_cli("new", "project-evaluation", "2024", "另一个", "--layout", "sichuan", "--site", site)
    assert code == 1 and "N420" in err and "您是不是想写 sichuan-project-2023" in err
