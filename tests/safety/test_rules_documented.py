"""Every code of issue 13 (points 1, 6, 8) is explained by `site-builder rules CODE`."""

from __future__ import annotations

import re

import pytest

from sitetest import run_cli

NEW_CODES = ["L120", "L121", "L122", "L123", "L124", "S209", "S210", "T504", "D801", "D802", "F317"]


@pytest.mark.parametrize("code", NEW_CODES)
def test_the_code_is_explained_with_wrong_and_right(code):
    status, out, err = run_cli("rules", code)
    assert status == 0, err
    assert out.startswith(code + " ") and "（错误）" in out.splitlines()[0]
    explanation, examples = out.split("错误的写法", 1)
    wrong, right = examples.split("正确的写法", 1)
    assert re.search(r"[\u4e00-\u9fff]", explanation.split("\n", 1)[1])
    assert wrong.strip("：\n ") and right.strip("：\n ")


def test_the_codes_are_listed():
    status, out, _ = run_cli("rules")
    assert status == 0
    for code in NEW_CODES:
        assert re.search(rf"(?m)^\s+{code}\s+错误\s", out), code
