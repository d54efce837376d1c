"""The one error type for users' mistakes, and the finding it carries.

Every problem an editor can fix (a broken YAML file, a missing field, a sum
that does not add up) is a :class:`Finding`: where it is (file, line, column),
which rule (a stable code), a Chinese message and a hint saying how to fix it.
:class:`SiteError` raises one or more findings; the CLI prints them and exits 1.
"""

from __future__ import annotations

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
            lines.append(f"  {number:>4} | {self.source_line.rstrip()}")
            if self.column:
                lines.append(f"  {'':>4} | {' ' * _display_width(self.source_line[: self.column - 1])}^")
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


def _display_width(text: str) -> int:
    """Columns a terminal uses for `text`: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


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
