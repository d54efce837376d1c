"""A failed build never touches the previous output; errors are reported, not raised."""

from __future__ import annotations

import re

from sitetest import run_cli, run_cli_process, snapshot

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
BROKEN_LINE = 9  # `project: 高三复习迎考` in the real record


def _build(site, out=None):
    return run_cli("build", "--site", site, "--out", out if out is not None else site / "build")


def _break_with_unclosed_quote(site):
    path = site / PROJECT
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[BROKEN_LINE - 1].startswith("project:"), "the real record changed: pick another line"
    lines[BROKEN_LINE - 1] = 'project: "高三复习迎考'
    path.write_text("\n".join(lines), encoding="utf-8")


def test_build_writes_the_default_out_folder(site):
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stderr
    assert (site / "build" / "index.html").is_file()
    assert (site / "build" / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html").is_file()
    assert "已生成网站" in stdout


def test_invalid_yaml_is_reported_and_the_previous_build_is_kept(site):
    out = site / "build"
    code, _, stderr = _build(site, out)
    assert code == 0, stderr
    before = snapshot(out)
    assert len(before) > 20

    _break_with_unclosed_quote(site)
    code, stdout, stderr = _build(site, out)

    assert code == 1
    assert "Traceback" not in stderr + stdout
    assert f"{PROJECT}:{BROKEN_LINE}:" in stderr, stderr  # the line where the quote opens
    assert "L103" in stderr
    assert "引号" in stderr  # the message says what is wrong, in Chinese
    assert re.search(r"[\u4e00-\u9fff]", stderr)
    assert snapshot(out) == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".build.")]
    assert not leftovers


def test_failed_first_build_creates_no_output(site):
    _break_with_unclosed_quote(site)
    code, _, _ = _build(site)
    assert code == 1
    assert not (site / "build").exists()


def test_gbk_file_gives_l101_and_a_utf8_hint(site):
    path = site / PROJECT
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    code, stdout, stderr = _build(site)
    assert code == 1
    assert "Traceback" not in stderr
    assert PROJECT in stderr
    assert "L101" in stderr
    assert "UTF-8" in stderr
    assert "GBK" in stderr


def test_files_of_a_deleted_record_do_not_linger(site):
    extra = site / "content" / "2022" / "extra-plan.md"
    text = (site / "content" / "2022" / "work-plan.md").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^slug: .*$", "slug: linshi-jihua", text)
    text = re.sub(r"(?m)^title: .*$", "title: 临时测试计划", text)
    extra.write_text(text, encoding="utf-8")
    out = site / "build"
    code, _, stderr = _build(site, out)
    assert code == 0, stderr
    page = out / "disclosure" / "2022" / "linshi-jihua.html"
    assert page.is_file()
    assert "临时测试计划" in (out / "disclosure" / "2022" / "index.html").read_text(encoding="utf-8")

    extra.unlink()
    code, _, stderr = _build(site, out)
    assert code == 0, stderr
    assert not page.exists()
    assert not list(out.rglob("linshi-jihua*"))
    assert "临时测试计划" not in (out / "disclosure" / "2022" / "index.html").read_text(encoding="utf-8")
    assert (out / "disclosure" / "2022" / "gongzuo-jihua.html").is_file()


def test_files_not_made_by_the_builder_are_removed_from_the_output(site):
    out = site / "build"
    out.mkdir()
    (out / "stale.html").write_text("old", encoding="utf-8")
    code, _, stderr = _build(site, out)
    assert code == 0, stderr
    assert not (out / "stale.html").exists()


def test_errors_show_no_traceback_in_a_real_process(site):
    _break_with_unclosed_quote(site)
    code, stdout, stderr = run_cli_process("build", "--site", site)
    assert code == 1
    assert "Traceback" not in stderr
    assert PROJECT in stderr


def test_debug_shows_the_traceback(site):
    _break_with_unclosed_quote(site)
    code, stdout, stderr = run_cli_process("--debug", "build", "--site", site)
    assert code != 0
    assert "Traceback (most recent call last)" in stderr
    assert "SiteError" in stderr
    assert not (site / "build").exists()
