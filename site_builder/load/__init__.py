"""Load stage: find the site's files and parse each into marked values.

Public surface: :func:`load_site` → :class:`LoadedSite`. Nothing here knows
what a form means; a file that cannot be read or parsed becomes a finding.
"""

from __future__ import annotations

import errno
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WARNING, Finding, SiteError
from .front_matter import split_front_matter
from .source import CONTROL, Source, read_source
from .yaml_text import MarkedDict, MarkedList, MarkedStr, mark, parse_yaml

CONTENT_DIR = "content"
SITE_FILE = "site.yaml"
INDEX_NUMBERS_FILE = "index-numbers.yaml"  # 索引号 given out by the build (model.index_numbers), not a record
RECORD_SUFFIXES = (".yaml", ".yml", ".md")
SKIPPED_PREFIXES = (".", "_", "~")  # names never read in content/: hidden files, editor backups, Word lock files


class LoadedFile:
    """One content file: its source, its parsed values (`data`: a MarkedDict for a well-formed record;
    anything else is reported later) and, for a document, its Markdown `body`.

    A long-running caller (serve) keeping thousands of files may :meth:`forget` the parsed values
    of the files it keeps (they are most of its memory): they are parsed again from the kept text
    when next asked for."""

    def __init__(self, source: Source, data: object, body: MarkedStr | None = None):
        self.source = source
        self._parsed: tuple[object, MarkedStr | None] | None = (data, body)

    @property
    def data(self) -> object:
        return self._values()[0]

    @property
    def body(self) -> MarkedStr | None:
        return self._values()[1]

    def forget(self) -> None:
        """Let the parsed values (and the text split in lines) go; the next reading parses the text again."""
        self._parsed = None
        self.source.forget_lines()

    def _values(self) -> tuple[object, MarkedStr | None]:
        if self._parsed is None:
            self._parsed = _parse(self.source)
        return self._parsed

    def __repr__(self) -> str:
        return f"LoadedFile({self.source.name!r})"


@dataclass
class LoadedSite:
    site_dir: Path
    config: LoadedFile | None
    files: list[LoadedFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @functools.cached_property
    def by_name(self) -> dict[str, LoadedFile]:
        """The files by name (relative to the site folder), once every file is in `files`."""
        return {f.source.name: f for f in self.files}


def content_files(site_dir: Path) -> list[Path]:
    """Every record file under content/, in a stable order (what could not be listed: :func:`content_listing`)."""
    root = Path(site_dir) / CONTENT_DIR
    return [root / name for name, _stat in content_listing(site_dir).files]


@dataclass
class ContentListing:
    """The record files under content/, and a finding for each file or folder that could not be listed."""

    files: list[tuple[str, os.stat_result]]  # path relative to content/ (forward slashes), its os.stat()
    findings: list[Finding]


def content_listing(site_dir: Path) -> ContentListing:
    """Every record file under content/, each with its os.stat(): one directory scan, no
    second stat, no Path objects (a large site has tens of thousands).

    Nothing is skipped quietly: a folder that cannot be read, and a symbolic link that
    points outside the site folder, loops or points at nothing, is a finding, so that a
    build never publishes fewer records than the content holds."""
    found: list[tuple[str, os.stat_result]] = []
    findings: list[Finding] = []
    site_root = os.path.realpath(site_dir)

    def report(code: str, name: str, message: str, hint: str) -> None:
        findings.append(Finding(code=code, path=f"{CONTENT_DIR}/{name}".rstrip("/"), message=message, hint=hint))

    def scan(folder: str, prefix: str, ancestors: frozenset[str]) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            report("L120", prefix, f"无法读取文件夹（{_reason(exc)}），其中的记录都不会发布",
                   "请检查这个文件夹的权限（要能读取和打开），改好后重新运行。")
            return
        for entry in entries:
            if entry.name.startswith(SKIPPED_PREFIXES):
                continue  # editor backups, Word lock files, hidden folders
            name = prefix + entry.name
            is_settings = prefix == "" and entry.name == SITE_FILE  # read by load_settings, not listed
            is_record = os.path.splitext(entry.name)[1].lower() in RECORD_SUFFIXES and not is_settings
            if entry.is_symlink() and not _link_allowed(entry, name, is_record or is_settings, site_root, report):
                continue
            if entry.is_dir():
                real = os.path.realpath(entry.path)
                if real in ancestors:
                    report("L122", name, "符号链接（快捷方式）指向它所在的文件夹，形成循环",
                           "请删除这个链接，把记录文件直接放在 content/ 里。")
                    continue
                scan(entry.path, name + "/", ancestors | {real})
            elif is_record and entry.is_file() and not (prefix == "" and entry.name == INDEX_NUMBERS_FILE):
                try:
                    found.append((name, entry.stat()))
                except OSError as exc:
                    report("L108", name, f"无法读取文件：{_reason(exc)}",
                           "请检查文件是否存在、是否有读取权限，或是否被其他程序占用。")
                    continue
                windows = _not_on_windows(name)
                if windows is not None:
                    findings.append(Finding(code="L113", severity=WARNING, path=f"{CONTENT_DIR}/{name}",
                                            message=windows[0], hint=windows[1]))
            elif not is_settings and entry.is_file():
                misnamed = _misnamed_finding(entry.name, entry.path)
                if misnamed is not None:
                    report("L112", name, *misnamed)

    content = os.path.join(site_dir, CONTENT_DIR)
    scan(content, "", frozenset({os.path.realpath(content)}))
    found.sort(key=lambda item: item[0])
    return ContentListing(found, findings)


_OTHER_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkd", ".mkdn")
_NOTEPAD_SUFFIX = ".txt"
_RENAME_HINT = ("在资源管理器的“查看”里勾选“文件扩展名”，就能看到和修改完整的文件名；用记事本保存时，"
                "在“另存为”的“保存类型”里选“所有文件(*.*)”，它就不会再加上 .txt。")


def misnamed_record(name: str) -> str | None:
    """The name a record file was meant to have, when its own name keeps it from being read: Notepad's
    `报告.md.txt`, a name ending in a space or a dot (`gaosan.yaml `), `报告.markdown`; None otherwise
    (a .txt file may still hold a record: :func:`_misnamed_finding` looks inside it)."""
    trimmed = name.rstrip(" .")
    lower = trimmed.lower()
    if lower.endswith(RECORD_SUFFIXES):
        return trimmed if trimmed != name else None
    if lower.endswith(_NOTEPAD_SUFFIX):
        inner = trimmed[: -len(_NOTEPAD_SUFFIX)].rstrip(" .")
        if inner.lower().endswith(RECORD_SUFFIXES):
            return inner
    for suffix in _OTHER_MARKDOWN_SUFFIXES:
        if lower.endswith(suffix):
            return trimmed[: -len(suffix)] + ".md"
    return None


def watched_in_content(name: str) -> bool:
    """Whether a file of content/ is read, or looked at for a record it would lose (serve watches these)."""
    return name.lower().endswith(RECORD_SUFFIXES + (_NOTEPAD_SUFFIX,)) or misnamed_record(name) is not None


def _misnamed_finding(name: str, path: str) -> tuple[str, str] | None:
    """(message, hint) of L112 for a file of content/ that holds a record but is not read for its name."""
    meant = misnamed_record(name)
    if meant is not None:
        if name.rstrip(" .") != name:
            problem = "文件名末尾有空格或点"
        elif name.lower().rstrip(" .").endswith(_NOTEPAD_SUFFIX):
            problem = "文件名多了一个 .txt（记事本保存时自动加上的）"
        else:
            problem = f"扩展名“{name.rsplit('.', 1)[1]}”不是 .md"
        return (f"{problem}，这个文件不会读取，其中的记录不会公开",
                f"请把文件改名为“{meant}”。" + (_RENAME_HINT if "txt" in problem else ""))
    if not name.lower().endswith(_NOTEPAD_SUFFIX):
        return None
    try:
        with open(path, "rb") as file:
            head = file.read(4096)
    except OSError:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", "replace")
    stem = name[: -len(_NOTEPAD_SUFFIX)].rstrip(" .")
    if text.startswith("---"):
        meant = stem + ".md"
    elif re.match(r"(?m)(#[^\n]*\n\s*)*kind\s*[:：]", text):
        meant = stem + ".yaml"
    else:
        return None  # a note that is no record
    return ("这个 .txt 文件的内容是一份记录，但只有 .yaml 和 .md 文件才会读取，这份记录不会公开",
            f"请把文件改名为“{meant}”。" + _RENAME_HINT)


# Names Windows refuses for a file whatever its extension (con.yaml cannot be checked out on a PC, con.html
# cannot be copied to one: model.slugs refuses them as page names too).
WINDOWS_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                           *(f"lpt{n}" for n in range(1, 10))})
_WINDOWS_FORBIDDEN = set('<>:"|?*\\') | {chr(code) for code in range(32)}


def _not_on_windows(name: str) -> tuple[str, str] | None:
    """(message, hint) of L113 for a record path that Windows cannot hold: a reserved name (con.yaml,
    aux.md) or a character Windows forbids (报告?.md, a:b.yaml) in one of its parts; None otherwise."""
    for part in name.split("/"):
        forbidden = sorted({character for character in part if character in _WINDOWS_FORBIDDEN})
        if forbidden:
            shown = "、".join(f"“{c}”" if c.isprintable() else f"U+{ord(c):04X}" for c in forbidden)
            return (f"文件名“{part}”里有 Windows 不允许的字符 {shown}：这个文件在 Windows 电脑上无法打开、复制或检出",
                    "请给文件改名，只用汉字、英文字母、数字、连字符和下划线。")
        if part.split(".", 1)[0].lower() in WINDOWS_NAMES:
            return (f"“{part}”用了 Windows 的保留名 {part.split('.', 1)[0]}：这个文件在 Windows 电脑上无法打开、复制或检出",
                    "请给文件改名（例如在前面加上年度或项目的拼音），记录的网页地址由 slug 决定，不受影响。")
    return None


def _link_allowed(entry: os.DirEntry, name: str, is_read: bool, site_root: str, report) -> bool:
    """Whether a symbolic link in content/ is read: it must point at something inside the site folder."""
    try:
        entry.stat()  # follows the link
    except OSError as exc:
        if not is_read and os.path.splitext(entry.name)[1]:
            return False  # a link to no record (a .docx, a .pdf): nothing is lost
        if exc.errno == errno.ELOOP:
            report("L122", name, "符号链接（快捷方式）形成循环：直接或经过别的链接指向它自己",
                   "请删除这个链接，把记录文件直接放在 content/ 里。")
        else:
            report("L123", name, "符号链接（快捷方式）指向的文件或文件夹不存在",
                   "请删除这个链接，或把它指向的文件放回原处。")
        return False
    if not (is_read or entry.is_dir()):
        return True  # not a record: not read
    target = os.path.realpath(entry.path)
    if os.path.commonpath([site_root, target]) != site_root:
        report("L121", name, "这是指向站点文件夹以外的符号链接（快捷方式），不会读取",
               "内容只能来自站点文件夹：请把文件本身复制到 content/ 里，再删除这个链接。")
        return False
    return True


def _reason(exc: OSError) -> str:
    """Why a file or folder could not be read, in Chinese for the common reasons."""
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))


_OS_REASONS = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "不存在",
               errno.ENAMETOOLONG: "名字太长", errno.EIO: "磁盘读取出错", errno.ELOOP: "符号链接形成循环"}


def load_file(path: Path, site_dir: Path) -> LoadedFile:
    """Parse one file; raises SiteError with the finding when it cannot be read."""
    source = read_source(path, site_dir)
    return LoadedFile(source, *_parse(source))


def _parse(source: Source) -> tuple[object, MarkedStr | None]:
    """(values, Markdown body or None) of a file's text; SiteError when a record's top level is not keys."""
    if source.name.lower().endswith(".md"):
        return split_front_matter(source)
    data = parse_yaml(source)
    if data is None or data == "":  # nothing but comments (and --- or ...): a template never filled in
        raise SiteError(source.finding(
            "L102", "文件里只有注释（# 开头的行），没有内容",
            "# 开头的行是注释，不会读取：请在注释下面顶格写上记录的各项（kind、year……），"
            "或删除这个文件。可以用 site-builder new 生成带说明的模板。", 1, 1))
    if not isinstance(data, MarkedDict):
        line, column = mark(data)
        raise SiteError(source.finding(
            "L107", "文件的最外层应当是“键: 值”的形式",
            "请对照模板（site-builder new）检查：第一层的各项（如 kind、year）应当顶格书写，后面跟冒号。",
            line or 1, column or 1))
    return data, None


def load_site(site_dir: Path, each: Callable[[LoadedSite, LoadedFile], None] | None = None) -> LoadedSite:
    """The settings and every content file, parsed; what cannot be read becomes a finding.
    `each(loaded, file)` is called with every file read, before the next is read (serve models and
    checks it there, and lets its parsed values go)."""
    loaded = load_settings(site_dir)
    listing = content_listing(loaded.site_dir)
    loaded.findings.extend(listing.findings)
    root = loaded.site_dir / CONTENT_DIR
    for path in (root / name for name, _stat in listing.files):
        try:
            loaded.files.append(load_file(path, loaded.site_dir))
        except SiteError as exc:
            loaded.findings.extend(exc.findings)
            continue
        if each is not None:
            each(loaded, loaded.files[-1])
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


__all__ = ["CONTROL", "WINDOWS_NAMES", "misnamed_record", "watched_in_content", "load_site", "load_settings", "load_file", "content_files", "content_listing", "ContentListing", "LoadedSite", "LoadedFile", "Source",
           "MarkedDict", "MarkedList", "MarkedStr", "CONTENT_DIR", "SITE_FILE"]
