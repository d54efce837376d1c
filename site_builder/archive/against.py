"""The archives compared with a copy held elsewhere: `site-builder verify --against PATH`.

A copy is an archive's zip kept by the archive office, a saved copy of the
live site (its ``archive/`` folder and its 历年公开 page), or a copy of the
site folder's ``archives/``. Whenever it was made, every archive it holds
must still be here byte for byte, and the archive log it holds (or the log
head its zip or page shows) must be the beginning of today's log: anything
else means an archive or the log was rewritten. Each difference is a finding
(A619) naming the file of the copy.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding
from . import log
from .manifest import ARCHIVES_DIR, FOLDER, MANIFEST, Manifest, ManifestError, snapshot_files
from .publish import INDEX_URL, PUBLISHED_DIR
from .verify import Archive, log_entries, read_archives

_SHOWN_HEAD = re.compile(r'id="archive-log-head"[^>]*>\s*([0-9a-f ]{64,80}?)\s*<')
_HINT = ("已公开的归档和归档日志只增不改。请查明 archives/ 被谁、在何时改动，用版本库恢复原样"
         "（例如 git log -- archives、git checkout 提交号 -- archives）；确需更正时用 "
         "site-builder archive 年度 --supersede --reason \"更正原因\"，更正会公开。")


@dataclass
class Compared:
    archives: int = 0  # archive revisions found in the copy
    files: int = 0  # their files compared
    log_lines: int = 0  # lines of the copy's log found at the start of today's log
    heads: int = 0  # log heads of the copy (zip member, 历年公开 page) found in today's log


def compare_with_copy(site_dir: Path, copy: Path) -> tuple[Compared, list[Finding]]:
    site_dir, copy = Path(site_dir), Path(copy)
    here = _Here(site_dir)
    compared = Compared()
    if copy.is_file() and zipfile.is_zipfile(copy):
        return compared, here.zip(copy, compared)
    if copy.is_dir():
        return compared, here.folder(copy, compared)
    return compared, [Finding(code="A619", path=str(copy), message=f"找不到可以核对的副本：{copy} 不是压缩包，也不是文件夹",
                              hint="--against 后面写档案室保存的归档压缩包（如 2023-r1.zip），或以前保存的网站文件夹（如 build-2025-01-01/）。")]


class _Here:
    """Today's archives and log."""

    def __init__(self, site_dir: Path):
        self.archives: dict[tuple[int, int], Archive] = {
            (a.manifest.year, a.manifest.revision): a for a in read_archives(site_dir) if a.manifest is not None}
        self.entries = log_entries(site_dir)
        self.by_hash = {e.hash: e for e in self.entries}
        self.log_path = log.path_of(site_dir / ARCHIVES_DIR)

    # --- a zip of the archive office -------------------------------------------------------

    def zip(self, path: Path, compared: Compared) -> list[Finding]:
        label = str(path)
        try:
            with zipfile.ZipFile(path) as opened:
                contents = {info.filename: opened.read(info) for info in opened.infolist() if not info.is_dir()}
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            return [Finding(code="A619", path=label, message=f"副本压缩包无法读取：{exc}", hint=_HINT)]
        prefixes = sorted({name.split("/", 1)[0] for name in contents if "/" in name})
        findings: list[Finding] = []
        for prefix in prefixes:
            inside = {name.removeprefix(prefix + "/"): data for name, data in contents.items()
                      if name.startswith(prefix + "/")}
            head = inside.pop(log.HEAD_MEMBER, None)
            manifest = self._manifest(inside.get(MANIFEST), f"{label}:{prefix}/{MANIFEST}", findings)
            if manifest is None:
                continue
            findings += self._files(inside, manifest, f"{label}:{prefix}/", compared)
            if head is not None:
                findings += self._head(log.head_in_member(head), f"{label}:{prefix}/{log.HEAD_MEMBER}", compared,
                                       (manifest.year, manifest.revision))
        if not prefixes:
            findings.append(Finding(code="A619", path=label, message=f"副本压缩包 {label} 里没有归档", hint=_HINT))
        return findings

    # --- a saved copy of the live site, or of archives/ ----------------------------------

    def folder(self, copy: Path, compared: Compared) -> list[Finding]:
        root = next((candidate for candidate in (copy / PUBLISHED_DIR, copy / ARCHIVES_DIR) if candidate.is_dir()), copy)
        findings: list[Finding] = []
        for folder in sorted(p for p in root.iterdir() if FOLDER.match(p.name) and p.is_dir() and not p.is_symlink()):
            label = str(folder)
            manifest_path = folder / MANIFEST
            data = manifest_path.read_bytes() if manifest_path.is_file() else None
            manifest = self._manifest(data, f"{label}/{MANIFEST}", findings)
            if manifest is None:
                continue
            inside = {name: path.read_bytes() for name, path in snapshot_files(folder).items()}
            inside[MANIFEST] = data
            findings += self._files(inside, manifest, f"{label}/", compared)
        saved_log = root / log.LOG
        if saved_log.is_file():
            findings += self._log(saved_log, compared)
        page = copy / INDEX_URL
        if page.is_file():
            match = _SHOWN_HEAD.search(page.read_text(encoding="utf-8", errors="replace"))
            shown = match.group(1).replace(" ", "") if match else None
            findings += self._head(shown, str(page), compared, None)
        if not compared.archives and not compared.log_lines and not compared.heads and not findings:
            findings.append(Finding(code="A619", path=str(copy), message=f"副本 {copy} 中没有找到归档、归档日志或“历年公开”页",
                                    hint="--against 后面写以前保存的网站文件夹（其中有 archive/），或 archives/ 的副本，或归档压缩包。"))
        return findings

    # --- the comparisons ------------------------------------------------------------------

    def _manifest(self, data: bytes | None, label: str, findings: list[Finding]) -> Manifest | None:
        if data is None:
            findings.append(Finding(code="A619", path=label, message=f"副本中缺少归档清单：{label}", hint=_HINT))
            return None
        try:
            return Manifest.from_json(data)
        except ManifestError as exc:
            findings.append(Finding(code="A619", path=label, message=f"副本中的归档清单无法读取：{exc}", hint=_HINT))
            return None

    def _files(self, inside: dict[str, bytes], manifest: Manifest, label: str, compared: Compared) -> list[Finding]:
        """One archive revision of the copy against the same revision today, file by file."""
        compared.archives += 1
        version = f"{manifest.year} 年度第 {manifest.revision} 版"
        archive = self.archives.get((manifest.year, manifest.revision))
        if archive is None:
            return [Finding(code="A619", path=label.rstrip("/"), hint=_HINT, message=(
                f"副本中有 {version}（{manifest.archived_on} 归档），现在的 {ARCHIVES_DIR}/ 中却没有：已公开的归档被删除了"))]
        here = {MANIFEST: archive.folder / MANIFEST, **snapshot_files(archive.folder)}
        where = f"{ARCHIVES_DIR}/{archive.name}"
        findings = []
        for name in sorted(set(inside) | set(here)):
            if name not in here:
                findings.append(Finding(code="A619", path=f"{label}{name}", hint=_HINT,
                                        message=f"副本的 {version} 中有 {name}，现在的 {where} 中没有"))
            elif name not in inside:
                findings.append(Finding(code="A619", path=f"{label}{name}", hint=_HINT,
                                        message=f"现在的 {where}/{name} 在副本的 {version} 中没有：归档后被加进来的"))
            else:
                compared.files += 1
                now = here[name].read_bytes()
                if now != inside[name]:
                    findings.append(Finding(code="A619", path=f"{label}{name}", hint=_HINT, message=(
                        f"副本中的 {name}（{len(inside[name])} 字节）与现在的 {where}/{name}（{len(now)} 字节）不一致："
                        f"{version}在公开之后被改写过")))
        return findings

    def _log(self, saved: Path, compared: Compared) -> list[Finding]:
        """The copy's log must be the beginning of today's, line for line."""
        theirs = saved.read_bytes().splitlines(keepends=True)
        ours = self.log_path.read_bytes().splitlines(keepends=True) if self.log_path.is_file() else []
        for number, line in enumerate(theirs, start=1):
            if number > len(ours):
                return [Finding(code="A619", path=str(saved), line=number, column=1, hint=_HINT, message=(
                    f"副本的归档日志有 {len(theirs)} 条，现在的 {ARCHIVES_DIR}/{log.LOG} 只有 {len(ours)} 条：日志被截短了"))]
            if line != ours[number - 1]:
                return [Finding(code="A619", path=str(saved), line=number, column=1, hint=_HINT,
                                source_line=line.decode("utf-8", "replace")[:200], message=(
                    f"副本的归档日志第 {number} 行与现在的 {ARCHIVES_DIR}/{log.LOG} 第 {number} 行不同：日志被改写过"))]
            compared.log_lines += 1
        return []

    def _head(self, head: str | None, label: str, compared: Compared, revision: tuple[int, int] | None) -> list[Finding]:
        """A log head the copy shows must be the hash of an entry of today's log (of that revision, for a zip)."""
        if head is None:
            return [Finding(code="A619", path=label, hint=_HINT, message=f"副本 {label} 中的归档日志校验值无法读取")]
        entry = self.by_hash.get(head)
        if entry is None:
            return [Finding(code="A619", path=label, hint=_HINT, message=(
                f"副本 {label} 记录的归档日志校验值 {head[:16]}… 在现在的归档日志中找不到：日志在副本保存之后被改写过"))]
        if revision is not None and (entry.year, entry.revision) != revision:
            return [Finding(code="A619", path=label, hint=_HINT, message=(
                f"副本 {label} 记录的归档日志校验值属于 {entry.label}，与压缩包中的归档（{revision[0]} 年度第 {revision[1]} 版）不符"))]
        compared.heads += 1
        return []
