"""Every archive against its manifest: missing, added and changed files.

:func:`verify_archives` gives one finding per difference (A604–A608); `build`
and `check` block on them, `site-builder verify` lists them. :func:`read_archives`
gives the archives that are intact, for publishing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding
from .manifest import (ARCHIVES_DIR, FOLDER, MANIFEST, ZIP, Manifest, ManifestError, entry,
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

    @property
    def current(self) -> bool:
        return self.revision is None


def archive_folders(site_dir: Path) -> list[Archive]:
    """The archive folders of the site, by year and revision."""
    root = Path(site_dir) / ARCHIVES_DIR
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        match = FOLDER.match(path.name)
        if path.is_dir() and match:
            revision = int(match["revision"]) if match["revision"] else None
            found.append(Archive(path, path.name, int(match["year"]), revision))
    return sorted(found, key=lambda a: (a.year, a.revision is None, a.revision or 0))


def verify_archives(site_dir: Path, zips: bool = False) -> tuple[list[Archive], list[Finding]]:
    """(every archive folder with its manifest read, a finding for each difference)."""
    archives = archive_folders(site_dir)
    findings: list[Finding] = []
    for archive in archives:
        findings += _verify_folder(archive)
    for year in sorted({a.year for a in archives} - {a.year for a in archives if a.current}):
        findings.append(Finding(
            code="A604", path=f"{ARCHIVES_DIR}/{year}",
            message=f"{year} 年度有被更正的旧版本，但现行版本的文件夹 {ARCHIVES_DIR}/{year} 不见了",
            hint=f"请用版本库恢复 {ARCHIVES_DIR}/{year}（例如 git checkout -- {ARCHIVES_DIR}/{year}）。"))
    if zips:
        findings += _verify_zips(Path(site_dir) / ARCHIVES_DIR)
    return archives, findings


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


def _verify_zips(root: Path) -> list[Finding]:
    findings = []
    if not root.is_dir():
        return findings
    for path in sorted(root.glob("*.zip")):
        if not ZIP.match(path.name):
            continue
        label = f"{ARCHIVES_DIR}/{path.name}"
        prefix = path.name.removesuffix(".zip") + "/"
        hint = "压缩包由 site-builder archive 年度 --zip 生成，不要修改。请用版本库恢复原样，或删除后向档案室说明。"
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/")]
                manifest = Manifest.from_json(archive.read(prefix + MANIFEST))
                contents = {n.removeprefix(prefix): archive.read(n) for n in names if n != prefix + MANIFEST}
        except (zipfile.BadZipFile, KeyError, ManifestError, OSError) as exc:
            findings.append(Finding(code="A607", path=label, message=f"压缩包无法读取或缺少清单：{exc}", hint=hint))
            continue
        for name, expected in sorted(manifest.files.items()):
            if name not in contents:
                findings.append(Finding(code="A604", path=label, message=f"压缩包 {label} 中缺少 {prefix}{name}", hint=hint))
            elif entry(contents[name]) != expected:
                findings.append(Finding(code="A606", path=label, message=f"压缩包 {label} 中的 {prefix}{name} 被改动", hint=hint))
        for name in sorted(set(contents) - set(manifest.files)):
            findings.append(Finding(code="A605", path=label, message=f"压缩包 {label} 中多出了 {name}", hint=hint))
    return findings
