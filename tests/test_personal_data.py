"""Mobile numbers never reach the published site."""

from __future__ import annotations

import re

from sitetest import MOBILE, run_cli, squeeze, visible_text

MOBILE_BYTES = re.compile(rb"1[3-9][0-9]{9}")
DEPARTMENT_2023 = "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbiao.html"
PROJECT_2023 = "disclosure/2023/gaosan-fuxi-yingkao.html"


def _mobiles_in(build):
    """(file, match) for every mobile number in any file of the build, as `grep -rE` would find."""
    found = []
    for path in sorted(build.rglob("*")):
        if path.is_file():
            for match in MOBILE_BYTES.finditer(path.read_bytes()):
                found.append((path.relative_to(build).as_posix(), match.group(0).decode()))
    return found


def test_no_mobile_number_anywhere_in_the_build(real_build):
    files = [p for p in real_build.rglob("*") if p.is_file()]
    assert len(files) > 20
    assert _mobiles_in(real_build) == []


def test_the_content_does_have_mobile_numbers_to_mask():
    """Guards the test above: it is only meaningful while the records carry mobile numbers."""
    from sitetest import CONTENT

    assert any(MOBILE.search(p.read_text(encoding="utf-8")) for p in CONTENT.rglob("*.yaml"))


def test_masked_number_on_the_department_page(real_build):
    text = squeeze(visible_text(real_build / DEPARTMENT_2023))
    assert "139****6836" in text
    assert "联系电话139****6836" in text or "联系电话：139****6836" in text


def test_masked_number_on_a_project_page(real_build):
    text = squeeze(visible_text(real_build / PROJECT_2023))
    assert "139****2708" in text


def test_mobile_in_a_document_body_is_masked(site):
    report = site / "content" / "2023" / "self-evaluation-report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n联系人手机：13812345678。\n", encoding="utf-8")
    code, _, stderr = run_cli("build", "--site", site)
    assert code == 0, stderr
    assert _mobiles_in(site / "build") == []
    texts = [visible_text(p) for p in (site / "build").rglob("*.html")]
    assert any("联系人手机：138****5678" in t for t in texts)


def test_phone_display_office_replaces_mobiles_with_the_office_phone(site):
    config = site / "content" / "site.yaml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^phone_display:.*$", "phone_display: office", text)
    assert count == 1
    assert re.search(r"(?m)^office_phone: 8805696\b", text)
    config.write_text(text, encoding="utf-8")

    code, _, stderr = run_cli("build", "--site", site)
    assert code == 0, stderr
    build = site / "build"
    assert _mobiles_in(build) == []
    department = squeeze(visible_text(build / DEPARTMENT_2023))
    assert "联系电话8805696单位负责人签字" in department or "联系电话：8805696单位负责人签字" in department
    project = squeeze(visible_text(build / PROJECT_2023))
    assert "联系电话8805696" in project or "联系电话：8805696" in project
    for page in build.rglob("*.html"):
        assert "****" not in page.read_text(encoding="utf-8"), page


def test_the_warning_says_what_the_site_shows_instead_of_a_mobile_number(site):
    report = site / "content" / "2023" / "self-evaluation-report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n联系人手机：13812345678。\n", encoding="utf-8")
    code, stdout, stderr = run_cli("check", "--site", site)
    assert code == 0, stderr
    said = stdout + stderr
    assert "网站上显示为 138****5678" in said and "网站上会自动打码" in said

    config = site / "content" / "site.yaml"
    config.write_text(re.sub(r"(?m)^phone_display:.*$", "phone_display: office",
                             config.read_text(encoding="utf-8")), encoding="utf-8")
    for command in ("check", "build"):
        code, stdout, stderr = run_cli(command, "--site", site)
        assert code == 0, stderr
        said = stdout + stderr
        assert "网站上显示为 8805696" in said, command
        assert "网站上会自动换成办公电话" in said, command
        assert "138****5678" not in said, command
