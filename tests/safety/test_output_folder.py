"""The output folder (--out) is replaced whole by a build, and what the new site does not hold is deleted the
next time: a folder that holds the site, its content, or files no build made is refused (P804), untouched."""

from __future__ import annotations

import shutil

import pytest

from sitetest import copy_site, run_cli, snapshot


def _refused(site, out) -> str:
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 1, stdout + stderr
    assert "P804" in stdout + stderr and "Traceback" not in stdout + stderr
    return stdout + stderr


@pytest.mark.parametrize("where", [".", "content", "content/2023", "content/site.yaml", ".."])
def test_output_folder_never_holds_or_is_inside_the_site(tmp_path, where):
    site = copy_site(tmp_path / "site")
    before = snapshot(site)
    for _ in range(2):  # the second build deleted what the first had put aside
        _refused(site, site / where)
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing put aside beside it


def test_output_folder_with_files_no_build_made_is_refused(tmp_path):
    site = copy_site(tmp_path / "site")
    out = tmp_path / "usb"
    (out / "资料").mkdir(parents=True)
    (out / "资料" / "报告.docx").write_bytes(b"not ours")
    for _ in range(2):
        assert "资料" in _refused(site, out)
    assert snapshot(out) == {"资料/报告.docx": b"not ours"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "usb"]


def test_a_folder_a_build_made_is_built_into_again_without_its_cache(tmp_path):
    site = copy_site(tmp_path / "site")
    out = tmp_path / "public"
    assert run_cli("build", "--site", site, "--out", out)[0] == 0
    shutil.rmtree(site / ".site-builder-cache")
    code, stdout, stderr = run_cli("build", "--site", site, "--out", out)
    assert code == 0, stdout + stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("build", "--site", site, "--out", empty)[0] == 0
