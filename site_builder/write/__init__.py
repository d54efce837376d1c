"""Write stage: the output folder, replaced in one atomic step; the one door every published byte passes.

Public surface: :class:`Output`, :func:`put_file` and :func:`put_joined`
(every file the build publishes is written by them); :func:`text_bytes`,
:func:`mask_personal_data` and :func:`asset_bytes` give the bytes every
published text file has; :func:`published_bytes` is the choke point
(:func:`put_joined` writes a file joined from pieces masked where they were
made, as privacy.join_masked allows, without holding it whole);
:func:`remove_leftovers` cleans what a killed build left beside the output.

Personal data (site_builder.privacy): :func:`published_bytes` masks every
mobile and 身份证 number in every file that is staged, whatever made it (pages,
assets, archives, manifests, downloads, search index, feeds): text is masked by
its media type, images and fonts pass as they are, a zip container (.zip,
.xlsx, .docx) passes only when its members hold no number (producers must pass
their text through ``privacy.mask_text`` before packing), and a file of any
other type is refused. Output paths are checked too: a path holding a number
cannot be masked without breaking its links, so it is refused (the checker
reports such an address as P703 first; P706 otherwise).

The output folder changes in one step, so that a build killed at any moment
(kill -9 included) leaves it entirely the old site or entirely the new one:

1. Every file the build writes goes into a staging folder beside the output
   (``.build.new-PID``). A rebuild then hard-links each unchanged file of the
   old output into the staging folder (no bytes copied), so that the staging
   folder holds the complete new site.
2. The staging folder and the output folder are swapped with one system call,
   ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+, through ctypes); the old site,
   now in the staging folder, is kept beside the output as ``.build.previous``.
   The next rebuild takes that folder as its staging folder instead of an empty
   one: most of its files are hard links to the output's already, so completing
   it costs what changed since, not a link per file (a site of 10,000 pages has
   some 90,000 files), and nothing has to be deleted after the swap. Whatever is
   in it is compared with the output by inode number, never trusted: a file that
   is not the output's own is linked again or deleted, and the build never writes
   through a file there (each is replaced, :func:`put_file`).
3. Where the exchange is not available (another system, an old kernel, a file
   system without it: EINVAL, ENOSYS, ENOTSUP), the fallback renames the old
   output aside (``.build.old-PID``) and the staging folder into place: two
   renames, between which the output folder is missing for an instant.
4. An output folder that cannot be renamed at all (a mount point: EBUSY, or
   another file system: EXDEV) is updated in place, file by file, with a
   warning (P801) that the update is not atomic: it still builds.

A failed build (errors in the content, a permission error while staging)
leaves the output folder as it was; ``.build.previous`` is kept for the next
build after errors in the content, and removed after a failure to write (the
next build would meet it again there). The leftovers of a killed build are
deleted by the next one, and so is a ``.build.previous`` that no rebuild can
take (the output folder deleted, the cache lost). A rebuild with nothing to do
never gets here.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from ..cache import digest, digester
from ..errors import WARNING, Finding, SiteError
from ..privacy import (MaskedBytes, UnmaskableData, find_personal_numbers, mask_bytes, mask_text, masked_pieces,
                       media_type_of, show_office_phone)


def shows_office_phone(phone_display: str, office_phone: str) -> bool:
    """Whether the site shows its office phone in place of a mobile number (site.yaml), not 139****6836."""
    return phone_display == "office" and bool(office_phone)


def mask_personal_data(text: str, phone_display: str = "mask", office_phone: str = "") -> str:
    """139****6836 for every mobile number, or the office phone (taken literally) when the site says so."""
    if shows_office_phone(phone_display, office_phone):
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
    _refuse_personal_path(relative_path)
    try:
        return mask_bytes(data, media_type_of(relative_path))
    except UnmaskableData as exc:
        raise SiteError(Finding(
            code="P706", path=mask_text(relative_path), message=f"{mask_text(relative_path)} 不能发布：{exc}",
            hint="网站只发布能检查个人信息的文件：网页、文本、CSV、JSON、图片、字体，以及文字已打码的压缩包和 Excel 表。"
                 "请删掉这个文件，或换成上述格式。")) from None


def published_earlier(path: str, data: bytes, known: bytes) -> bytes:
    """`data` read back from `path` (in the output folder), a file this build or an earlier one wrote,
    as MaskedBytes: packed again (a year's zip), it is not checked again. `known` is the digest of the
    bytes published_bytes gave then; a file whose bytes no longer have it was changed after it was
    written, behind the build's back (its size and time kept, or the build would have made it again):
    SiteError (P803), and nothing built from it is published."""
    if digest(data) != known:
        raise SiteError(Finding(
            code="P803", path=mask_text(path),
            message=f"输出文件夹中的 {mask_text(path)} 在生成之后被改动过（大小和修改时间没变，内容变了），不能照此发布",
            hint="输出文件夹里的文件只能由 site-builder build 生成。请删除这个文件（或整个输出文件夹），"
                 "再运行 site-builder build：它会按 content/ 中的记录重新生成。"))
    return MaskedBytes(data)


class Output:
    """The output folder being written: every file goes to a staging folder beside it first.

    :meth:`put` stages a file (any process may call :func:`put_file` with
    :attr:`staging`); :meth:`commit` completes the staging folder with the
    unchanged files of the old output (`in_place`, a rebuild: hard links) and
    swaps it in whole. :meth:`discard` drops the staging folder and leaves
    `out_dir` exactly as it was: a build with errors never writes anything.
    :attr:`warnings` holds the findings the editor should see (P801).
    """

    def __init__(self, out_dir: Path, in_place: bool):
        self.out_dir = Path(out_dir)
        self._real = self.out_dir.resolve()  # a symlinked output folder: its target is replaced
        self.in_place = in_place and self._real.is_dir()
        parent = self._real.parent
        # a mount point cannot be swapped: only the changed files are staged and moved in (P801)
        self.atomic = not (self._real.is_dir() and os.path.ismount(self._real))
        self._removing: list[threading.Thread] = []
        self._exchanged = False  # the old output is beside the new one (in the staging or the retired folder)
        try:
            parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(self._real)
            self.staging = parent / f".{self._real.name}.new-{os.getpid()}"
            self._retired = parent / f".{self._real.name}.old-{os.getpid()}"
            self._previous = previous_output(self._real)
            # the previous output as the staging folder (see the module's docstring), else an empty one
            aside = parent / f".{self._real.name}.old-{os.getpid()}-previous"  # a leftover if killed while removed
            self.reused = self.in_place and self.atomic and _claim(self._previous, self.staging)
            if self.reused:
                try:
                    _only_files_and_folders(self.staging)
                except OSError:  # not ours to clean: an empty staging folder instead
                    self.reused = False
                    self._remove_later(self.staging, aside)
            if not self.reused:
                self._remove_later(self._previous, aside)
                self.staging.mkdir()
        except OSError as exc:
            raise SiteError(cannot_write(exc, self.out_dir)) from None
        _MADE.clear()  # folders made by an earlier build of this process may be gone
        self.staged: list[str] = []  # relative paths put by this process
        self.warnings: list[Finding] = []

    def put(self, relative_path: str, data: bytes) -> bytes:
        """Stage a file; returns the bytes written (masked: see published_bytes)."""
        written = put_file(self.staging, relative_path, data)
        self.staged.append(relative_path)
        return written

    def put_joined(self, relative_path: str, pieces: Iterable[bytes]) -> bytes:
        """Stage a file joined from pieces (see put_joined); returns its digest."""
        known = put_joined(self.staging, relative_path, pieces)
        self.staged.append(relative_path)
        return known

    def unstage(self, relative_path: str) -> None:
        """Take back a file staged by this process: the output folder keeps its own (linked at commit)."""
        (self.staging / relative_path).unlink()
        self.staged.remove(relative_path)

    def copy(self, relative_path: str, source: Path) -> None:
        """A file copied (the yearly archives, masked when archived; masked again on the way out).
        A symbolic link is never followed: it is refused (P706)."""
        try:
            descriptor = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            if not os.path.islink(source):
                raise
            raise SiteError(Finding(
                code="P706", path=mask_text(relative_path),
                message=f"{mask_text(relative_path)} 不能发布：它是符号链接", hint="请把链接换成真正的文件。")) from exc
        with os.fdopen(descriptor, "rb") as file:
            put_file(self.staging, relative_path, file.read())
        self.staged.append(relative_path)

    def commit(self, staged: Collection[str], expected: set[str] | frozenset[str] = frozenset()) -> None:
        """Put the new output in place in one step.

        `staged`: every path staged, by any process (looked up, not copied: a set or a dict's keys);
        `expected`: every file the new output holds, of which a rebuild keeps those the old output
        folder holds and this build did not stage."""
        try:
            if self.in_place and self.atomic:
                self._link_unchanged(staged, expected)
            _pause_for_tests("commit")
            if not self.atomic:  # a rebuild moves only what changed; a first build, everything
                self._sync_in_place(staged, expected) if self.in_place else self._sync_in_place(None, None)
            else:
                self._swap()
            _pause_for_tests("committed")
        except BaseException as exc:
            self.discard()
            if self._retired.exists() and not os.path.lexists(self._real):
                os.rename(self._retired, self._real)
            if isinstance(exc, OSError):
                raise SiteError(cannot_write(exc, self.out_dir)) from None
            raise
        if self._exchanged:  # the old output (in the staging folder, or the retired one) is the next build's staging folder
            old_site = self.staging if os.path.lexists(self.staging) else self._retired
            if not _claim(old_site, self._previous):
                self._remove_later(old_site)
        else:  # what is left of a staging folder that was not swapped in
            self._remove_later(self.staging)

    def discard(self, keep_previous: bool = False) -> None:
        """Drop what was staged: the output folder stays as it was. With `keep_previous` (the build
        stopped at mistakes in the content), a staging folder made from the previous output becomes that
        again, what was written into it set right by the next build; after a failure to write, it is
        removed, so that the next build does not meet the same failure in it."""
        if not (keep_previous and self.reused and _claim(self.staging, self._previous)):
            shutil.rmtree(self.staging, ignore_errors=True)

    def finish(self) -> None:
        """Wait until what the build removes beside the output is removed."""
        for thread in self._removing:
            thread.join()
        self._removing = []

    def _remove_later(self, folder: Path, aside: Path | None = None) -> None:
        """Remove `folder` while the build goes on (finish waits for it); renamed to `aside` first, so that
        a build killed meanwhile leaves a leftover the next one removes."""
        if aside is not None:
            if not _claim(folder, aside):
                return
            folder = aside
        elif not os.path.lexists(folder):
            return
        thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                                  name="remove-beside-output")
        thread.start()
        self._removing.append(thread)

    # --- the steps ------------------------------------------------------------------------

    def _link_unchanged(self, staged: Collection[str], expected) -> None:
        """Complete the staging folder: each file of the old output that the new one holds (`expected`)
        and this build did not stage, hard-linked.

        The two folders are compared a folder at a time, by names and inode numbers as the folder gives
        them (no stat), never as lists of every file (900,000 at 100,000 pages). Where the system links by
        folder (Linux, macOS: linkat), each folder is opened once and its files are linked by name. A
        staging folder made from the previous output (`reused`) holds most of them already: only a file
        that is not the output's own (another inode) is linked, every file the new output does not hold is
        deleted from it, and so is every folder left empty."""
        staging_folders: list[str] = []  # of a reused staging folder: each, to remove if left empty
        for folder, live, live_below in _tree(self._real):
            prefix = f"{folder}/" if folder else ""
            target_folder = os.path.join(self.staging, folder)
            there: dict[str, int] = {}
            if self.reused and os.path.isdir(target_folder):
                there, there_below = _inodes(target_folder)
                staging_folders.append(folder)
                for name in there:
                    path = prefix + name
                    if path not in staged and (name not in live or path not in expected):
                        os.unlink(os.path.join(target_folder, name))
                for name in there_below:  # a folder the old output does not have: what was not staged there goes
                    if name not in live_below:
                        self._keep_staged(f"{prefix}{name}", staged)
            # inode numbers that tell nothing (0, or one number twice: some file systems): every file linked again
            telling = 0 not in live.values() and len(set(live.values())) == len(live)
            names = [name for name, inode in live.items() if (path := prefix + name) in expected
                     and path not in staged and not (telling and there.get(name) == inode)]
            if names:
                source_folder = os.path.join(self._real, folder)
                target_folder = _folder(self.staging, folder)
                with _opened(source_folder) as source_fd, _opened(target_folder) as target_fd:
                    for name in names:
                        _link(name, source_folder, target_folder, source_fd, target_fd)
        _remove_if_empty(self.staging, [folder for folder in staging_folders if folder])

    def _keep_staged(self, top: str, staged: Collection[str]) -> None:
        """Delete each file under the staging folder's `top` that this build did not stage, and each
        folder there left empty (at once: the old output may have a file of that name, to be linked)."""
        folders = []
        for relative, files, _ in _tree(os.path.join(self.staging, top)):
            folder = f"{top}/{relative}" if relative else top
            folders.append(folder)
            for name in files:
                if f"{folder}/{name}" not in staged:
                    os.unlink(os.path.join(self.staging, folder, name))
        _remove_if_empty(self.staging, folders)

    def _swap(self) -> None:
        if not os.path.lexists(self._real):
            os.rename(self.staging, self._real)
            return
        try:
            exchange(self.staging, self._real)  # the staging folder now holds the old site
            self._exchanged = True
            return
        except OSError as exc:
            if exc.errno in NOT_RENAMEABLE:
                return self._sync_in_place(None, None)
            if exc.errno not in NO_EXCHANGE:
                raise
        try:  # no atomic exchange here: two renames, the output folder missing in between
            os.rename(self._real, self._retired)
        except OSError as exc:
            if exc.errno in NOT_RENAMEABLE:
                return self._sync_in_place(None, None)
            raise
        self._exchanged = True
        os.rename(self.staging, self._real)

    def _sync_in_place(self, staged: Collection[str] | None, expected: set[str] | None) -> None:
        """Move each staged file (`staged`; None: every file of the staging folder) over the old
        one and delete every other file the new output does not hold (`expected`; None: every file
        the staging folder does not hold). Not atomic: said so (P801)."""
        self.warnings.append(Finding(
            code="P801", severity=WARNING, path=self.out_dir.as_posix(),
            message=(f"输出文件夹 {self.out_dir} 不能整体替换（它是挂载点，或与上一级文件夹不在同一个文件系统上），"
                     "这次是逐个文件更新的：更新的过程中，网站有一瞬间会新旧网页混在一起；如果生成中途被打断，"
                     "请再运行一次 site-builder build"),
            hint=("要一步整体替换，请把挂载点设在上一级文件夹（例如挂载 /srv/site，输出到 /srv/site/build），"
                  "或用 --out 指定一个普通文件夹。")))
        if staged is None:
            staged = set(_files(self.staging))
        for relative_path in staged:
            _replace_across(os.path.join(self.staging, relative_path), _target(self._real, relative_path))
        remove = [relative_path for relative_path in _files(self._real)
                  if relative_path not in staged and (expected is None or relative_path not in expected)]
        for relative_path in remove:
            try:
                os.remove(os.path.join(self._real, relative_path))
            except FileNotFoundError:
                pass
        _remove_empty_folders(self._real)


# --- the atomic exchange ------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}  # fall back to two renames
NOT_RENAMEABLE = {errno.EBUSY, errno.EXDEV}  # a mount point, another file system: update in place


def exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); OSError(ENOSYS) where there is none."""
    renameat2 = _renameat2()
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available here")
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


_LIBC: list = []


def _renameat2():
    if not _LIBC:
        function = None
        if sys.platform.startswith("linux"):
            try:
                function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+, musl 1.2.2+
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                function.restype = ctypes.c_int
            except (AttributeError, OSError):
                function = None
        _LIBC.append(function)
    return _LIBC[0]


def _replace_across(source: str, target: str) -> None:
    """os.replace, or, across file systems, a copy beside the target renamed over it."""
    try:
        if os.path.lexists(target) and os.path.samefile(source, target):
            return
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        temporary = f"{target}.site-builder-{os.getpid()}"
        shutil.copy2(source, temporary)
        os.replace(temporary, target)


def _pause_for_tests(step: str) -> None:
    """Used only by the tests that kill a build: SITE_BUILDER_TEST_PAUSE_AT=commit (just before the
    swap) or committed (just after) writes the file SITE_BUILDER_TEST_MARKER and waits to be killed."""
    if os.environ.get("SITE_BUILDER_TEST_PAUSE_AT") == step:
        Path(os.environ["SITE_BUILDER_TEST_MARKER"]).write_text(step, encoding="utf-8")
        time.sleep(600)


def cannot_write(exc: OSError, out_dir: Path) -> Finding:
    """A permission or disk problem while writing the output: what, where (a file being
    staged is named by its place in the output folder), and what to do."""
    where = staged_as_output(os.fsdecode(exc.filename)) if exc.filename else out_dir
    if exc.errno == errno.EROFS:
        why, hint = "磁盘是只读的", "请用 --out 换一个可以写入的文件夹（不在光盘或只读挂载的磁盘上），然后重新生成。"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why, hint = "权限不够", (f"请检查输出文件夹 {out_dir} 及其中文件的权限（例如用生成网站的同一个用户运行 "
                                 f"chown -R 用户名 {out_dir}），或用 --out 换一个可以写入的文件夹，然后重新生成。")
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why, hint = "磁盘已满", "请腾出磁盘空间（或用 --out 换到别的磁盘）后重新生成。"
    else:
        why, hint = exc.strerror or str(exc), f"请检查输出文件夹 {out_dir}，然后重新生成。"
    return Finding(code="P802", path=str(where),
                   message=f"无法写入输出文件夹（{why}）：{where}。原来的 {out_dir} 保持不变",
                   hint=hint)


def staged_as_output(path: str) -> str:
    """`path` with the staging folder beside the output (.build.new-123) named as the output folder (build)."""
    return re.sub(r"(^|[/\\])\.([^/\\]+)\.(?:new|old)-\d+(?=[/\\]|$)", r"\1\2", path)


def _refuse_personal_path(relative_path: str) -> None:
    if find_personal_numbers(relative_path):
        raise SiteError(Finding(
            code="P706", path=mask_text(relative_path),
            message=f"要发布的文件名 {mask_text(relative_path)} 含有手机号码或身份证号码，没有生成",
            hint="网页地址和文件名不能含有个人信息：请改内容文件的文件名或 slug。"))


def put_joined(root: Path, relative_path: str, pieces: Iterable[bytes]) -> bytes:
    """Write one staged file joined from `pieces`, texts each masked where it was made, without holding
    it whole (privacy.masked_pieces); returns its digest (cache.digest of the bytes written). Where two
    pieces might join into a number, UnmaskableData: nothing is left written, and the caller writes the
    joined bytes with :func:`put_file`."""
    _refuse_personal_path(relative_path)
    target, known = _target(root, relative_path), digester()
    try:
        with _new_file(target) as file:
            for piece in masked_pieces(pieces):
                file.write(piece)
                known.update(piece)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        raise
    return known.digest()


def put_file(root: Path, relative_path: str, data: bytes) -> bytes:
    """Write one staged file under `root` (a worker process of the build calls this); the
    bytes written are published_bytes(relative_path, data), and returned."""
    data = published_bytes(relative_path, data)
    with _new_file(_target(root, relative_path)) as file:
        file.write(data)
    return data


def _new_file(target: str):
    """`target` opened for writing as a new file. What is there is replaced, never written through: in
    a staging folder made from the previous output (Output.reused) it is a hard link to a published file."""
    try:
        return open(target, "xb")
    except FileExistsError:
        _clear(target)
        return open(target, "xb")


def _clear(path: str) -> None:
    """Whatever is at `path` removed: a file, a link, a folder with all it holds."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
        _MADE.difference_update({folder for folder in _MADE if folder == path or folder.startswith(path + os.sep)})
    else:
        os.unlink(path)


_MADE: set[str] = set()


def _remove_if_empty(root, folders: list[str]) -> None:
    """Remove each of `folders` (relative to `root`) that holds nothing, the deepest first (a folder
    emptied of its folders goes too); the folders made by this process may have gone."""
    for folder in sorted(folders, reverse=True):
        with contextlib.suppress(OSError):
            os.rmdir(os.path.join(root, folder))
    if folders:
        _MADE.clear()


def _remove_empty_folders(root: Path) -> None:
    for folder, dirs, files in os.walk(root, topdown=False):
        if not dirs and not files and Path(folder) != root:
            try:
                os.rmdir(folder)
            except OSError:
                pass


_LINKS_BY_FOLDER = {os.link, os.unlink, os.open} <= os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


@contextlib.contextmanager
def _opened(folder: str) -> Iterator[int | None]:
    """`folder` opened for linking its files by name (None where the system links only by path)."""
    if not _LINKS_BY_FOLDER:
        yield None
        return
    descriptor = os.open(folder, os.O_RDONLY | _DIRECTORY)
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def _link(name: str, source_folder: str, target_folder: str, source_fd: int | None, target_fd: int | None) -> None:
    """Hard-link the file `name` of `source_folder` into `target_folder` (by name in the folders open as
    `source_fd` and `target_fd`, else by path); a copy where the system cannot link them."""
    source, target = (name, name) if source_fd is not None else (
        os.path.join(source_folder, name), os.path.join(target_folder, name))
    try:
        try:
            os.link(source, target, src_dir_fd=source_fd, dst_dir_fd=target_fd, follow_symlinks=False)
        except FileExistsError:  # rendered again with the same bytes: the old file (and its time) stays
            os.unlink(target, dir_fd=target_fd)
            os.link(source, target, src_dir_fd=source_fd, dst_dir_fd=target_fd, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EACCES):
            raise
        # keeps the modification time the cache knows; a file there (a reused staging folder) is replaced
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(target_folder, name))
        shutil.copy2(os.path.join(source_folder, name), os.path.join(target_folder, name), follow_symlinks=False)


def _target(root: Path, relative_path: str) -> str:
    """Where `relative_path` goes under `root`, its folder made (thousands of pages share a few folders: one mkdir each)."""
    _folder(root, os.path.dirname(relative_path))
    return os.path.join(root, relative_path)


def _folder(root: Path, relative_folder: str) -> str:
    """The folder `relative_folder` under `root`, made if this process has not made it yet."""
    folder = os.path.join(root, relative_folder)
    if folder not in _MADE:
        try:
            os.makedirs(folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file where a folder goes (a reused staging folder)
            in_the_way = root
            for part in relative_folder.replace(os.sep, "/").split("/"):
                in_the_way = os.path.join(in_the_way, part)
                if os.path.lexists(in_the_way) and not os.path.isdir(in_the_way):
                    os.unlink(in_the_way)
                    break
            os.makedirs(folder, exist_ok=True)
        _MADE.add(folder)
    return folder


def previous_output(out_dir: Path) -> Path:
    """Where the output folder's previous content is kept for the next build (``.build.previous``)."""
    real = Path(out_dir).resolve()
    return real.parent / f".{real.name}.previous"


def _claim(folder: Path, name: Path) -> bool:
    """Rename the folder `folder` (a real folder, not a link to one) to `name`, where nothing is yet."""
    if os.path.islink(folder) or not os.path.isdir(folder) or os.path.lexists(name):
        return False
    try:
        os.rename(folder, name)
    except OSError:
        return False
    return True


def _only_files_and_folders(root: Path) -> None:
    """Delete every entry under `root` that is neither a regular file nor a folder: a symbolic link
    there (a folder made from the previous output, which nobody should touch) is never written through."""
    for entry in os.scandir(root):
        if entry.is_dir(follow_symlinks=False):
            _only_files_and_folders(entry.path)
        elif not entry.is_file(follow_symlinks=False):
            os.unlink(entry.path)


def _inodes(folder: str) -> tuple[dict[str, int], list[str]]:
    """The files of one folder: name → inode number (as the folder gives it: no stat where the system
    keeps it in the folder, as Linux and macOS do), and the names of its folders."""
    files: dict[str, int] = {}
    folders: list[str] = []
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry.name)
        else:
            files[entry.name] = entry.inode()
    return files, folders


def _tree(root) -> Iterator[tuple[str, dict[str, int], list[str]]]:
    """Each folder under `root` (its relative path, "" for `root`; a folder before those in it) with
    its files' inode numbers and its folders' names (_inodes)."""
    pending = [""]
    while pending:
        folder = pending.pop()
        files, below = _inodes(os.path.join(root, folder) if folder else str(root))
        yield folder, files, below
        pending += [f"{folder}/{name}" if folder else name for name in below]


def _files(root) -> Iterator[str]:
    """The relative path of each file under `root` (anything not a folder, not followed; _tree)."""
    for folder, files, _ in _tree(root):
        prefix = f"{folder}/" if folder else ""
        for name in files:
            yield prefix + name


DEFAULT_OUT = "build"  # the output folder in the site folder when --out is not given


def foreign_output(site_dir: Path, out_dir: Path, sources: Iterable[str], built_before: bool) -> Finding | None:
    """Why `out_dir` cannot be the output folder of the site in `site_dir` (P804), or None.

    A build replaces the output folder whole and deletes, the next time, whatever the new site does not
    hold: so the output folder is never the site folder, a folder holding it, one of the folders the build
    reads (`sources`, relative to the site: content/ …) or a folder inside them, never a file, and never a
    folder that already holds files no build made (a first build into it: `built_before` False), whose
    files would be lost. A folder a build made before (its index.html and search index's parts.json
    there) may be built into again, its cache lost; so may the site's own build/ (DEFAULT_OUT), the
    builder's by convention, where a file no build made is deleted (tests/test_build_safety.py)."""
    from .search_index import PARTS_FILE

    site, out = Path(site_dir).resolve(), Path(out_dir).resolve()
    hint = "请用 --out 指定一个新的（或空的）文件夹，例如站点文件夹下的 build/（不写 --out 时的默认位置）。"
    if site == out or site.is_relative_to(out):
        why = "是站点文件夹本身" if site == out else "包含站点文件夹"
        return Finding(code="P804", path=str(out_dir), hint=hint,
                       message=f"输出文件夹 {out_dir} {why}：生成网站会替换整个输出文件夹，content/ 中的记录会丢失，没有生成")
    for source in sources:
        if out.is_relative_to(site / source):
            return Finding(code="P804", path=str(out_dir), hint=hint,
                           message=f"输出文件夹 {out_dir} 在站点的 {source}/ 里：生成网站会替换或删除其中的文件，没有生成")
    if os.path.lexists(out) and not out.is_dir():
        return Finding(code="P804", path=str(out_dir), hint=hint,
                       message=f"输出文件夹 {out_dir} 是一个文件，不是文件夹：生成网站会替换它，没有生成")
    if (built_before or not out.is_dir() or out == site / DEFAULT_OUT
            or ((out / "index.html").is_file() and (out / PARTS_FILE).is_file())):
        return None
    there = next(iter(sorted(os.listdir(out))), None)
    if there is None:
        return None
    return Finding(code="P804", path=str(out_dir),
                   message=(f"输出文件夹 {out_dir} 里已经有不是 site-builder build 生成的文件（如 {mask_text(there)}）："
                            "生成网站会替换整个文件夹，这些文件会丢失，没有生成"),
                   hint="请把这些文件移到别处，或用 --out 指定一个新的（或空的）文件夹。")


def remove_leftovers(out_dir: Path) -> None:
    """The staging and retired folders of an earlier build that was killed mid-way."""
    real = Path(out_dir).resolve()
    for pattern in (f".{real.name}.new-*", f".{real.name}.old-*"):
        for leftover in real.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


_TEXT_ASSETS = frozenset({"text/html", "text/css", "text/javascript", "application/json", "application/xml",
                          "text/plain", "text/csv", "image/svg+xml", "text/markdown"})

__all__ = ["cannot_write", "staged_as_output", "Output", "put_file", "put_joined", "published_bytes", "published_earlier", "previous_output", "DEFAULT_OUT", "foreign_output", "remove_leftovers", "exchange", "mask_personal_data", "shows_office_phone", "text_bytes",
           "asset_bytes"]
