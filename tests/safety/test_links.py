"""Issue 13, points 6 and 8: symbolic links in content/ and in a theme.

A content file that links outside the site folder is refused; a link loop and
a link to nothing are findings naming the link, never “内部错误”, never a
record left out quietly. A link that stays inside the site is read as before.
"""

from __future__ import annotations

import os

from sitetest import run_cli, snapshot

from .conftest import PROJECT


def _build(site):
    return run_cli("build", "--site", site)


def _refused(site, *expected):
    code, out, err = _build(site)
    assert code == 1, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err and "内部错误" not in err
    for text in expected:
        assert text in err, err
    return err


def test_a_content_file_linking_outside_the_site_is_refused(site, tmp_path):
    outside = tmp_path / "elsewhere" / "secret.yaml"
    outside.parent.mkdir()
    (site / PROJECT).rename(outside)
    os.symlink(outside, site / PROJECT)
    _refused(site, f"{PROJECT}: L121", "站点文件夹以外")
    assert not (site / "build").exists()
    code, out, err = run_cli("check", "--site", site)
    assert code == 1 and f"{PROJECT}: L121" in out + err


def test_a_content_folder_linking_outside_the_site_is_refused(site, tmp_path):
    outside = tmp_path / "shared-projects"
    (site / "content/2023/projects").rename(outside)
    os.symlink(outside, site / "content/2023/projects")
    _refused(site, "content/2023/projects: L121")


def test_a_link_inside_the_site_is_read(site):
    """Control: a record kept elsewhere in the site folder and linked from content/ is published."""
    kept = site / "originals" / "gaosan.yaml"
    kept.parent.mkdir()
    (site / PROJECT).rename(kept)
    os.symlink(os.path.relpath(kept, (site / PROJECT).parent), site / PROJECT)
    code, out, err = _build(site)
    assert code == 0, out + err
    assert (site / "build/disclosure/2023/gaosan-fuxi-yingkao.html").is_file()


def test_a_link_to_its_own_folder_is_a_loop_finding(site):
    os.symlink(".", site / "content/2023/loop")
    _refused(site, "content/2023/loop: L122", "循环")


def test_links_pointing_at_each_other_are_a_loop_finding(site):
    os.symlink("b.yaml", site / "content/2023/a.yaml")
    os.symlink("a.yaml", site / "content/2023/b.yaml")
    _refused(site, "content/2023/a.yaml: L122", "content/2023/b.yaml: L122")


def test_a_record_link_to_nothing_is_a_finding(site):
    """Before: the link was skipped and its record silently missing from the site."""
    code, out, err = _build(site)
    assert code == 0, out + err
    before = snapshot(site / "build")
    (site / PROJECT).rename(site / "moved-away.yaml")
    os.symlink("../../../moved-away.yaml", site / PROJECT)
    (site / "moved-away.yaml").unlink()
    _refused(site, f"{PROJECT}: L123", "不存在")
    assert snapshot(site / "build") == before


def _custom_theme(site):
    theme = site / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "templates").mkdir()
    with open(site / "content/site.yaml", "a", encoding="utf-8") as file:
        file.write("\ntheme_dir: theme\n")
    return theme


def test_a_theme_asset_linking_to_nothing_is_a_finding(site):
    theme = _custom_theme(site)
    os.symlink("/nonexistent/extra.css", theme / "assets/extra.css")
    _refused(site, "theme/assets/extra.css: T504", "不存在")


def test_a_theme_template_linking_to_nothing_is_a_finding(site):
    theme = _custom_theme(site)
    os.symlink("../../gone/base.html", theme / "templates/base.html")
    _refused(site, "theme/templates/base.html: T504")


def test_settings_linking_outside_the_site_are_refused(site, tmp_path):
    outside = tmp_path / "site.yaml"
    (site / "content/site.yaml").rename(outside)
    os.symlink(outside, site / "content/site.yaml")
    _refused(site, "content/site.yaml: L121")
