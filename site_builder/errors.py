"""The one error type for users' mistakes, and the finding it carries.

Every problem an editor can fix (a broken YAML file, a missing field, a sum
that does not add up) is a :class:`Finding`: where it is (file, line, column),
which rule (a stable code), a Chinese message and a hint saying how to fix it.
:class:`SiteError` raises one or more findings; the CLI prints them and exits 1.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"

SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    hint: str = ""
    path: str = ""
    line: int = 0  # 1-based; 0 when the whole file is concerned
    column: int = 0  # 1-based
    severity: str = ERROR
    source_line: str = ""  # the offending line of the file, quoted in the report
    acknowledged: str = ""  # the editor's reason, when the record acknowledges it
    # The figures a rule compared, as data for the published notes (check/notes.py):
    # ("printed", "90"), ("computed", "110"). Empty for rules that compare none.
    figures: tuple[tuple[str, str], ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR and not self.acknowledged

    def location(self) -> str:
        place = self.path or "<站点>"
        if self.line:  # the column is always shown, as compilers do: 1 when a whole line is meant
            place += f":{self.line}:{self.column or 1}"
        return place

    def format(self) -> str:
        """Render as `path:line:column: CODE 级别 message`, the quoted line and the hint."""
        label = SEVERITY_LABELS.get(self.severity, self.severity)
        if self.acknowledged:
            label += "（已确认）"
        lines = [f"{self.location()}: {self.code} {label} {self.message}"]
        if self.source_line.strip():
            number = str(self.line) if self.line else ""
            shown, before = _excerpt(self.source_line.rstrip(), self.column)
            lines.append(f"  {number:>4} | {shown}")
            if self.column:
                lines.append(f"  {'':>4} | {' ' * _display_width(before)}^")
        if self.acknowledged:
            lines.append(f"  说明：{self.acknowledged}")
        if self.hint:
            lines.append(f"  提示：{self.hint}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "source_line": self.source_line.rstrip("\n"),
            "acknowledged": self.acknowledged or None,
        }


_QUOTED_CHARACTERS = 100  # of a long line (a paragraph is one line in Markdown), around the column


def _excerpt(line: str, column: int | None) -> tuple[str, str]:
    """The part of `line` quoted in a report, and the part of that before `column` (where the caret goes):
    a line longer than _QUOTED_CHARACTERS is cut to as many around the column, "…" where it was cut."""
    at = column - 1 if column else 0
    if len(line) <= _QUOTED_CHARACTERS:
        return line, line[:at]
    start = max(0, min(at - _QUOTED_CHARACTERS // 2, len(line) - _QUOTED_CHARACTERS))
    end = start + _QUOTED_CHARACTERS
    head, tail = ("…" if start else ""), ("…" if end < len(line) else "")
    return head + line[start:end] + tail, head + line[start:max(at, start)]


def _display_width(text: str) -> int:
    """Columns a terminal uses for `text`: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class FindingCounts:
    """How many errors, warnings and acknowledged findings: the one count every command
    (check, build, the preview's log and its error page) reports, so that they always agree."""

    errors: int = 0
    warnings: int = 0  # not acknowledged
    acknowledged: int = 0  # errors and warnings the records acknowledge

    @classmethod
    def of(cls, findings) -> "FindingCounts":
        errors = warnings = acknowledged = 0
        for finding in findings:
            if finding.acknowledged:
                acknowledged += 1
            elif finding.severity == ERROR:
                errors += 1
            else:
                warnings += 1
        return cls(errors, warnings, acknowledged)

    def summary(self, acknowledged_listed: bool = False, how_to_list: str = "site-builder check --all 列出") -> str:
        """One line, e.g. “共 2 个错误、1 个警告；17 个已确认的问题未列出（--all 列出）”."""
        line = f"共 {self.errors} 个错误、{self.warnings} 个警告"
        if not self.acknowledged:
            return line + "。"
        if acknowledged_listed:
            return line + f"、{self.acknowledged} 个已确认的问题。"
        return line + f"；{self.acknowledged} 个已确认的问题未列出（{how_to_list}）。"


def report_order(findings) -> list[Finding]:
    """Errors first, then warnings, then acknowledged findings; each group in the order given."""
    def rank(finding: Finding) -> int:
        return 2 if finding.acknowledged else (0 if finding.severity == ERROR else 1)
    return sorted(findings, key=rank)


class SiteError(Exception):
    """A mistake in the site's files that the editor must fix."""

    def __init__(self, findings: Finding | list[Finding]):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        super().__init__("\n".join(f.format() for f in self.findings))


@dataclass
class Findings:
    """Collects findings while a stage runs, so that one run reports every mistake."""

    items: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.items.append(finding)

    def extend(self, findings) -> None:
        self.items.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.is_error]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise SiteError(self.errors)


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


def disk_finding(exc: OSError) -> Finding | None:
    """The finding for a full disk (D801) or a file or folder that cannot be written to (D802),
    naming the path and what to do; None for any other OSError (a bug of ours). Writing the
    output folder has its own finding (P802, site_builder.write.cannot_write); this is for
    everything else: archives, imported and new records, the cache."""
    if exc.errno not in _DISK_FULL | _NOT_WRITABLE:
        return None
    path = os.fsdecode(exc.filename or "")
    if exc.errno in _DISK_FULL:
        return Finding(code="D801", path=path, message="磁盘已满，无法写入",
                       hint="请清理这个磁盘上不用的文件，然后重新运行。")
    if exc.errno == errno.EROFS:
        message = "这个位置在只读的磁盘上，无法写入"
    else:
        message = "没有权限写入（或读取）这个位置"
    return Finding(code="D802", path=path, message=message,
                   hint="请检查这个文件夹的权限（或请管理员给您写入权限），确认它不在只读的磁盘上，然后重新运行。")


def relative(path: Path, root: Path) -> str:
    """The path as an editor knows it: relative to the site folder, with forward slashes."""
    if ".." not in path.parts:
        try:  # the usual case, a path found under the folder: no resolve() system calls per file
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
