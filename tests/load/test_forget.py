"""A loaded file whose parsed values were let go (serve keeps thousands) reads the same values again."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.load import CONTENT_DIR, content_files, load_file
from site_builder.load.yaml_text import MarkedDict, MarkedList

REPO = Path(__file__).resolve().parents[2]


def _marked(value):
    """The value with every mark the checker and the messages use: key marks, line and column of each scalar."""
    if isinstance(value, MarkedDict):
        return {key: (value.key_marks.get(key), _marked(item)) for key, item in value.items()}
    if isinstance(value, (MarkedList, list)):
        return [_marked(item) for item in value]
    return (value, getattr(value, "line", None), getattr(value, "column", None))


@pytest.mark.parametrize("path", content_files(REPO), ids=lambda path: path.relative_to(REPO / CONTENT_DIR).as_posix())
def test_a_forgotten_file_is_parsed_again_to_the_same_marked_values(path):
    loaded = load_file(path, REPO)
    before = (_marked(loaded.data), _marked(loaded.body), loaded.source.lines)
    loaded.forget()
    assert "lines" not in loaded.source.__dict__
    again = loaded.data
    assert (_marked(again), _marked(loaded.body), loaded.source.lines) == before
    assert loaded.data is again  # parsed once more, not at every reading
