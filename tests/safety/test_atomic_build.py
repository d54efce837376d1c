"""build/ changes in one step: after kill -9 at the commit step it is entirely the old site or entirely the new one.

The killed builds are real processes (`python -m site_builder build`). The
environment hook SITE_BUILDER_TEST_PAUSE_AT (used only here) makes the build
write a marker file and wait just before (`commit`) or just after
(`committed`) it swaps the new site in; the test then sends SIGKILL and
compares every file of build/ with a known old and a known new build.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitetest import REPO, copy_site, run_cli, snapshot

REPORT = "content/2023/self-evaluation-report.md"
ADDED = "本段是原子生成测试补充的一句话。"


def _env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def _edit(site: Path) -> None:
    path = site / REPORT
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{ADDED}\n", encoding="utf-8")


def _built(site: Path) -> dict[str, bytes]:
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    return snapshot(site / "build")


def _leftovers(site: Path) -> list[str]:
    """What a build left beside build/, but the previous site it keeps for the next one."""
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".build.") and p.name != ".build.previous")


@pytest.fixture
def old_and_new(tmp_path):
    """(a site built once, the old build's files, the files a build of the edited site has)."""
    site = copy_site(tmp_path / "site")
    old = _built(site)
    other = copy_site(tmp_path / "other")
    _edit(other)
    new = _built(other)
    assert old != new and any(ADDED.encode() in data for data in new.values())
    return site, old, new


@pytest.mark.parametrize("with_cache", [True, False], ids=["incremental", "without-cache"])
@pytest.mark.parametrize("step, expected", [("commit", "old"), ("committed", "new")])
def test_a_build_killed_at_its_commit_step_leaves_the_old_or_the_new_site_entire(
        old_and_new, tmp_path, step, expected, with_cache):
    site, old, new = old_and_new
    _edit(site)
    if not with_cache:
        shutil.rmtree(site / ".site-builder-cache")
    marker = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "build", "--site", str(site)],
        env=_env(SITE_BUILDER_TEST_PAUSE_AT=step, SITE_BUILDER_TEST_MARKER=str(marker)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, f"the build ended before its commit step: {process.stderr.read()!r}"
            assert time.monotonic() < deadline, "the build never reached its commit step"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    after_kill = snapshot(site / "build")
    assert after_kill == (old if expected == "old" else new)

    code, stdout, stderr = run_cli("build", "--site", site)  # the next build finishes the job and cleans up
    assert code == 0, stdout + stderr
    assert snapshot(site / "build") == new
    assert _leftovers(site) == []


def test_the_staging_folder_is_a_complete_tree_swapped_in_whole(old_and_new):
    """A rebuild replaces the folder (a new inode), and unchanged files are the old ones (hard links, same inode)."""
    site, old, new = old_and_new
    folder_before = (site / "build").stat().st_ino
    unchanged = site / "build" / "assets" / "style.css"
    file_before = unchanged.stat().st_ino
    _edit(site)
    assert _built(site) == new
    assert (site / "build").stat().st_ino != folder_before
    assert unchanged.stat().st_ino == file_before
    assert _leftovers(site) == []


def test_the_previous_site_is_kept_beside_build_sharing_its_unchanged_files(old_and_new):
    site, old, new = old_and_new
    _edit(site)
    assert _built(site) == new
    previous = site / ".build.previous"
    assert snapshot(previous) == old
    for name in ("assets/style.css", "disclosure/2023/gaosan-fuxi-yingkao.html"):  # hard links: no second copy
        assert (previous / name).stat().st_ino == (site / "build" / name).stat().st_ino


def test_the_next_rebuild_starts_from_the_previous_site_and_trusts_nothing_in_it(old_and_new, tmp_path):
    """The previous site is the next rebuild's staging folder; whatever was done to it, the rebuild
    publishes exactly what a build from nothing publishes, and never writes through a file or link in it."""
    site, old, new = old_and_new
    _edit(site)
    assert _built(site) == new
    previous = site / ".build.previous"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("不属于网站", encoding="utf-8")
    page = previous / "disclosure" / "2021" / "index.html"
    page.unlink()
    page.write_text("被改过的旧网页", encoding="utf-8")  # a file that is not the output's own
    (previous / "disclosure" / "junk.html").write_text("多出来的", encoding="utf-8")
    (previous / "index.html").unlink()
    (previous / "index.html").mkdir()  # a folder where a file goes
    (previous / "index.html" / "x.html").write_text("x", encoding="utf-8")
    shutil.rmtree(previous / "assets")
    (previous / "assets").write_text("一个文件占了文件夹的位置", encoding="utf-8")  # a file where a folder goes
    (previous / "old-folder" / "deeper").mkdir(parents=True)  # folders the output does not have
    (previous / "old-folder" / "deeper" / "page.html").write_text("旧的", encoding="utf-8")
    shutil.rmtree(previous / "disclosure" / "2023")
    (previous / "disclosure" / "2023").symlink_to(outside, target_is_directory=True)  # a link where a folder goes

    # a form whose pages were the same in the last two builds: in the previous site they are hard links
    # to the published files, which the rebuild must replace, not write into
    for folder in (site, copy_site(tmp_path / "expected")):
        form = folder / "content" / "2023" / "projects" / "gaosan-fuxi-yingkao.yaml"
        form.write_text(form.read_text(encoding="utf-8").replace("project: 高三复习迎考", "project: 高三复习迎考（改）"),
                        encoding="utf-8")
    _edit(tmp_path / "expected")
    expected = _built(tmp_path / "expected")
    assert expected != new
    assert _built(site) == expected
    assert snapshot(outside) == {"keep.txt": "不属于网站".encode()}
    assert snapshot(site / ".build.previous") == new
    assert _leftovers(site) == []


def test_a_failed_rebuild_keeps_build_and_the_previous_site(old_and_new):
    site, old, new = old_and_new
    _edit(site)
    assert _built(site) == new
    report = site / REPORT
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("---", "---\ntitle: [未闭合", 1), encoding="utf-8")
    code, _, stderr = run_cli("build", "--site", site)
    assert code == 1 and "Traceback" not in stderr
    assert snapshot(site / "build") == new
    assert snapshot(site / ".build.previous") == old
    report.write_text(text, encoding="utf-8")
    assert _built(site) == new  # nothing changed since the last successful build
    assert _leftovers(site) == []


def test_a_rebuild_that_cannot_write_drops_the_previous_site(old_and_new, monkeypatch):
    """A failure to write in the folder made from the previous site (here: it cannot be listed) is
    reported (P802) and leaves build/ as it was; that folder is removed, not kept for the next build
    to fail in again."""
    from site_builder import write

    site, old, new = old_and_new
    _edit(site)
    assert _built(site) == new
    report = site / REPORT
    report.write_text(report.read_text(encoding="utf-8") + "\n再改一句。\n", encoding="utf-8")
    real_inodes = write._inodes

    def unreadable(root):
        if ".build.new-" in str(root):
            raise PermissionError(13, "Permission denied", str(root))
        return real_inodes(root)

    monkeypatch.setattr(write, "_inodes", unreadable)
    code, _, stderr = run_cli("build", "--site", site)
    assert code == 1 and "P802" in stderr and "Traceback" not in stderr
    assert snapshot(site / "build") == new
    assert not (site / ".build.previous").exists() and _leftovers(site) == []
    monkeypatch.setattr(write, "_inodes", real_inodes)
    built = _built(site)
    assert "再改一句" in built["disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"].decode("utf-8")


def test_a_previous_site_no_rebuild_can_take_is_removed(old_and_new):
    site, old, new = old_and_new
    _edit(site)
    assert _built(site) == new
    shutil.rmtree(site / "build")  # the administrator deletes build/: the next build starts from nothing
    assert _built(site) == new
    assert not (site / ".build.previous").exists()
    assert _leftovers(site) == []


def test_a_no_op_rebuild_does_not_swap(old_and_new):
    site, old, _ = old_and_new
    folder_before = (site / "build").stat().st_ino
    assert _built(site) == old
    assert (site / "build").stat().st_ino == folder_before


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(old_and_new):
    site, old, _ = old_and_new
    for name in (".build.new-99999", ".build.old-99998"):
        (site / name / "disclosure").mkdir(parents=True)
        (site / name / "disclosure" / "index.html").write_text("半截", encoding="utf-8")
    assert _built(site) == old  # nothing changed: a no-op build still cleans up
    assert _leftovers(site) == []


def test_without_an_atomic_exchange_the_documented_fallback_still_replaces_the_site(old_and_new, monkeypatch):
    """Where renameat2 is missing (another system, an old C library) two renames are used instead."""
    from site_builder import write

    monkeypatch.setattr(write, "_LIBC", [None])
    with pytest.raises(OSError):
        write.exchange(Path("a"), Path("b"))
    site, _, new = old_and_new
    _edit(site)
    assert _built(site) == new
    assert _leftovers(site) == []


# --- permissions: enforced on root too ---------------------------------------------------

# Without these capabilities root obeys file permissions like any user (setpriv, util-linux).
WITHOUT_OVERRIDES = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_permission_error_while_staging_keeps_the_old_site_and_says_what_to_do(old_and_new):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv: to make a file of build/ belong to another user")
    site, old, _ = old_and_new
    # a page of build/ belongs to another user and only that user may read it (a permissions mistake)
    page = site / "build" / "disclosure" / "2023" / "gaosan-fuxi-yingkao.html"
    os.chown(page, 65534, 65534)
    page.chmod(0o600)
    _edit(site)  # the page itself is unchanged: the rebuild must carry it over into the new site

    result = subprocess.run([*WITHOUT_OVERRIDES, sys.executable, "-m", "site_builder", "build", "--site", str(site)],
                            env=_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert "P802" in result.stderr and "权限不够" in result.stderr
    assert str(page) in result.stderr  # names the file
    assert "保持不变" in result.stderr and "chown" in result.stderr  # what happened to build/, what to do
    assert snapshot(site / "build") == old
    assert _leftovers(site) == []


# --- a build/ that is a mount point -------------------------------------------------------


def _mount_namespace_works(folder: Path) -> bool:
    probe = folder / "probe"
    probe.mkdir()
    result = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs none '{probe}'"],
                            capture_output=True)
    probe.rmdir()
    return result.returncode == 0


def test_a_build_folder_that_is_a_mount_point_builds_in_place_with_a_warning(tmp_path, old_and_new):
    if shutil.which("unshare") is None or not _mount_namespace_works(tmp_path):
        pytest.skip("cannot mount a file system here (unshare -m / mount tmpfs)")
    _, old, new = old_and_new
    site = copy_site(tmp_path / "mounted")
    (site / "build").mkdir()
    script = tmp_path / "run.sh"
    command = f"'{sys.executable}' -m site_builder build --site '{site}'"
    script.write_text(
        "set -e\n"
        f"mount -t tmpfs none '{site}/build'\n"
        f"{command} > '{tmp_path}/first.out' 2>&1\n"
        f"cp -a '{site}/build' '{tmp_path}/first'\n"
        f"printf '\\n\\n{ADDED}\\n' >> '{site}/{REPORT}'\n"
        f"touch -d '1 minute ago' '{site}/{REPORT}'\n"  # not "modified just now", which the cache reads again
        f"{command} > '{tmp_path}/second.out' 2>&1\n"
        f"cp -a '{site}/build' '{tmp_path}/second'\n"
        f"{command} > '{tmp_path}/third.out' 2>&1\n", encoding="utf-8")
    result = subprocess.run(["unshare", "-m", "sh", str(script)], env=_env(), capture_output=True, text=True)
    first_out = (tmp_path / "first.out").read_text(encoding="utf-8") if (tmp_path / "first.out").exists() else ""
    second_out = (tmp_path / "second.out").read_text(encoding="utf-8") if (tmp_path / "second.out").exists() else ""
    assert result.returncode == 0, result.stderr + first_out + second_out
    for output in (first_out, second_out):
        assert "P801" in output and "不能整体替换" in output and "已生成网站" in output
    third_out = (tmp_path / "third.out").read_text(encoding="utf-8")
    assert "已生成网站" in third_out and "P801" not in third_out  # nothing changed: nothing written, no warning
    assert snapshot(tmp_path / "first") == old
    assert snapshot(tmp_path / "second") == new
    assert _leftovers(site) == []
