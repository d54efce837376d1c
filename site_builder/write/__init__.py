"""Write stage: the output folder, staged and put in place; the one door every published byte passes.

Public surface: :class:`Output` and :func:`put_file` (every file the build
publishes is written by them), :func:`text_bytes` and :func:`asset_bytes` (the
bytes a page or a theme asset has), and :func:`published_bytes`, the choke point.

Personal data (site_builder.privacy): :func:`published_bytes` masks every
mobile and 身份证 number in every file that is staged, whatever made it (pages,
assets, archives, manifests, downloads, search index, feeds): text is masked by
its media type, images and fonts pass as they are, a zip container (.zip,
.xlsx, .docx) passes only when its members hold no number (producers must pass
their text through ``privacy.mask_text`` before packing), and a file of any
other type is refused. Output paths are checked too: a path holding a number
cannot be masked without breaking its links, so it is refused (the checker
reports such an address as P703 first; P706 otherwise).

Every file is written to a sibling staging folder first and put in place with
renames only once the build has succeeded, so a failed build leaves the
previous output byte-identical: a new output folder is swapped in whole, a
rebuild moves each changed file over the old one with os.replace (as Lektor
commits each artifact) and deletes the files of deleted records.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import Finding, SiteError
from ..privacy import (MaskedBytes, UnmaskableData, find_personal_numbers, mask_bytes, mask_text, media_type_of,
                       show_office_phone)


def mask_personal_data(text: str, phone_display: str = "mask", office_phone: str = "") -> str:
    """139****6836 for every mobile number, or the office phone (taken literally) when the site says so."""
    if phone_display == "office" and office_phone:
        return show_office_phone(text, office_phone)
    return mask_text(text)


def text_bytes(text: str, phone_display: str = "mask", office_phone: str = "") -> bytes:
    """The bytes a page (or any published text) has in the output: masked, UTF-8."""
    return MaskedBytes(mask_personal_data(text, phone_display, office_phone).encode("utf-8"))


def asset_bytes(source: Path, phone_display: str = "mask", office_phone: str = "") -> bytes:
    """The bytes an asset has in the output: text files masked, images and fonts as they are."""
    if media_type_of(source.name) in _TEXT_ASSETS:
        return text_bytes(source.read_text(encoding="utf-8"), phone_display, office_phone)
    return source.read_bytes()  # published_bytes decides whether it may be published


def published_bytes(relative_path: str, data: bytes) -> bytes:
    """The bytes that may leave the site as `relative_path`: masked, or SiteError (P705) when they cannot be."""
    if find_personal_numbers(relative_path):
        raise SiteError(Finding(
            code="P706", path=mask_text(relative_path),
            message=f"要发布的文件名 {mask_text(relative_path)} 含有手机号码或身份证号码，没有生成",
            hint="网页地址和文件名不能含有个人信息：请改内容文件的文件名或 slug。"))
    try:
        return mask_bytes(data, media_type_of(relative_path))
    except UnmaskableData as exc:
        raise SiteError(Finding(
            code="P706", path=mask_text(relative_path), message=f"{mask_text(relative_path)} 不能发布：{exc}",
            hint="网站只发布能检查个人信息的文件：网页、文本、CSV、JSON、图片、字体，以及文字已打码的压缩包和 Excel 表。"
                 "请删掉这个文件，或换成上述格式。")) from None


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

    def put(self, relative_path: str, data: bytes) -> bytes:
        """Stage a file; returns the bytes written (masked: see published_bytes)."""
        written = put_file(self.staging, relative_path, data)
        self.staged.append(relative_path)
        return written

    def copy(self, relative_path: str, source: Path) -> None:
        """A file copied (the yearly archives, masked when archived; masked again on the way out)."""
        put_file(self.staging, relative_path, source.read_bytes())
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


def put_file(root: Path, relative_path: str, data: bytes) -> bytes:
    """Write one staged file under `root` (a worker process of the build calls this); the
    bytes written are published_bytes(relative_path, data), and returned."""
    data = published_bytes(relative_path, data)
    with open(_target(root, relative_path), "wb") as file:
        file.write(data)
    return data


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


_TEXT_ASSETS = frozenset({"text/html", "text/css", "text/javascript", "application/json", "application/xml",
                          "text/plain", "text/csv", "image/svg+xml", "text/markdown"})

__all__ = ["Output", "put_file", "published_bytes", "mask_personal_data", "text_bytes", "asset_bytes"]
