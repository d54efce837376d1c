"""A changed archive is found by `verify` (exit 1, naming the file) and never published by `build`."""

from __future__ import annotations

import zipfile

PAGE = "gaosan-fuxi-yingkao.html"


def _flip_one_byte(path, offset=200):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_flipping_one_byte_makes_verify_exit_1_naming_the_file(arc, archived):
    _flip_one_byte(archived / "archives" / "2023" / PAGE)
    code, stdout, stderr = arc.run("verify", "--site", archived)
    assert code == 1
    assert f"archives/2023/{PAGE}: A606" in stderr
    assert "被改动" in stderr and "git checkout" in stderr
    assert stderr.count("A6") == 1  # only that file
    assert "Traceback" not in stderr


def test_build_refuses_a_tampered_archive_and_keeps_the_previous_output(arc, archived):
    out = arc.build(archived)
    before = arc.tree(out)
    _flip_one_byte(archived / "archives" / "2023" / "assets" / "style.css")
    code, stdout, stderr = arc.run("build", "--site", archived)
    assert code == 1
    assert "archives/2023/assets/style.css: A606" in stderr
    assert "提示：" in stderr
    assert arc.tree(out) == before
    code, stdout, stderr = arc.run("check", "--site", archived)
    assert code == 1 and "A606" in stdout + stderr


def test_missing_added_and_changed_files_are_each_reported(arc, archived):
    folder = archived / "archives" / "2023"
    (folder / "index.html").unlink()
    (folder / "extra.html").write_text("<p>后来放进去的</p>", encoding="utf-8")
    (folder / PAGE).write_text("改过了", encoding="utf-8")
    code, _, stderr = arc.run("verify", "--site", archived)
    assert code == 1
    assert "archives/2023/index.html: A604" in stderr and "缺失" in stderr
    assert "archives/2023/extra.html: A605" in stderr and "多出" in stderr
    assert f"archives/2023/{PAGE}: A606" in stderr
    assert "共 3 个错误" in stderr


def test_a_missing_or_broken_manifest_is_reported(arc, archived):
    manifest = archived / "archives" / "2023" / "manifest.json"
    manifest.write_text("{不是 JSON", encoding="utf-8")
    code, _, stderr = arc.run("verify", "--site", archived)
    assert code == 1 and "archives/2023/manifest.json: A607" in stderr
    manifest.unlink()
    code, _, stderr = arc.run("build", "--site", archived)
    assert code == 1 and "A607" in stderr


def test_a_renamed_archive_folder_is_reported(arc, archived):
    (archived / "archives" / "2023").rename(archived / "archives" / "2022")
    code, _, stderr = arc.run("verify", "--site", archived)
    assert code == 1 and "archives/2022: A608" in stderr


def test_a_changed_zip_is_reported_by_verify(arc, site):
    arc.ok("archive", "2023", "--site", site, "--zip")
    path = site / "archives" / "2023-r1.zip"
    with zipfile.ZipFile(path) as original:
        entries = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(path, "w") as changed:
        for info, data in entries:
            changed.writestr(info, data.replace("高三复习迎考".encode(), "高三复习备考".encode()))
    code, _, stderr = arc.run("verify", "--site", site)
    assert code == 1
    assert "archives/2023-r1.zip: A606" in stderr and PAGE in stderr


def test_archiving_a_tampered_year_again_is_refused_even_with_supersede(arc, archived):
    _flip_one_byte(archived / "archives" / "2023" / PAGE)
    code, _, stderr = arc.run("archive", "2023", "--site", archived, "--supersede", "--reason", "更正")
    assert code == 1 and "A606" in stderr
    assert not (archived / "archives" / "2023-r1").exists()
