"""Issue 16, point 1: `check` lists errors, then warnings, only counts acknowledged findings
(unless --all) and ends with one summary line; `build` says the same counts; `archive` and
`verify` agree on how many files an archive holds."""

from __future__ import annotations

import re

from .test_cli_check import weights_40_40

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
HEADER = re.compile(r"^\S+?:\d+:\d+: (?P<code>[A-Z]\d{3}) (?P<severity>错误|警告)(?P<ack>（已确认）)? ")


def _headers(out: str) -> list[re.Match]:
    return [m for m in (HEADER.match(line) for line in out.splitlines()) if m]


def _mixed(check_helpers, tmp_path):
    """The real site (17 acknowledged findings) with one warning (F307) and one error (S202) added
    to a table that is listed after the warning's file."""
    site = check_helpers.copy_real_site(tmp_path / "site")
    project = site / PROJECT
    # 产出 40 + 效益 40: F307 warnings and nothing else.
    project.write_text(weights_40_40(project.read_text(encoding="utf-8")), encoding="utf-8")
    # An unknown key at the end of the department table (listed first by path): an error.
    department = site / "content/2023/department-evaluation.yaml"
    text = department.read_text(encoding="utf-8")
    department.write_text(text.rstrip("\n") + "\nremark: 多写的一项\n", encoding="utf-8")  # no line moves
    return site


def test_errors_first_then_warnings_and_acknowledged_only_counted(check_helpers, tmp_path):
    site = _mixed(check_helpers, tmp_path)
    _, findings = check_helpers.check_json(site)
    errors = [f for f in findings if f["severity"] == "error" and not f["acknowledged"]]
    warnings = [f for f in findings if f["severity"] == "warning" and not f["acknowledged"]]
    acknowledged = [f for f in findings if f["acknowledged"]]
    assert errors and warnings and acknowledged
    ack = len(acknowledged)

    code, out, _ = check_helpers.check_text(site)
    assert code == 1
    headers = _headers(out)
    assert [h["severity"] for h in headers] == ["错误"] * len(errors) + ["警告"] * len(warnings)
    assert not any(h["ack"] for h in headers)
    assert "说明：" not in out
    last = out.rstrip("\n").split("\n")[-1]
    assert last == f"共 {len(errors)} 个错误、{len(warnings)} 个警告；{ack} 个已确认的问题未列出（--all 列出）。"

    code, out, _ = check_helpers.run("check", "--all", "--site", site)
    headers = _headers(out)
    assert [h["severity"] + (h["ack"] or "") for h in headers][: len(errors) + len(warnings)] == \
        ["错误"] * len(errors) + ["警告"] * len(warnings)
    assert all(h["ack"] for h in headers[len(errors) + len(warnings):])
    assert len(headers) == len(findings)
    assert out.rstrip("\n").split("\n")[-1] == \
        f"共 {len(errors)} 个错误、{len(warnings)} 个警告、{ack} 个已确认的问题。"


def test_build_reports_the_same_counts_as_check(check_helpers, tmp_path):
    site = check_helpers.copy_real_site(tmp_path / "site")
    project = site / PROJECT
    project.write_text(weights_40_40(project.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, _ = check_helpers.check_text(site)
    assert code == 0
    summary = out.rstrip("\n").split("\n")[-1]
    assert summary.startswith("共 0 个错误、2 个警告；20 个已确认的问题未列出")
    code, out, err = check_helpers.run("build", "--site", site, "--out", tmp_path / "out")
    assert code == 0
    assert summary.replace("（--all 列出）", "（site-builder check --all 列出）") in err.splitlines()
    assert "说明：" not in err  # acknowledged findings are counted, not listed

    # With an error the build stops and says the same counts again.
    department = site / "content/2023/department-evaluation.yaml"
    department.write_text(department.read_text(encoding="utf-8").rstrip("\n") + "\nremark: 多写的一项\n",
                          encoding="utf-8")
    code, out, _ = check_helpers.check_text(site)
    summary = out.rstrip("\n").split("\n")[-1]
    assert re.fullmatch(r"共 [1-9]\d* 个错误、\d+ 个警告；\d+ 个已确认的问题未列出（--all 列出）。", summary)
    code, _, err = check_helpers.run("build", "--site", site, "--out", tmp_path / "out")
    assert code == 1
    assert err.rstrip("\n").split("\n")[-1] == summary.replace("（--all 列出）", "（site-builder check --all 列出）")


def test_archive_and_verify_count_the_same_files(check_helpers, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    site = check_helpers.copy_real_site(tmp_path / "site")
    code, out, err = check_helpers.run("archive", "2023", "--site", site)
    assert code == 0, err
    archived = re.search(r"（(\d+) 个网页和样式文件，另加清单 manifest\.json）", out)
    assert archived, out
    code, out, err = check_helpers.run("verify", "--site", site)
    assert code == 0, err
    verified = re.search(r"(\d+) 个网页和样式文件，另加清单 manifest\.json", out)
    assert verified, out
    on_disk = [p for p in (site / "archives/2023").rglob("*") if p.is_file() and p.name != "manifest.json"]
    assert int(archived[1]) == int(verified[1]) == len(on_disk)
