"""Check stage: the rules of the self-evaluation forms.

Public surface: :func:`run` gives every finding about a modelled site;
:func:`acknowledge` marks the findings a record explicitly acknowledges;
:data:`RULES` documents every code (see `site-builder rules`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import chain, compress
from operator import attrgetter, itemgetter
from typing import NamedTuple

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


def run(site: Site, loaded: LoadedSite, memo: dict | None = None, changed: dict | None = None) -> list[Finding]:
    """Every form rule on every record.

    Rules see one record and its own file, so `memo` (path → (record, findings)),
    kept by a caller between runs, skips records that are the same object as last time.
    `changed` (path → record or None), from a caller that knows which files were read again since
    the last run with this memo (model.ModelMemo.changed), checks only those: every other record is
    the one the memo holds.
    """
    if memo is not None and changed is not None and all(
            record is None or path in memo for path, record in changed.items()):
        for path, record in changed.items():
            if record is not None and memo[path][0] is not record:
                loaded_file = loaded.by_name[path]
                memo[path] = (record, check_record(record, loaded_file.source, loaded_file.data, site.config))
        return list(chain.from_iterable(map(itemgetter(1), memo.values())))  # in the order of site.records
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


class _Acknowledged(NamedTuple):
    """One file's findings as acknowledge marked them, kept between runs (AcknowledgeMemo.files)."""

    loaded_file: object  # the LoadedFile they were marked for
    own: list[Finding] | None  # the file's findings, as given
    acknowledged: list[Finding] | None  # ... marked
    notes: list | None  # the record's published notes
    index: dict | None  # place_index of the file's values, when its record acknowledges by place
    record: Record


@dataclass
class AcknowledgeMemo:
    """What :func:`acknowledge` keeps between runs for a long-running caller (serve)."""

    files: dict = field(default_factory=dict)  # path → _Acknowledged
    given: list | None = None  # the last run's findings, as given
    result: list | None = None  # ... and as returned

    def prepare(self, record: Record, loaded_file) -> None:
        """Index the places of `record`'s file now, while its values are at hand, when it acknowledges
        findings by place: the next run acknowledges them without reading the values again."""
        if any(ack.at for ack in record.acknowledgements):
            self.files[record.path] = _Acknowledged(loaded_file, None, None, None, place_index(loaded_file.data), record)


def acknowledge(findings: list[Finding], site: Site | None, loaded: LoadedSite | None = None,
                memo: AcknowledgeMemo | None = None, changed: dict | None = None) -> list[Finding]:
    """Mark acknowledged findings (they stay listed) and report acknowledgements that match nothing.

    `memo`, kept by a caller between runs (serve): a file not read again whose findings are the same is not
    acknowledged again (nor its values read: the caller may have let them go), and its places are
    not indexed again. `changed` (path → record or None) names the files read again since the last run
    with this memo, when the caller knows (model.ModelMemo.changed): then only those files, and the files
    of the findings that are not the same objects as last time, are looked at."""
    if site is None:
        return findings
    if memo is not None and changed is not None and memo.given is not None and loaded is not None:
        return _acknowledge_again(findings, site, loaded, memo, changed)
    files = loaded.by_name if loaded is not None else {}
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    result = []
    now = {}
    for record in site.records:
        loaded_file = files.get(record.path)
        own = by_path.pop(record.path, [])
        kept = memo.files.get(record.path) if memo is not None and loaded_file is not None else None
        acknowledged, kept = _acknowledged(record, loaded_file, own, kept)
        if loaded_file is not None:
            now[record.path] = kept
        result += acknowledged
    for rest in by_path.values():
        result += rest
    result = in_report_order(result)
    if memo is not None:  # files that are gone are forgotten
        memo.files, memo.given, memo.result = now, findings, result
    return result


def _acknowledged(record: Record, loaded_file, own: list[Finding],
                  kept: _Acknowledged | None) -> tuple[list[Finding], _Acknowledged]:
    """`own` (the findings of `record`'s file) acknowledged, and what the memo keeps of it; `kept`'s
    when it is about the same file and the same findings."""
    if kept is not None and kept.loaded_file is loaded_file and kept.record is record and kept.own == own:
        record.notes = kept.notes
        return kept.acknowledged, kept
    source = loaded_file.source if loaded_file is not None else None
    index = kept.index if kept is not None and kept.loaded_file is loaded_file else None
    if index is None and loaded_file is not None and any(ack.at for ack in record.acknowledgements):
        index = place_index(loaded_file.data)
    acknowledged = acknowledge_file(record.path, own, record.acknowledgements,
                                    lambda line, source=source: _quote(source, line), index=index)
    record.notes = public_notes(acknowledged)  # what the record's page explains to readers
    return acknowledged, _Acknowledged(loaded_file, own, acknowledged, record.notes, index, record)


def _acknowledge_again(findings: list[Finding], site: Site, loaded: LoadedSite, memo: AcknowledgeMemo,
                       changed: dict) -> list[Finding]:
    """:func:`acknowledge` of the same files as the last run, `changed` read again: the last result with
    the findings of those files, and of every file whose findings are not the same objects as last time
    (a file's own findings are kept between runs; findings across files are made again), replaced."""
    path_of = attrgetter("path")
    before, now = set(map(id, memo.given)), set(map(id, findings))
    redone = set(changed)
    redone.update(map(path_of, compress(memo.given, map(before.difference(now).__contains__, map(id, memo.given)))))
    redone.update(map(path_of, compress(findings, map(now.difference(before).__contains__, map(id, findings)))))
    own: dict[str, list[Finding]] = {path: [] for path in redone}
    for finding in compress(findings, map(own.__contains__, map(path_of, findings))):
        own[finding.path].append(finding)
    records = {path: record for path, record in changed.items() if record is not None}
    for path in redone.difference(records).intersection(memo.files):
        records[path] = memo.files[path].record  # a record not read again: the same object
    runs = {}
    for path in redone:
        record = records.get(path)
        if record is None:
            runs[path] = in_report_order(own[path])  # not a record's file: as given
            continue
        loaded_file = loaded.by_name.get(path)
        acknowledged, kept = _acknowledged(record, loaded_file, own[path], memo.files.get(path))
        memo.files[path] = kept
        runs[path] = in_report_order(acknowledged)
    result, start = [], 0
    last = memo.result
    for path in sorted(runs):  # each file's findings stand together in report order: replaced in place
        low = bisect_left(last, path, lo=start, key=path_of)
        high = bisect_right(last, path, lo=low, key=path_of)
        result += last[start:low]
        result += runs[path]
        start = high
    result += last[start:]
    memo.given, memo.result = findings, result
    return result


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
            hint = ("问题已经改正，或这一格换了位置：请删除这条确认，或改为现在的位置"
                    "（运行 site-builder acknowledge 可以重新写确认）。" if ack.at else
                    "问题已经改正，或行号变了：请删除这条确认，或改为现在的行号"
                    "（运行 site-builder acknowledge 可以改写为不随行号变化的确认）。")
            quoted = (ack.at or "").strip()
            if quoted[:1] in _CHINESE_QUOTES or quoted[-1:] in _CHINESE_QUOTES or " " in quoted:
                bare = quoted.strip("".join(_CHINESE_QUOTES) + " ").replace(" ", "")
                hint = (f"at 的值外面或中间有中文引号、空格，对不上任何格子：请改为 at: \"{bare}\"（英文双引号），"
                        "或运行 site-builder acknowledge 重新写确认。")
            result.append(Finding(
                code="F399", severity=RULES["F399"].severity, path=path,
                line=ack.at_line, source_line=quote(ack.at_line),
                message=f"确认了 {ack.code}{where}，但没有这样的问题", hint=hint))
    return result


_CHINESE_QUOTES = ("“", "”", "‘", "’", "「", "」")


def _matches(ack: Acknowledgement, finding: Finding, index) -> bool:
    if ack.at:
        return index is not None and place_at(index, finding.line, finding.column) == ack.at
    return ack.line is None or ack.line == finding.line


def in_report_order(findings: list[Finding]) -> list[Finding]:
    """By file, line, column and code, as compilers list them."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def _quote(source: Source | None, line: int) -> str:
    return source.lines[line - 1] if source and 0 < line <= len(source.lines) else ""


__all__ = ["run", "check_record", "acknowledge", "AcknowledgeMemo", "acknowledge_file", "in_report_order", "place_at", "place_index",
           "RULES"]
