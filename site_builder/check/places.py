"""Where a finding is in a form, by the keys leading to its cell rather than by line number.

A place is the path of keys from the top of the record to the cell, joined by
"/": ``funds/total/annual``, ``total/score``. An item of a list is named by the
text of its first key (``indicators/产出指标（50分）/groups/数量指标/rows/
1.培训高中骨干教师/score``), so adding a comment line or a row elsewhere does not
move it; an item without such a text is named by its position (``#2``).
Acknowledgements written with ``at:`` match findings by place.
"""

from __future__ import annotations

import bisect

from ..load.yaml_text import MarkedDict, MarkedList


def _item_name(item, index: int, seen: dict[str, int]) -> str:
    name = ""
    if isinstance(item, dict) and item:
        first = next(iter(item.values()))
        if isinstance(first, str):
            name = " ".join(first.split())
    if not name:
        return f"#{index + 1}"
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name}#{seen[name]}"


def _marks(node, path: tuple[str, ...], out: list) -> None:
    """(line, column, path) of every scalar and every key under `node`."""
    if isinstance(node, MarkedDict):
        for key, value in node.items():
            line, column = node.key_marks.get(key, (0, 0))
            out.append((line, column, (*path, str(key))))
            _marks(value, (*path, str(key)), out)
    elif isinstance(node, (MarkedList, list)):
        seen: dict[str, int] = {}
        for index, item in enumerate(node):
            _marks(item, (*path, _item_name(item, index, seen)), out)
    elif isinstance(node, str):
        out.append((getattr(node, "line", 0), getattr(node, "column", 0), path))


def place_index(data) -> list[tuple[int, int, tuple[str, ...]]]:
    marks: list = []
    _marks(data, (), marks)
    return sorted(marks, key=lambda mark: (mark[0], mark[1]))


def place_at(index: list[tuple[int, int, tuple[str, ...]]], line: int, column: int) -> str:
    """The place of what is written at `line`:`column` (column 0: the line's first value), or ""."""
    start = bisect.bisect_left(index, line, key=lambda mark: mark[0])
    end = bisect.bisect_right(index, line, lo=start, key=lambda mark: mark[0])
    on_line = index[start:end]
    if not on_line:
        return ""
    if column:
        before = [mark for mark in on_line if mark[1] <= column]
        chosen = before[-1] if before else on_line[0]
    else:
        chosen = on_line[0]
    return "/".join(chosen[2])


__all__ = ["place_index", "place_at"]
