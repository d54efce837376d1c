"""YAML to values that remember where they were written.

Every scalar is kept as the text the editor typed (no implicit typing: `8`,
`100%`, `2024-09-11` and `=<50万` all stay strings), so signed figures are never
normalised. Each value carries its line and column for findings. Duplicate
keys, which PyYAML would silently collapse, and tags (`!foo`), which would be
silently ignored, are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..errors import SiteError
from . import input_slips
from .source import CONTROL, CONTROL_HINT, Source, control_message

try:  # libyaml keeps marks and is several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
         yaml.MappingNode: "tag:yaml.org,2002:map"}


# The only tags a record's values have: an explicit one (`!foo`, `!!python/name:…`,
# even `!!int`) would be ignored, as nothing is typed, so it is reported (L124).
_STANDARD_TAGS = frozenset(_TAGS.values())


class _UntypedLoader(_Loader):
    """Composes without implicit typing: every scalar stays the text typed, so the
    regular-expression tag resolution PyYAML runs (in Python, even with libyaml)
    for each of the tens of thousands of scalars of a site is skipped."""

    def resolve(self, kind, value, implicit):
        return _TAGS[kind]

    # Path resolvers are not used: these are called for every node otherwise.
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


class MarkedStr(str):
    """A scalar as typed, with its 1-based line and column."""

    line: int = 0
    column: int = 0

    def __new__(cls, value: str, line: int = 0, column: int = 0):
        obj = super().__new__(cls, value)
        obj.line, obj.column = line, column
        return obj


class MarkedDict(dict):
    """A mapping with the place of the mapping and of each key."""

    line: int = 0
    column: int = 0

    def __init__(self, *args, line: int = 0, column: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.column = line, column
        self.key_marks: dict[str, tuple[int, int]] = {}

    def mark_of(self, key: str) -> tuple[int, int]:
        return self.key_marks.get(key, (self.line, self.column))


class MarkedList(list):
    line: int = 0
    column: int = 0

    def __init__(self, *args, line: int = 0, column: int = 0):
        super().__init__(*args)
        self.line, self.column = line, column


def mark(value) -> tuple[int, int]:
    return getattr(value, "line", 0), getattr(value, "column", 0)


def parse_yaml(source: Source, text: str | None = None, line_offset: int = 0):
    """Parse `text` (default: the whole source) into Marked values.

    `line_offset` places a fragment (a Markdown front matter) in its file. Every
    slip that can be corrected (a tab in the indentation, a full-width colon, comma,
    quote, bracket or space where YAML syntax is meant, a missing `}` at the end of a
    line) is reported, then reading goes on with a corrected copy, so that one run
    reports them all; the findings are raised together.
    """
    text = source.text if text is None else text
    # The line-by-line look for slips runs when the text holds a character that only a slip puts
    # in YAML syntax, when parsing fails, or when a key comes out as anything but plain ASCII
    # ("initial： 50", "463.31”"): most files are parsed once, at full speed.
    looked = any(character in text for character in _SLIP_CHARACTERS)
    node = _compose(source, text, line_offset, looked)
    try:
        data, odd_keys = (None, False) if node is None else _convert(node, source, line_offset)
        if odd_keys and not looked:
            data = _looked_again(source, text, line_offset, data)
    except RecursionError:
        raise SiteError(source.finding("L103", "YAML 格式错误：嵌套层数太多", _SYNTAX_HINT)) from None
    return data


def _looked_again(source: Source, text: str, line_offset: int, data):
    """The data of a text that parses but has keys a slip may have made ("initial： 50"): read again
    with its slips corrected. When the corrected text no longer parses ("- ｛: ''" made "- {: ''"),
    the keys were written so on purpose: the data stands as parsed, and the schema judges the keys."""
    try:
        return _convert(_compose(source, text, line_offset, look=True), source, line_offset)[0]
    except SiteError as exc:
        if any(finding.code == "L103" for finding in exc.findings):
            return data
        raise


# Only a tab or a full-width space is looked for in a file that parses: a full-width bracket in a value
# that parses ("- ｛", "rows: 【甲, 乙】") is text as far as YAML can tell; the schema then says what the
# field should hold. Brackets are looked at when parsing fails (``{a: 1，b: 2｝``).
_SLIP_CHARACTERS = ("\t", "\u3000", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
# A key holding one of these came out of a slip (a full-width colon, comma or quote where YAML syntax was
# meant); any other key that is not ASCII is the editor's own (the schema reports keys it does not know).
_KEY_SLIPS = ("：", "，", "“", "”", "‘", "’", "｛", "｝", "［", "］", "【", "】", "\u3000")


def _compose(source: Source, text: str, offset: int, look: bool):
    """The node tree of `text`, reading on over every slip that can be corrected;
    SiteError with all of them (and the error it stopped at, if any)."""
    lines = text.split("\n")
    findings = []

    def look_line_by_line() -> bool:
        slips = input_slips.lexical_slips(lines)
        lines[:] = input_slips.apply(lines, slips)
        findings.extend(_slip_finding(source, slip, offset) for slip in slips)
        return bool(slips)

    if look:
        look_line_by_line()
    guessed = None  # (slip, line as written, the error it was to explain) of the last guess from an error
    for _attempt in range(_MAX_RECOVERIES):
        try:
            node = yaml.compose("\n".join(lines), Loader=_UntypedLoader)
            break
        except yaml.MarkedYAMLError as exc:
            if not look:
                look = True
                if look_line_by_line():
                    continue
            if guessed is not None and _place(exc) <= _place(guessed[2]):
                # The correction did not get the reading any further: it was not the slip.
                slip, written, exc = guessed
                lines[slip.line] = written
                findings.pop()
                findings.append(_syntax_finding(source, "\n".join(lines), exc, offset))
                raise SiteError(findings) from None
            slip = _slip_behind(lines, exc)
            if slip is None or slip.fixed == lines[slip.line]:
                findings.append(_syntax_finding(source, "\n".join(lines), exc, offset))
                raise SiteError(findings) from None
            findings.append(_slip_finding(source, slip, offset))
            guessed = (slip, lines[slip.line], exc)
            lines[slip.line] = slip.fixed
        except yaml.YAMLError as exc:  # a reader error without a mark
            findings.append(source.finding("L103", f"YAML 格式错误：{exc}", _SYNTAX_HINT))
            raise SiteError(findings) from None
        except RecursionError:
            findings.append(source.finding("L103", "YAML 格式错误：嵌套层数太多", _SYNTAX_HINT))
            raise SiteError(findings) from None
    else:
        raise SiteError(findings)
    if findings:
        raise SiteError(sorted(findings, key=lambda f: (f.line, f.column)))
    if "&" in text or "*" in text:
        reference = _reference(source, lines, offset)
        if reference is not None:
            raise SiteError(reference)
    return node


def _reference(source: Source, lines: list[str], offset: int):
    """The finding for the first anchor (`&a`) or alias (`*a`) of a text that parses, or None.

    Records never need them, and they mislead: `project: &A 高三` publishes 高三 (the `&A` is taken
    for a name), `note: *A` repeats another value, and every finding about the repeated value
    points at the line it was first written on."""
    text = "\n".join(lines)
    found = [token for token in yaml.scan(text, Loader=_Loader)
             if isinstance(token, (yaml.AnchorToken, yaml.AliasToken))]
    if not found:
        return None
    first = found[0]
    mark = first.start_mark
    written = lines[mark.line][mark.column:first.end_mark.column] if first.end_mark.line == mark.line else ""
    if isinstance(first, yaml.AnchorToken):
        meaning = f"“{written}”在 YAML 里是给后面的值起名字（锚点），不会作为文字公开"
    else:
        meaning = f"“{written}”在 YAML 里是引用前面用“&”起了名字的内容"
    more = f"（文件里共有 {len(found)} 处 & 或 * 引用）" if len(found) > 1 else ""
    hint = _ANCHOR_HINT
    after = lines[mark.line][first.end_mark.column:].lstrip(" ") if written else ""
    indicator = _indicator_value(lines, _Mark(mark.line, mark.column))
    if indicator is not None and not after.startswith(("{", "[", "#")) and (after or isinstance(first, yaml.AliasToken)):
        hint += f"如果“{written}”是内容的一部分，改为：{indicator[2].strip()}"
    return source.finding("L103", f"YAML 格式错误：{meaning}{more}", hint, mark.line + 1 + offset, mark.column + 1)


@dataclass(frozen=True)
class _Mark:
    line: int
    column: int


# Slips corrected one after another in a file before giving up on it.
_MAX_RECOVERIES = 50


def _place(exc: yaml.MarkedYAMLError) -> tuple[int, int]:
    mark = exc.problem_mark or exc.context_mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


def _slip_behind(lines: list[str], exc: yaml.MarkedYAMLError):
    problem = exc.problem_mark or exc.context_mark
    if problem is None:
        return None
    context = exc.context_mark.line if exc.context_mark is not None else None
    return input_slips.slip_near_error(lines, problem.line, context, exc.context or "")


def _slip_finding(source: Source, slip, offset: int):
    """The finding for a slip: the character named where it is, the corrected line as the fix."""
    line = slip.line + 1 + offset
    hint = f"请改为：{slip.fixed.strip()}"
    if slip.code == "L104" or "缩进" in slip.message:
        spaces = len(slip.fixed) - len(slip.fixed.lstrip(" "))
        hint = f"请把这一行开头换成 {spaces} 个英文空格（每层两个），改为：{slip.fixed.strip()}"
        if slip.code == "L104":
            hint += "。在编辑器里打开“显示空白字符”可以看到 Tab。"
    return source.finding(slip.code, slip.message, hint, line, slip.column + 1)


# Aliases can make a small file expand enormously ("billion laughs"); no real
# record comes anywhere near this many values.
_MAX_VALUES = 200_000


_SYNTAX_HINT = ("请检查这一行及上一行：冒号后要有空格，同一层的键要对齐，"
                "含有逗号、冒号、# 的值请用英文引号括起来。")


def _syntax_finding(source: Source, text: str, exc: yaml.MarkedYAMLError, offset: int):
    place = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    if (exc.context == "while scanning a quoted scalar" and exc.context_mark is not None
            and problem.startswith(("found unexpected end of stream", "found unexpected document"))):
        # An unclosed quote is only noticed at the end of the file: point at where it opens.
        place, problem = exc.context_mark, exc.context
    indicator = _indicator_value(text.split("\n"), exc) if _from_indicator(exc) else None
    if indicator is not None:
        at, character, fixed = indicator
        return source.finding(
            "L103", f"YAML 格式错误：值以“{character}”开头，{_INDICATORS[character]}，这个值读不出来",
            f"值以这个符号开头时，请用英文引号把整个值括起来，改为：{fixed.strip()}",
            at.line + 1 + offset, at.column + 1)
    missing_dash = _missing_dash(text.split("\n"), exc)
    if missing_dash is not None:
        number, fixed = missing_dash
        return source.finding(
            "L103", "YAML 格式错误：这一行是列表中的一项，开头缺少短横线“- ”",
            f"同一列表的其他各项都以“- ”开头：请在这一行开头的空格后面加上“- ”，改为：{fixed.strip()}",
            number + 1 + offset, len(fixed) - len(fixed.lstrip(" ")) + 1)
    misaligned = _misaligned(text.split("\n"), exc)
    if misaligned is not None:
        number, spaces, fixed, _other = misaligned
        return source.finding(
            "L103", f"YAML 格式错误：这一行的缩进（{spaces} 个空格）与上面同一层的项对不齐",
            "同一层的项要对齐，每深一层多缩进两个空格：请把这一行"
            + (f"开头改为 {len(fixed) - len(fixed.lstrip(' '))} 个空格" if fixed.startswith(" ") else "顶格书写（开头不留空格）")
            + f"，改为：{fixed.strip()}",
            number + 1 + offset, spaces + 1)
    unclosed = _unclosed_at_end(text.split("\n"), place)
    if unclosed is not None:
        number, column, opener = unclosed
        closer = "}" if opener == "{" else "]"
        return source.finding(
            "L103", f"YAML 格式错误：这一行的“{opener}”没有闭合，文件就结束了",
            f"请在这一项的末尾补上“{closer}”；如果文件是在保存中途被截断的（比如编辑器还没有保存完），请重新完整保存一次。",
            number + 1 + offset, column + 1)
    context = exc.context or ""
    if context == "while scanning a simple key" and exc.context_mark is not None and "expected ':'" in problem:
        # libyaml notices a missing colon only on the next line: the line it began to read is the one
        place = exc.context_mark
    line = place.line + 1 + offset if place else 0
    column = place.column + 1 if place else 0
    hint = _SYNTAX_HINT
    if place is not None and "expected ':'" in problem and place.line < len(text.split("\n")):
        written = text.split("\n")[place.line]
        key = re.match(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)[ \u3000]+(\S.*)$", written)
        if key:
            hint = f"键的后面要写英文冒号和一个空格，改为：{key[1].strip()}{' ' if key[1].strip() else ''}{key[2]}: {key[3]}".replace("改为： ", "改为：")
    if "duplicate anchor" in context or "found undefined alias" in problem:
        message = "YAML 格式错误：引用（& 或 *）用法不对"
        return source.finding("L103", message, _ANCHOR_HINT, line, column)
    if context.startswith("expected a single document") and source.name.lower().endswith((".yaml", ".yml")):
        message = "YAML 格式错误：文件里有多份 YAML 文档（多了一行 ---）"
        if text.lstrip().startswith("---"):
            hint = ("这个文件以 --- 开头、中间又有一行 ---，看起来是 Markdown 文档（报告、总结、计划）："
                    "如果是，请把文件名的扩展名改为 .md；如果是表格记录，请删掉多出的 --- 行。")
        else:
            hint = "YAML 记录里不用 --- 分隔：请删掉这一行（一个文件只写一份记录）。"
    else:
        message = "YAML 格式错误：" + _translate_problem(problem)
    return source.finding("L103", message, hint, line, column)


_ANCHOR_HINT = "记录里不用 & 和 * 引用：请直接写出内容；值本身以 & 或 * 开头时，请用英文引号把整个值括起来。"

# What a character means to YAML when a value starts with it (so that the value cannot be read as text).
_INDICATORS = {
    "&": "YAML 把“&”当作给值起名字（锚点）的符号",
    "*": "YAML 把“*”当作引用别处内容的符号",
    "!": "YAML 把“!”当作标记",
    "|": "YAML 把“|”当作多行文字的开始（“|”后面要换行）",
    ">": "YAML 把“>”当作多行文字的开始（“>”后面要换行）",
    "@": "“@”是 YAML 保留的符号，不能写在值的开头",
    "`": "“`”是 YAML 保留的符号，不能写在值的开头",
    "%": "“%”是 YAML 保留的符号，不能写在值的开头",
    "-": "YAML 把“-”当作列表的一项",
}


_KEY_AT = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[A-Za-z_][A-Za-z0-9_.-]*) *:(?: |$)")
_ALIGNMENT_PROBLEMS = ("mapping values are not allowed", "did not find expected key", "expected <block end>",
                       "did not find expected '-' indicator")
_ITEM_AT = re.compile(r"^(?P<indent> *)(?P<dashes>- +)")


def _line_start(line: str):
    """A line's indentation, dashes and key (_KEY_AT), or its indentation and dashes alone, or None."""
    return _KEY_AT.match(line) or _ITEM_AT.match(line)


def _misaligned(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, int, str, int] | None:
    """(0-based line, its indentation, the line re-indented, the line it aligns with) when the parser
    stopped at a key or list item indented to no level the lines above open: one space too many or too
    few (`     groups:` under `  - level1:`). None when the line is aligned (the mistake is elsewhere)."""
    if exc.problem_mark is None or not any(problem in (exc.problem or "")
                                           for problem in _ALIGNMENT_PROBLEMS + ("expected <document start>",)):
        return None
    number = exc.problem_mark.line
    if number >= len(lines):
        return None
    keys = [(earlier, _KEY_AT.match(lines[earlier])) for earlier in range(number + 1)]
    keys = [(earlier, match) for earlier, match in keys if match is not None]
    if keys and keys[0][1]["indent"] and not keys[0][1]["dashes"]:
        # the first key of the file is indented: the top level is where it stands, and the next
        # key written at the margin is "out of place"; the first one is the mistake
        first, match = keys[0]
        if any(not other["indent"] for _, other in keys[1:]):
            return first, len(match["indent"]), lines[first].lstrip(" "), first
    if "expected <document start>" in (exc.problem or ""):
        return None
    line = lines[number]
    match = _line_start(line)
    if match is None:
        return None
    spaces = len(match["indent"])
    levels: dict[int, int] = {}  # indentation a key or item of the lines above stands at → its line
    chain = [(number, match)]  # this line and the lines it can belong to, each shallower than the one below it
    ceiling = None  # only the lines this one can belong to: each shallower than the ones below it
    below = spaces  # the chain: lines strictly shallower than the last one taken
    for earlier in range(number - 1, -1, -1):
        above = _line_start(lines[earlier])
        if above is None:
            continue
        column = len(above["indent"])
        if column < below:
            chain.append((earlier, above))
            below = column
        if ceiling is not None and column > ceiling:
            continue  # inside an earlier branch, closed by a shallower line since
        ceiling = column
        levels.setdefault(column, earlier)
        for dash in re.finditer(r"- +", above["dashes"] or ""):
            levels.setdefault(column + dash.end(), earlier)  # the key after "- " opens a level too
        if column == 0:
            break
    off = _off_the_two_space_steps(lines, chain)
    if off is not None:
        return off
    if not levels or spaces in levels:
        return None
    # between two levels: after a blank line a new section begins (the shallower level); otherwise the
    # line goes on with the lines just above it (the level of the nearest one)
    after_blank = number > 0 and not lines[number - 1].strip()
    nearest = min(levels, key=lambda level: (abs(level - spaces), level if after_blank else -levels[level]))
    if abs(nearest - spaces) > 2:
        return None
    return number, spaces, " " * nearest + line.lstrip(" "), levels[nearest]


def _off_the_two_space_steps(lines: list[str], chain) -> tuple[int, int, str, int] | None:
    """The first line of `chain` (the line the parser stopped at and the lines above it that it belongs
    to, nearest first), from the top, that stands where no line under its parent can: the records are
    written two spaces a level (`indicators:` / `  - level1:` / `    groups:`), and a line one space off
    makes the lines under it misread, so that the parser only stops below it."""
    chain = list(reversed(chain))  # from the top
    for position, ((parent_number, parent), (number, child)) in enumerate(zip(chain, chain[1:])):
        parent_column = len(parent["indent"])
        key_column = parent_column + len(parent["dashes"] or "")
        opens = lines[parent_number].split(" #", 1)[0].rstrip().endswith(":")
        if child["dashes"]:  # an item: of the parent's list, or of a list the parent's key opens
            allowed = ({parent_column} if parent["dashes"] else set()) | ({key_column + 2, key_column} if opens else set())
        else:  # a key: the next one of an item's mapping, or one the parent's key opens
            allowed = ({key_column} if parent["dashes"] else set()) | ({key_column + 2} if opens else set())
        # or the line closes the parent's block (or more): it stands where one of the lines above stands
        allowed |= {len(line["indent"]) for _, line in chain[: position + 1]
                    if bool(line["dashes"]) == bool(child["dashes"])}
        column = len(child["indent"])
        if not allowed or column in allowed:
            continue
        # between two places: after a blank line a new section begins (the shallower place); otherwise the
        # line goes on with the ones above it (two spaces deeper, as records are written)
        after_blank = number > 0 and not lines[number - 1].strip()
        meant = min(allowed, key=lambda level: (abs(level - column), level if after_blank else -level))
        if abs(meant - column) > 1:
            return None  # not one space off: another mistake
        return number, column, " " * meant + lines[number].lstrip(" "), parent_number
    if len(chain) >= 2:
        # the line the parser stopped at stands where it should: then the first line under its parent,
        # one space off, made the parser take this one for the end of a block (`   total:` / `  appropriation:`)
        (parent_number, _parent), (number, child) = chain[-2], chain[-1]
        column = len(child["indent"])
        for first in range(parent_number + 1, number):
            written = _line_start(lines[first])
            if written is None:
                continue
            if abs(len(written["indent"]) - column) == 1 and bool(written["dashes"]) == bool(child["dashes"]):
                return first, len(written["indent"]), " " * column + lines[first].lstrip(" "), number
            break
    return None


def _unclosed_at_end(lines: list[str], place) -> tuple[int, int, str] | None:
    """(0-based line, column, "{" or "[") of the last bracket left open when the parser stopped at the
    end of the text (a file cut off while saving, a `}` forgotten on the last row); None otherwise."""
    if place is None or any(line.strip() for line in lines[place.line + 1:]) or \
            (place.line < len(lines) and lines[place.line][place.column:].strip()):
        return None
    stack: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines[: place.line + 1]):
        index = 0
        while index < len(line):
            character = line[index]
            if character in "\"'" and stack:
                index = input_slips._after_quoted(line, index)
                continue
            if character == "#" and (index == 0 or line[index - 1] == " "):
                break
            if character in "{[" and (stack or line[:index].rstrip().endswith((":", "-", ",")) or not line[:index].strip()):
                stack.append((number, index, character))
            elif character in "}]" and stack:
                stack.pop()
            index += 1
    return stack[-1] if stack else None


def _missing_dash(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(0-based line, the corrected line) when the error comes from an item of a block list written
    without its dash: a line at the column where the dashes of the items before it stand."""
    context, problem = exc.context or "", exc.problem or ""
    if context == "while scanning a simple key" and exc.context_mark is not None and "expected ':'" in problem:
        number = exc.context_mark.line  # {level3: …} or 二 where "- {level3: …}" or "- 二" was meant
    elif context == "while parsing a block collection" and "expected '-' indicator" in problem and exc.problem_mark:
        number = exc.problem_mark.line  # "level2: 质量指标" where "- level2: 质量指标" was meant
    else:
        return None
    if number >= len(lines):
        return None
    line = lines[number]
    indent = len(line) - len(line.lstrip(" "))
    if not line.strip() or line.lstrip().startswith(("-", "#")):
        return None
    for earlier in reversed(lines[:number]):
        if not earlier.strip() or earlier.lstrip().startswith("#"):
            continue
        earlier_indent = len(earlier) - len(earlier.lstrip(" "))
        if earlier_indent < indent:
            return None
        if earlier_indent == indent:
            if earlier.lstrip().startswith("- ") or earlier.strip() == "-":
                return number, line[:indent] + "- " + line[indent:]
            return None
    return None


def _from_indicator(exc: yaml.MarkedYAMLError) -> bool:
    """Whether the parser stopped at a character it read as syntax: an anchor, alias, tag or block
    scalar that is not one, a character no token starts with, or a list item where a value is."""
    return ((exc.context or "").startswith(("while scanning an anchor", "while scanning an alias", "while scanning a tag",
                                             "while scanning a block scalar", "while scanning for the next token",
                                             "while parsing a node"))
            or "block sequence entries are not allowed" in (exc.problem or ""))


def _indicator_value(lines: list[str], exc):
    """(mark, character, the corrected line) when the error comes from a value that starts with a character
    YAML reads as syntax (`project: &高三`, `note: *注`, `deviation: -`, `target: @全体`); None otherwise."""
    marks = (exc,) if isinstance(exc, _Mark) else (exc.context_mark, exc.problem_mark)
    for mark in marks:
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line]
        column = mark.column
        if column >= len(line) or line[column] not in _INDICATORS:
            continue
        before = line[:column].rstrip(" ")
        in_flow = before.endswith(("{", "[", ",")) or (before.endswith(":") and _inside_flow(line, column))
        if not (before.endswith(":") or in_flow) or before.lstrip(" -") in ("", ":"):
            continue  # not a value: a line that starts with "- " or "&", which is another mistake
        if in_flow:
            end = column
            while end < len(line) and line[end] not in ",}]":
                end += 1
            while end > column and line[end - 1] == " ":
                end -= 1
        else:
            comment = line.find(" #", column)
            end = len(line) if comment < 0 else comment
            end = len(line[:end].rstrip(" "))
        value = line[column:end]
        quoted = "'" + value.replace("'", "''") + "'" if '"' in value or "\\" in value else f'"{value}"'
        return mark, line[column], line[:column] + quoted + line[end:]
    return None


def _inside_flow(line: str, column: int) -> bool:
    """Whether `column` of `line` is inside a flow collection ({…} or […]) opened on the line."""
    depth = 0
    for character in line[:column]:
        if character in "{[":
            depth += 1
        elif character in "}]" and depth:
            depth -= 1
    return depth > 0


_PROBLEMS = [
    ("mapping values are not allowed", "这里不能出现“键: 值”（常见原因：值里含有冒号加空格，或缩进不对）"),
    ("could not find expected ':'", "缺少冒号“:”（常见原因：上一行的引号没有闭合，或键后漏了冒号）"),
    ("did not find expected key", "没有找到预期的键（常见原因：缩进没有对齐）"),
    ("did not find expected '-' indicator", "列表项缩进没有对齐"),
    ("found unexpected end of stream", "文件提前结束（常见原因：引号或括号没有闭合）"),
    ("found character that cannot start any token", "这里有一个不能出现在开头的字符（如 Tab、@、`）"),
    ("found unknown escape character", "双引号里的反斜杠“\\”用法不对，可以改用单引号"),
    ("expected <block end>, but found", "缩进没有对齐，或有多余的内容"),
    ("did not find expected ',' or '}'", "花括号 { } 里的内容格式不对（值里有逗号或冒号时要加引号）"),
    ("did not find expected ',' or ']'", "方括号 [ ] 里的内容格式不对（值里有逗号时要加引号）"),
    ("expected a single document", "文件里有多份 YAML 文档（多了一行 ---）"),
    ("did not find expected node content", "这里缺少内容（常见原因：括号没有闭合，或逗号后面什么也没写）"),
    ("found unexpected ':'", "这里有一个多余的冒号"),
    ("expected a comment or a line break", "这一行末尾有多余的内容"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("expected <document start>", "这里有多余的内容（常见原因：多了一个括号“}”“]”，或一行 ... ）"),
    ("found unexpected document separator", "这里有多余的一行 --- 或 ..."),
    ("hexdecimal number", "双引号里的“\\x”“\\u”用法不对（反斜杠在双引号里有特殊含义），可以改用单引号"),
    ("undefined tag handle", "以 ! 开头的标记写法不对（记录里不用标记，值以 ! 开头时要加引号）"),
    ("block sequence entries are not allowed", "这里不能开始一个列表项“- ”（常见原因：缩进不对）"),
    ("mapping keys are not allowed", "这里不能写“? ”"),
    ("found duplicate %YAML directive", "文件开头的 % 指令重复了（记录里用不到它，请删掉）"),
    ("found incompatible YAML document", "文件开头的 %YAML 指令写的版本不对（记录里用不到它，请删掉）"),
    ("directive", "文件开头的 % 指令写法不对（记录里用不到它，请删掉）"),
    ("did not find expected comment or line break", "这一行末尾有多余的内容"),
    ("did not find expected whitespace or line break", "这里缺少空格或换行"),
    ("did not find expected alphabetic or numeric character", "引用（& 或 *）用法不对"),
    ("indentation indicator", "“|”或“>”后面的写法不对（后面要直接换行）"),
    ("found a tab character", "这里有一个制表符（Tab），YAML 只能用空格"),
]


def _translate_problem(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return "这一行无法按 YAML 读取"  # never the English text of the parser: editors do not read it


def _convert(root, source: Source, offset: int):
    """`root` and everything under it as Marked values, in document order, and whether
    any key is other than plain ASCII (the schema's keys are ASCII: maybe a slip).

    The tens of thousands of values of a site go through here, so Marked values
    are made without calling their constructors and node types are compared
    directly (the composer makes exactly these three classes).
    """
    budget = _MAX_VALUES
    odd_keys = False
    new_str, new_dict = str.__new__, dict.__new__
    scalar_node, sequence_node = yaml.ScalarNode, yaml.SequenceNode
    standard_tags = _STANDARD_TAGS

    def convert(node):
        nonlocal budget, odd_keys
        budget -= 1
        if budget < 0:
            raise SiteError(source.finding(
                "L103", "YAML 格式错误：内容展开后过大（引用 * 用得太多）", "请不要用 & 和 * 引用，直接写出内容。"))
        place = node.start_mark
        line, column = place.line + 1 + offset, place.column + 1
        if node.tag not in standard_tags:
            raise SiteError(source.finding(
                "L124", f"不认识的 YAML 标记 {node.tag.replace('tag:yaml.org,2002:', '!!')}：记录里不用标记，这个值会被忽略或误读",
                "以 ! 开头的写法是 YAML 的标记，记录里用不到：请删掉它；值本身以 ! 开头时，请用英文引号把整个值括起来。",
                line, column))
        kind = type(node)
        if kind is scalar_node:
            value = node.value
            if node.style == '"' and CONTROL.search(value):  # written as an escape ("\u0001"): the file has none
                raise SiteError(source.finding("L111", control_message(CONTROL.search(value).group()), CONTROL_HINT,
                                               line, column))
            if not node.style and value == "~":  # plain style is None in PyYAML, "" in libyaml
                value = ""
            result = new_str(MarkedStr, value)
            result.line, result.column = line, column
            return result
        if kind is sequence_node:
            return MarkedList((convert(item) for item in node.value), line=line, column=column)
        result = new_dict(MarkedDict)
        result.line, result.column = line, column
        result.key_marks = key_marks = {}
        for key_node, value_node in node.value:
            place = key_node.start_mark
            key_line, key_column = place.line + 1 + offset, place.column + 1
            if type(key_node) is not scalar_node:
                raise SiteError(source.finding(
                    "L103", "YAML 格式错误：键必须是一段文字，不能是列表或映射",
                    "请检查这一行的写法：键写在冒号前面，例如 “title: 标题”。", key_line, key_column))
            key = key_node.value
            if not key.isascii() and any(character in key for character in _KEY_SLIPS):  # "initial：", "463.31”"
                odd_keys = True  # a slip made it a key (every slip character is outside ASCII)
            if key in result:
                first_line, _ = key_marks[key]
                raise SiteError(source.finding(
                    "L105", f"键“{key}”重复出现（第一次在第 {first_line} 行），后面的值会覆盖前面的值",
                    "同一层里每个键只能写一次：请删除或合并重复的那一项。", key_line, key_column))
            result[key] = convert(value_node)
            key_marks[key] = (key_line, key_column)
        return result

    return convert(root), odd_keys
