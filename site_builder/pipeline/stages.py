"""CPU seconds spent in each stage of a build, for benchmarks/run.py.

When the environment variable SITE_BUILDER_STAGE_TIMES names a file, `build`
writes there, as JSON, the CPU seconds spent per stage (load, model, check,
render, downloads, write, index), summed over its worker processes. Without it
a stage costs one shared no-op context manager.
"""

from __future__ import annotations

import json
import os

ENV = "SITE_BUILDER_STAGE_TIMES"
_ON = bool(os.environ.get(ENV))
_TIMES: dict[str, float] = {}


class _Stage:
    __slots__ = ("name", "start")

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> None:
        self.start = _cpu()

    def __exit__(self, *exc) -> None:
        _TIMES[self.name] = _TIMES.get(self.name, 0.0) + _cpu() - self.start


def _cpu() -> float:
    """CPU seconds of this process and of the programs it ran and waited for (Pagefind)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class _Off:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        return None


_OFF = _Off()


def stage(name: str):
    """`with stage("render"): …` adds the CPU time of the block to that stage."""
    return _Stage(name) if _ON else _OFF


def take() -> dict[str, float]:
    """This process's times so far, cleared (a worker hands them to the build)."""
    taken = dict(_TIMES)
    _TIMES.clear()
    return taken


def forget() -> None:
    """In a worker just forked from the build: the times it inherited are the build's, not its own to
    hand back (handed back, the times of every stage before the fork counted once more per worker)."""
    _TIMES.clear()


def add(times: dict[str, float]) -> None:
    for name, seconds in times.items():
        _TIMES[name] = _TIMES.get(name, 0.0) + seconds


def save() -> None:
    """Write the times of this build where SITE_BUILDER_STAGE_TIMES says, if it says."""
    target = os.environ.get(ENV)
    if target:
        with open(target, "w", encoding="utf-8") as file:
            json.dump({name: round(seconds, 3) for name, seconds in take().items()}, file)


__all__ = ["stage", "take", "add", "forget", "save", "ENV"]
