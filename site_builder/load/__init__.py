"""Load stage: find the site's files and parse each into marked values.

Public surface: :func:`load_site` → :class:`LoadedSite`. Nothing here knows
what a form means; a file that cannot be read or parsed becomes a finding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, SiteError
from .front_matter import split_front_matter
from .source import Source, read_source
from .yaml_text import MarkedDict, MarkedList, MarkedStr, mark, parse_yaml

CONTENT_DIR = "content"
SITE_FILE = "site.yaml"
INDEX_NUMBERS_FILE = "index-numbers.yaml"  # 索引号 given out by the build (model.index_numbers), not a record
RECORD_SUFFIXES = (".yaml", ".yml", ".md")


@dataclass
class LoadedFile:
    source: Source
    data: object  # MarkedDict for a well-formed record; anything else is reported later
    body: MarkedStr | None = None  # Markdown body, for documents


@dataclass
class LoadedSite:
    site_dir: Path
    config: LoadedFile | None
    files: list[LoadedFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def content_files(site_dir: Path) -> list[Path]:
    """Every record file under content/, in a stable order."""
    root = Path(site_dir) / CONTENT_DIR
    return [root / name for name, _stat in content_listing(site_dir)]


def content_listing(site_dir: Path) -> list[tuple[str, os.stat_result]]:
    """:func:`content_files` as paths relative to content/ (forward slashes), each with its
    os.stat(): one directory scan, no second stat, no Path objects (a large site has tens of thousands)."""
    found: list[tuple[str, os.stat_result]] = []

    def scan(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith((".", "_", "~")):
                continue  # editor backups, Word lock files, hidden folders
            if entry.is_dir():
                scan(entry.path, prefix + entry.name + "/")
            elif (entry.is_file() and os.path.splitext(entry.name)[1].lower() in RECORD_SUFFIXES
                  and not (prefix == "" and entry.name in (SITE_FILE, INDEX_NUMBERS_FILE))):
                found.append((prefix + entry.name, entry.stat()))

    scan(os.path.join(site_dir, CONTENT_DIR), "")
    found.sort(key=lambda item: item[0])
    return found


def load_file(path: Path, site_dir: Path) -> LoadedFile:
    """Parse one file; raises SiteError with the finding when it cannot be read."""
    source = read_source(path, site_dir)
    if path.suffix.lower() == ".md":
        meta, body = split_front_matter(source)
        return LoadedFile(source, meta, body)
    data = parse_yaml(source)
    if not isinstance(data, MarkedDict):
        line, column = mark(data)
        raise SiteError(source.finding(
            "L107", "文件的最外层应当是“键: 值”的形式",
            "请对照模板（site-builder new）检查：第一层的各项（如 kind、year）应当顶格书写，后面跟冒号。",
            line or 1, column or 1))
    return LoadedFile(source, data)


def load_site(site_dir: Path) -> LoadedSite:
    """The settings and every content file, parsed; what cannot be read becomes a finding."""
    loaded = load_settings(site_dir)
    for path in content_files(loaded.site_dir):
        try:
            loaded.files.append(load_file(path, loaded.site_dir))
        except SiteError as exc:
            loaded.findings.extend(exc.findings)
    return loaded


def load_settings(site_dir: Path) -> LoadedSite:
    """Only content/site.yaml (the content files are left out); SiteError when there is no content/ folder."""
    site_dir = Path(site_dir)
    root = site_dir / CONTENT_DIR
    if not root.is_dir():
        raise SiteError(Finding(
            code="L109", path=str(site_dir), message=f"找不到内容文件夹 {root}",
            hint="请在站点文件夹里运行命令，或用 --site 指定站点文件夹（其中应有 content/site.yaml）。"))
    loaded = LoadedSite(site_dir, None)
    config_path = root / SITE_FILE
    if not config_path.is_file():
        loaded.findings.append(Finding(
            code="L109", path=f"{CONTENT_DIR}/{SITE_FILE}", message="找不到站点设置文件 content/site.yaml",
            hint="请新建 content/site.yaml，至少写上 name: 单位名称。"))
    else:
        try:
            loaded.config = load_file(config_path, site_dir)
        except SiteError as exc:
            loaded.findings.extend(exc.findings)
    return loaded


__all__ = ["load_site", "load_settings", "load_file", "content_files", "content_listing", "LoadedSite", "LoadedFile", "Source",
           "MarkedDict", "MarkedList", "MarkedStr", "CONTENT_DIR", "SITE_FILE"]
