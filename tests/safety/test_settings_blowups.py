"""A setting that would take all the memory there is: refused at its line (P713), quickly.

content/site.yaml's index_number format is a Python format string: "{serial:0999999999d}" made every 索引号
a string of a billion characters, and the build was killed by the system (22 GB) instead of reporting it.
"""

from __future__ import annotations

import pytest

from sitetest import run_cli_process

SETTING = '# index_number: {format: "{org_code}/{year}-{serial:05d}", org_code: 机构代码}'


@pytest.mark.parametrize("pattern", ["{org_code}/{year}-{serial:0999999999d}", "{year:>999999999}-{serial}",
                                     "{org_code:999999999}{serial}", "{serial:,}"])
def test_an_index_number_format_of_enormous_width_is_refused_at_its_line(site, pattern):
    settings = site / "content" / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    assert SETTING in text
    line = text[:text.index(SETTING)].count("\n") + 1
    settings.write_text(text.replace(SETTING, f'index_number: {{format: "{pattern}", org_code: "430600"}}'),
                        encoding="utf-8")
    code, stdout, stderr = run_cli_process("build", "--site", site, timeout=60)
    assert code == 1, stdout + stderr
    assert f"content/site.yaml:{line}:" in stderr and "P713" in stderr
    assert not (site / "build").exists()


@pytest.mark.parametrize("pattern", ["{org_code}/{year}-{serial:05d}", "{year}-{serial:3}", "{serial}"])
def test_ordinary_index_number_formats_still_build(site, pattern):
    settings = site / "content" / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(SETTING, f'index_number: {{format: "{pattern}", org_code: "430600"}}'),
                        encoding="utf-8")
    code, stdout, stderr = run_cli_process("build", "--site", site, timeout=120)
    assert code == 0, stdout + stderr
