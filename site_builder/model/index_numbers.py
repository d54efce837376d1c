"""索引号: the format a site configures, and the numbers given out so far.

An item keeps its 索引号 for good. Numbers are given to the records that have
none of their own (`index_number:` in a record always wins) and kept in
content/index-numbers.yaml, a file the build maintains and editors commit
with the content: a record listed there keeps its number whatever else is
added or deleted, and the next serial of each scope (a year, when the format
names {year}; the whole site otherwise) only ever grows, so the number of a
deleted record is never given to another one. New records are numbered in a
fixed order (year, publication date, file), so two builds of the same content
give the same numbers.

Public surface: :class:`IndexFormat` (from content/site.yaml, with its findings),
:class:`Assignments` (:func:`read_assignments`, :meth:`Assignments.assign`,
:func:`write_assignments`).
"""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, SiteError
from ..load import CONTENT_DIR, INDEX_NUMBERS_FILE
from ..load.source import read_source
from ..load.yaml_text import MarkedDict, mark, parse_yaml

_FIELDS = ("org_code", "year", "serial")
_SPEC = re.compile(r"0?[0-9]{0,2}d?")  # what may follow the colon: a width of at most 99 (05d, 3, d)
_SITE_WIDE = "全站"  # the scope of the serial when the format does not name the year
_HEADER = """\
# 索引号分配记录：由 site-builder build 自动维护，请与 content/ 一同提交（git add content/index-numbers.yaml）。
# 已分配的索引号永不改变；删除的记录的索引号不会再分配给别的记录。请不要手工修改。
# next：每个年度（或“全站”）下一个序号；numbers：记录（content/ 下的路径，不带扩展名）→ 索引号。
"""


@dataclass(frozen=True)
class IndexFormat:
    """How a 索引号 is written, e.g. "{org_code}/{year}-{serial:05d}"."""

    pattern: str
    org_code: str = ""

    @property
    def per_year(self) -> bool:
        return any(name == "year" for _, name, _, _ in string.Formatter().parse(self.pattern))

    def scope(self, year: int) -> str:
        return str(year) if self.per_year else _SITE_WIDE

    def number(self, year: int, serial: int) -> str:
        return self.pattern.format(org_code=self.org_code, year=year, serial=serial)


def index_format(data: MarkedDict, source) -> tuple[IndexFormat | None, list[Finding]]:
    """The `index_number:` block of content/site.yaml, checked (P713); None when not configured."""
    block = data.get("index_number")
    if not isinstance(block, dict) or not str(block.get("format") or "").strip():
        return None, []
    pattern = block["format"]
    org_code = str(block.get("org_code") or "").strip()

    def problem(message: str, value=pattern) -> tuple[None, list[Finding]]:
        return None, [source.finding(
            "P713", message,
            "格式用 {org_code}（机构代码）、{year}（年度）、{serial}（序号，如 {serial:05d} 补足 5 位）组合，"
            "必须含 {serial}，例如 format: \"{org_code}/{year}-{serial:05d}\"；用到 {org_code} 时要写 org_code。",
            *mark(value))]

    try:
        names = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(pattern)
                 if name is not None]
    except ValueError:
        return problem(f"索引号格式 {pattern} 的花括号不成对")
    for name, spec, conversion in names:
        if name not in _FIELDS:
            return problem(f"索引号格式里的 {{{name}}} 不认识")
        if conversion or not _SPEC.fullmatch(spec or ""):  # {serial:0999999999d} took the memory there is
            return problem(f"索引号格式里的 {{{name}}} 写法不对")
    if "serial" not in {name for name, _, _ in names}:
        return problem(f"索引号格式 {pattern} 没有序号 {{serial}}，各条记录的索引号会相同")
    if any(name == "org_code" for name, _, _ in names) and not org_code:
        return problem("索引号格式用到了 {org_code}，但没有写 org_code（机构代码）", block.get("org_code") or pattern)
    found = IndexFormat(str(pattern), org_code)
    try:
        found.number(2024, 1)
    except (ValueError, KeyError, IndexError):
        return problem(f"索引号格式 {pattern} 无法生成索引号（{{serial}} 的位数写法如 {{serial:05d}}）")
    return found, []


@dataclass
class Assignments:
    """The numbers given out: record id → 索引号, and each scope's next serial."""

    numbers: dict[str, str] = field(default_factory=dict)
    next_serial: dict[str, int] = field(default_factory=dict)

    def assign(self, index: IndexFormat, records) -> "Assignments":
        """These assignments with a number for every record (or summary) of `records` that needs one."""
        waiting = sorted((r for r in records if needs_number(r) and r.id not in self.numbers),
                         key=lambda r: (r.year, r.date or datetime.date.max, r.id))
        if not waiting:
            return self
        result = Assignments(dict(self.numbers), dict(self.next_serial))
        for record in waiting:
            scope = index.scope(record.year)
            serial = result.next_serial.get(scope, 1)
            result.numbers[record.id] = index.number(record.year, serial)
            result.next_serial[scope] = serial + 1
        return result


def needs_number(record) -> bool:
    """A dated item of a year without a 索引号 of its own (the organisation's page is not an item of the catalogue)."""
    return record.year is not None and record.kind != "organization" and not record.index_number


def assignments_path(site_dir: Path) -> Path:
    return Path(site_dir) / CONTENT_DIR / INDEX_NUMBERS_FILE


def read_assignments(site_dir: Path) -> tuple[Assignments, list[Finding]]:
    """The numbers given out so far (none when the file does not exist); P714 when it cannot be read."""
    path = assignments_path(site_dir)
    if not path.is_file():
        return Assignments(), []
    try:
        source = read_source(path, Path(site_dir))
        data = parse_yaml(source)
    except SiteError as exc:
        return Assignments(), exc.findings
    hint = "这个文件由 site-builder build 维护：请用 git checkout -- content/index-numbers.yaml 恢复提交过的版本。"
    if data is None:
        return Assignments(), []
    if not isinstance(data, dict):
        return Assignments(), [source.finding("P714", "索引号分配记录的格式不对", hint, 1, 1)]
    result, findings = Assignments(), []
    for key, value in (data.get("next") or {}).items() if isinstance(data.get("next"), dict) else ():
        if not str(value).isdigit():
            findings.append(source.finding("P714", f"下一个序号 {value} 不是数字", hint, *mark(value)))
            continue
        result.next_serial[str(key)] = int(value)
    numbers = data.get("numbers") or {}
    if not isinstance(numbers, dict):
        return result, findings + [source.finding("P714", "numbers 应当逐行写“记录: 索引号”", hint, *mark(numbers))]
    seen: dict[str, str] = {}
    for key, value in numbers.items():
        if not isinstance(value, str) or not value.strip():
            findings.append(source.finding("P714", f"记录 {key} 的索引号是空的", hint, *mark(key)))
            continue
        if value in seen:
            findings.append(source.finding("P714", f"索引号 {value} 同时分给了 {seen[value]} 和 {key}", hint, *mark(value)))
        seen[value] = str(key)
        result.numbers[str(key)] = str(value)
    return result, findings


def render_assignments(assignments: Assignments) -> str:
    lines = [_HEADER, "next:"]
    lines += [f"  {_quoted(scope)}: {serial}" for scope, serial in sorted(assignments.next_serial.items())]
    lines.append("numbers:")
    lines += [f"  {_quoted(record)}: {_quoted(number)}" for record, number in sorted(assignments.numbers.items())]
    return "\n".join(lines) + "\n"


def write_assignments(site_dir: Path, assignments: Assignments) -> bool:
    """Save `assignments` when they differ from the file; whether the file was written."""
    path = assignments_path(site_dir)
    text = render_assignments(assignments)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return True


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: keys and numbers are read back as the text written."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


__all__ = ["IndexFormat", "Assignments", "index_format", "needs_number", "read_assignments", "write_assignments",
           "render_assignments", "assignments_path", "INDEX_NUMBERS_FILE"]
