"""Every rule has a stable code, a title, an explanation and examples (as ruff's do).

Form rules register themselves with :func:`rule`; the codes raised while
loading and validating files are documented here with :func:`document` so that
`site-builder rules CODE` explains every code an editor can meet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import ERROR, Finding


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    explanation: str
    wrong: str
    right: str
    check: Callable | None = None  # None for codes raised by the load and model stages
    applies_to: tuple[type, ...] = ()  # the record classes a form rule checks (empty: every record)


RULES: dict[str, Rule] = {}


def rule(code: str, severity: str, title: str, *, explanation: str, wrong: str, right: str,
         applies_to: tuple[type, ...] = ()):
    """Register a check: a function (record, ctx) → iterator of findings."""
    def register(function: Callable[..., Iterator[Finding]]):
        _add(Rule(code, severity, title, explanation.strip(), wrong.strip("\n"), right.strip("\n"),
                  function, applies_to))
        return function
    return register


def document(code: str, title: str, *, explanation: str, wrong: str, right: str, severity: str = ERROR) -> None:
    _add(Rule(code, severity, title, explanation.strip(), wrong.strip("\n"), right.strip("\n")))


def _add(new: Rule) -> None:
    if new.code in RULES:  # pragma: no cover - a programming error caught at import
        raise ValueError(f"rule code {new.code} registered twice")
    RULES[new.code] = new
