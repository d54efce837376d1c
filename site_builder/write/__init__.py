"""Write stage: the output folder, swapped in whole, with personal data masked.

Public surface: :func:`write_site`; :func:`mask_personal_data` and :func:`asset_bytes`
give the bytes every published text file has.

The new site is built in a sibling folder and put in place with renames only
once every file is written, so a failed build leaves the previous output
byte-identical and files of deleted records never linger (as Lektor commits
each artifact with os.replace, but for the whole tree).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

# Mobile numbers: 1[3-9] and nine more digits. Deliberately not anchored on
# digit boundaries: a longer digit run containing one (an ID number) is masked too.
MOBILE = re.compile(r"1[3-9]\d{9}")
TEXT_SUFFIXES = (".html", ".htm", ".css", ".js", ".json", ".xml", ".txt", ".csv", ".svg", ".md")


def mask_personal_data(text: str, phone_display: str = "mask", office_phone: str = "") -> str:
    """139****6836 for every mobile number, or the office phone when the site says so."""
    if phone_display == "office" and office_phone:
        return MOBILE.sub(office_phone, text)
    return MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def asset_bytes(source: Path, phone_display: str = "mask", office_phone: str = "") -> bytes:
    """The bytes an asset has in the output: text files masked, others as they are."""
    if source.suffix.lower() in TEXT_SUFFIXES:
        text = source.read_text(encoding="utf-8")
        return mask_personal_data(text, phone_display, office_phone).encode("utf-8")
    return source.read_bytes()


def write_site(out_dir: Path, files: dict[str, bytes], verbatim: dict[str, Path] | None = None,
               unchanged: set[str] | frozenset[str] = frozenset()) -> None:
    """Write `files` (bytes by output path) into `out_dir`, atomically.

    `verbatim` files (the yearly archives) are copied byte for byte: they were
    masked when archived, and must stay exactly as published. Paths in
    `unchanged` are files `out_dir` already holds with exactly these bytes: they
    are hard-linked into the new folder instead of being written again.
    """
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{out_dir.name}.new-{os.getpid()}"
    retired = parent / f".{out_dir.name}.old-{os.getpid()}"
    _remove_leftovers(parent, out_dir.name)
    try:
        for relative_path, data in files.items():
            target = _target(staging, relative_path)
            if relative_path in unchanged and _link(out_dir / relative_path, target):
                continue
            target.write_bytes(data)
        for relative_path, source in (verbatim or {}).items():
            shutil.copyfile(source, _target(staging, relative_path))
        if out_dir.exists():
            os.rename(out_dir, retired)
        os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            os.rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _link(existing: Path, target: Path) -> bool:
    try:
        os.link(existing, target)
        return True
    except OSError:  # a file system without hard links: written as usual
        return False


def _target(root: Path, relative_path: str) -> Path:
    target = root / relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _remove_leftovers(parent: Path, name: str) -> None:
    """Staging folders of an earlier build that was killed mid-way."""
    for leftover in parent.glob(f".{name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


__all__ = ["write_site", "mask_personal_data", "asset_bytes", "MOBILE"]
