"""Issue 13, point 6: users' mistakes are findings (exit 1), never “内部错误” (exit 3).

An impossible date and an over-long slug name the file and line; a full disk
and an output folder that cannot be written to say which path and what to do.
The previous build/ is left as it was.
"""

from __future__ import annotations

import errno
import os
import re

import pytest

from sitetest import run_cli, snapshot

from .conftest import PROJECT, REPORT, edit, run_restricted


def _assert_finding(code, out, err, *expected):
    assert code == 1, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err and "内部错误" not in out + err
    for text in expected:
        assert text in out + err, out + err


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_date_that_is_not_in_the_calendar(site, command):
    line = edit(site, REPORT, "date: 2024-09-11", "date: 2023-02-30")
    code, out, err = run_cli(command, "--site", site)
    _assert_finding(code, out, err, f"{REPORT}:{line}:7: S204", "2023-02-30", "不是日历上有的日子")


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_over_long_slug(site, command):
    line = edit(site, REPORT, "slug: bumen-zhengti-zhichu-jixiao-zipingbaogao", "slug: " + "a" * 300)
    code, out, err = run_cli(command, "--site", site)
    _assert_finding(code, out, err, f"{REPORT}:{line}:7: S204", "太长")


def _fail_writes(monkeypatch, error_number: int) -> None:
    """Every file the build writes fails with `error_number`, as on a full or read-only disk."""
    from site_builder import write
    from site_builder.pipeline import one_file

    def put_file(root, relative_path, data):
        path = os.path.join(root, relative_path)
        raise OSError(error_number, os.strerror(error_number), path)

    monkeypatch.setattr(write, "put_file", put_file)
    monkeypatch.setattr(one_file, "put_file", put_file)


@pytest.mark.parametrize("error_number, words", [
    (errno.ENOSPC, ("磁盘已满", "腾出磁盘空间")),
    (errno.EROFS, ("磁盘是只读的", "--out")),
    (errno.EACCES, ("权限不够", "--out")),
])
def test_write_errors_are_explained_and_the_old_build_is_kept(site, monkeypatch, error_number, words):
    """Pages are written into a staging folder while files are read: a failure there is P802 too."""
    code, out, err = run_cli("build", "--site", site)
    assert code == 0, out + err
    before = snapshot(site / "build")
    edit(site, PROJECT, "project: 高三复习迎考", "project: 高三复习迎考（修订）")
    _fail_writes(monkeypatch, error_number)
    code, out, err = run_cli("build", "--site", site)
    _assert_finding(code, out, err, "P802", *words)
    # the path named is the output folder's, not the staging folder's beside it: the edited form's
    # first file (its downloads are written before its page)
    assert re.search(re.escape(f"{site / 'build'}/") + r"(disclosure|downloads)/2023/gaosan-fuxi-yingkao[.-]", err), err
    assert ".build.new-" not in err
    assert snapshot(site / "build") == before
    assert not [p.name for p in site.iterdir() if p.name.startswith(".build.")]


def test_a_full_disk_on_a_first_build_leaves_no_output(site, monkeypatch):
    _fail_writes(monkeypatch, errno.ENOSPC)
    code, out, err = run_cli("build", "--site", site)
    _assert_finding(code, out, err, "P802 错误 无法写入输出文件夹（磁盘已满）")
    assert not (site / "build").exists()


def test_a_read_only_output_folder(site, tmp_path):
    """A real permission error: the output's parent folder cannot be written to."""
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o555)
    try:
        code, out, err = run_restricted("build", "--site", site, "--out", locked / "build")
    finally:
        os.chmod(locked, 0o755)
    _assert_finding(code, out, err, f"{locked / 'build'}: P802", "权限不够", "--out")
    assert ".build.new-" not in err
    assert not (locked / "build").exists()


def test_a_full_disk_outside_the_build_is_explained(site, monkeypatch):
    """Other commands write too (here `new`): a full disk is D801 with the path, not “内部错误”."""
    import pathlib

    def write_text(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(pathlib.Path, "write_text", write_text)
    code, out, err = run_cli("new", "plan", "2024", "--site", site)
    _assert_finding(code, out, err, "D801 错误 磁盘已满", f"{site}/content/2024/", "清理")


def test_a_content_folder_that_cannot_be_written_to(site):
    os.chmod(site / "content", 0o555)
    try:
        code, out, err = run_restricted("new", "plan", "2024", "--site", site)
    finally:
        os.chmod(site / "content", 0o755)
    _assert_finding(code, out, err, f"{site}/content/2024: D802", "没有权限写入")
