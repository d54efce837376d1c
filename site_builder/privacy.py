"""Personal data: finding and masking mobile and 身份证 numbers, however they are written.

Every byte that leaves the site passes :func:`mask_bytes` (the write stage's
``Output`` and the preview's responses call it; see site_builder.write). Code
that packs text into a binary container (a .zip, an .xlsx) must pass the text
through :func:`mask_text` before packing: :func:`mask_bytes` cannot rewrite a
container, it only refuses one that still holds a number.

What is recognised. A *digit* is any Unicode decimal digit (0-9, full-width
０-９, …), or one written as an HTML character reference (``&#49;``, ``&#x31``),
a JSON/JavaScript escape (``\\u0031``) or a URL escape (``%31``). Digits joined
by invisible characters (zero-width spaces and joiners U+200B/C/D, U+2060,
U+FEFF, soft hyphen U+00AD, and their references such as ``&shy;``) are one
group. Groups are separated by at most four visible separators: spaces (also
U+00A0, U+3000, thin spaces, ``&nbsp;``), tabs and line breaks, hyphens and
dashes, dots and parentheses, so ``(139)1234-5678`` is the groups 139, 1234, 5678.
Where an author's text becomes markup (a Markdown body), inline tags between two
digits join them too, as the page shows them (:func:`mask_markup`); the checker
reads Markdown's marks so (:func:`find_markdown_numbers`).

- A mobile number is 11 digits beginning 13–19, written as one group or as
  groups of 3-4-4, 3-8, 7-4, 4-3-4, 4-4-3, or every digit apart. A prefix
  such as +86 is a group of its own and is kept.
- A 身份证 number is 18 characters in consecutive groups: a region code
  beginning 1–8, a birth date (YYYYMMDD, 1800–2099), a sequence and the
  GB 11643 check character (0–9 or X), which must be right; or 15 digits in
  consecutive groups, the numbers issued until 2004, which have no check
  character: a province's region code and a real birth date 19YYMMDD first.

A group longer than 11 digits (an account number, 20230101123456) is never
taken apart (15 such digits are read as a 身份证 number only as above), and amounts (1,463.31), dates (2023-01-01) and document numbers
(000014349/2017-00110) do not form such groups, so they are left alone.

How it is masked (one rule, documented in README.md): the characters that
carry the digits to hide become ``*`` and every other character stays where
the author put it. A mobile number keeps its first three and last four digits
(139-1234-5678 → 139-****-5678, １３９１２３４５６７８ → １３９****５６７８); a 身份证
number keeps its first three and last two characters (430602199001011234 →
430*************34). Masking is idempotent: a masked number is no longer one.

Configuration values are never used as patterns or replacement templates:
:func:`show_office_phone` inserts the office phone as literal text.
"""

from __future__ import annotations

import bisect
import datetime
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MASK = "*"

# Each kind of token is a set of characters, or an escape opened by & (a character
# reference), \ (a \u escape) or % (a URL escape). Written as a character set first
# and the escape after it, every token opens with a set: the regular expression
# engine then skips in C to the few places where one may start.
_DIGIT_ESCAPE = (r"(?<=&)(?:\#0*(?:4[89]|5[0-7]|6529[6-9]|6530[0-5])(?:;|(?![0-9]))"
                 r"|\#[xX]0*(?:3[0-9]|[fF][fF]1[0-9])(?:;|(?![0-9a-fA-F])))"
                 r"|(?<=\\)u(?:00(?:3[0-9])|[fF][fF]1[0-9])"
                 r"|(?<=%)3[0-9]")
# Characters that join digits without showing anything.
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_ESCAPE = (r"(?<=&)(?:(?:shy|ZeroWidthSpace|NegativeVeryThinSpace|NegativeThinSpace|NegativeMediumSpace"
                     r"|NegativeThickSpace|zwj|zwnj|NoBreak);"
                     r"|\#0*(?:173|820[345]|8288|65279)(?:;|(?![0-9]))"
                     r"|\#[xX]0*(?:[aA][dD]|200[bBcCdD]|2060|[fF][eE][fF][fF])(?:;|(?![0-9a-fA-F])))"
                     r"|(?<=\\)u(?:00[aA][dD]|200[bBcCdD]|2060|[fF][eE][fF][fF])")
# Characters that separate groups of digits on the page: spaces, line breaks, dashes, dots, parentheses.
_SEPARATOR_CHARS = (" \t\r\n\u00a0\u3000\u2000-\u200a\u202f\u205f"
                    "\\-.\u2010-\u2015\u2212\ufe58\ufe63\uff0d\uff0e\u00b7\u30fb()\uff08\uff09")
_SEPARATOR_ESCAPE = (r"(?<=&)(?:(?:nbsp|ensp|emsp|emsp13|emsp14|numsp|puncsp|thinsp|hairsp|MediumSpace|hyphen"
                     r"|dash|ndash|mdash|minus|period|lpar|rpar|middot|centerdot);"
                     r"|\#0*(?:160|12288|819[2-9]|820[0-2]|8239|8287|4[056]|41|820[89]|821[0-3]|8722)(?:;|(?![0-9]))"
                     r"|\#[xX]0*(?:[aA]0|3000|200[0-9aA]|202[fF]|205[fF]|2[89dDeE]|201[0-5]|2212)"
                     r"(?:;|(?![0-9a-fA-F])))"
                     r"|(?<=\\)u(?:00[aA]0|3000)")
# An X closing a 身份证 number.
_CHECK_X = r"(?:[Xx\uff38\uff58]|&(?:\#0*(?:88|120)(?:;|(?![0-9]))|\#[xX]0*(?:58|78)(?:;|(?![0-9a-fA-F]))))"

_DIGIT = rf"[\d&\\%](?:(?<=\d)|{_DIGIT_ESCAPE})"
_INVISIBLE = rf"(?:[{_INVISIBLE_CHARS}]|[&\\](?:{_INVISIBLE_ESCAPE}))"
_SEPARATOR = rf"(?:[{_SEPARATOR_CHARS}]|[&\\](?:{_SEPARATOR_ESCAPE}))"
_GAP = rf"(?:[{_INVISIBLE_CHARS}{_SEPARATOR_CHARS}]|[&\\](?:{_INVISIBLE_ESCAPE}|{_SEPARATOR_ESCAPE}))"
# A run: digits with gaps between them. The numbers are looked for in each run
# (a gap of more than four visible separators ends a number: see _numbers_in).
_RUN = re.compile(rf"{_DIGIT}(?:{_GAP}*{_DIGIT})*(?:{_INVISIBLE}*{_CHECK_X})?")
_TOKEN = re.compile(rf"(?P<digit>{_DIGIT})|(?P<x>{_CHECK_X})|(?P<invisible>{_INVISIBLE})|(?P<separator>{_SEPARATOR})")
_MOST_SEPARATORS = 4  # visible separators between two groups of one number
# Every run worth a closer look has at least 11 digit tokens, so at least 11 characters.
_SHORTEST = 11

MOBILE_GROUPINGS = frozenset({(11,), (3, 4, 4), (3, 8), (7, 4), (4, 3, 4), (4, 4, 3), (1,) * 11})
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

MOBILE, ID_NUMBER = "mobile", "id-number"
KIND_LABELS = {MOBILE: "手机号码", ID_NUMBER: "身份证号码"}


@dataclass(frozen=True)
class PersonalNumber:
    """One number found in a text: its kind, where it is, and where each of its digits is."""

    kind: str  # MOBILE or ID_NUMBER
    start: int  # offset of its first digit
    end: int  # offset after its last character
    digits: tuple[tuple[int, int], ...]  # (start, end) of each digit (and the check X) in the text

    @property
    def hidden(self) -> tuple[tuple[int, int], ...]:
        """The digits masking replaces: the 4th-7th of a mobile, all but 3 + 2 of a 身份证 number."""
        return self.digits[3:7] if self.kind == MOBILE else self.digits[3:-2]


# A digest written in hexadecimal (SHA-256 in manifests and the archive log, 64 characters) may hold
# eleven digits in a row that look like a mobile number: digits inside such a run are not numbers.
_DIGEST = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")


# Every digit token holds at least one \d (an escape writes its code point in digits: &#49;, %31,
# \u0031, &#xff11;), so text with fewer than _SHORTEST of them holds no number. Most cells of a form
# are such short texts, and counting their digits is cheaper than looking for runs.
_ANY_DIGIT = re.compile(r"\d")
_SHORT_TEXT = 200


# Every character of a run is a digit, a gap character, or part of an escape (&, #, ;, \\, %, letters),
# and a run worth a closer look holds at least _SHORTEST digits. So runs are looked for only inside
# chains of such characters holding that many digits: markup (<td>, ="3") and Chinese text break
# the chains, and most of a page or of a workbook's XML is passed over by one quick search.
_CHAIN_CHARS = rf"[{_INVISIBLE_CHARS}{_SEPARATOR_CHARS}A-Za-z&#;\\%\uff38\uff58]"
_CHAIN_CHAR = re.compile(_CHAIN_CHARS)
_CHAIN = re.compile(rf"\d(?:{_CHAIN_CHARS}*\d){{{_SHORTEST - 1}}}")  # the first eleven digits of a chain
_CHAIN_REST = re.compile(rf"(?:{_CHAIN_CHARS}|\d)*")


def _chains(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each chain of `text` that may hold a run (see _RUN): outside them there is none."""
    position = 0
    while (chain := _CHAIN.search(text, position)) is not None:
        start = chain.start()  # the chain's first digit: before it, at most escapes and gaps
        while start > position and _CHAIN_CHAR.match(text, start - 1):
            start -= 1
        end = _CHAIN_REST.match(text, chain.end()).end()
        yield start, end
        position = end


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    """Every mobile and 身份证 number in `text`, in order (none inside a hexadecimal digest); markup
    between digits separates them (see mask_markup for a text that becomes markup)."""
    if len(text) < _SHORTEST or (len(text) < _SHORT_TEXT and len(_ANY_DIGIT.findall(text)) < _SHORTEST):
        return []  # a number has eleven digits or more, each at least one character
    return _numbers_of(text)


def mask_markup(text: str) -> str:
    """`text`, markup made from an author's own (a Markdown body), with every number masked, also one
    that inline markup splits: 139<strong>7303</strong>2708, from Markdown's 139**7303**2708, shows as
    13973032708 and becomes 139<strong>****</strong>2708. Where such tags stand between two digits (gaps
    allowed), the text is read once more without them; tags that do separate what they hold (a note's
    mark, <sup>1</sup>, a link, a cell) are not among them. (Read so, a whole page would take twice as
    long to mask: only where an author's text becomes markup is it read so.)"""
    return _masked(text, _read_joined(text, _INLINE_JOIN, _INLINE_TAG) if "<" in text else find_personal_numbers(text))


def find_markdown_numbers(text: str) -> list[PersonalNumber]:
    """find_personal_numbers of a Markdown text, also a number its emphasis splits (139**7303**2708, which
    the page shows as 13973032708 and mask_markup masks there): the checker points the editor at it."""
    return _read_joined(text, _MARKDOWN_JOIN, _MARKDOWN_MARKS)


def mask_markdown(text: str) -> str:
    """Markdown source (a line of a document, as a finding quotes it) with every number masked in place,
    one its emphasis splits included: 139**7303**2708 → 139********2708 (the marks kept, each hidden digit
    a *)."""
    return _masked(text, find_markdown_numbers(text))


def mask_number_of_markdown(text: str, number: PersonalNumber) -> str:
    """`number` (of find_markdown_numbers) as the page shows it: masked, without Markdown's marks."""
    hidden = set(number.hidden)
    pieces, position = [], number.start
    for start, end in number.digits:
        pieces += [_MARKDOWN_MARKS.sub("", text[position:start]), MASK if (start, end) in hidden else text[start:end]]
        position = end
    return "".join(pieces) + _MARKDOWN_MARKS.sub("", text[position:number.end])


def _joining(marks: str) -> re.Pattern:
    """A digit (or an escape's end), `marks` (gaps allowed) and the digit (or escape) they join it to;
    group 1 holds the marks and the gaps between them."""
    gaps = f"[{_INVISIBLE_CHARS}{_SEPARATOR_CHARS}]*"
    return re.compile(rf"[\d;]{gaps}((?:(?:{marks}){gaps})+)(?=[\d&\\%])")


# The inline elements a page shows its text through without a break: between two digits they join them.
_INLINE_TAG = re.compile(r"</?(?i:strong|b|em|i|u|s|del|ins|mark|small|span|code|kbd|samp|var|big|tt|font)"
                         r"(?:\s[^<>]*)?/?>")
_INLINE_JOIN = _joining(_INLINE_TAG.pattern)
# Markdown's emphasis, code and strike-through marks.
_MARKDOWN_MARKS = re.compile(r"[*_`~]+")
_MARKDOWN_JOIN = _joining(_MARKDOWN_MARKS.pattern)


def _read_joined(text: str, join: re.Pattern, marks: re.Pattern) -> list[PersonalNumber]:
    """The numbers of `text`, and those it holds read without the `marks` that `join` finds between digits."""
    numbers = find_personal_numbers(text)
    drops = [(mark.start(), mark.end()) for match in join.finditer(text) for mark in marks.finditer(text, *match.span(1))]
    return _joined_too(text, drops, numbers) if drops else numbers


def _joined_too(text: str, drops: list[tuple[int, int]], found: list[PersonalNumber]) -> list[PersonalNumber]:
    """`found` and the numbers of `text` read without the characters of `drops` (markup, in order),
    placed back in `text`."""
    kept: list[tuple[int, int]] = []  # (start, end) in `text` of each piece of the text read again
    position = 0
    for start, end in drops:
        kept.append((position, start))
        position = end
    kept.append((position, len(text)))
    view = "".join(text[start:end] for start, end in kept)
    starts, offset = [], 0  # where each piece begins in the view
    for start, end in kept:
        starts.append(offset)
        offset += end - start

    def place(index: int) -> int:  # a character of the view, in `text`
        piece = bisect.bisect_right(starts, index) - 1
        return kept[piece][0] + index - starts[piece]

    seen = {number.digits for number in found}
    for number in _numbers_of(view):
        digits = tuple((place(start), place(end - 1) + 1) for start, end in number.digits)
        if digits not in seen:
            seen.add(digits)
            found.append(PersonalNumber(number.kind, place(number.start), place(number.end - 1) + 1, digits))
    return sorted(found, key=lambda number: number.start)


def _numbers_of(text: str) -> list[PersonalNumber]:
    """The numbers of `text` as written, markup breaking them.

    A digest's characters (hexadecimal digits) all chain, and the characters around it end chains: a
    digest lies inside one chain, so it is looked for only in the chains where a number was found."""
    found: list[PersonalNumber] = []
    for start, end in _chains(text):
        here = [number for run in _RUN.finditer(text, start, end) if run.end() - run.start() >= _SHORTEST
                for number in _numbers_in(text, run.start(), run.end())]
        if here and end - start >= 32:
            digests = [(m.start(), m.end()) for m in _DIGEST.finditer(text, start, end) if not m.group().isdigit()]
            if digests:
                here = [n for n in here if not any(first <= n.hidden[0][0] < last for first, last in digests)]
        found.extend(here)
    return found


class MaskedBytes(bytes):
    """Bytes :func:`mask_bytes` has returned: the write stage does not mask them a second time.
    Any operation on them (slicing, joining) gives plain bytes again, masked again when written."""


def checked_zip(data: bytes, members: Iterable[tuple[str, bytes]]) -> bytes:
    """`data`, a zip its caller has just made of the members given (name, bytes) and of none others but
    those it has found clean before (member_is_clean), as MaskedBytes when each given member is clean:
    MaskedBytes (checked when it was made; a year's zip holds thousands of such files), or found clean
    here by the rule the write stage would apply to it (a form's workbook: two members made for it, eight
    the same in every form's), and none holds a number in its name. What :func:`mask_bytes` finds by
    opening it again, found from the bytes that went in; otherwise `data` as it is, checked (and
    refused) whole when it is written."""
    if all(not find_personal_numbers(name) if type(content) is MaskedBytes else member_is_clean(name, content)
           for name, content in members):
        return MaskedBytes(data)
    return data


def member_is_clean(name: str, content: bytes) -> bool:
    """Whether a zip's member, not itself a zip, holds no number in its name or in its text (read as UTF-8,
    what is not UTF-8 replaced): the rule :func:`mask_bytes` applies to each member of a zip. False for a
    zip inside a zip, whose members are looked through one by one when it is written."""
    if media_type_of(name) in ZIP_TYPES:
        return False
    return not (find_personal_numbers(name) or find_personal_numbers(content.decode("utf-8", "replace")))


def mask_text(text: str) -> str:
    """`text` with every mobile and 身份证 number masked (see the module's rule)."""
    return _masked(text, find_personal_numbers(text))


def _masked(text: str, numbers: list[PersonalNumber]) -> str:
    if not numbers:
        return text
    pieces, position = [], 0
    for start, end in sorted({span for number in numbers for span in number.hidden}):
        if start >= position:  # a digit two readings share (with and without inline markup) is masked once
            pieces += [text[position:start], MASK]  # a digit's characters: markup is never among them
            position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _ends_runs(byte: int) -> bool:
    """Whether the character of `byte` (one of UTF-8 text) ends every run, chain and digest: an ASCII
    character that is neither a digit nor one that joins digits (a gap, an escape's, a letter)."""
    return byte < 0x80 and not (_ANY_DIGIT.match(chr(byte)) or _CHAIN_CHAR.match(chr(byte)))


_ENDING_BYTES = bytes(byte for byte in range(256) if _ends_runs(byte))  # looked up for every join


def join_masked(pieces: list[bytes], separator: bytes = b"") -> MaskedBytes:
    """`separator.join(pieces)` of UTF-8 texts that were each masked where they were made (mask_text):
    a large file made of many small pieces (datapackage.json's descriptions, made and masked by the
    build's workers and kept in its cache) is joined without being masked again.

    That equals masking the joined text when no number can span two pieces: where two pieces meet,
    the characters on both sides end runs (JSON's braces and commas do). Otherwise the joined text
    is masked whole."""
    if separator:  # the separator is a piece between each two
        pieces = [part for piece in pieces for part in (separator, piece)][1:]
    if all(_meet_safely(before, after) for before, after in zip(pieces, pieces[1:])):
        return MaskedBytes(b"".join(pieces))
    return MaskedBytes(mask_text(b"".join(pieces).decode("utf-8")).encode("utf-8"))


def masked_pieces(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """join_masked's pieces passed on one by one, for a file too large to be held joined (datapackage.json
    of 100,000 pages: hundreds of megabytes), on join_masked's condition, checked where each two meet:
    UnmaskableData where it fails (the caller then joins the pieces with join_masked, which masks the
    joined text whole)."""
    before = None
    for piece in pieces:
        if before is not None and not _meet_safely(before, piece):
            raise UnmaskableData("两段文字相接处可能连成号码")
        yield piece
        before = piece


def _meet_safely(before: bytes, after: bytes) -> bool:
    """Whether no number can span the meeting of two masked texts: the characters on both sides end runs."""
    return bool(before and after and before[-1] in _ENDING_BYTES and after[0] in _ENDING_BYTES)


def show_office_phone(text: str, office_phone: str) -> str:
    """Mobile numbers replaced by `office_phone`, taken literally; 身份证 numbers masked."""
    numbers = find_personal_numbers(text)
    if not numbers:
        return text
    pieces, position = [], 0
    for number in numbers:
        if number.kind == MOBILE:
            pieces += [text[position:number.start], office_phone]
            position = number.end
        else:
            for start, end in number.hidden:
                pieces += [text[position:start], MASK]
                position = end
    pieces.append(text[position:])
    return mask_text("".join(pieces))  # an office phone that is itself a mobile number is masked too


# --- bytes, by media type ---------------------------------------------------------------

TEXT_TYPES = frozenset({
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/ld+json", "application/manifest+json", "application/xml", "text/xml", "application/rss+xml",
    "application/atom+xml", "text/plain", "text/csv", "image/svg+xml", "text/markdown", "application/yaml",
    "application/jsonl",
})
# Formats that hold no text a reader sees; published as they are.
BINARY_TYPES = frozenset({
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/x-icon", "image/vnd.microsoft.icon",
    "font/woff", "font/woff2", "font/ttf", "font/otf", "application/vnd.ms-fontobject",
})
# Pagefind's index (gzip-compressed): built from the masked pages; mask_bytes checks the text inside.
# Its WebAssembly program (wasm.*.pagefind) holds code, not the site's text.
SEARCH_INDEX_TYPE = "application/x-pagefind-index"
SEARCH_PROGRAM_TYPE = "application/x-pagefind-wasm"
# Zip containers: their producer masks the text before packing; mask_bytes checks every member.
ZIP_TYPES = frozenset({
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.text",
})
_BY_SUFFIX = {
    ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".mjs": "text/javascript", ".json": "application/json", ".jsonld": "application/ld+json",
    ".jsonl": "application/jsonl", ".ndjson": "application/jsonl", ".webmanifest": "application/manifest+json",
    ".xml": "application/xml", ".rss": "application/rss+xml",
    ".atom": "application/atom+xml", ".txt": "text/plain", ".csv": "text/csv", ".svg": "image/svg+xml",
    ".md": "text/markdown", ".yaml": "application/yaml", ".yml": "application/yaml", ".map": "application/json",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".avif": "image/avif", ".ico": "image/x-icon", ".woff": "font/woff", ".woff2": "font/woff2",
    ".ttf": "font/ttf", ".otf": "font/otf", ".eot": "application/vnd.ms-fontobject",
    ".zip": "application/zip", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet", ".odt": "application/vnd.oasis.opendocument.text",
    ".pf_meta": SEARCH_INDEX_TYPE, ".pf_index": SEARCH_INDEX_TYPE, ".pf_fragment": SEARCH_INDEX_TYPE,
    ".pf_filter": SEARCH_INDEX_TYPE, ".pagefind": SEARCH_PROGRAM_TYPE,
}


class UnmaskableData(ValueError):
    """Bytes that cannot be published: an unknown format, text that is not UTF-8, or a
    container still holding a number. The message says why, in Chinese."""


def media_type_of(path: str) -> str:
    """The media type of an output file by its suffix ("" when unknown); the same on every machine."""
    dot = path.rfind(".")
    return _BY_SUFFIX.get(path[dot:].lower(), "") if dot > path.rfind("/") else ""


def mask_bytes(data: bytes, media_type: str) -> bytes:
    """The bytes that may leave the site for `data` of `media_type` (parameters such as charset ignored).

    Text is decoded as UTF-8, masked and encoded again; images and fonts pass as
    they are; a zip container passes only when none of its members' names or
    texts holds a number (pack masked text); anything else raises UnmaskableData."""
    if isinstance(data, MaskedBytes):
        return data
    kind = media_type.split(";", 1)[0].strip().lower()
    if kind in TEXT_TYPES or kind.startswith("text/"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnmaskableData("文件不是 UTF-8 文本，无法检查其中的个人信息") from None
        return MaskedBytes(mask_text(text).encode("utf-8"))
    if kind in BINARY_TYPES or kind == SEARCH_PROGRAM_TYPE:
        return MaskedBytes(data)
    if kind == SEARCH_INDEX_TYPE:
        _refuse_unmasked_index(data)
        return MaskedBytes(data)
    if kind in ZIP_TYPES:
        _refuse_unmasked_members(data)
        return MaskedBytes(data)
    raise UnmaskableData(f"不认识的文件类型（{kind or '无扩展名'}），无法检查其中的个人信息")


def _refuse_unmasked_index(data: bytes) -> None:
    import gzip
    import zlib

    try:
        text = gzip.decompress(data).decode("utf-8", "replace")
    except (OSError, EOFError, zlib.error):
        raise UnmaskableData("搜索索引文件不是有效的 gzip 压缩文件，无法检查其中的个人信息") from None
    if find_personal_numbers(text):
        raise UnmaskableData("搜索索引含有未打码的手机号码或身份证号码（索引必须由已打码的网页生成）")


_NESTED_ZIPS = 3  # a zip in a workbook in a zip: deeper nesting is refused


def _refuse_unmasked_members(data: bytes, depth: int = 0) -> None:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                content = archive.read(info)
                if media_type_of(info.filename) in ZIP_TYPES:  # its members are text, not its compressed bytes
                    if depth >= _NESTED_ZIPS:
                        raise UnmaskableData(f"压缩包 {mask_text(info.filename)} 嵌套过深，无法检查其中的个人信息")
                    found = bool(find_personal_numbers(info.filename))
                    _refuse_unmasked_members(content, depth + 1)
                else:
                    found = not member_is_clean(info.filename, content)
                if found:
                    raise UnmaskableData(f"压缩包中的 {mask_text(info.filename)} 含有未打码的手机号码或身份证号码"
                                         "（打包前必须用 privacy.mask_text 处理文字）")
    except zipfile.BadZipFile:
        raise UnmaskableData("文件不是有效的压缩包") from None


# --- recognition ------------------------------------------------------------------------

def _numbers_in(text: str, start: int, end: int) -> Iterator[PersonalNumber]:
    """The numbers in one run text[start:end]: groups of digits split by visible separators."""
    groups: list[list[tuple[int, int, str]]] = [[]]  # each group: (start, end, value) of its digits
    separators = 0  # visible separators since the last digit
    for token in _TOKEN.finditer(text, start, end):
        if token.lastgroup == "separator":
            separators += 1
            if groups[-1]:
                groups.append([])
        elif token.lastgroup in ("digit", "x"):
            if separators > _MOST_SEPARATORS:
                groups[-1:-1] = [None]  # a barrier: no number spans it
            separators = 0
            value = _value(token.group(0)) if token.lastgroup == "digit" else "X"
            groups[-1].append((token.start(), token.end(), value))
    if not groups[-1]:
        groups.pop()
    for index, group in enumerate(groups):  # +8613912345678, 0086139 1234 5678: the country code apart
        if group is not None:
            values = "".join(value for _, _, value in group[:4])
            if len(group) > 2 and values.startswith("86") and text[group[0][0] - 1:group[0][0]] in ("+", "\uff0b"):
                groups[index] = group[2:]
            elif len(group) > 4 and values == "0086":
                groups[index] = group[4:]
    taken = 0  # groups before this index belong to a number already found
    for first in range(len(groups)):
        if first < taken or groups[first] is None:
            continue
        number = _id_from(groups, first) or _mobile_from(groups, first)
        if number is not None:
            yield number[0]
            taken = number[1]


def _value(token: str) -> str:
    if token[0] == "&":
        char = html.unescape(token if token.endswith(";") else token + ";")
    elif token[0] == "\\":
        char = chr(int(token[2:], 16))
    elif token[0] == "%":
        char = token[2]
    else:
        char = token
    return str(unicodedata.decimal(char))


def _mobile_from(groups, first: int):
    digits: list[tuple[int, int, str]] = []
    sizes: list[int] = []
    for index in range(first, len(groups)):
        group = groups[index]
        if group is None:
            return None
        if group[-1][2] == "X":  # a letter X after the digits: not part of a mobile number
            group = group[:-1]
            if len(digits) + len(group) != 11:
                return None
        digits += group
        sizes.append(len(group))
        if len(digits) >= 11:
            break
    if (len(digits) == 11 and tuple(sizes) in MOBILE_GROUPINGS and digits[0][2] == "1"
            and digits[1][2] in "3456789"):
        return PersonalNumber(MOBILE, digits[0][0], digits[-1][1], tuple((s, e) for s, e, _ in digits)), index + 1
    return None


def _id_from(groups, first: int):
    characters: list[tuple[int, int, str]] = []
    old: tuple[list, int] | None = None  # a 15-digit number (issued until 2004) ending at a group's end
    for index in range(first, len(groups)):
        if groups[index] is None:
            break
        characters += groups[index]
        if len(characters) == 15 and characters[-1][2] != "X":
            old = (list(characters), index)
        if len(characters) >= 18 or characters[-1][2] == "X":
            break
    if len(characters) == 19 and characters[-1][2] == "X":  # 18 digits, then a letter X
        characters = characters[:-1]
    if len(characters) != 18 or not is_id_number("".join(value for _, _, value in characters)):
        if old is None or not is_old_id_number("".join(value for _, _, value in old[0])):
            return None
        (characters, index), after = old, groups[old[1] + 1] if old[1] + 1 < len(groups) else None
        if after is not None and len(after) == 1 and after[0][2] == "X":
            return None  # 15 digits and an X: not an old number
    return (PersonalNumber(ID_NUMBER, characters[0][0], characters[-1][1], tuple((s, e) for s, e, _ in characters)),
            index + 1)


def is_id_number(value: str) -> bool:
    """Whether `value` (18 characters) is a valid 身份证 number: region, birth date and GB 11643 check."""
    if len(value) != 18 or not value[:17].isdigit() or value[0] not in "12345678":
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if not (1800 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17].upper()


# The provinces' codes, the first two digits of a 身份证 number (GB/T 2260), for the 15-digit numbers issued
# until 2004, which have no check character: a long number (an account) is read as one only when its region,
# and its birth date 19YYMMDD, are real.
_PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"})


def is_old_id_number(value: str) -> bool:
    """Whether `value` (15 digits) is a 15-digit 身份证 number: a province's region code and a real birth
    date 19YYMMDD (then a sequence of three digits)."""
    if len(value) != 15 or not value.isdigit() or value[:2] not in _PROVINCES:
        return False
    try:
        datetime.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return False
    return True


def id_check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a 身份证 number."""
    return _ID_CHECK[sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS)) % 11]


__all__ = ["mask_text", "mask_markup", "mask_markdown", "find_markdown_numbers", "mask_number_of_markdown", "join_masked", "masked_pieces", "mask_bytes", "MaskedBytes", "checked_zip", "member_is_clean", "show_office_phone", "find_personal_numbers", "PersonalNumber",
           "media_type_of", "UnmaskableData", "is_id_number", "id_check_character", "MOBILE", "ID_NUMBER",
           "KIND_LABELS", "is_old_id_number", "TEXT_TYPES", "BINARY_TYPES", "ZIP_TYPES"]
