"""Reading a content file as text, and pointing at places in it.

A :class:`Source` is one file of the site: its path as the editor knows it and
its decoded text. Every finding about the file is made here, so that each one
quotes the offending line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..cache import digest
from ..errors import ERROR, Finding, SiteError, relative


@dataclass(frozen=True)
class Source:
    path: Path  # on disk
    name: str  # relative to the site folder, forward slashes: what messages show
    text: str
    digest: bytes = b""  # of the bytes read from disk (cache.digest): what the next build compares the file by

    @cached_property
    def lines(self) -> list[str]:
        """Split once: every finding about the file quotes a line."""
        return self.text.splitlines()

    def forget_lines(self) -> None:
        """Let the split lines go (a long-running caller keeping many files); split again when asked for."""
        self.__dict__.pop("lines", None)

    def finding(self, code: str, message: str, hint: str = "", line: int = 0, column: int = 0,
                severity: str = ERROR) -> Finding:
        quoted = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return Finding(code=code, message=message, hint=hint, path=self.name, line=line,
                       column=column, severity=severity, source_line=quoted)


def control_message(character: str) -> str:
    """L111's message for a control character written as an escape in a YAML value ("\\u000b"): the
    file holds none, the value would (see _control_findings for one in the file itself)."""
    return (f"这个值里用转义写了看不见的控制字符 U+{ord(character):04X}（{_CONTROL_NAMES.get(character, '控制字符')}），"
            "网页、订阅（feed.xml）和下载文件里不能有它")


CONTROL_HINT = "请删掉 \\u000b、\\x1b、\\a 这样的转义：要换行就直接写在下一行，否则什么都不用写。"


def read_source(path: Path, site_dir: Path) -> Source:
    """Decode a content file as UTF-8, or raise a finding an editor can act on."""
    name = relative(path, site_dir)
    empty = Source(path, name, "")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SiteError(empty.finding(
            "L108", f"无法读取文件：{exc.strerror or exc}",
            "请检查文件是否存在、是否有读取权限，或是否被其他程序占用。"))
    read = digest(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    utf16 = _utf16(data) if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")) else ""
    if utf16:
        raise SiteError(Finding(
            code="L101", path=name,
            message=f"文件是 {utf16} 编码（记事本“另存为”的编码里叫“{_NOTEPAD_UTF16[utf16]}”），不是 UTF-8，无法读取",
            hint="请用记事本打开此文件，选择“另存为”，把下面的“编码”改为“UTF-8”后保存（WPS 里同样在“另存为”中选择编码）。"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start
        hint = "请用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存。"
        encoding = "utf-8"  # the rest of the file is UTF-8: a piece pasted from elsewhere
        if _looks_like_gbk(data):
            hint = "这个文件看起来是 GBK（ANSI）编码，常见于 Windows 自带编辑器。" + hint
            encoding = "gb18030"
            # the first Chinese character: a GBK pair sometimes passes for UTF-8, so the decoding fails later
            at = next(index for index, byte in enumerate(data) if byte >= 0x80)
        else:
            hint = ("这一行从这里起有不是 UTF-8 的文字（常见于从别的文件粘贴来的一段），显示为“�”："
                    "请删掉这一段重新输入，再保存为 UTF-8。")
        line = data[:at].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, at) + 1
        line_end = data.find(b"\n", at)
        written = data[line_start: len(data) if line_end < 0 else line_end].rstrip(b"\r")
        # the line as the editor sees it, and the column counted in characters, not bytes
        quoted = written.decode(encoding, "replace")
        column = len(data[line_start:at].decode(encoding, "replace")) + 1
        raise SiteError(Finding(
            code="L101", message="文件不是 UTF-8 编码，无法读取", hint=hint,
            path=name, line=line, column=column, source_line=quoted))
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SiteError(Finding(
            code="L101", message="文件中有空字符（\\0），这不是一个文本文件",
            hint="请确认选择的是 .yaml 或 .md 文本文件，而不是 Word、Excel 等文件。",
            path=name, line=line, column=1))
    source = Source(path, name, text.replace("\r\n", "\n").replace("\r", "\n"), read)
    if CONTROL.search(source.text):
        raise SiteError(_control_findings(source))
    if not source.text.strip():
        raise SiteError(source.finding(
            "L102", "文件是空的", "请填写内容，或删除这个文件。可以用 site-builder new 生成带说明的模板。"))
    return source


_NOTEPAD_UTF16 = {"UTF-16LE": "Unicode", "UTF-16BE": "Unicode big endian"}


def _utf16(data: bytes) -> str:
    """ "UTF-16LE" or "UTF-16BE" for a file Notepad saved as “Unicode” (with its byte order mark, or
    without one: every other byte 0, as ASCII text is in UTF-16); "" otherwise."""
    if data.startswith(b"\xff\xfe"):
        return "UTF-16LE"
    if data.startswith(b"\xfe\xff"):
        return "UTF-16BE"
    if len(data) % 2 == 0 and b"\n" in data:
        # every line end of UTF-16 text is two bytes at an even place: 0A 00, or 00 0A
        ends = [match.start() for match in re.finditer(b"\n", data)]
        for name, other in (("UTF-16LE", 1), ("UTF-16BE", -1)):
            if all(index % 2 == (0 if other == 1 else 1) and 0 <= index + other < len(data) and data[index + other] == 0
                   for index in ends):
                high = data[1::2] if other == 1 else data[0::2]  # 0 for every ASCII character: keys, spaces, digits
                if high.count(0) < len(high) * 0.3:
                    continue
                try:
                    data.decode(name.lower().replace("utf-16", "utf-16-"))
                except UnicodeDecodeError:
                    continue
                return name
    sample = data[:4096]
    if len(sample) >= 8 and len(sample) % 2 == 0:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= len(odd) * 0.6 and even.count(0) == 0:
            return "UTF-16LE"
        if even.count(0) >= len(even) * 0.6 and odd.count(0) == 0:
            return "UTF-16BE"
    return ""


def _looks_like_gbk(data: bytes) -> bool:
    try:
        decoded = data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in decoded)


# Characters no editor means to type and no reader can see: what Word's "save as text" leaves for a
# manual line break (U+000B) or a page break (U+000C), an old editor's end-of-file mark (Ctrl+Z,
# U+001A), and the like. YAML refuses them, a Markdown heading after one is no heading, and they would
# be published into the pages; Python's str.splitlines() even takes some of them for line ends. With them
# the two non-characters XML 1.0 does not allow: one in a title made feed.xml unreadable to every feed reader.
# And the bidirectional overrides and isolates, which no Chinese text needs: they show the characters after
# them in another order than they are stored (a figure or a name read backwards on the page, as it is not).
# The importer leaves the same characters out of what it reads (importer.blocks.shown_text).
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_CONTROL_NAMES = {
    "\x0b": "垂直制表符，Word 的手动换行符（Shift+回车）另存为文本时变成它",
    "\x0c": "换页符，Word 的分页符另存为文本时变成它",
    "\x1a": "文件结束符（Ctrl+Z），老式编辑器写在文件末尾",
    "\x08": "退格符",
    "\x7f": "删除符",
    "\u2028": "行分隔符，从网页或 Word 复制时带来",
    "\u2029": "段分隔符，从网页或 Word 复制时带来",
    **{character: "文字方向控制符，使后面的文字显示的顺序与实际不同" for character in
       "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"},
}
_MAX_CONTROL_FINDINGS = 20


def _control_findings(source: Source) -> list[Finding]:
    """A finding (L111) for each line holding an invisible control character, naming it where it is."""
    findings = []
    lines = source.text.split("\n")
    for number, line in enumerate(lines, start=1):
        found = CONTROL.search(line)
        if found is None:
            continue
        character = found.group()
        name = _CONTROL_NAMES.get(character, "控制字符")
        if character in ("\x0b", "\u2028", "\u2029"):
            what = "要在这里换行就直接按回车；不要换行就删掉它"
        else:
            what = "请删掉它"
        count = len(CONTROL.findall(line))
        more = f"（这一行共有 {count} 个）" if count > 1 else ""
        findings.append(Finding(
            code="L111", path=source.name, line=number, column=found.start() + 1,
            message=f"这里有一个看不见的控制字符 U+{ord(character):04X}（{name}）{more}",
            hint=f"{what}。它在编辑器里看不见：把光标移到第 {found.start() + 1} 列（这一行的第 {found.start() + 1} 个字符处），"
                 "按删除键，或把这一行删掉后重新输入。",
            source_line=CONTROL.sub("", line)))
        if len(findings) == _MAX_CONTROL_FINDINGS:
            break
    return findings
