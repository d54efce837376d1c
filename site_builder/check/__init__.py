"""Check stage: the rules of the self-evaluation forms.

Public surface: :func:`run` gives every finding about a modelled site;
:func:`acknowledge` marks the findings a record explicitly acknowledges;
:data:`RULES` documents every code (see `site-builder rules`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..errors import Finding
from ..load import LoadedSite, Source
from ..model import Record, Site
from ..model.records import Acknowledgement
from . import loading_codes, rules  # noqa: F401  (registration)
from ..archive import codes as _archive_codes  # noqa: F401,E402  (A6xx documentation)
from ..importer import codes as _import_codes  # noqa: F401,E402  (N403–N407 documentation)
from ..write import codes as _write_codes  # noqa: F401,E402  (P8xx documentation)
from .context import RuleContext
from .notes import public_notes
from .places import place_at, place_index
from .registry import RULES


def run(site: Site, loaded: LoadedSite, memo: dict | None = None) -> list[Finding]:
    """Every form rule on every record.

    Rules see one record and its own file, so `memo` (path → (record, findings)),
    kept by a caller between runs, skips records that are the same object as last time.
    """
    findings = []
    kept = {}
    for record in site.records:
        remembered = memo.get(record.path) if memo is not None else None
        if remembered is None or remembered[0] is not record:
            loaded_file = loaded.by_name[record.path]
            remembered = (record, check_record(record, loaded_file.source, loaded_file.data, site.config))
        kept[record.path] = remembered
        findings.extend(remembered[1])
    if memo is not None:  # records that are gone are forgotten
        memo.clear()
        memo.update(kept)
    return findings


def check_record(record: Record, source: Source, data, config=None) -> list[Finding]:
    """Every form rule that applies to `record`, read from `source` (its file) and `data` (its marked
    values); `config` (the site's SiteConfig) says how the site shows personal numbers."""
    shown = {"phone_display": config.phone_display, "office_phone": config.office_phone} if config else {}
    ctx = RuleContext(sources={record.path: source}, data={record.path: data}, **shown)
    findings = []
    for rule in RULES.values():
        if rule.check is not None and (not rule.applies_to or isinstance(record, rule.applies_to)):
            findings.extend(rule.check(record, ctx))
    return findings


def acknowledge(findings: list[Finding], site: Site | None, loaded: LoadedSite | None = None,
                memo: dict | None = None) -> list[Finding]:
    """Mark acknowledged findings (they stay listed) and report acknowledgements that match nothing.

    `memo` (path → (its LoadedFile, its findings, them acknowledged, its notes, place_index or None)),
    kept by a caller between runs (serve): a file not read again whose findings are the same is not
    acknowledged again (nor its values read: the caller may have let them go), and its places are
    not indexed again."""
    if site is None:
        return findings
    files = loaded.by_name if loaded is not None else {}
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    result = []
    now = {}
    for record in site.records:
        loaded_file = files.get(record.path)
        own = by_path.pop(record.path, [])
        kept = memo.get(record.path) if memo is not None and loaded_file is not None else None
        if kept is not None and kept[0] is loaded_file and kept[1] == own:
            acknowledged, record.notes = kept[2], kept[3]
        else:
            source = loaded_file.source if loaded_file is not None else None
            index = kept[4] if kept is not None and kept[0] is loaded_file else None
            if index is None and loaded_file is not None and any(ack.at for ack in record.acknowledgements):
                index = place_index(loaded_file.data)
            acknowledged = acknowledge_file(record.path, own, record.acknowledgements,
                                            lambda line, source=source: _quote(source, line), index=index)
            record.notes = public_notes(acknowledged)  # what the record's page explains to readers
            kept = (loaded_file, own, acknowledged, record.notes, index)
        if loaded_file is not None:
            now[record.path] = kept
        result += acknowledged
    for rest in by_path.values():
        result += rest
    if memo is not None:  # files that are gone are forgotten
        memo.clear()
        memo.update(now)
    return in_report_order(result)


# A page that would be lost (two records on one address, a reserved address, a record
# without its page) stays an error even when a record acknowledges it.
NEVER_ACKNOWLEDGED = frozenset({"S205", "S209", "S210"})


def acknowledge_file(path: str, findings: list[Finding], acknowledgements: list[Acknowledgement],
                     quote: Callable[[int], str], data=None, index=None) -> list[Finding]:
    """The findings of one file (`path`) with those its record acknowledges marked, plus F399
    for each acknowledgement that matches none; `quote(line)` gives a line of the file and
    `data` its marked values, where acknowledgements by place (``at:``) are looked up (`index`: their
    place_index, when the caller has it already)."""
    used = set()
    result = []
    if index is None and data is not None and any(ack.at for ack in acknowledgements):
        index = place_index(data)
    for finding in findings:
        for position, ack in enumerate(acknowledgements):
            if ack.code == finding.code and _matches(ack, finding, index):
                if finding.code not in NEVER_ACKNOWLEDGED:
                    finding = replace(finding, acknowledged=ack.reason or "（未写理由）")
                used.add(position)
                break
        result.append(finding)
    for position, ack in enumerate(acknowledgements):
        if position not in used:
            where = f"（{ack.at}）" if ack.at else f"（第 {ack.line} 行）" if ack.line else ""
            result.append(Finding(
                code="F399", severity=RULES["F399"].severity, path=path,
                line=ack.at_line, source_line=quote(ack.at_line),
                message=f"确认了 {ack.code}{where}，但没有这样的问题",
                hint=("问题已经改正，或这一格换了位置：请删除这条确认，或改为现在的位置"
                      "（运行 site-builder acknowledge 可以重新写确认）。" if ack.at else
                      "问题已经改正，或行号变了：请删除这条确认，或改为现在的行号"
                      "（运行 site-builder acknowledge 可以改写为不随行号变化的确认）。")))
    return result


def _matches(ack: Acknowledgement, finding: Finding, index) -> bool:
    if ack.at:
        return index is not None and place_at(index, finding.line, finding.column) == ack.at
    return ack.line is None or ack.line == finding.line


def in_report_order(findings: list[Finding]) -> list[Finding]:
    """By file, line, column and code, as compilers list them."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def _quote(source: Source | None, line: int) -> str:
    return source.lines[line - 1] if source and 0 < line <= len(source.lines) else ""


__all__ = ["run", "check_record", "acknowledge", "acknowledge_file", "in_report_order", "place_at", "place_index",
           "RULES"]
