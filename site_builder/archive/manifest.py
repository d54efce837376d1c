"""The manifest of a yearly archive: what was frozen, when, by what, from what.

``archives/<folder>/manifest.json`` lists every file of the snapshot with its
SHA-256 and size, the generator's version, the hashes of the source records and,
for a corrected year, the reason and the revision it replaces. It is written
once, as sorted, indented UTF-8 JSON, and never rewritten.

Folders: the published revision of a year lives in ``archives/YEAR/``; a
revision replaced by a correction is moved, unchanged, to ``archives/YEAR-rN/``
(N = its revision number). Both sit at the same depth, so the relative links
of a snapshot stay valid when it is moved.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

ARCHIVES_DIR = "archives"  # beside content/, committed to the repository
MANIFEST = "manifest.json"
FORMAT = "site-builder-archive/1"
FOLDER = re.compile(r"^(?P<year>\d{4})(?:-r(?P<revision>[1-9]\d*))?$")
ZIP = re.compile(r"^(?P<year>\d{4})-r(?P<revision>[1-9]\d*)\.zip$")


def counted_files(count: int) -> str:
    """How `archive` and `verify` both say how many files an archive holds: the files its
    manifest lists (pages and styles), the manifest itself not counted."""
    return f"{count} 个网页和样式文件，另加清单 {MANIFEST}"


class ManifestError(ValueError):
    """The manifest cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True)
class Correction:
    reason: str
    replaces: str  # folder of the replaced revision, e.g. "2023-r1"
    replaces_manifest_sha256: str


@dataclass
class Manifest:
    year: int
    revision: int
    archived_on: str  # ISO date of the archiving: an event, recorded once
    generator_version: str
    live_url: str  # the year's page on the live site, relative to the site root
    files: dict[str, FileEntry] = field(default_factory=dict)  # path inside the snapshot → entry
    sources: dict[str, str] = field(default_factory=dict)  # content file → SHA-256 of its text
    correction: Correction | None = None

    def as_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "year": self.year,
            "revision": self.revision,
            "archived_on": self.archived_on,
            "generator": {"name": "site_builder", "version": self.generator_version},
            "live_url": self.live_url,
            "sources": [{"path": p, "sha256": h} for p, h in sorted(self.sources.items())],
            "files": [{"path": p, "sha256": e.sha256, "size": e.size} for p, e in sorted(self.files.items())],
            "correction": None if self.correction is None else {
                "reason": self.correction.reason,
                "replaces": self.correction.replaces,
                "replaces_manifest_sha256": self.correction.replaces_manifest_sha256,
            },
        }
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        try:
            raw = json.loads(data.decode("utf-8"))
            if raw.get("format") != FORMAT:
                raise ManifestError(f"不认识的清单格式 {raw.get('format')!r}")
            correction = raw.get("correction")
            return cls(
                year=int(raw["year"]),
                revision=int(raw["revision"]),
                archived_on=str(raw["archived_on"]),
                generator_version=str(raw["generator"]["version"]),
                live_url=str(raw["live_url"]),
                files={str(f["path"]): FileEntry(str(f["sha256"]), int(f["size"])) for f in raw["files"]},
                sources={str(s["path"]): str(s["sha256"]) for s in raw["sources"]},
                correction=None if correction is None else Correction(
                    str(correction["reason"]), str(correction["replaces"]),
                    str(correction["replaces_manifest_sha256"])),
            )
        except ManifestError:
            raise
        except UnicodeDecodeError:
            raise ManifestError("清单不是 UTF-8 文本") from None
        except json.JSONDecodeError as exc:
            raise ManifestError(f"清单不是有效的 JSON（第 {exc.lineno} 行）") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ManifestError(f"清单缺少或写错了项 {exc}") from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(data: bytes) -> FileEntry:
    return FileEntry(sha256(data), len(data))


def folder_name(year: int, revision: int, current: bool) -> str:
    """`2023` for the published revision, `2023-r1` for a replaced one."""
    return str(year) if current else f"{year}-r{revision}"


def zip_name(year: int, revision: int) -> str:
    """A revision's zip keeps its name for good: `2023-r1.zip`."""
    return f"{year}-r{revision}.zip"


def snapshot_files(folder: Path) -> dict[str, Path]:
    """Path inside the snapshot → file, for every regular file but the manifest, sorted.

    Symbolic links are never followed nor listed (verify.py reports them, A616)."""
    found = {}
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(top, d))]
        for name in files:
            path = Path(top) / name
            if stat.S_ISREG(os.lstat(path).st_mode):
                relative = path.relative_to(folder).as_posix()
                if relative != MANIFEST:
                    found[relative] = path
    return dict(sorted(found.items()))
