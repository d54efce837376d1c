"""Write stage: the output folder, staged and put in place, with personal data masked.

Public surface: :class:`Output`; :func:`text_bytes`, :func:`mask_personal_data`
and :func:`asset_bytes` give the bytes every published text file has.

Every file is written to a sibling staging folder first and put in place with
renames only once the build has succeeded, so a failed build leaves the
previous output byte-identical: a new output folder is swapped in whole, a
rebuild moves each changed file over the old one with os.replace (as Lektor
commits each artifact) and deletes the files of deleted records.
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


def text_bytes(text: str, phone_display: str = "mask", office_phone: str = "") -> bytes:
    """The bytes a page (or any published text) has in the output: masked, UTF-8."""
    return mask_personal_data(text, phone_display, office_phone).encode("utf-8")


def asset_bytes(source: Path, phone_display: str = "mask", office_phone: str = "") -> bytes:
    """The bytes an asset has in the output: text files masked, others as they are."""
    if source.suffix.lower() in TEXT_SUFFIXES:
        return text_bytes(source.read_text(encoding="utf-8"), phone_display, office_phone)
    return source.read_bytes()


class Output:
    """The output folder being written: every file goes to a staging folder beside it first.

    :meth:`put` stages a file (any process may call :func:`put_file` with
    :attr:`staging`); :meth:`commit` then either swaps the staging folder in
    whole (a new output folder: nothing of the old one is kept) or, `in_place`,
    moves each staged file over the old one and deletes the files named, so
    that a rebuild touches only what changed. :meth:`discard` drops the staging
    folder and leaves `out_dir` exactly as it was: a build with errors never
    writes anything.
    """

    def __init__(self, out_dir: Path, in_place: bool):
        self.out_dir = Path(out_dir)
        self.in_place = in_place and self.out_dir.is_dir()
        parent = self.out_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(parent, self.out_dir.name)
        self.staging = parent / f".{self.out_dir.name}.new-{os.getpid()}"
        self._retired = parent / f".{self.out_dir.name}.old-{os.getpid()}"
        self.staging.mkdir()
        _MADE.clear()  # folders made by an earlier build of this process may be gone
        self.staged: list[str] = []  # relative paths put by this process

    def put(self, relative_path: str, data: bytes) -> None:
        put_file(self.staging, relative_path, data)
        self.staged.append(relative_path)

    def copy(self, relative_path: str, source: Path) -> None:
        """A file copied byte for byte (the yearly archives, masked when archived)."""
        shutil.copyfile(source, _target(self.staging, relative_path))
        self.staged.append(relative_path)

    def commit(self, staged: list[str], remove: set[str] | frozenset[str] = frozenset()) -> None:
        """Put the staged files (`staged`: every path staged, by any process) in place."""
        try:
            if self.in_place:
                for relative_path in staged:
                    os.replace(self.staging / relative_path, _target(self.out_dir, relative_path))
                for relative_path in remove:
                    try:
                        os.remove(self.out_dir / relative_path)
                    except FileNotFoundError:
                        pass
                _remove_empty_folders(self.out_dir)
                shutil.rmtree(self.staging, ignore_errors=True)
                return
            if self.out_dir.exists():
                os.rename(self.out_dir, self._retired)
            os.rename(self.staging, self.out_dir)
        except BaseException:
            self.discard()
            if self._retired.exists() and not self.out_dir.exists():
                os.rename(self._retired, self.out_dir)
            raise
        shutil.rmtree(self._retired, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def put_file(root: Path, relative_path: str, data: bytes) -> None:
    """Write one staged file under `root` (a worker process of the build calls this)."""
    with open(_target(root, relative_path), "wb") as file:
        file.write(data)


_MADE: set[str] = set()


def _remove_empty_folders(root: Path) -> None:
    for folder, dirs, files in os.walk(root, topdown=False):
        if not dirs and not files and Path(folder) != root:
            try:
                os.rmdir(folder)
            except OSError:
                pass


def _target(root: Path, relative_path: str) -> str:
    """Where `relative_path` goes under `root`, its folder made (thousands of pages share a few folders: one mkdir each)."""
    folder = os.path.join(root, os.path.dirname(relative_path))
    if folder not in _MADE:
        os.makedirs(folder, exist_ok=True)
        _MADE.add(folder)
    return os.path.join(root, relative_path)


def _remove_leftovers(parent: Path, name: str) -> None:
    """Staging folders of an earlier build that was killed mid-way."""
    for leftover in parent.glob(f".{name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


__all__ = ["Output", "put_file", "mask_personal_data", "text_bytes", "asset_bytes", "MOBILE"]
