"""Issue 16, point 5: the commands work on an office PC — a Chinese Windows console (GBK), no
POSIX-only features — and the README says how to set up and start.

The commands run as real processes with PYTHONIOENCODING=gbk, as on a console of Chinese Windows.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitetest import REPO, copy_site

PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"


def run_gbk(*args, cwd=None) -> tuple[int, str, str]:
    """`python -m site_builder ARGS` with a GBK console: (exit code, stdout, stderr) decoded as GBK."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "gbk"
    done = subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=300)
    return done.returncode, done.stdout.decode("gbk"), done.stderr.decode("gbk")


@pytest.fixture(scope="module")
def gbk_site(tmp_path_factory) -> Path:
    """The real site with a value no GBK console can show: an emoji and a bullet “•”."""
    site = copy_site(tmp_path_factory.mktemp("gbk") / "site")
    project = site / PROJECT
    project.write_text(project.read_text(encoding="utf-8").rstrip("\n") + "\nremark: 备注😀•完成\n", encoding="utf-8")
    return site


@pytest.mark.parametrize("args, code", [
    (("--help",), 0),
    (("rules", "L110"), 0),
    (("check", "--site", "{site}"), 1),
    (("build", "--site", "{site}", "--out", "{site}/build"), 1),
    (("new", "report", "2031", "--site", "{site}"), 0),
    (("check", "--site", "{site}/nowhere"), 1),
])
def test_every_command_prints_chinese_on_a_gbk_console(args, code, gbk_site):
    args = [a.replace("{site}", str(gbk_site)) for a in args]
    status, out, err = run_gbk(*args)
    assert status == code, out + err
    assert "Traceback" not in out + err and "UnicodeEncodeError" not in out + err
    assert re.search(r"[\u4e00-\u9fff]", out + err)


def test_characters_outside_gbk_are_replaced_not_fatal(gbk_site):
    status, out, err = run_gbk("check", "--site", gbk_site)
    assert status == 1
    quoted = next(line for line in out.splitlines() if "remark:" in line and "|" in line)
    assert "备注" in quoted and "完成" in quoted and "?" in quoted  # 😀 and • shown as ?
    assert re.match(r"共 [1-9]\d* 个错误", out.rstrip().splitlines()[-1])


# Calls that exist on Linux only, or behave differently on Windows.
_POSIX_ONLY = {("os", "fork"), ("os", "getuid"), ("os", "geteuid"), ("os", "killpg"), ("os", "setsid"),
               ("os", "symlink"), ("os", "chown"), ("signal", "SIGKILL"), ("signal", "SIGHUP"),
               ("signal", "SIGUSR1"), ("signal", "SIGTERM"), ("os", "uname")}
_POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "resource"}


def test_nothing_depends_on_posix_only_features():
    """The generator runs on Windows: no POSIX-only module or call (the fork pool of build is optional,
    chosen only where the platform offers it)."""
    found = []
    for path in sorted((REPO / "site_builder").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path.name, a.name) for a in node.names if a.name in _POSIX_MODULES]
            elif isinstance(node, ast.ImportFrom) and node.module in _POSIX_MODULES:
                found.append((path.name, node.module))
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and (node.value.id, node.attr) in _POSIX_ONLY):
                found.append((path.name, f"{node.value.id}.{node.attr}"))
    assert found == []
    source = (REPO / "site_builder" / "pipeline" / "incremental.py").read_text(encoding="utf-8")
    assert '"fork" not in multiprocessing.get_all_start_methods()' in source
