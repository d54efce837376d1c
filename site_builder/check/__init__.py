"""Check stage: the rules of the self-evaluation forms.

Public surface: :func:`run` gives every finding about a modelled site;
:func:`acknowledge` marks the findings a record has explicitly acknowledged.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import Finding


def run(site, loaded) -> list[Finding]:
    return []


def acknowledge(findings: list[Finding], site) -> list[Finding]:
    if site is None:
        return findings
    by_path = {record.path: record.acknowledgements for record in site.records}
    result = []
    for finding in findings:
        for ack in by_path.get(finding.path, ()):
            if ack.code == finding.code and (ack.line is None or ack.line == finding.line):
                finding = replace(finding, acknowledged=ack.reason)
                break
        result.append(finding)
    return result
