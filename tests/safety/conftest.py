"""Helpers of the safety tests (issue 13): editing a copied site, and running the
command as a user whom file permissions really stop.

Tests may run as root, for whom `chmod 000` denies nothing. `as_restricted_user`
then drops the capabilities that let root bypass permissions (setpriv); as any
other user the command runs as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = "content/2023/projects/gaosan-fuxi-yingkao.yaml"
REPORT = "content/2023/self-evaluation-report.md"
_DROP = "-dac_override,-dac_read_search"


def edit(site: Path, relative: str, old: str, new: str) -> int:
    """Replace the first `old` in a content file by `new`; the 1-based line where it was."""
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}: the real record changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def run_restricted(*args) -> tuple[int, str, str]:
    """`python -m site_builder ARGS` as a process whose reads and writes file permissions can deny."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
        prefix = [setpriv, f"--bounding-set={_DROP}", f"--inh-caps={_DROP}"]
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    done = subprocess.run([*prefix, sys.executable, "-m", "site_builder", *map(str, args)],
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    if prefix and done.stderr.startswith("setpriv:"):
        pytest.skip(f"setpriv cannot drop capabilities here: {done.stderr.strip()}")
    return done.returncode, done.stdout, done.stderr
