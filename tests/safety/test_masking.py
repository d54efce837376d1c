"""Mobile and 身份证 numbers never leave the site, however they are written (issue 13, point 2).

The unit tests and the hypothesis tests drive site_builder.privacy, the one
masking step; the build tests drive the CLI on temporary sites and read every
file of the output the way a reader (or a scraper) would: character references
decoded, full-width digits read as digits, invisible characters and separators
between digits ignored.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitetest import run_cli, visible_text, zip_of

from .conftest import PROJECT, edit
from site_builder import privacy
from site_builder.privacy import (ID_NUMBER, MOBILE, UnmaskableData, find_personal_numbers, id_check_character,
                                  is_id_number, join_masked, mask_bytes, mask_text)
from site_builder.cache import digest
from site_builder.write import put_joined

REPORT = "content/2023/self-evaluation-report.md"
REPORT_PAGE = "build/disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html"
SEPARATORS = " \t\u00a0\u3000\u2009\u202f-.\u2010\u2013\u2014\uff0d\uff0e()\uff08\uff09"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def as_read(text: str) -> str:
    """Only the digits (and X) of `text` as a reader sees them, in order, with a '|' for anything else.

    References and escapes decoded, full-width digits made ASCII, invisible characters and
    separators dropped: a number written in any of the forms appears as its plain digits."""
    text = html.unescape(html.unescape(text))
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"%3([0-9])", r"\1", text)
    out = []
    for char in text:
        if char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        elif char in "Xx\uff38\uff58":
            out.append("X")
        elif char in INVISIBLE or char in SEPARATORS or char in "\r\n":
            continue
        else:
            out.append("|")
    return "".join(out)


# --- the forms of issue 13 -----------------------------------------------------------------

@pytest.mark.parametrize("written, masked", [
    ("13912345678", "139****5678"),
    ("139-1234-5678", "139-****-5678"),
    ("139 1234 5678", "139 **** 5678"),
    ("139.1234.5678", "139.****.5678"),
    ("(139)1234-5678", "(139)****-5678"),
    ("（139）1234-5678", "（139）****-5678"),
    ("+86 139 1234 5678", "+86 139 **** 5678"),
    ("+8613912345678", "+86139****5678"),
    ("008613912345678", "0086139****5678"),
    ("１３９１２３４５６７８", "１３９****５６７８"),
    ("139\u00a01234\u00a05678", "139\u00a0****\u00a05678"),
    ("139\u30001234\u30005678", "139\u3000****\u30005678"),
    ("139\u200b1234\u200c5678", "139\u200b****\u200c5678"),
    ("1\u200d3\u20609\ufeff12345678", "1\u200d3\u20609\ufeff****5678"),
    ("139\u00ad1234\u00ad5678", "139\u00ad****\u00ad5678"),
    ("&#49;&#51;&#57;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;", "&#49;&#51;&#57;****&#53;&#54;&#55;&#56;"),
    ("&#x31;&#x33;&#x39;&#X31;&#x32;&#x33;&#x34;5678", "&#x31;&#x33;&#x39;****5678"),
    ("139&nbsp;1234&nbsp;5678", "139&nbsp;****&nbsp;5678"),
    ("&#49&#51&#57&#49&#50&#51&#52&#53&#54&#55&#56", "&#49&#51&#57****&#53&#54&#55&#56"),
    ("139&shy;1234&#8203;5678", "139&shy;****&#8203;5678"),
    ("zhang-13912345678.html", "zhang-139****5678.html"),
    ("tel:13912345678", "tel:139****5678"),
    ("1 3 9 1 2 3 4 5 6 7 8", "1 3 9 * * * * 5 6 7 8"),
    ("\\u0031\\u0033\\u0039\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038",
     "\\u0031\\u0033\\u0039****\\u0035\\u0036\\u0037\\u0038"),
])
def test_every_written_form_of_a_mobile_is_masked_keeping_its_separators(written, masked):
    assert mask_text(f"联系电话：{written}。") == f"联系电话：{masked}。"
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", [
    "1,463.31", "12,345,678.90万元", "2023-01-01", "2023年10月11日", "2023.10.11—2024.01.02",
    "000014349/2017-00110", "20230101123", "139123456789", "12-digit 201301011234", "0730-8805696",
    "（0730）8805696", "8805696", "得分 13 12 10 8", "第139页", "1391234567", "23912345678",
    "12912345678", "430602199001011234",  # a wrong check digit: not a 身份证 number
    "6222 0213 9123 4567 890", "139****6836", "430*************34", "ISBN 978-7-5617-4312-7",
])
def test_text_that_holds_no_mobile_or_id_number_is_left_alone(text):
    assert find_personal_numbers(text) == []
    assert mask_text(text) == text


def _id(first17: str) -> str:
    return first17 + id_check_character(first17)


def test_a_checksum_valid_id_number_is_masked_to_its_first_three_and_last_two():
    number = _id("43060219900101123")
    assert is_id_number(number) and number.endswith("5")
    assert mask_text(f"身份证号：{number}。") == "身份证号：430*************35。"
    with_x = _id("11010519491231002")
    assert with_x.endswith("X")
    assert mask_text(with_x) == "110*************2X"
    assert mask_text(with_x.lower()) == "110*************2x"
    assert mask_text("430602 19900101 1235") == "430*** ******** **35"
    assert mask_text("４３０６０２１９９００１０１１２３５") == "４３０" + "*" * 13 + "３５"


def test_the_gb11643_check_character():
    """Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check characters 1 0 X 9 8 7 6 5 4 3 2."""
    assert id_check_character("11010519491231002") == "X"
    assert is_id_number("11010519491231002X")
    assert not is_id_number("110105194912310021")
    assert not is_id_number("11010519491331002X".replace("X", id_check_character("11010519491331002")))  # month 13


# --- hypothesis: every form, every number ----------------------------------------------------

_PLAIN = st.text(alphabet=st.sampled_from("联系电话手机号码，。：；、（项目负责人张老师abcXYZ/#@,"), max_size=12)


@st.composite
def written_digit(draw, digit: str) -> str:
    # (a reference without its ";" is left out: before a digit it would be another character)
    form = draw(st.sampled_from(["ascii", "full", "dec", "hex", "HEX", "zeros", "json"]))
    code = ord(digit)
    return {
        "ascii": digit, "full": chr(0xFF10 + int(digit)), "dec": f"&#{code};", "hex": f"&#x{code:x};",
        "HEX": f"&#X{code:X};", "zeros": f"&#000{code};",
        "json": f"\\u{code:04x}",
    }[form]


@st.composite
def glue(draw) -> str:
    """What may sit between two digits of one group: nothing, or invisible characters."""
    return "".join(draw(st.lists(st.sampled_from(
        [*INVISIBLE, "&shy;", "&#8203;", "&#x200B;", "&zwj;", "\\u200b"]), max_size=2)))


@st.composite
def separator(draw) -> str:
    return "".join(draw(st.lists(st.sampled_from(
        [" ", "-", ".", "\u00a0", "\u3000", "\u2009", "\u2013", "\uff0d", "&nbsp;", "&#160;", "&#x3000;"]),
        min_size=1, max_size=2)))


@st.composite
def written_number(draw, digits: str, groupings) -> str:
    """`digits` in one of `groupings`, each digit written its own way, with glue and separators."""
    sizes = draw(st.sampled_from(sorted(groupings)))
    pieces, position = [], 0
    for index, size in enumerate(sizes):
        group = digits[position:position + size]
        position += size
        written = "".join(draw(written_digit(d)) if d != "X" else draw(st.sampled_from(["X", "x", "&#88;"]))
                          + (draw(glue()) if i < len(group) - 1 else "")
                          for i, d in enumerate(group))
        if index == 0 and size == 3 and draw(st.booleans()):
            written = draw(st.sampled_from(["(", "（"])) + written + draw(st.sampled_from([")", "）"]))
        pieces.append(written)
    joined = pieces[0]
    for piece in pieces[1:]:
        joined += draw(separator()) + piece
    return joined


mobiles = st.builds(lambda second, rest: "1" + second + rest,
                    st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))

MOBILE_SHAPES = [(11,), (3, 4, 4), (3, 8), (7, 4), (4, 3, 4), (4, 4, 3), (1,) * 11]


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from("12345678")) + draw(st.text(alphabet="0123456789", min_size=5, max_size=5))
    birth = draw(st.dates(min_value=__import__("datetime").date(1900, 1, 1),
                          max_value=__import__("datetime").date(2099, 12, 31))).strftime("%Y%m%d")
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return _id(region + birth + sequence)


@settings(max_examples=400, deadline=None)
@given(number=mobiles, data=st.data(), before=_PLAIN, after=_PLAIN,
       prefix=st.sampled_from(["", "+86 ", "+86-", "0086 ", "电话", "+86", "0086"]))
def test_no_mobile_survives_masking_in_any_form(number, data, before, after, prefix):
    written = data.draw(written_number(number, MOBILE_SHAPES))
    text = before + prefix + written + after
    masked = mask_text(text)
    assert number not in as_read(masked), (text, masked)
    assert number[:3] in as_read(masked) and number[-4:] in as_read(masked)  # first 3 and last 4 kept
    assert mask_text(masked) == masked  # idempotent
    assert [n.kind for n in find_personal_numbers(text)] == [MOBILE]


@settings(max_examples=300, deadline=None)
@given(number=id_numbers(), data=st.data(), before=_PLAIN, after=_PLAIN)
def test_no_id_number_survives_masking_in_any_form(number, data, before, after):
    written = data.draw(written_number(number, [(18,), (6, 8, 4), (6, 4, 4, 4)]))
    text = before + written + after
    masked = mask_text(text)
    read = as_read(masked)
    assert number.upper() not in read.upper(), (text, masked)
    assert number[6:14] not in read  # the birth date is hidden
    assert mask_text(masked) == masked
    assert [n.kind for n in find_personal_numbers(text)] == [ID_NUMBER]


_PIECES = ["139", "1234", "5678", "4306", "0219", "9001", "011", "X", "x", "-", " ", ".", "(", ")", "\u200b",
           "\u00ad", "&#49;", "&#x31;", "&nbsp;", "&shy;", "\\u0031", "%31", "<td>", "</td>", '="3"', "A12",
           "年", "abc", "&", "#", ";", "\u3000", "１３９", "Ｘ", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
@example(["<td>", "&#49;", "&#x31;", "&#49;", "1234", "5678", "</td>"])  # a chain opening with an escape
@example(["年", "\\u0031", "39", "1234", "5678"])
@example(["%31", "39", " ", "1234", " ", "5678"])
@example(["abc", "139", "1234", "5678", "abc", "4306", "0219", "9001", "abc", "0219", "9001", "<td>", "139", "1234",
          "5678"])  # a number inside a digest of 40 characters, then one after it
def test_looking_only_inside_chains_of_digits_finds_what_a_look_at_every_digit_finds(pieces):
    """find_personal_numbers looks for runs, and digests around the numbers found, only where eleven
    digits are chained by gap and escape characters; it must find exactly what a search of the whole
    text finds."""
    text = "".join(pieces) * 2
    runs = [run for run in privacy._RUN.finditer(text) if run.end() - run.start() >= privacy._SHORTEST]
    everywhere = [number for run in runs for number in privacy._numbers_in(text, run.start(), run.end())]
    digests = [(m.start(), m.end()) for m in privacy._DIGEST.finditer(text) if not m.group().isdigit()]
    everywhere = [n for n in everywhere if not any(start <= n.hidden[0][0] < end for start, end in digests)]
    assert find_personal_numbers(text) == everywhere, text


_JSON_ENDS = ["{", "}", ",", '"', ":", "[", "]", '{"title":"', '"},{"path":"']


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES + _JSON_ENDS), max_size=12).map("".join), max_size=12))
@example(['{"a":"139', '1234', '5678"}'])  # a number across pieces: masked whole
@example(['{"a":"139 1234 5678"}', ',{"b":"430602199001011234"}', "]}\n"])
def test_masking_text_piece_by_piece_is_masking_it_whole(pieces):
    """join_masked (datapackage.json's descriptions are masked one at a time, where they are made)
    gives exactly the bytes of masking the joined text wherever no number can span two pieces (JSON's
    braces and commas between them), and never lets a number through, whatever the pieces hold."""
    masked = join_masked([mask_text(piece).encode("utf-8") for piece in pieces])
    assert find_personal_numbers(masked.decode("utf-8")) == []
    if all(before and after and privacy._ends_runs(ord(before[-1])) and privacy._ends_runs(ord(after[0]))
           for before, after in zip(pieces, pieces[1:])):
        assert masked == mask_text("".join(pieces)).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES + _JSON_ENDS), max_size=12).map("".join), max_size=12),
       st.sampled_from([",", "1", " ", "},{", "-"]))
@example(['{"a":"139', '5678"}'], "1234")
@example(['{"a":"139"}', '{"b":"5678"}'], ",")
def test_masking_pieces_joined_with_a_separator_is_masking_them_whole(pieces, separator):
    """join_masked with a separator (a run of datapackage.json's descriptions, joined by commas)."""
    masked = join_masked([mask_text(piece).encode("utf-8") for piece in pieces], separator.encode("utf-8"))
    assert find_personal_numbers(masked.decode("utf-8")) == []
    ends = [separator] + pieces
    if all(text and privacy._ends_runs(ord(text[0])) and privacy._ends_runs(ord(text[-1])) for text in ends):
        assert masked == mask_text(separator.join(pieces)).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES + _JSON_ENDS), max_size=12).map("".join), max_size=12))
@example(['{"a":"139', '1234', '5678"}'])
@example(['{"a":"139 1234 5678"}', ',{"b":"430602199001011234"}', "]}\n"])
def test_a_file_written_in_pieces_is_what_joining_them_gives(pieces):
    """put_joined writes datapackage.json piece by piece (a large site's is hundreds of megabytes): the
    file is exactly join_masked's bytes where these need no masking of the whole, and where they do
    (a number may span two pieces) nothing is written: the build joins the pieces in memory instead."""
    masked = [mask_text(piece).encode("utf-8") for piece in pieces]
    joined = join_masked(masked)
    with tempfile.TemporaryDirectory() as folder:
        _check_written_in_pieces(Path(folder), masked, joined)


def _check_written_in_pieces(tmp_path: Path, masked: list[bytes], joined: bytes) -> None:
    target = tmp_path / "downloads" / "datapackage.json"
    if not all(before and after and before[-1] in privacy._ENDING_BYTES and after[0] in privacy._ENDING_BYTES
               for before, after in zip(masked, masked[1:])):
        with pytest.raises(UnmaskableData):
            put_joined(tmp_path, "downloads/datapackage.json", iter(masked))
        assert not target.exists()
        return
    known = put_joined(tmp_path, "downloads/datapackage.json", iter(masked))
    assert target.read_bytes() == joined == b"".join(masked)
    assert known == digest(joined)


_AMOUNT = st.decimals(min_value=0, max_value=10**9, places=2).map(lambda d: f"{d:,}")
_DATE = st.tuples(st.dates(), st.sampled_from(["%Y-%m-%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y/%m/%d"])).map(
    lambda t: t[0].strftime(t[1]))
_SHORT = st.integers(min_value=0, max_value=10**10 - 1).map(str)  # at most ten digits
_LONG = st.integers(min_value=10**11, max_value=10**20).map(str)  # twelve digits or more
_INDEX = st.tuples(st.integers(0, 10**9 - 1), st.integers(1990, 2099), st.integers(0, 99999)).map(
    lambda t: f"{t[0]:09d}/{t[1]}-{t[2]:05d}")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(_AMOUNT, _DATE, _SHORT, _LONG, _INDEX),
                          st.sampled_from(["元", "，", "；", "分", "项", "/", "、", "万元 ", "年度"])), max_size=8))
def test_amounts_dates_index_numbers_and_long_numbers_are_left_alone(parts):
    text = "".join(number + word for number, word in parts)
    assert mask_text(text) == text


# --- mask_bytes: what may leave the site ----------------------------------------------------

def test_mask_bytes_masks_text_types_passes_images_and_refuses_unknown_binaries():
    assert mask_bytes("电话 139-1234-5678".encode(), "text/html; charset=utf-8") == "电话 139-****-5678".encode()
    assert mask_bytes(b'{"p": "13912345678"}', "application/json") == b'{"p": "139****5678"}'
    png = b"\x89PNG\r\n\x1a\n13912345678"
    assert mask_bytes(png, "image/png") == png
    with pytest.raises(UnmaskableData, match="不认识的文件类型"):
        mask_bytes(b"%PDF-1.7 13912345678", "application/pdf")
    with pytest.raises(UnmaskableData, match="UTF-8"):
        mask_bytes("13912345678".encode("gbk") + "中".encode("gbk"), "text/plain")


def test_a_zip_or_xlsx_passes_only_when_its_text_was_masked_before_packing():
    clean = zip_of({"sheet.xml": mask_text("<c>13912345678</c>")})
    assert mask_bytes(clean, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") == clean
    for members in ({"sheet.xml": "<c>139 1234 5678</c>"}, {"139-1234-5678.csv": "a"}):
        with pytest.raises(UnmaskableData, match="未打码"):
            mask_bytes(zip_of(members), "application/zip")


def test_a_workbook_inside_a_zip_is_opened_and_read_not_its_compressed_bytes():
    """Deflated, a workbook's text shows no digits at all: the zip holding it must look inside."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as workbook:
        workbook.writestr("xl/sharedStrings.xml", "<t>联系人 13912345678</t>" * 20)
    assert b"13912345678" not in inner.getvalue()
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("2023/form.xlsx", inner.getvalue())
    with pytest.raises(UnmaskableData, match="未打码"):
        mask_bytes(outer.getvalue(), "application/zip")
    masked = io.BytesIO()
    with zipfile.ZipFile(masked, "w", zipfile.ZIP_DEFLATED) as workbook:
        workbook.writestr("xl/sharedStrings.xml", mask_text("<t>联系人 13912345678</t>"))
    clean = zip_of({})
    clean_outer = io.BytesIO()
    with zipfile.ZipFile(clean_outer, "w") as archive:
        archive.writestr("2023/form.xlsx", masked.getvalue())
    assert mask_bytes(clean_outer.getvalue(), "application/zip") == clean_outer.getvalue()
    assert mask_bytes(clean, "application/zip") == clean


def test_a_zip_of_checked_members_is_not_opened_again_and_any_other_zip_is():
    """downloads.files.zip_bytes packs a year's files: those the build has checked (MaskedBytes) are
    not read again, another is looked through as it is packed (privacy.checked_zip); one member with a
    number, a name with a number or a zip not checked before has the zip read whole."""
    from site_builder.downloads.files import zip_bytes

    checked = {name: privacy.MaskedBytes(mask_bytes(data, privacy.media_type_of(name)))
               for name, data in {"2023/a.csv": "联系人,139 1234 5678\n".encode(), "2023/b.xlsx": zip_of(
                   {"xl/sharedStrings.xml": mask_text("<t>13912345678</t>")})}.items()}
    packed = zip_bytes(checked)
    assert type(packed) is privacy.MaskedBytes
    assert mask_bytes(packed, "application/zip") is packed
    for members in ({**checked, "2023/c.csv": "联系人,139 1234 5678\n".encode()},
                    {**checked, "2023/139-1234-5678.csv": checked["2023/a.csv"]}):
        packed = zip_bytes(members)
        assert type(packed) is bytes
        with pytest.raises(UnmaskableData, match="未打码"):
            mask_bytes(packed, "application/zip")
    packed = zip_bytes({**checked, "2023/c.csv": "联系人,139****5678\n".encode()})  # clean, not marked
    assert type(packed) is privacy.MaskedBytes
    assert mask_bytes(bytes(packed), "application/zip") == packed
    packed = zip_bytes({**checked, "2023/d.xlsx": bytes(checked["2023/b.xlsx"])})  # a zip is not looked into
    assert type(packed) is bytes
    assert mask_bytes(packed, "application/zip") == packed


@pytest.mark.parametrize("change", ["a phone number", "a figure", "broken JSON"])
def test_a_download_changed_by_hand_in_the_build_folder_is_refused_until_it_is_deleted(site, change):
    """A year's zip packs the forms' files from the output folder: a file changed there, even with its
    size and time kept, no longer has the digest it was written with. The build refuses it (P803) and
    names it, nothing of it is published, and once it is deleted the build makes it again."""
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    suffix, pattern = {"a phone number": (".csv", rb"[\x20-\x7e]{13}"), "a figure": (".csv", rb"\d"),
                       "broken JSON": (".json", rb"\}\s*$")}[change]
    changed, run = next((path, run) for path in sorted((site / "build/downloads/2023").glob("*" + suffix))
                        if not path.name.startswith("gaosan-") and (run := re.search(pattern, path.read_bytes())))
    data, stat = changed.read_bytes(), changed.stat()
    replacement = {"a phone number": b"|13912345678|", "a figure": b"8" if run[0] == b"7" else b"7",
                   "broken JSON": b"]" * len(run[0])}[change]
    forged = data[:run.start()] + replacement + data[run.end():]
    assert len(forged) == len(data) and forged != data
    changed.write_bytes(forged)
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edit(site, PROJECT, "project: 高三复习迎考", "project: 高三复习迎考工作")  # the year's files are made again
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 1, stdout + stderr
    said = stdout + stderr
    assert "P803" in said and f"downloads/2023/{changed.name}" in said and "请删除这个文件" in said
    assert "Traceback" not in said
    with zipfile.ZipFile(site / "build/downloads/2023/2023-downloads.zip") as archive:  # the last good build's
        assert archive.read(f"2023/{changed.name}") == data
    changed.unlink()
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    assert changed.read_bytes() == data
    with zipfile.ZipFile(site / "build/downloads/2023/2023-downloads.zip") as archive:
        assert archive.read(f"2023/{changed.name}") == data


# --- the build: every byte that leaves the site --------------------------------------------

FORMS = ["13912340001", "139-1234-0002", "139 1234 0003", "139.1234.0004", "(139)1234-0005",
         "１３９１２３４０００６", "139\u00a01234\u00a00007", "139\u30001234\u30000008", "139\u200b1234\u200b0009",
         "139\u00ad1234\u00ad0010", "&#49;&#51;&#57;&#49;&#50;&#51;&#52;0011", "139&nbsp;1234&nbsp;0012",
         "+86 139 1234 0013"]


def _plain(form: str) -> str:
    return as_read(form).replace("|", "")[-11:]


def _unmasked_in(build, numbers) -> list[tuple[str, str]]:
    found = []
    for path in sorted(build.rglob("*")):
        if path.is_file():
            read = as_read(path.read_bytes().decode("utf-8", "replace"))
            found += [(path.relative_to(build).as_posix(), n) for n in numbers if n in read]
    return found


def _add_to_report(site, text: str) -> None:
    report = site / REPORT
    report.write_text(report.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_every_form_in_a_document_is_masked_in_the_build_and_the_checker_points_at_each(site):
    lines = [f"联系人{index}：{form}。" for index, form in enumerate(FORMS)]
    number_id = _id("43060219900101123")
    lines.append(f"负责人身份证：{number_id}。")
    _add_to_report(site, "\n\n".join(lines))
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    numbers = [_plain(form) for form in FORMS] + [number_id]
    assert len(set(numbers)) == len(FORMS) + 1
    assert _unmasked_in(site / "build", numbers) == []
    page = visible_text(site / REPORT_PAGE)
    assert "联系人1：139-****-0002。" in page and "联系人4：(139)****-0005。" in page
    assert "负责人身份证：430*************35。" in page

    code, stdout, _ = run_cli("check", "--site", site, "--format", "json")
    findings = [f for f in json.loads(stdout) if f["path"] == REPORT]
    text = (site / REPORT).read_text(encoding="utf-8").splitlines()
    p701 = [f for f in findings if f["code"] == "P701"]
    assert len(p701) == len(FORMS)
    for finding, line in zip(sorted(p701, key=lambda f: f["line"]), [l for l in text if l.startswith("联系人")]):
        assert finding["severity"] == "warning" and text[finding["line"] - 1] == line
        assert as_read(line[finding["column"] - 1:]).startswith("139")
        assert "手机号码" in finding["message"] and "139" in as_read(finding["message"])
    p702 = [f for f in findings if f["code"] == "P702"]
    assert len(p702) == 1 and text[p702[0]["line"] - 1].startswith("负责人身份证")
    assert number_id not in p702[0]["message"] and "430*************35" in p702[0]["message"]


def test_the_contact_phone_cells_of_the_real_content_give_no_warning(site):
    code, stdout, _ = run_cli("check", "--site", site, "--format", "json")
    assert code == 0
    personal = {"P701", "P702", "P703", "P704", "P705", "P706"}  # P711 and on are about publication dates
    assert [f for f in json.loads(stdout) if f["code"] in personal] == []


def test_a_mobile_in_a_reason_of_a_form_is_warned_at_its_line(site):
    project = site / "content/2023/projects/gaosan-fuxi-yingkao.yaml"
    text = project.read_text(encoding="utf-8")
    text += "# 备注：张老师 139 1234 5678（注释不会公开，不提示）\n"
    text = text.replace("project: ", "project: 联系139-2222-3333的", 1)
    project.write_text(text, encoding="utf-8")
    code, stdout, _ = run_cli("check", "--site", site, "--format", "json")
    findings = [f for f in json.loads(stdout) if f["code"] == "P701"]
    assert [(f["path"], f["source_line"].split(":")[0]) for f in findings] == [
        ("content/2023/projects/gaosan-fuxi-yingkao.yaml", "project")]
    code, _, stderr = run_cli("build", "--site", site)
    assert code == 0, stderr
    assert _unmasked_in(site / "build", ["13922223333"]) == []


def test_office_phone_is_inserted_literally_never_as_a_pattern(site):
    config = site / "content/site.yaml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^office_phone:.*$", r"office_phone: '\\g<0>'", text)
    text = re.sub(r"(?m)^phone_display:.*$", "phone_display: office", text)
    config.write_text(text, encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    build = site / "build"
    assert _unmasked_in(build, ["13907306836", "13973032708"]) == []
    department = visible_text(build / "disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbiao.html")
    assert "\\g<0>" in department


def test_a_number_in_a_page_address_is_an_error_and_nothing_is_written(site):
    (site / "content/2023/zhang.md").write_text(
        "---\nkind: summary\nyear: 2023\ntitle: 张老师13912345678工作总结\ndate: 2023-12-01\n---\n\n正文。\n",
        encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 1
    assert "content/2023/zhang.md:4:1: P703 错误" in stdout + stderr
    assert "139****5678" in stdout + stderr
    assert not (site / "build").exists()


def test_a_slug_with_a_number_is_an_error_at_the_slug(site):
    report = site / REPORT
    text, count = re.subn(r"(?m)^slug: .*$", "slug: baogao-139-1234-5678", report.read_text(encoding="utf-8"))
    assert count == 1
    report.write_text(text, encoding="utf-8")
    code, stdout, stderr = run_cli("check", "--site", site)
    assert code == 1
    line = text.splitlines().index("slug: baogao-139-1234-5678") + 1
    assert f"{REPORT}:{line}:1: P703 错误" in stdout
    assert "disclosure/2023/baogao-139-****-5678.html" in stdout


def test_a_theme_file_that_cannot_be_checked_is_not_published(site):
    theme = site / "theme" / "assets"
    theme.mkdir(parents=True)
    (theme / "notice.pdf").write_bytes(b"%PDF-1.4 13912345678")
    config = site / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "theme_dir: theme\n", encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 1, stdout + stderr
    assert "P706" in stdout + stderr and "assets/notice.pdf" in stdout + stderr
    assert not (site / "build").exists()


def test_archive_manifest_and_zip_carry_no_unmasked_number(site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    (site / "content/2023/zhang-13912340077.md").write_text(  # a file name is listed in the manifest
        "---\nkind: summary\nyear: 2023\ntitle: 工作总结\ndate: 2023-12-01\n---\n\n正文。\n", encoding="utf-8")
    code, stdout, stderr = run_cli("archive", "2023", "--site", site)
    assert code == 0, stdout + stderr
    _add_to_report(site, "更正：联系人电话 139 1234 0099。")
    code, stdout, stderr = run_cli("archive", "2023", "--site", site, "--supersede", "--zip",
                                   "--reason", "联系人电话139-1234-0088写错，按原表更正")
    assert code == 0, stdout + stderr
    manifest = (site / "archives/2023/manifest.json").read_text(encoding="utf-8")
    assert "139-****-0088" in manifest and "zhang-139****0077.md" in manifest
    zips = list((site / "archives").glob("*.zip"))
    assert zips
    with zipfile.ZipFile(zips[0]) as archive:
        for name in archive.namelist():
            read = as_read(archive.read(name).decode("utf-8", "replace"))
            assert not {"13912340088", "13912340099", "13912340077"} & {read[i:i + 11] for i in range(len(read))}, name
    code, stdout, stderr = run_cli("build", "--site", site)
    assert code == 0, stdout + stderr
    assert _unmasked_in(site / "build", ["13912340088", "13912340099", "13912340077", "13907306836"]) == []
    corrections = visible_text(site / "build/disclosure/gengzheng-jilu.html")
    assert "139-****-0088" in corrections


def test_the_search_index_passes_the_write_stage_only_without_numbers():
    """Pagefind's files are gzip: the choke point reads them and refuses an unmasked number."""
    import gzip

    from site_builder.privacy import UnmaskableData, mask_bytes, media_type_of

    kind = media_type_of("pagefind/fragment/zh-cn_1a2b.pf_fragment")
    clean = gzip.compress("联系电话 139****5678".encode("utf-8"))
    assert mask_bytes(clean, kind) == clean
    with pytest.raises(UnmaskableData):
        mask_bytes(gzip.compress("联系电话 13912345678".encode("utf-8")), kind)
    with pytest.raises(UnmaskableData):
        mask_bytes(b"not gzip", kind)


# --- a number that inline markup splits (Markdown's emphasis: 139**7303**2708) ---------------------

_INLINE = ["strong", "em", "code", "del", 'span class="x"', "b", "i"]


@st.composite
def split_by_markup(draw, number: str) -> str:
    """`number` cut in two to four pieces, some wrapped in inline tags (with a gap, the pieces would be
    groups, and only some groupings make a phone number: the build test has one)."""
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), min_size=1, max_size=3)))
    pieces = [number[start:end] for start, end in zip([0, *cuts], [*cuts, len(number)])]
    written = ""
    for index, piece in enumerate(pieces):
        tag = draw(st.sampled_from(_INLINE))
        wrapped = index == 1 or draw(st.booleans())  # the number is split by at least one tag
        written += f"<{tag}>{piece}</{tag.split()[0]}>" if wrapped else piece
    return written


@settings(max_examples=300, deadline=None)
@given(number=mobiles, data=st.data(), before=_PLAIN, after=_PLAIN)
def test_a_mobile_inline_markup_splits_is_masked_where_an_author_s_text_becomes_markup(number, data, before, after):
    text = f"<p>{before}{data.draw(split_by_markup(number))}{after}</p>"
    masked = privacy.mask_markup(text)
    seen = as_read(visible_text(masked).replace(" ", ""))
    assert number not in seen and number[:3] in seen and number[-4:] in seen, (text, masked)
    assert re.findall(r"<[^>]*>", masked) == re.findall(r"<[^>]*>", text)  # every tag kept, in place
    assert privacy.mask_markup(masked) == masked


@pytest.mark.parametrize("text", [
    "13800138<sup>1</sup>",  # a note's mark: a figure and its mark are not one number
    "1380013800<a href=\"#n1\">1</a>", "<td>13800</td><td>138000</td>", "13800<br>138000",
    "<strong>2023</strong>年<strong>1380013</strong>万元",
])
def test_markup_that_separates_or_a_short_figure_is_left_alone(text):
    assert privacy.mask_markup(text) == text


def test_a_number_split_by_markdown_is_masked_on_the_page_and_pointed_at_by_the_checker(site):
    number_id = _id("43060219900101123")
    lines = ["联系人甲：139**7303**0101。", "联系人乙：139 *7303* 0102。", f"身份证：{number_id[:6]}`{number_id[6:14]}`{number_id[14:]}。"]
    _add_to_report(site, "\n\n".join(lines))
    code, stdout, stderr = run_cli("build", "--site", site)  # before: P706, the search index held the number
    assert code == 0, stdout + stderr
    seen = as_read(visible_text(site / REPORT_PAGE).replace(" ", ""))
    for number in ("13973030101", "13973030102", number_id):
        assert number not in seen
    assert _unmasked_in(site / "build", ["13973030101", "13973030102", number_id]) == []
    page = (site / REPORT_PAGE).read_text(encoding="utf-8")
    assert "139<strong>****</strong>0101" in page and "139 <em>****</em> 0102" in page

    code, stdout, _ = run_cli("check", "--site", site, "--format", "json")
    text = (site / REPORT).read_text(encoding="utf-8").splitlines()
    findings = {(f["code"], text[f["line"] - 1]): f["message"] for f in json.loads(stdout) if f["path"] == REPORT}
    assert "139****0101" in findings[("P701", lines[0])] and "139 **** 0102" in findings[("P701", lines[1])]
    assert "430*************35" in findings[("P702", lines[2])]
