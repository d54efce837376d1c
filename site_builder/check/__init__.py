"""Check stage: the rules of the self-evaluation forms.

Public surface: :func:`run` gives every finding about a modelled site;
:func:`acknowledge` marks the findings a record explicitly acknowledges;
:data:`RULES` documents every code (see `site-builder rules`).
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import Finding
from ..load import LoadedSite
from ..model import Site
from . import loading_codes, rules  # noqa: F401  (registration)
from ..archive import codes as _archive_codes  # noqa: F401,E402  (A6xx documentation)
from .context import RuleContext
from .registry import RULES


def run(site: Site, loaded: LoadedSite, memo: dict | None = None) -> list[Finding]:
    """Every form rule on every record.

    Rules see one record and its own file, so `memo` (path → (record, findings)),
    kept by a caller between runs, skips records that are the same object as last time.
    """
    ctx = RuleContext(sources={f.source.name: f.source for f in loaded.files},
                      data={f.source.name: f.data for f in loaded.files})
    findings = []
    for record in site.records:
        remembered = memo.get(record.path) if memo is not None else None
        if remembered is not None and remembered[0] is record:
            findings.extend(remembered[1])
            continue
        record_findings = []
        for rule in RULES.values():
            if rule.check is not None and (not rule.applies_to or isinstance(record, rule.applies_to)):
                record_findings.extend(rule.check(record, ctx))
        if memo is not None:
            memo[record.path] = (record, record_findings)
        findings.extend(record_findings)
    if memo is not None:  # forget records that are gone
        for path in set(memo) - {record.path for record in site.records}:
            del memo[path]
    return findings


def acknowledge(findings: list[Finding], site: Site | None, loaded: LoadedSite | None = None) -> list[Finding]:
    """Mark acknowledged findings (they stay listed) and report acknowledgements that match nothing."""
    if site is None:
        return findings
    sources = {f.source.name: f.source for f in loaded.files} if loaded is not None else {}
    records = {record.path: record for record in site.records}
    used = set()
    result = []
    for finding in findings:
        record = records.get(finding.path)
        for index, ack in enumerate(record.acknowledgements if record else ()):
            if ack.code == finding.code and (ack.line is None or ack.line == finding.line):
                finding = replace(finding, acknowledged=ack.reason or "（未写理由）")
                used.add((finding.path, index))
                break
        result.append(finding)
    for record in site.records:
        for index, ack in enumerate(record.acknowledgements):
            if (record.path, index) not in used:
                source = sources.get(record.path)
                result.append(Finding(
                    code="F399", severity=RULES["F399"].severity, path=record.path, line=ack.at_line,
                    source_line=source.lines[ack.at_line - 1] if source and 0 < ack.at_line <= len(source.lines) else "",
                    message=f"确认了 {ack.code}{f'（第 {ack.line} 行）' if ack.line else ''}，但没有这样的问题",
                    hint="问题已经改正，或行号变了：请删除这条确认，或改为现在的行号。"))
    return sorted(result, key=lambda f: (f.path, f.line, f.column, f.code))


__all__ = ["run", "acknowledge", "RULES"]
