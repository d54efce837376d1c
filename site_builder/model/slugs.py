"""ASCII names for output files: portal servers mishandle Chinese paths."""

from __future__ import annotations

import re
from functools import lru_cache

_MAX_LENGTH = 60


@lru_cache(maxsize=4096)  # pypinyin is slow, and titles repeat from year to year
def slugify(text: str) -> str:
    """ "高三复习迎考" → "gao-san-fu-xi-ying-kao"; other characters are dropped."""
    from pypinyin import lazy_pinyin  # a fifth of a second to import: only when a record has no slug

    words = lazy_pinyin(text, errors=lambda chars: [chars])
    parts = []
    for word in words:
        ascii_word = re.sub(r"[^a-z0-9]+", "-", word.lower()).strip("-")
        if ascii_word:
            parts.append(ascii_word)
    slug = "-".join(parts)
    slug = re.sub(r"-+", "-", slug)[:_MAX_LENGTH].strip("-")
    return slug or "page"
