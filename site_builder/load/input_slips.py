"""Slips of the keyboard in YAML, recognised on the line where they happen.

With a Chinese input method an editor easily types a full-width character where
YAML needs its ASCII twin: ``：`` for ``:``, ``，`` for ``,``, “ ” for ``"``,
｛ ［ 【 for ``{`` ``[``, a full-width space U+3000 in the indentation or after a
colon; a tab slips into the indentation too. Each slip is named here with the
character and the corrected line, and corrected on a copy of the text, so that
the loader can read on and report every other slip of the file in the same run.

Full-width characters inside values are ordinary Chinese text and are left
alone: only the places where YAML syntax is meant are looked at — the
indentation, the colon after a key, and the separators, brackets and quotes of
a flow collection (``{…}``, ``[…]``). :func:`lexical_slips` finds the slips that
are certain on their own; :func:`slip_near_error` looks at the lines around a
parse error for the ones only the failure makes certain (a Chinese key, a
quoted block value, a missing ``}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IDEOGRAPHIC_SPACE = "\u3000"


@dataclass(frozen=True)
class Slip:
    line: int  # 0-based index of the line
    column: int  # 0-based, in the line as the editor wrote it
    code: str
    message: str
    fixed: str  # the corrected line


@dataclass(frozen=True)
class _Edit:
    column: int
    length: int
    replacement: str
    code: str
    message: str
    at: int | None = None  # the column to report, when not the first one replaced


_NAMED = {
    "：": "中文全角冒号“：”，YAML 要用英文冒号“:”加一个空格",
    "，": "中文全角逗号“，”，花括号、方括号里的各项要用英文逗号“,”分隔",
    "“": "中文引号“ ”，YAML 的引号要用英文双引号 \"…\"",
    "‘": "中文单引号‘ ’，YAML 的引号要用英文引号 '…' 或 \"…\"",
    "｛": "全角花括号“｛”，YAML 要用英文花括号“{”",
    "｝": "全角花括号“｝”，YAML 要用英文花括号“}”",
    "［": "全角方括号“［”，YAML 要用英文方括号“[”",
    "］": "全角方括号“］”，YAML 要用英文方括号“]”",
    "【": "中文方头括号“【”，这里要用英文方括号“[”",
    "】": "中文方头括号“】”，这里要用英文方括号“]”",
    "（": "中文括号“（”，这里要用英文花括号“{”",
    "）": "中文括号“）”，这里要用英文花括号“}”",
}
_OPENERS = {"｛": "{", "［": "[", "【": "[", "（": "{"}
_CLOSERS = {"｝": "}", "］": "]", "】": "]", "）": "}"}
_ASCII_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_BLOCK_SCALAR = re.compile(r"[|>][+-]?[0-9]?[+-]?\s*(#.*)?$")


def _full_width_message(char: str) -> str:
    return "这里用了" + _NAMED[char]


# Everything :func:`lexical_slips` can find contains one of these: most files contain none, and
# one search of the whole text (in C) spares them the line-by-line look.
_SUSPECT = re.compile(
    "[\t\u3000｛｝［］\u00a0\u200b\u200c\u200d\u2060\ufeff]"         # tab, full-width space and braces, invisible ones
    r"|(?:^|[\s{,\[-])[A-Za-z_][\w.-]*[ ]*："                            # a key's full-width colon
    r"|，\s*[A-Za-z_][\w.-]*\s*[:：]|[}\]]\s*，|，\s*[{\[]"               # full-width comma between items
    r"|[{,\[]\s*[“‘]|\{[^\n}]*:\s+[“‘]"                                  # a flow value opening with a quote
    r"|:\s+【|[:,{\[-]\s*（\s*[A-Za-z_][\w.-]*\s*[:：]|\[[^\n\]]*】",        # 【 or （ for a bracket
    re.MULTILINE)


def lexical_slips(lines: list[str]) -> list[Slip]:
    """The slips that are certain from the line alone, every line of the text."""
    if not _SUSPECT.search("\n".join(lines)):
        return []
    slips: list[Slip] = []
    done: list[str] = []  # the lines so far, corrected
    block_indent: int | None = None  # inside a block scalar (| or >) started at this indentation
    for number, line in enumerate(lines):
        if block_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip(" ")) > block_indent:
                edits = _tab_edits(line, done) if "\t" in line else []  # content: only tabs in its indentation
                edits = _with_invisible(line, edits)
                slips += _slips_of(number, line, edits)
                done.append(_apply(line, edits))
                continue
            block_indent = None
        edits = _with_invisible(line, _line_edits(line, done)) if _SUSPECT.search(line) else []
        slips += _slips_of(number, line, edits)
        fixed = _apply(line, edits)
        done.append(fixed)
        if "|" in fixed or ">" in fixed:
            value = _block_value(fixed)
            if value is not None and _BLOCK_SCALAR.match(value):
                block_indent = len(fixed) - len(fixed.lstrip(" "))
    return slips


# Characters that cannot be seen, pasted from web pages, WeChat or Word: never meant in a record.
_ZERO_WIDTH = {"\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连字", "\u2060": "零宽不折行空格",
               "\ufeff": "字节顺序标记（BOM）"}
_NBSP = "\u00a0"
_NBSP_AT = re.compile(r"^[ \t\u3000\u00a0]*(?:-[ \u00a0]+)*(?:[A-Za-z_][A-Za-z0-9_.-]*[ \u00a0]*:[ \u00a0]*)?")


def _with_invisible(line: str, edits: list[_Edit]) -> list[_Edit]:
    """`edits` and one more for each invisible character of `line` no edit covers: a zero-width character
    anywhere (taken out), a no-break space where YAML syntax is (the indentation, around a key's colon,
    after a dash: made a space). A no-break space inside a value is text, shown as a space."""
    if not any(ch in line for ch in _ZERO_WIDTH) and _NBSP not in line:
        return edits
    covered = [(edit.column, edit.column + edit.length) for edit in edits]
    syntax_end = _NBSP_AT.match(line.replace("\u200b", " ").replace("\ufeff", " ")).end() if _NBSP in line else 0
    added = []
    for column, character in enumerate(line):
        if any(start <= column < end for start, end in covered):
            continue
        if character in _ZERO_WIDTH:
            added.append(_Edit(column, 1, "", "L110",
                               f"这里有一个看不见的字符 U+{ord(character):04X}（{_ZERO_WIDTH[character]}），常见于从网页、微信或 Word 复制的文字"))
        elif character == _NBSP and column < syntax_end:
            where = "缩进里" if not line[:column].strip(" \t\u3000\u00a0") else "这里"
            added.append(_Edit(column, 1, " ", "L110",
                               f"{where}有一个不换行空格 U+00A0（看起来和空格一样），YAML 要用普通的英文空格，常见于从网页或 Word 复制的文字"))
    return sorted(edits + added, key=lambda edit: edit.column)


def _indentation(width: int, earlier: list[str]) -> str:
    """Spaces for a line whose indentation was typed with tabs or full-width spaces (`width`
    columns when each counts two): the nearest indentation the lines above use or open."""
    levels = set()
    opened = None
    for line in reversed(earlier):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if opened is None:
            code = line.split(" #", 1)[0].rstrip()
            opened = code.endswith(":") or bool(_BLOCK_SCALAR.search(code)) or code.lstrip() == "-"
            if opened:
                levels.add(indent + 2)
        levels.add(indent)
        if indent == 0:
            break
    if not levels:
        return " " * width
    return " " * min(levels, key=lambda level: (abs(level - width), level))


def _slips_of(number: int, line: str, edits: list[_Edit]) -> list[Slip]:
    if not edits:
        return []
    fixed = _apply(line, edits)
    return [Slip(number, edit.column if edit.at is None else edit.at, edit.code, edit.message, fixed)
            for edit in edits]


def _apply(line: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.column, reverse=True):
        line = line[: edit.column] + edit.replacement + line[edit.column + edit.length:]
    return line


def apply(lines: list[str], slips: list[Slip]) -> list[str]:
    """`lines` with each slipped line replaced by its corrected line."""
    fixed = list(lines)
    for slip in slips:
        fixed[slip.line] = slip.fixed
    return fixed


def _tab_edits(line: str, earlier: list[str]) -> list[_Edit]:
    lead = len(line) - len(line.lstrip(" \t" + IDEOGRAPHIC_SPACE))
    if not line.strip() or "\t" not in line[:lead]:
        return []
    column = line.index("\t")
    spaces = _indentation(len(line[:lead].replace("\t", "  ").replace(IDEOGRAPHIC_SPACE, "  ")), earlier)
    return [_Edit(0, lead, spaces, "L104", "缩进里有制表符（Tab），YAML 只能用空格缩进", at=column)] \
        if column < lead else []


def _line_edits(line: str, earlier: list[str]) -> list[_Edit]:
    if not line.strip():
        return []
    edits = _tab_edits(line, earlier)
    lead = len(line) - len(line.lstrip(" \t" + IDEOGRAPHIC_SPACE))
    if not edits and IDEOGRAPHIC_SPACE in line[:lead]:
        edits.append(_Edit(0, lead, _indentation(len(line[:lead].replace(IDEOGRAPHIC_SPACE, "  ")), earlier), "L110",
                           "缩进里有中文全角空格（U+3000），YAML 只能用英文空格缩进", at=line.index(IDEOGRAPHIC_SPACE)))
    position = lead
    if line.startswith("#", position):
        return edits
    while line.startswith(("- ", "-" + IDEOGRAPHIC_SPACE), position) or line[position:].rstrip() == "-":
        if line.startswith("-" + IDEOGRAPHIC_SPACE, position):
            edits.append(_Edit(position + 1, 1, " ", "L110", "短横线“-”后面用了中文全角空格，要用英文空格"))
        position += 2
        while line.startswith(" ", position):
            position += 1
    if line.startswith("---", 0) or line.startswith("...", 0):
        return edits
    key = _ASCII_KEY.match(line, position)
    if key:
        after = key.end()
        gap = _gap_after(line, after)
        if IDEOGRAPHIC_SPACE in line[after:after + gap] and line.startswith((":", "："), after + gap):
            edits.append(_Edit(after, gap, "", "L110", "键后面有中文全角空格，请删掉", at=line.index(IDEOGRAPHIC_SPACE, after)))
            after += gap
        while line.startswith(" ", after):
            after += 1
        colon = _full_width_colon(line, after)
        if colon:
            edits.append(colon[0])
            position = colon[1]
        elif line.startswith(":" + IDEOGRAPHIC_SPACE, after):
            gap = _gap_after(line, after + 1)
            edits.append(_Edit(after + 1, gap, " ", "L110", "冒号后面用了中文全角空格，YAML 要用英文空格"))
            position = after + 1 + gap
        elif line.startswith(": ", after) or line[after:] == ":":
            position = after + 1
        else:
            return edits
        while line.startswith(" ", position):
            position += 1
    if position > lead:  # a value after a key or a dash: a flow collection may start here
        edits += _flow_edits(line, position)
    return edits


def _full_width_colon(line: str, at: int) -> tuple[_Edit, int] | None:
    """A full-width colon at `at`, just after a key: its correction and where the value starts."""
    if not line.startswith("：", at):
        return None
    gap = _gap_after(line, at + 1)
    return _Edit(at, 1 + gap, ": ", "L110", _full_width_message("：")), at + 1 + gap


def _gap_after(line: str, position: int) -> int:
    """How many spaces (ASCII or full-width) follow `position`."""
    end = position
    while end < len(line) and line[end] in " " + IDEOGRAPHIC_SPACE:
        end += 1
    return end - position


def _flow_edits(line: str, position: int) -> list[_Edit]:
    """Slips inside a flow collection that starts at `position` (nothing when none starts there)."""
    if position >= len(line):
        return []
    first = line[position]
    edits: list[_Edit] = []
    if first in _OPENERS:
        if first == "（" and not re.match(r"（\s*[A-Za-z_][A-Za-z0-9_.-]*\s*[:：]", line[position:]):
            return []  # Chinese text that opens with a bracket, e.g. （一）
        if first in "［【" and not re.search(r"[,，]|[:：]\s", line[position:]):
            return []
        edits.append(_Edit(position, 1, _OPENERS[first], "L110", _full_width_message(first)))
    elif first not in "{[":
        return []
    stack: list[tuple[str, str]] = []  # (closer expected, opener as written)
    index = position
    expecting_item = False
    while index < len(line):
        char = line[index]
        if expecting_item:
            if char == " ":
                index += 1
                continue
            expecting_item = False
            if stack and stack[-1][0] == "}":
                key = _ASCII_KEY.match(line, index)
                if key:
                    after = key.end()
                    while line.startswith(" ", after):
                        after += 1
                    colon = _full_width_colon(line, after)
                    if colon:
                        edits.append(colon[0])
                        index = colon[1]
                        continue
            if char in "“‘":
                closing = "”" if char == "“" else "’"
                end = line.find(closing, index + 1)
                if end > 0 and _ends_item(line, end + 1) and re.search(r"[,{}\[\]#]|:\s", line[index + 1:end]):
                    inner = line[index + 1:end].replace("\\", "\\\\").replace('"', '\\"')
                    edits.append(_Edit(index, end + 1 - index, f'"{inner}"', "L110", _full_width_message(char)))
                    index = end + 1
                    continue
        if char in "\"'":
            index = _after_quoted(line, index)
            continue
        if char == "#" and index > 0 and line[index - 1] == " ":
            break
        if char in "{[":
            stack.append(("}" if char == "{" else "]", char))
            expecting_item = True
        elif char in _OPENERS and index == position:  # the full-width opener already named
            stack.append((_OPENERS[char].replace("{", "}").replace("[", "]"), char))
            expecting_item = True
        elif char in "}]":
            if stack:
                stack.pop()
        elif char == ",":
            expecting_item = True
        elif char == ":" and stack and stack[-1][0] == "}" and line[index + 1:index + 2] in ("", " "):
            expecting_item = True  # a value starts: it may open with a quote or a bracket
        elif char == "，" and stack:
            follows = line[index + 1:]
            previous = line[:index].rstrip()
            if (re.match(r"\s*[A-Za-z_][A-Za-z0-9_.-]*\s*[:：](\s|$)", follows) and stack[-1][0] == "}") or \
                    re.match(r"\s*[{\[｛［]", follows) or previous.endswith(("}", "]")):
                edits.append(_Edit(index, 1, ", ", "L110", _full_width_message("，")))
                expecting_item = True
        elif (char in _CLOSERS and stack and _CLOSERS[char] == stack[-1][0] and _ends_item(line, index + 1)
              and not (char in "］】" and "]" in line[index + 1:])):  # [】] is a list holding 】, closed by ]
            opener = stack[-1][1]
            if char in "｝" or opener in _OPENERS or (char in "］】" and "［" not in line[position:index]
                                                        and "【" not in line[position:index]):
                edits.append(_Edit(index, 1, _CLOSERS[char], "L110", _full_width_message(char)))
                stack.pop()
        index += 1
    return edits


def _ends_item(line: str, position: int) -> bool:
    """Whether an item of a flow collection can end at `position`: a separator, a closer or the line's end."""
    rest = line[position:].lstrip(" ")
    return not rest or rest[0] in ",，}]｝］】）#"


def _after_quoted(line: str, index: int) -> int:
    quote = line[index]
    index += 1
    while index < len(line):
        if quote == '"' and line[index] == "\\":
            index += 2
            continue
        if line[index] == quote:
            if quote == "'" and line.startswith("''", index):
                index += 2
                continue
            return index + 1
        index += 1
    return index


def _block_value(line: str) -> str | None:
    """The value after `key: ` or `- ` on a block line, or None."""
    match = re.match(r"\s*(?:-\s+)*(?:[^\s#'\"{}\[\],][^#]*?:(?:\s+|$))?(.*)$", line)
    return match[1] if match else None


# --- slips that only a parse error makes certain -------------------------------------------------


def slip_near_error(lines: list[str], problem_line: int, context_line: int | None, context: str) -> Slip | None:
    """A slip on the lines from `context_line` (or the line before the problem) to `problem_line`
    (0-based) that explains the parse error, the first one found; None when none does."""
    if context_line is not None and context.startswith("while parsing a flow") and context_line < problem_line:
        slip = _unclosed_flow(lines, context_line, problem_line)
        if slip is not None:
            return slip
    start = context_line if context_line is not None and context_line <= problem_line else problem_line - 1
    for number in range(max(start, 0), min(problem_line, len(lines) - 1) + 1):
        slip = _chinese_key_colon(lines, number) or _quoted_block_value(lines, number) or _opener_of_value(lines, number)
        if slip is not None:
            return slip
    return None


def _unclosed_flow(lines: list[str], opening: int, problem: int) -> Slip | None:
    line = lines[opening]
    code = line.split(" #", 1)[0].rstrip()
    if not code or code.endswith((",", "，", "{", "[")):
        return None  # a flow collection that goes on over several lines
    stack = []
    index = 0
    while index < len(code):
        char = code[index]
        if char in "\"'":
            index = _after_quoted(code, index)
            continue
        if char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]" and stack:
            stack.pop()
        index += 1
    follows = lines[problem] if problem < len(lines) else ""
    if not stack or not re.match(r"\s*(-\s|[^\s:#]+:(\s|$))", follows + " "):
        return None
    missing = "".join(reversed(stack))
    name = "花括号“{”" if stack[0] == "}" else "方括号“[”"
    return Slip(opening, len(code), "L103", f"{name}没有闭合：这一行末尾缺少“{missing}”",
                code + missing + line[len(code):])


_CHINESE_KEY = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s:：#'\"{}\[\]“‘｛［【（-][^:：#]*?)\s*：\s*(?P<value>.*)$")


def _chinese_key_colon(lines: list[str], number: int) -> Slip | None:
    match = _CHINESE_KEY.match(lines[number])
    if not match:
        return None
    fixed = f"{match['lead']}{match['key']}: {match['value']}".rstrip()
    return Slip(number, lines[number].index("：", len(match["lead"])), "L110", _full_width_message("："), fixed)


_QUOTED_VALUE = re.compile(r"^(?P<head>\s*(?:-\s+)*(?:[^\s#'\"{}\[\]][^#]*?:\s+)?)(?P<open>[“‘])(?P<inner>.*)(?P<close>[”’])\s*(?P<tail>#.*)?$")


def _quoted_block_value(lines: list[str], number: int) -> Slip | None:
    match = _QUOTED_VALUE.match(lines[number])
    if not match or {match["open"], match["close"]} not in ({"“", "”"}, {"‘", "’"}):
        return None
    inner = match["inner"].replace("\\", "\\\\").replace('"', '\\"')
    fixed = f'{match["head"]}"{inner}"' + (f" {match['tail']}" if match["tail"] else "")
    return Slip(number, len(match["head"]), "L110", _full_width_message(match["open"]), fixed)


def _opener_of_value(lines: list[str], number: int) -> Slip | None:
    line = lines[number]
    match = re.match(r"^(\s*(?:-\s+)*(?:[^\s#'\"{}\[\]][^#]*?:\s+)?)([｛［])", line)
    if not match:
        return None
    column = len(match[1])
    closer = {"｛": "｝", "［": "］"}[match[2]]
    fixed = line[:column] + _OPENERS[match[2]] + line[column + 1:]
    end = fixed.rfind(closer)
    if end > column:
        fixed = fixed[:end] + _CLOSERS[closer] + fixed[end + 1:]
    return Slip(number, column, "L110", _full_width_message(match[2]), fixed)
