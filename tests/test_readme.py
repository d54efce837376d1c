"""Issue 16, point 5: the README gets a new member of staff from nothing to a preview.

It opens with the two commands and how long their first run takes; it documents PORT as the
scripts use it, activates the environment before `site-builder` is first used, has a Windows
section whose PowerShell script does what preview.sh does, and leaves benchmark tables to
benchmarks/README.md.
"""

from __future__ import annotations

import re

from sitetest import REPO, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")
SCRIPTS = REPO / "scripts"


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)


def test_readme_opens_with_the_two_commands_and_the_time_of_their_first_run():
    first = _code_blocks(README)[0]
    commands = [line.split("#", 1)[0].strip() for line in first.strip().splitlines()]
    assert commands == ["sh scripts/preview.sh", "sh scripts/test.sh"]
    assert all("#" in line and re.search(r"[\u4e00-\u9fff]", line.split("#", 1)[1]) for line in first.strip().splitlines())
    intro = README[:README.index("\n## ")]
    assert re.search(r"第一次[^。]*?\d+\s*(秒|分钟)", intro), "how long the first run takes"
    assert (SCRIPTS / "preview.sh").is_file() and (SCRIPTS / "test.sh").is_file()


def test_port_is_documented_as_the_script_reads_it():
    script = (SCRIPTS / "preview.sh").read_text(encoding="utf-8")
    assert '"${PORT:-8000}"' in script
    documented = re.search(r"PORT=(\d+) sh scripts/preview\.sh", README)
    assert documented and documented[1] != "8000"
    assert "默认 8000" in README


def test_the_environment_is_activated_before_site_builder_is_first_used():
    activation = README.index(". .venv/bin/activate")
    first_use = min(m.start() for m in re.finditer(r"(?<![\w/\\.])site-builder (?!命令)", README))
    assert activation < first_use, README[first_use - 80:first_use + 40]


def test_first_installation_shows_progress_in_chinese():
    env = (SCRIPTS / "_env.sh").read_text(encoding="utf-8")
    install = [line for line in env.splitlines() if "pip install" in line]
    assert install and all(" -q" not in line for line in install), "pip's own progress is shown"
    steps = [line for line in env.splitlines() if line.strip().startswith("echo ")]
    assert len([s for s in steps if re.search(r"[\u4e00-\u9fff]", s)]) >= 2


def test_benchmark_tables_live_in_benchmarks_readme():
    tables = [line for line in README.splitlines() if line.startswith("|") and ("Hugo" in line or "网页数" in line)]
    assert tables == []
    assert "(benchmarks/README.md)" in README
    benchmarks = (REPO / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert "| 网页数 | 运行 | 首次生成 (s) |" in benchmarks and "0.20 秒" in benchmarks


def test_windows_section_and_powershell_preview():
    section = README[README.index("## 在 Windows 上使用"):]
    section = section[:section.index("\n## ", 3)]
    for needed in ("python.org", "py -m venv .venv", r".venv\Scripts\pip install -e .",
                   r".venv\Scripts\site-builder serve", r"scripts\preview.ps1"):
        assert needed in section, needed
    raw = (SCRIPTS / "preview.ps1").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM: Windows PowerShell 5.1 reads Chinese right"
    script = raw.decode("utf-8-sig")
    assert "$env:PORT" in script and '"8000"' in script
    assert re.search(r"site-builder\.exe build", script) and re.search(r"site-builder\.exe serve --port \$port", script)
    assert "py -3 -m venv .venv" in script and "pip install" in script


def test_the_codes_the_readme_promises_are_explained():
    for code in sorted(set(re.findall(r"\b([LSFNTA]\d{3})\b", README))):
        status, out, err = run_cli("rules", code)
        assert status == 0, f"README mentions {code}, which `site-builder rules` does not know"
    assert "N407" in README
