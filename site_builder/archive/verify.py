"""Every archive against its manifest, the archive log, its supersede chain and its zip.

:func:`verify_archives` gives one finding per difference; `build`, `check`
and `site-builder verify` all block on them:

- a file missing from, added to or changed in an archive (A604–A606), a
  manifest missing or unreadable (A607), a folder renamed (A608);
- the archive log (log.py): missing while archives exist (A611), a line
  changed, removed or reordered (A612), an archive it lists that is gone
  (A613), a manifest whose SHA-256 is not the one it records (A614), an
  archive it does not list (A615);
- a symbolic link or special file anywhere under archives/ or in a zip
  (A616): never followed, never published;
- a correction whose chain hash (replaces_manifest_sha256) is not the
  SHA-256 of the revision it replaces (A617);
- a zip whose members are not the files of its folder, byte for byte
  (A604–A606), or that belongs to no archive (A618).

:func:`read_archives` gives the archives for publishing, after that.
"""
from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding
from . import log
from .manifest import (ARCHIVES_DIR, FOLDER, MANIFEST, ZIP, Manifest, ManifestError, entry, sha256,
                       snapshot_files)

RESTORE_HINT = ("归档一经生成不得修改。请用版本库恢复原样（例如 git checkout -- {folder}）；"
                "确需更正时，运行 site-builder archive {year} --supersede --reason \"更正原因\"。")


@dataclass
class Archive:
    folder: Path  # archives/2023 or archives/2023-r1
    name: str  # "2023" or "2023-r1"
    year: int
    revision: int | None  # from the folder name; None for the published revision
    manifest: Manifest | None = None
    manifest_bytes: bytes = b""
    log_entry: "log.Entry | None" = field(default=None, repr=False)  # its line in the archive log

    @property
    def current(self) -> bool:
        return self.revision is None


def archive_folders(site_dir: Path) -> list[Archive]:
    """The archive folders of the site, by year and revision."""
    root = Path(site_dir) / ARCHIVES_DIR
    if root.is_symlink() or not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        match = FOLDER.match(path.name)
        if match and not path.is_symlink() and path.is_dir():  # a symlink is reported (A616), never followed
            revision = int(match["revision"]) if match["revision"] else None
            found.append(Archive(path, path.name, int(match["year"]), revision))
    return sorted(found, key=lambda a: (a.year, a.revision is None, a.revision or 0))


def verify_archives(site_dir: Path, zips: bool = True) -> tuple[list[Archive], list[Finding]]:
    """(every archive folder with its manifest read, a finding for each difference)."""
    root = Path(site_dir) / ARCHIVES_DIR
    findings = _links_and_special_files(Path(site_dir))
    archives = archive_folders(site_dir)
    for archive in archives:
        findings += _verify_folder(archive)
    for year in sorted({a.year for a in archives} - {a.year for a in archives if a.current}):
        findings.append(Finding(
            code="A604", path=f"{ARCHIVES_DIR}/{year}",
            message=f"{year} 年度有被更正的旧版本，但现行版本的文件夹 {ARCHIVES_DIR}/{year} 不见了",
            hint=f"请用版本库恢复 {ARCHIVES_DIR}/{year}（例如 git checkout -- {ARCHIVES_DIR}/{year}）。"))
    findings += _verify_chain(archives)
    entries, log_findings = _verify_log(root, archives)
    findings += log_findings
    if zips:
        findings += _verify_zips(root, archives, entries)
    return archives, findings


def log_entries(site_dir: Path) -> list[log.Entry]:
    """The entries of the archive log (none when there is no log): for publishing its head."""
    path = log.path_of(Path(site_dir) / ARCHIVES_DIR)
    if path.is_symlink() or not path.is_file():
        return []
    return log.read(path.parent, LOG_LABEL)[0]


LOG_LABEL = f"{ARCHIVES_DIR}/{log.LOG}"
LOG_CODES = {"A611", "A612", "A613", "A614", "A615", "A616", "A617", "A618"}  # the history is in doubt
LOG_HINT = ("归档日志只能由 site-builder archive 追加，不能修改。请用版本库恢复 archives/ 原样"
            "（例如 git checkout -- archives）；确需更正某一年度时，运行 site-builder archive 年度 --supersede --reason \"更正原因\"。")


def _links_and_special_files(site_dir: Path) -> list[Finding]:
    """A symbolic link or a special file under archives/ (A616): it could publish any file of the machine."""
    root = site_dir / ARCHIVES_DIR
    hint = ("归档里只能有 site-builder archive 写出的普通文件。请删除这个链接或文件，"
            "用版本库恢复归档原样（例如 git checkout -- archives）。")
    if root.is_symlink():
        return [Finding(code="A616", path=ARCHIVES_DIR,
                        message=f"{ARCHIVES_DIR} 是指向 {os.readlink(root)} 的符号链接，归档不能是链接", hint=hint)]
    if not root.is_dir():
        return []
    findings = []
    for top, dirs, files in os.walk(root):
        for name in sorted([*dirs, *files]):
            path = Path(top) / name
            mode = os.lstat(path).st_mode
            label = path.relative_to(site_dir).as_posix()
            if stat.S_ISLNK(mode):
                findings.append(Finding(code="A616", path=label, hint=hint,
                                        message=f"归档中有符号链接：{label} 指向 {os.readlink(path)}，不会被跟随，也不会发布"))
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                findings.append(Finding(code="A616", path=label, hint=hint,
                                        message=f"归档中有特殊文件（设备、管道或套接字）：{label}"))
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(top, d))]
    return findings


def _expected_folders(entries: list[log.Entry]) -> list[tuple[str, log.Entry]]:
    """(folder name, the log entry it must hold), in log order: the year's last revision in
    archives/YEAR, the others in YEAR-rN."""
    latest: dict[int, int] = {}
    for item in entries:
        latest[item.year] = max(latest.get(item.year, 0), item.revision)
    return [(str(item.year) if item.revision == latest[item.year] else f"{item.year}-r{item.revision}", item)
            for item in entries]


def _verify_log(root: Path, archives: list[Archive]) -> tuple[list[log.Entry], list[Finding]]:
    path = log.path_of(root)
    if not os.path.lexists(path):
        zips = [p for p in root.glob("*.zip") if ZIP.match(p.name)] if root.is_dir() else []
        if not archives and not zips:
            return [], []
        return [], [Finding(
            code="A611", path=LOG_LABEL,
            message=f"有归档，但没有归档日志 {LOG_LABEL}：无法确认归档没有被整个删除或改写",
            hint=("如果这些归档是在有归档日志之前生成的，请运行一次 site-builder archive --init-log，"
                  "根据现有的归档写出日志，然后把 archives/ 提交到版本库；"
                  "如果日志是被误删的，请用版本库恢复（git checkout -- archives/log.jsonl）。"))]
    if path.is_symlink() or not path.is_file():
        return [], []  # reported as a link or special file (A616)
    entries, findings = log.read(root, LOG_LABEL)
    if findings:
        return entries, findings
    folders = {a.name: a for a in archives}
    expected = _expected_folders(entries)
    seen: dict[tuple[int, int], log.Entry] = {}
    for name, item in expected:
        where = f"{ARCHIVES_DIR}/{name}"
        if (item.year, item.revision) in seen or item.revision != 1 + max(
                (r for (y, r) in seen if y == item.year), default=0):
            findings.append(Finding(code="A617", path=LOG_LABEL, line=item.number, column=1, hint=LOG_HINT,
                                    message=f"归档日志第 {item.number} 条记录的 {item.label} 与此前的版本接不上"))
        elif item.revision > 1 and item.replaces_manifest_sha256 != seen[(item.year, item.revision - 1)].manifest_sha256:
            findings.append(Finding(code="A617", path=LOG_LABEL, line=item.number, column=1, hint=LOG_HINT,
                                    message=f"归档日志第 {item.number} 条：{item.label} 记录的被更正版本的校验值与第 "
                                            f"{item.revision - 1} 版的清单不符"))
        seen[(item.year, item.revision)] = item
        archive = folders.get(name)
        if archive is None:
            findings.append(Finding(code="A613", path=where, hint=LOG_HINT, message=(
                f"归档日志第 {item.number} 条记录的 {item.label}（{item.archived_on} 归档）应在 {where}，但这个文件夹不见了")))
        else:
            archive.log_entry = item
            if archive.manifest is not None and sha256(archive.manifest_bytes) != item.manifest_sha256:
                findings.append(Finding(code="A614", path=f"{where}/{MANIFEST}", hint=LOG_HINT, message=(
                    f"{where}/{MANIFEST} 与归档日志第 {item.number} 条记录的不一致（日志记录 SHA-256 "
                    f"{item.manifest_sha256[:12]}…，现在是 {sha256(archive.manifest_bytes)[:12]}…）：清单在归档后被改写过")))
        if item.zip is not None and not (root / item.zip).exists():
            findings.append(Finding(code="A613", path=f"{ARCHIVES_DIR}/{item.zip}", hint=LOG_HINT, message=(
                f"归档日志第 {item.number} 条记录 {item.label} 生成了压缩包 {ARCHIVES_DIR}/{item.zip}，但它不见了")))
    for archive in archives:
        if archive.name not in {name for name, _ in expected}:
            findings.append(Finding(code="A615", path=f"{ARCHIVES_DIR}/{archive.name}", hint=(
                "归档只能由 site-builder archive 生成（它同时写入归档日志）。请删除这个文件夹，"
                "或用版本库恢复 archives/ 原样。"), message=(
                f"{ARCHIVES_DIR}/{archive.name} 不在归档日志 {LOG_LABEL} 里：不是由 site-builder archive 生成的，"
                "或者日志被改写过")))
    return entries, findings


def _verify_chain(archives: list[Archive]) -> list[Finding]:
    """Each correction names the revision it replaces by the SHA-256 of its manifest (A617)."""
    findings = []
    by_revision = {(a.manifest.year, a.manifest.revision): a for a in archives if a.manifest is not None}
    for archive in archives:
        manifest = archive.manifest
        if manifest is None:
            continue
        where = f"{_label(archive)}/{MANIFEST}"
        correction = manifest.correction
        if manifest.revision == 1:
            if correction is not None:
                findings.append(Finding(code="A617", path=where, hint=_hint(archive),
                                        message=f"{where} 是第 1 版，却记录了它更正的版本"))
            continue
        replaced = by_revision.get((manifest.year, manifest.revision - 1))
        wanted = f"{manifest.year}-r{manifest.revision - 1}"
        if correction is None or correction.replaces != wanted:
            findings.append(Finding(code="A617", path=where, hint=_hint(archive), message=(
                f"{where} 是第 {manifest.revision} 版，却没有记录它更正的是 {ARCHIVES_DIR}/{wanted}")))
        elif replaced is None:
            findings.append(Finding(code="A617", path=where, hint=_hint(archive), message=(
                f"{where} 更正的第 {manifest.revision - 1} 版 {ARCHIVES_DIR}/{wanted} 不见了")))
        elif sha256(replaced.manifest_bytes) != correction.replaces_manifest_sha256:
            findings.append(Finding(code="A617", path=where, hint=_hint(archive), message=(
                f"{where} 记录的被更正版本的校验值（replaces_manifest_sha256 {correction.replaces_manifest_sha256[:12]}…）"
                f"与 {ARCHIVES_DIR}/{wanted}/{MANIFEST} 的 SHA-256（{sha256(replaced.manifest_bytes)[:12]}…）不符："
                "旧版本在被更正后又被改写过")))
    return findings


def _label(archive: Archive) -> str:
    return f"{ARCHIVES_DIR}/{archive.name}"


def _hint(archive: Archive) -> str:
    return RESTORE_HINT.format(folder=_label(archive), year=archive.year)


def read_archives(site_dir: Path) -> list[Archive]:
    """The archive folders with their manifests read, without hashing any file:
    for publishing, after :func:`verify_archives` found nothing."""
    archives = archive_folders(site_dir)
    for archive in archives:
        _read_manifest(archive)
    return archives


def _read_manifest(archive: Archive) -> Finding | None:
    """Read the archive's manifest into it; a finding when there is none to read."""
    label = _label(archive)
    manifest_path = archive.folder / MANIFEST
    if not manifest_path.is_file():
        return Finding(code="A607", path=f"{label}/{MANIFEST}", message=f"归档 {label} 缺少清单 {MANIFEST}，无法核对",
                       hint=_hint(archive))
    archive.manifest_bytes = manifest_path.read_bytes()
    try:
        archive.manifest = Manifest.from_json(archive.manifest_bytes)
    except ManifestError as exc:
        return Finding(code="A607", path=f"{label}/{MANIFEST}", message=f"归档清单无法读取：{exc}",
                       hint=_hint(archive))
    return None


def _verify_folder(archive: Archive) -> list[Finding]:
    label = _label(archive)
    problem = _read_manifest(archive)
    if problem is not None:
        return [problem]
    manifest = archive.manifest
    findings = []
    if manifest.year != archive.year or (archive.revision is not None and manifest.revision != archive.revision):
        findings.append(Finding(
            code="A608", path=label,
            message=f"文件夹 {label} 与其清单不符：清单记录的是 {manifest.year} 年度第 {manifest.revision} 版",
            hint="归档文件夹不要改名。年度现行版本的文件夹名是年度（如 2023），被更正的旧版本是“年度-r版本号”（如 2023-r1）。"))
    on_disk = snapshot_files(archive.folder)
    for path, expected in sorted(manifest.files.items()):
        file = on_disk.get(path)
        if file is None:
            findings.append(Finding(code="A604", path=f"{label}/{path}", message=f"归档文件缺失：{label}/{path}",
                                    hint=_hint(archive)))
            continue
        actual = entry(file.read_bytes())
        if actual != expected:
            findings.append(Finding(
                code="A606", path=f"{label}/{path}",
                message=(f"归档文件被改动：{label}/{path}（清单记录 {expected.size} 字节、SHA-256 {expected.sha256[:12]}…，"
                         f"现在是 {actual.size} 字节、SHA-256 {actual.sha256[:12]}…）"),
                hint=_hint(archive)))
    for path in sorted(set(on_disk) - set(manifest.files)):
        findings.append(Finding(code="A605", path=f"{label}/{path}", message=f"归档中多出了清单里没有的文件：{label}/{path}",
                                hint="归档生成后不能再往里放文件。请删除这个文件（或用版本库恢复原样）。"))
    return findings


def _verify_zips(root: Path, archives: list[Archive], entries: list[log.Entry]) -> list[Finding]:
    """Each zip holds its archive folder byte for byte, with the log's head at the time (log.HEAD_MEMBER)."""
    findings = []
    if not root.is_dir() or root.is_symlink():
        return findings
    by_revision = {(a.manifest.year, a.manifest.revision): a for a in archives if a.manifest is not None}
    logged = {(e.year, e.revision): e for e in entries}
    for path in sorted(root.glob("*.zip")):
        match = ZIP.match(path.name)
        if not match or path.is_symlink() or not path.is_file():
            continue
        label = f"{ARCHIVES_DIR}/{path.name}"
        prefix = path.name.removesuffix(".zip") + "/"
        hint = "压缩包由 site-builder archive 年度 --zip 生成，不要修改。请用版本库恢复原样，或删除后向档案室说明。"
        key = (int(match["year"]), int(match["revision"]))
        archive = by_revision.get(key)
        if archive is None:
            findings.append(Finding(code="A618", path=label, hint=hint,
                                    message=f"压缩包 {label} 没有对应的归档文件夹（{key[0]} 年度第 {key[1]} 版）"))
            continue
        folder_label = _label(archive)
        try:
            with zipfile.ZipFile(path) as opened:
                contents = {}
                for info in opened.infolist():
                    kind = stat.S_IFMT(info.external_attr >> 16)
                    if info.is_dir():
                        continue
                    if kind not in (0, stat.S_IFREG):
                        findings.append(Finding(code="A616", path=label, hint=hint, message=(
                            f"压缩包 {label} 中的 {info.filename} 是符号链接或特殊文件")))
                        continue
                    contents[info.filename] = opened.read(info)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            findings.append(Finding(code="A607", path=label, message=f"压缩包无法读取：{exc}", hint=hint))
            continue
        head_member = contents.pop(prefix + log.HEAD_MEMBER, None)
        item = logged.get(key)
        if item is not None and item.zip == path.name and head_member is None:
            findings.append(Finding(code="A604", path=label, hint=hint,
                                    message=f"压缩包 {label} 中缺少 {prefix}{log.HEAD_MEMBER}（归档日志的校验值）"))
        elif item is not None and head_member is not None and log.head_in_member(head_member) != item.hash:
            findings.append(Finding(code="A614", path=label, hint=LOG_HINT, message=(
                f"压缩包 {label} 中记录的归档日志校验值与日志第 {item.number} 条（{item.label}）不符："
                "日志在生成压缩包之后被改写过，或者压缩包被换过")))
        expected = {MANIFEST: archive.folder / MANIFEST, **snapshot_files(archive.folder)}
        for name, file in sorted(expected.items()):
            data = contents.pop(prefix + name, None)
            if data is None:
                findings.append(Finding(code="A604", path=label, hint=hint, message=(
                    f"压缩包 {label} 中缺少 {prefix}{name}（归档文件夹 {folder_label} 中有）")))
            elif file.is_file() and data != file.read_bytes():
                findings.append(Finding(code="A606", path=label, hint=hint, message=(
                    f"压缩包 {label} 中的 {prefix}{name} 与 {folder_label}/{name} 不一致：压缩包或归档被改动")))
        for name in sorted(contents):
            findings.append(Finding(code="A605", path=label, hint=hint,
                                    message=f"压缩包 {label} 中多出了 {name}（归档文件夹 {folder_label} 中没有）"))
    return findings
