"""A site's own theme folder overrides the default theme file by file, and
site.yaml settings reach the pages; identifiers not configured are left out."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.cli import main

REPO = Path(__file__).resolve().parents[1]


def make_site(tmp_path: Path, extra_settings: str = "") -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    if extra_settings:
        with open(site / "content" / "site.yaml", "a", encoding="utf-8") as handle:
            handle.write("\n" + extra_settings)
    return site


def build(site: Path) -> int:
    return main(["build", "--site", str(site)])


def test_site_theme_overrides_one_template_and_one_asset(tmp_path, capsys):
    site = make_site(tmp_path, "theme_dir: my-theme\n")
    (site / "my-theme" / "templates").mkdir(parents=True)
    (site / "my-theme" / "assets").mkdir()
    (site / "my-theme" / "templates" / "home.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>本站自定义的首页</h1>{% endblock %}', encoding="utf-8")
    (site / "my-theme" / "assets" / "style.css").write_text("body { color: #000; }\n", encoding="utf-8")

    assert build(site) == 0
    out = site / "build"
    assert "本站自定义的首页" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "assets" / "style.css").read_text(encoding="utf-8") == "body { color: #000; }\n"
    # Everything not overridden still comes from the default theme.
    assert (out / "assets" / "elder-mode.js").is_file()
    project_page = (out / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    assert "高三复习迎考" in project_page and "本站自定义的首页" not in project_page


def test_missing_theme_folder_is_a_finding(tmp_path, capsys):
    site = make_site(tmp_path, "theme_dir: no-such-theme\n")
    assert build(site) == 1
    err = capsys.readouterr().err
    assert "S208" in err and "no-such-theme" in err and "Traceback" not in err


def test_broken_override_template_names_its_file_and_line(tmp_path, capsys):
    site = make_site(tmp_path, "theme_dir: theme\n")
    (site / "theme" / "templates").mkdir(parents=True)
    (site / "theme" / "templates" / "year.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n', encoding="utf-8")
    assert build(site) == 1
    err = capsys.readouterr().err
    assert "theme/templates/year.html:3" in err and "T501" in err and "提示" in err


def test_identifiers_are_shown_only_when_configured(tmp_path, capsys):
    site = make_site(tmp_path)
    assert build(site) == 0
    home = (site / "build" / "index.html").read_text(encoding="utf-8")
    assert "SiteIDCode" not in home and "网站标识码" not in home and "ICP" not in home

    configured = make_site(tmp_path / "second")
    text = (configured / "content" / "site.yaml").read_text(encoding="utf-8")
    import re
    text = re.sub(r"(?m)^identifiers:.*(\n[ \t]+.*)*", "", text)
    text += "\nidentifiers:\n  site_code: '4306000099'\n  icp: 湘ICP备00000000号-1\n"
    (configured / "content" / "site.yaml").write_text(text, encoding="utf-8")
    assert build(configured) == 0
    page = (configured / "build" / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html").read_text(encoding="utf-8")
    assert '<meta name="SiteIDCode" content="4306000099">' in page
    assert "网站标识码：4306000099" in page and "湘ICP备00000000号-1" in page
    assert '<meta name="ArticleTitle" content="2023年度项目支出绩效自评表：高三复习迎考">' in page
    assert '<meta name="PubDate" content="2024-09-11">' in page


def test_python_dash_m_entry_point_prints_chinese_help():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "site_builder", "--help"], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0
    assert "用法" in result.stdout and "build" in result.stdout and "生成网站" in result.stdout


def test_misused_command_exits_2_in_chinese(capsys):
    try:
        code = main(["build", "--no-such-option"])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "不认识的参数" in capsys.readouterr().err
