"""Freezing a year: its pages, rendered for the archive, with the assets they need.

:func:`freeze` renders the year's index page and record pages through the
theme with an ``archive`` context (the banner) and a link function under which
every link to a page of the same year stays inside the snapshot and every other
link points at the live site relative to ``build/archive/YEAR/``. The year's
downloads (each form's Excel, CSV and JSON files, the year's workbook and zip)
are frozen with it, under ``downloads/``, and its pages link to them. Pages are
masked like the live site (write.mask_personal_data), and so is the
manifest (file names, the correction reason). The snapshot is written
beside the other archives and moved into place with renames only.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .. import __version__, downloads
from ..errors import Finding, SiteError
from ..load import CONTENT_DIR, SITE_FILE
from ..model import Page, Site
from ..model.site import YearGroup
from ..render import Theme, relative_url, render_pages
from ..privacy import mask_bytes, mask_text
from ..write import asset_bytes, mask_personal_data, published_bytes
from .manifest import (ARCHIVES_DIR, MANIFEST, Correction, Manifest, entry, folder_name, sha256,
                       zip_name)
from .publish import CORRECTIONS_URL, PUBLISHED_DIR
from . import log
from .verify import LOG_CODES, log_entries, verify_archives


BANNER_TEXT = "本页为{year}年度归档版本"  # every archived page must say so (the theme's _archive_banner.html)


@dataclass(frozen=True)
class Banner:
    """What a template knows on an archived page (the `archive` variable).

    The hrefs are final: every page of a snapshot sits at its top level, so
    they are the same on every page and lead to the live site.
    """

    year: int
    revision: int
    archived_on: str
    live_year_href: str
    correction_reason: str = ""
    corrections_href: str = ""


@dataclass(frozen=True)
class Frozen:
    folder: Path
    manifest: Manifest
    replaced: Path | None = None  # where the previous revision went
    zip_path: Path | None = None


def archive_date() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise SiteError(Finding(code="A609", message=f"环境变量 SOURCE_DATE_EPOCH 的值 {epoch!r} 不是有效的时间",
                                hint="SOURCE_DATE_EPOCH 写自 1970-01-01 起的秒数，例如 1735689600；不需要时删掉这个变量。"))


def freeze(site_dir: Path, site: Site, year: int, *, supersede: bool = False, reason: str = "",
           make_zip: bool = False, today: date | None = None) -> Frozen:
    """Archive `year` into archives/YEAR/; raise SiteError when that is not allowed."""
    site_dir = Path(site_dir)
    reason = mask_text((reason or "").strip())  # published on the pages and in the manifest
    group = next((g for g in site.years if g.year == year), None)
    if group is None:
        years = "、".join(str(g.year) for g in site.years) or "（无）"
        raise SiteError(Finding(code="A601", message=f"content/ 中没有 {year} 年度的记录，无法归档",
                                hint=f"请检查年度是否写对。现有记录的年度：{years}。"))
    if reason and not supersede:
        raise SiteError(Finding(code="A603", message="--reason 只能与 --supersede 一起使用",
                                hint=f"更正已归档的年度：site-builder archive {year} --supersede --reason \"更正原因\""))
    root = site_dir / ARCHIVES_DIR
    current = root / folder_name(year, 0, current=True)
    archives, findings = verify_archives(site_dir)
    untrusted = [f for f in findings if f.code in LOG_CODES]
    if untrusted:  # the history itself is in doubt: nothing is added to it
        raise SiteError(untrusted)
    previous = next((a for a in archives if a.year == year and a.current), None)
    if previous is None and any(a.year == year for a in archives):
        raise SiteError([f for f in findings if f.path == f"{ARCHIVES_DIR}/{year}"])
    if previous is not None:
        if not supersede:
            when = f"（{previous.manifest.archived_on} 归档）" if previous.manifest else ""
            raise SiteError(Finding(
                code="A602", path=f"{ARCHIVES_DIR}/{year}", message=f"{year} 年度已经归档{when}，归档不能重新生成",
                hint=(f"已公开的归档保持原样。确需更正时，运行 site-builder archive {year} --supersede --reason \"更正原因\"："
                      "原归档作为旧版本保留，新归档公开，更正原因列入“更正记录”页。")))
        own = [f for f in findings if f.path.startswith(f"{ARCHIVES_DIR}/{year}/") or f.path == f"{ARCHIVES_DIR}/{year}"]
        if own or previous.manifest is None:
            raise SiteError(own)
    elif supersede:
        raise SiteError(Finding(code="A603", message=f"{year} 年度还没有归档，没有可以更正的版本",
                                hint=f"第一次归档不加 --supersede：site-builder archive {year}"))
    if supersede and not reason:
        raise SiteError(Finding(code="A603", message="更正已归档的年度必须写明原因",
                                hint=f"例如：site-builder archive {year} --supersede --reason \"项目支出表第3行得分录入错误，按原表更正\""))

    archived_on = (today or archive_date()).isoformat()
    revision = previous.manifest.revision + 1 if previous is not None else 1
    retired_name = folder_name(year, previous.manifest.revision, current=False) if previous is not None else ""
    if retired_name and (root / retired_name).exists():
        raise SiteError(Finding(code="A608", path=f"{ARCHIVES_DIR}/{retired_name}",
                                message=f"旧版本的文件夹 {ARCHIVES_DIR}/{retired_name} 已经存在，无法保留现行版本",
                                hint="归档文件夹不要改名或复制。请用版本库恢复 archives/ 后重试。"))
    zip_path = root / zip_name(year, revision) if make_zip else None
    if zip_path is not None and zip_path.exists():
        raise SiteError(Finding(code="A602", path=f"{ARCHIVES_DIR}/{zip_path.name}",
                                message=f"压缩包 {ARCHIVES_DIR}/{zip_path.name} 已经存在，不会覆盖",
                                hint="这个压缩包不属于任何现有归档：请确认后删除它，再重新归档。"))

    correction = None
    if previous is not None:
        correction = Correction(reason, retired_name, sha256(previous.manifest_bytes))
    files = _render_snapshot(site_dir, site, group, revision, archived_on, reason)
    manifest = Manifest(
        year=year, revision=revision, archived_on=archived_on, generator_version=__version__,
        live_url=group.url, files={path: entry(data) for path, data in files.items()},
        sources=_sources(site_dir, group), correction=correction)

    manifest_json = mask_bytes(manifest.as_json(), "application/json")  # published: file names, the reason
    staging = root / f".{year}.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for path, data in sorted(files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST).write_bytes(manifest_json)
        if previous is not None:
            os.rename(current, root / retired_name)
        try:
            os.rename(staging, current)
        except BaseException:
            if previous is not None:
                os.rename(root / retired_name, current)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    entries = log_entries(site_dir)
    logged = log.new_entry(entries, year, revision, archived_on, sha256(manifest_json),
                           correction.replaces_manifest_sha256 if correction is not None else None,
                           zip_path.name if zip_path is not None else None)
    log.append(root, logged)
    if zip_path is not None:
        write_zip(zip_path, current, manifest, logged)
    return Frozen(current, manifest, root / retired_name if previous is not None else None, zip_path)


def _render_snapshot(site_dir: Path, site: Site, group: YearGroup, revision: int, archived_on: str,
                     reason: str) -> dict[str, bytes]:
    theme = Theme.for_site(site_dir, site.config.theme_dir)
    pages = [page for page in site.pages  # the year's page and its records' (not its catalogue page)
             if page.year is group and (page.record is not None or page.url == group.url)]
    prefix = posixpath.dirname(group.url) + "/"  # disclosure/2023/
    inside = {page.url: page.url.removeprefix(prefix) for page in pages}
    assets = theme.assets()
    inside.update({path: path for path in assets})
    made = downloads.year_downloads(group)[0]  # sets the pages' download links, kept inside the snapshot
    year_folder = f"{downloads.DOWNLOADS_DIR}/{group.year}/"
    inside.update({path: f"{downloads.DOWNLOADS_DIR}/{path.removeprefix(year_folder)}" for path in made})
    assert all("/" not in inside[page.url] for page in pages), "snapshot pages sit at its top level"
    here = f"{PUBLISHED_DIR}/{group.year}/"  # where the snapshot is published, from the site root

    def link(target: str, page: Page) -> str:
        path, hash_, fragment = target.partition("#")
        origin = here + inside[page.url]
        if not path:
            return target
        destination = here + inside[path] if path in inside else path
        return relative_url(destination + hash_ + fragment, origin)

    banner = Banner(
        year=group.year, revision=revision, archived_on=archived_on,
        live_year_href=relative_url(group.url, here + "index.html"),
        correction_reason=reason,
        corrections_href=relative_url(CORRECTIONS_URL, here + "index.html") if reason else "")
    rendered = render_pages(site, theme, pages, link=link, context={"archive": banner})
    unmarked = [url for url, text in rendered.items() if BANNER_TEXT.format(year=group.year) not in text]
    if unmarked:
        raise SiteError(Finding(
            code="A610", path=f"{CONTENT_DIR}/{SITE_FILE}" if site.config.theme_dir else "",
            message=f"归档页面上没有“{BANNER_TEXT.format(year=group.year)}”的说明（{unmarked[0]} 等 {len(unmarked)} 页），没有归档",
            hint="自定义主题的 base.html 要在 <main> 开头保留 {% if archive %}{% include \"_archive_banner.html\" %}{% endif %}，"
                 "可对照默认主题 themes/default/templates/base.html。"))
    config = site.config
    files = {inside[url]: mask_personal_data(text, config.phone_display, config.office_phone).encode("utf-8")
             for url, text in rendered.items()}
    files.update({path: asset_bytes(source, config.phone_display, config.office_phone)
                  for path, source in assets.items()})
    files.update({inside[path]: published_bytes(path, data) for path, data in made.items()})
    return files


def _sources(site_dir: Path, group: YearGroup) -> dict[str, str]:
    """The content files the snapshot was made from, with the SHA-256 of their text."""
    sources = {}
    for record in group.records:
        sources[record.path] = record.source_sha256
        for document in getattr(record, "embedded_documents", ()):
            sources[document.path] = document.source_sha256
    config = site_dir / CONTENT_DIR / SITE_FILE
    data = config.read_bytes().removeprefix(b"\xef\xbb\xbf")
    sources[f"{CONTENT_DIR}/{SITE_FILE}"] = sha256(data)
    return sources


def write_zip(path: Path, folder: Path, manifest: Manifest, logged: log.Entry) -> None:
    """The snapshot, its manifest and the archive log's head (log.HEAD_MEMBER) as one reproducible zip.

    Entries are sorted, stored uncompressed (deflate output differs between
    zlib builds) and dated on the archiving day, with fixed permissions.
    """
    prefix = zip_name(manifest.year, manifest.revision).removesuffix(".zip") + "/"
    stamp = date.fromisoformat(manifest.archived_on).timetuple()[:3] + (0, 0, 0)
    members = {name: folder / name for name in [*manifest.files, MANIFEST]}
    members[log.HEAD_MEMBER] = log.head_member_text(logged)
    names = sorted(members)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
            for name in names:
                info = zipfile.ZipInfo(prefix + name, date_time=stamp)
                info.create_system = 3  # Unix, whatever the machine
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_STORED
                member = members[name]
                archive.writestr(info, member if isinstance(member, bytes) else member.read_bytes())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def init_log(site_dir: Path) -> list[log.Entry]:
    """Write the archive log once, for archives made before it existed (``archive --init-log``).

    Only intact archives are sealed: every manifest must match its files and
    every correction the revision it replaces. The entries follow the order
    the archives were made (archiving date, year, revision)."""
    site_dir = Path(site_dir)
    root = site_dir / ARCHIVES_DIR
    if os.path.lexists(log.path_of(root)):
        raise SiteError(Finding(
            code="A620", path=f"{ARCHIVES_DIR}/{log.LOG}", message=f"归档日志 {ARCHIVES_DIR}/{log.LOG} 已经存在，不能重新写",
            hint="--init-log 只用于日志出现之前生成的归档，只能用一次。日志被改动时请用版本库恢复（git checkout -- archives/log.jsonl）。"))
    archives, findings = verify_archives(site_dir)
    problems = [f for f in findings if f.code != "A611"]
    if problems:
        raise SiteError(problems)
    entries: list[log.Entry] = []
    for archive in sorted(archives, key=lambda a: (a.manifest.archived_on, a.manifest.year, a.manifest.revision)):
        manifest = archive.manifest
        replaces = manifest.correction.replaces_manifest_sha256 if manifest.correction is not None else None
        entries.append(log.new_entry(entries, manifest.year, manifest.revision, manifest.archived_on,
                                     sha256(archive.manifest_bytes), replaces, None))
    if entries:
        log.create(root, entries)
    return entries
