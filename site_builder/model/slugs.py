"""ASCII names for output files: portal servers mishandle Chinese paths."""

from __future__ import annotations

import re
from functools import lru_cache

from ..load import WINDOWS_NAMES

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


# Names the site uses for its own pages, files and folders (now, or planned: downloads,
# search, catalogue, feeds, sitemaps): a record's page taking one would replace it or be replaced.
RESERVED_NAMES = frozenset({"index", "404", "assets", "archive", "archives", "downloads", "search",
                            "catalogue", "feed", "sitemap"})
MAX_NAME = 100  # characters of one file or folder name
MAX_ADDRESS = 240  # characters of a page's path in the site: the site is copied under a portal's folders


@lru_cache(maxsize=1 << 18)  # every page's address is asked about at every build and every save
def address_problem(address: str) -> str | None:
    """Why a page's path in the site (`disclosure/2023/x.html`) cannot be used, in Chinese; None when it can."""
    if len(address) > MAX_ADDRESS:
        return f"网页地址 {address[:40]}… 有 {len(address)} 个字符，太长了（最多 {MAX_ADDRESS} 个）"
    parts = address.split("/")
    for part in parts:
        stem = part.split(".")[0].lower()
        if len(part) > MAX_NAME:
            return f"网页文件名 {part[:40]}… 有 {len(part)} 个字符，太长了（最多 {MAX_NAME} 个）"
        if part != part.rstrip(". "):
            return f"网页文件名“{part}”以点或空格结尾，Windows 上无法保存"
        if stem in WINDOWS_NAMES:
            return f"网页文件名 {part} 是 Windows 的保留名（{stem}），在 Windows 上无法保存或复制"
    stem = parts[-1].split(".")[0].lower()
    if stem in RESERVED_NAMES:
        return f"网页文件名 {parts[-1]} 是网站自己的网页或文件夹使用的名字（{stem}），会覆盖它或被它覆盖"
    return None
