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


# Control characters (but tab and line breaks) and the two non-characters XML 1.0 does not allow: invisible,
# they come in pasted from Word or a web page, and one in a title made feed.xml unreadable to every feed reader.
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_HINT = ("请删掉这个看不见的字符：把光标移到提示的位置，删掉前后的字符再重新输入；"
                "YAML 里写成 \\u0001、\\x0b 这样的转义也要删掉。")


def control_message(character: str) -> str:
    return (f"文件中有看不见的控制字符 U+{ord(character):04X}（多半是从 Word 或网页复制时带进来的），"
            "网页、订阅（feed.xml）和下载文件里不能有它")


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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "请用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存。"
        if _looks_like_gbk(data):
            hint = "这个文件看起来是 GBK（ANSI）编码，常见于 Windows 自带编辑器。" + hint
        raise SiteError(Finding(
            code="L101", message="文件不是 UTF-8 编码，无法读取", hint=hint,
            path=name, line=line, column=column))
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SiteError(Finding(
            code="L101", message="文件中有空字符（\\0），这不是一个文本文件",
            hint="请确认选择的是 .yaml 或 .md 文本文件，而不是 Word、Excel 等文件。",
            path=name, line=line, column=1))
    control = CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        raise SiteError(Finding(
            code="L125", message=control_message(control.group()), hint=CONTROL_HINT, path=name, line=line,
            column=control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1))
    source = Source(path, name, text.replace("\r\n", "\n").replace("\r", "\n"), read)
    if not source.text.strip():
        raise SiteError(source.finding(
            "L102", "文件是空的", "请填写内容，或删除这个文件。可以用 site-builder new 生成带说明的模板。"))
    return source


def _looks_like_gbk(data: bytes) -> bool:
    try:
        decoded = data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in decoded)
