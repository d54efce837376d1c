"""15-digit 身份证 numbers (issued until 2004, no check character) are masked like 18-digit ones, everywhere.

They were published as written: "110105491231002" has no check character, and every group longer than
eleven digits was left alone. Now 15 digits in consecutive groups whose first two are a province's code and
whose 7th-12th are a real birth date 19YYMMDD are one: the first three and last two kept.
"""

from __future__ import annotations

import datetime
import gzip
import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.privacy import ID_NUMBER, find_personal_numbers, is_old_id_number, mask_text
from sitetest import run_cli

from .conftest import PROJECT, REPORT, edit
from .test_masking import as_read, written_number

OLD = "110105491231002"


def test_written_forms_of_an_old_id_number_are_masked():
    assert mask_text(f"身份证{OLD}号") == "身份证110**********02号"
    assert mask_text("110105 491231 002") == "110*** ****** *02"
    assert mask_text("１１０１０５４９１２３１００２") == "１１０**********０２"
    assert mask_text(f"{OLD}，13912345678") == "110**********02，139****5678"


def test_long_numbers_that_are_not_old_id_numbers_are_left_alone():
    for text in ["110105491332002",  # no 13th month
                 "990105491231002",  # no province 99
                 "110105490230002",  # no 30 February
                 "1101054912310021", "11010549123100", f"{OLD}X", "账号 6222021234567890123"]:
        assert mask_text(text) == text, text


@st.composite
def old_id_numbers(draw) -> str:
    province = draw(st.sampled_from(["11", "32", "43", "65"]))
    region = province + draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    birth = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(1999, 12, 31))).strftime("%y%m%d")
    return region + birth + draw(st.text(alphabet="0123456789", min_size=3, max_size=3))


@settings(max_examples=300, deadline=None)
@given(number=old_id_numbers(), data=st.data(), before=st.sampled_from(["", "身份证：", "张三 ", "（"]),
       after=st.sampled_from(["", "）", " 号", "。"]))
def test_no_old_id_number_survives_masking_in_any_form(number, data, before, after):
    assert is_old_id_number(number)
    written = data.draw(written_number(number, [(15,), (6, 6, 3), (6, 9), (3, 3, 3, 3, 3)]))
    text = before + written + after
    masked = mask_text(text)
    assert number not in as_read(masked) and number[6:12] not in as_read(masked), (text, masked)
    assert mask_text(masked) == masked
    assert [n.kind for n in find_personal_numbers(text)] == [ID_NUMBER]


def _every_text(build) -> str:
    """Every published file's text, zips (xlsx) and the gzip'd search index opened."""
    texts = []
    for path in sorted(build.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        elif data[:2] == b"\x1f\x8b":
            texts.append(gzip.decompress(data).decode("utf-8", "replace"))
        else:
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_an_old_id_number_in_a_document_and_a_form_is_published_masked(site):
    line = edit(site, REPORT, "核定全额编制数44名。", f"核定全额编制数44名。联系人身份证 {OLD}。")
    cell = edit(site, PROJECT, "deviation: }", "deviation: 身份证110105-491231-002}")
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    assert f"{REPORT}:{line}:" in stdout + stderr and f"{PROJECT}:{cell}:" in stdout + stderr
    assert "P702" in stdout + stderr
    published = _every_text(site / "build")
    assert "110**********02" in published and "110***-******-*02" in published
    assert OLD not in published and "491231" not in published
