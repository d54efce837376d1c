"""Downloads: every form as Excel, CSV per table and JSON; per year one workbook and a zip;
one datapackage.json (Frictionless Data Package v2) describing every file.

Public surface:

- :func:`form_files` — one form's files, the links its page shows and their descriptions;
- :func:`year_files` — a year's workbook of every form and the zip of its files;
- :func:`year_downloads` — all of a year's files (the archive freezes them with the year's pages);
- :func:`form_downloads`, :func:`is_made`, :func:`forget_others`, :func:`year_of`, :func:`is_download` — what a preview needs
  to make a form's or a year's files only when they are asked for;
- :func:`package` — ``downloads/datapackage.json``; :func:`package_pieces` and :func:`in_path_order` give it
  piece by piece, to be written without being held whole (a build of 100,000 pages);
- :class:`Link`, :data:`DOWNLOADS_DIR`.

Everything is read from the form's layout (:mod:`.tables`), so a new layout
needs no code here. Text is masked (site_builder.privacy) before it is packed
into a workbook or a zip, and the write stage masks and checks every file again.
The bytes depend on the content only: two builds give the same files.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ..privacy import UnmaskableData, join_masked, mask_bytes, mask_text
from .files import field_types, json_bytes, json_text, table_csv, zip_bytes
from .joined_workbook import joined
from .tables import form_tables
from .workbook import form_workbook, year_workbook

DOWNLOADS_DIR = "downloads"
PACKAGE = f"{DOWNLOADS_DIR}/datapackage.json"
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
               "json": "application/json", "zip": "application/zip"}


class Link(NamedTuple):
    """A file a page offers: what it holds, its format, its address in the output and its size in bytes.
    A tuple of texts and numbers: a build's cache keeps a record's links packed (site_builder.cache.FileEntry.offer)."""

    label: str
    format: str  # XLSX, CSV, JSON, ZIP
    url: str
    size: int


@dataclass
class FormFiles:
    files: dict[str, bytes]  # output path → bytes
    links: list[Link]
    resources: list[tuple[str, bytes]]  # datapackage.json descriptions of the files (described)
    data: dict  # the form's tables (what its JSON file holds)
    base: str  # its files' output path without the suffix (form_paths)


def _masked(value):
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def described_path(path: str) -> str:
    """How datapackage.json names the download at output path `path` (relative to downloads/)."""
    return path[len(DOWNLOADS_DIR) + 1:]


def _resource(path: str, title: str, fmt: str, year, **extra) -> dict:
    name = described_path(path).rsplit(".", 1)[0].replace("/", "-").replace("_", "-").lower()
    described = {"name": f"{name}-{fmt}", "path": described_path(path), "title": title, "format": fmt,
                 "mediatype": MEDIA_TYPES[fmt]}
    described["type"] = {"csv": "table", "json": "json"}.get(fmt, "file")
    if fmt == "csv":
        described["encoding"] = "utf-8-sig"
    if year is not None:
        described["fiscal_year"] = year
    described.update(extra)
    return described


def form_files(record) -> FormFiles:
    """The downloads of one form (a FormRecord with its page address set)."""
    data = _masked(form_tables(record))
    base = f"{DOWNLOADS_DIR}/{record.year}/{record.slug}"
    workbook, whole = form_paths(base)
    page = "../" + record.url
    title = data["name"] or data["title"]
    files = {workbook: form_workbook(data)}
    links = [Link(f"{title}（整张表）", "XLSX", workbook, 0)]
    resources = [_resource(workbook, f"{data['title']}：{title}", "xlsx", record.year, page=page)]
    for table in data["tables"]:
        path = f"{base}-{table['name'].replace('_', '-')}.csv"
        files[path] = table_csv(table)
        links.append(Link(table["title"], "CSV", path, 0))
        extra = {"page": page, "schema": {"fields": field_types(table)}}
        if table["unit"]:
            extra["unit"] = table["unit"]
        resources.append(_resource(path, f"{data['title']}——{table['title']}", "csv", record.year, **extra))
    files[whole] = json_bytes(data)
    links.append(Link(f"{title}（全部数据）", "JSON", whole, 0))
    resources.append(_resource(whole, f"{data['title']}：{title}", "json", record.year, page=page))
    links = [Link(link.label, link.format, link.url, len(files[link.url])) for link in links]
    for resource in resources:
        resource["bytes"] = len(files[f"{DOWNLOADS_DIR}/{resource['path']}"])
    return FormFiles(files, links, [described(resource) for resource in resources], data, base)


def form_paths(base: str) -> tuple[str, str]:
    """A form's workbook and its JSON file (`base`: their output path without the suffix)."""
    return f"{base}.xlsx", f"{base}.json"


def described(resource: dict) -> tuple[str, bytes]:
    """A file's description as datapackage.json holds it: (its path, its JSON text in UTF-8, masked)."""
    return resource["path"], mask_text(json_text(resource)).encode("utf-8")


def year_paths(year: int) -> tuple[str, str]:
    """The year's workbook and zip."""
    return (f"{DOWNLOADS_DIR}/{year}/{year}-all-forms.xlsx", f"{DOWNLOADS_DIR}/{year}/{year}-downloads.zip")


def year_files(year: int, forms: list[str], members: dict[str, bytes]) -> dict[str, bytes]:
    """The year's workbook (every form, in the order given: `forms` are the bases of their files'
    paths, see form_paths) and a zip of the year's files (`members`: output path → bytes, the forms'
    downloads, and the workbook).

    The workbook is joined from the forms' own workbooks (joined_workbook); one it cannot join
    has the workbook written again from the forms' JSON files."""
    workbook_path, zip_path = year_paths(year)
    books, data = [], []
    for base in forms:
        workbook, whole = form_paths(base)
        data.append(json.loads(members[whole]))
        books.append((data[-1]["name"] or data[-1]["title"], members[workbook]))
    workbook = joined(books) or year_workbook(data)
    try:  # checked once, not again inside the zip
        workbook = mask_bytes(workbook, MEDIA_TYPES["xlsx"])
    except UnmaskableData:
        pass  # refused with its path when it is written (P706)
    prefix = f"{DOWNLOADS_DIR}/"
    packed = {path[len(prefix):]: data for path, data in members.items()}
    packed[workbook_path[len(prefix):]] = workbook
    return {workbook_path: workbook, zip_path: zip_bytes(packed)}


def year_links(year: int, sizes: dict[str, int]) -> tuple[list[Link], list[tuple[str, bytes]]]:
    """The links a year's page shows to its workbook and zip, and their descriptions (`sizes`: path → bytes)."""
    workbook_path, zip_path = year_paths(year)
    links = [Link(f"{year}年度全部表格", "XLSX", workbook_path, sizes[workbook_path]),
             Link(f"{year}年度全部下载文件", "ZIP", zip_path, sizes[zip_path])]
    resources = [_resource(workbook_path, f"{year}年度全部表格（每张表一个工作表）", "xlsx", year,
                           bytes=sizes[workbook_path]),
                 _resource(zip_path, f"{year}年度全部下载文件", "zip", year, bytes=sizes[zip_path])]
    return links, [described(resource) for resource in resources]


@dataclass
class Memo:
    """What a long-running caller (serve) keeps: the files of forms and years whose text has not changed."""

    forms: dict = field(default_factory=dict)  # (path, text digest, page) → FormFiles
    years: dict = field(default_factory=dict)  # (year, its forms' keys) → the year's files
    groups: dict = field(default_factory=dict)  # year → (the YearGroup last asked about, its forms' keys)

    def keys_of(self, group) -> tuple:
        """The keys of `group`'s forms (a year group does not change once modelled: a year whose group
        is the same object as last time is not gone through again)."""
        earlier = self.groups.get(group.year)
        if earlier is not None and earlier[0] is group:
            return earlier[1]
        keys = tuple(_form_key(record) for record in _forms(group))
        self.groups[group.year] = (group, keys)
        return keys


def year_downloads(group, memo: Memo | None = None) -> tuple[dict[str, bytes], list[tuple[str, bytes]]]:
    """A year's downloads (output path → bytes: its forms' files, its workbook and zip; none without
    a form) and their descriptions. Sets the links on its records and on the year group."""
    memo = memo if memo is not None else Memo()
    keys, forms, members, resources = [], [], {}, []
    for record in _forms(group):
        made = form_downloads(record, memo)
        keys.append(_form_key(record))
        forms.append(made.base)
        members.update(made.files)
        resources += made.resources
    if not keys:
        return {}, []
    year_key = (group.year, tuple(keys))
    if year_key not in memo.years:
        memo.years[year_key] = year_files(group.year, forms, members)
    made_year = memo.years[year_key]
    group.downloads, year_resources = year_links(group.year, {path: len(data) for path, data in made_year.items()})
    return {**members, **made_year}, resources + year_resources


def form_downloads(record, memo: Memo) -> FormFiles:
    """One form's files (form_files), made once for its text and address; sets the links on the record."""
    key = _form_key(record)
    made = memo.forms.get(key) or form_files(record)
    memo.forms[key] = made
    record.downloads = made.links
    return made


def is_made(group, memo: Memo) -> bool:
    """Whether `memo` holds the year's downloads for its forms as they are now (no form: nothing to make)."""
    keys = memo.keys_of(group)
    return not keys or (group.year, keys) in memo.years


def forget_others(site, memo: Memo) -> None:
    """Drop from `memo` the files of forms and years the site no longer has (a preview runs for hours)."""
    years = {group.year: memo.keys_of(group) for group in site.years}
    memo.groups = {year: kept for year, kept in memo.groups.items() if year in years}
    keys = {key for year_keys in years.values() for key in year_keys}
    memo.forms = {key: made for key, made in memo.forms.items() if key in keys}
    memo.years = {key: made for key, made in memo.years.items() if years.get(key[0]) == key[1]}


def is_download(path: str) -> bool:
    """Whether the output path `path` is one of the downloads."""
    return path.startswith(DOWNLOADS_DIR + "/")


def year_of(path: str) -> int | None:
    """The year whose downloads hold `path` (an output path), or None."""
    parts = path.split("/")
    return int(parts[1]) if len(parts) > 2 and parts[0] == DOWNLOADS_DIR and parts[1].isdigit() else None


def _forms(group) -> list:
    from ..model.forms import FormRecord

    return [record for record in group.records if isinstance(record, FormRecord)]


def _form_key(record) -> tuple:
    return record.path, record.source_sha256, record.url


def in_path_order(sources: list[tuple[str, Callable[[], list[tuple[str, bytes]]]]]) -> Iterator[list[tuple[str, bytes]]]:
    """Every description of `sources` in path order (what package sorts), in runs that follow each other in
    that order; each source given as (a path no greater than any of its own, a function giving its
    descriptions). A source is opened only when its turn comes and dropped when it is used up: at 100,000
    pages the descriptions are 600,000, hundreds of megabytes, and only the few sources whose paths
    interleave are held at once. A source no other one interleaves with (most: a form's files share its
    name) comes as one run, the others a description at a time. ValueError when a source holds a path
    smaller than the one given for it."""
    sources = sorted(sources, key=lambda source: source[0])
    waiting, tie, opened = [], itertools.count(), 0  # waiting: (path, tie, description, the rest of its source)
    while True:
        while opened < len(sources) and (not waiting or sources[opened][0] <= waiting[0][0]):
            least, described = sources[opened]
            opened += 1
            own = sorted(described())
            if own and own[0][0] < least:
                raise ValueError(f"{own[0][0]} < {least}")
            if own and not waiting and (opened == len(sources) or own[-1][0] < sources[opened][0]):
                yield own  # every other description comes after its last: the whole source at once
                continue
            _push(waiting, iter(own), tie)
        if not waiting:  # every source opened and used up
            return
        *_, description, rest = heapq.heappop(waiting)
        yield [description]
        _push(waiting, rest, tie)


def _push(waiting: list, rest: Iterator, tie) -> None:
    for description in rest:
        heapq.heappush(waiting, (description[0], next(tie), description, rest))
        return


def package_pieces(runs: Iterable[list[tuple[str, bytes]]], title: str,
                   name: str = "disclosure-downloads") -> Iterator[bytes]:
    """The pieces of datapackage.json (see package), the descriptions given in runs in path order
    (in_path_order); a run's descriptions joined into one piece (privacy.join_masked)."""
    head = json_text({"$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
                      "name": name, "title": title})
    yield (head[:-1] + ',"resources":[').encode("utf-8")
    for number, run in enumerate(runs):  # in_path_order gives no empty run; package gives one run
        if number:
            yield b","
        yield join_masked([text for _, text in run], b",")
    yield b"]}\n"


def package(resources: list[tuple[str, bytes]], title: str) -> bytes:
    """datapackage.json: every download described (Frictionless Data Package v2, Table Schema for the CSVs),
    from each file's description (described), in path order.

    The descriptions come from the forms' masked tables and are masked where they are made (described),
    in the workers, once per form: joined, they are not masked again (privacy.join_masked). At 10,000
    pages they are 40 MB, and masking them took two seconds of every build; at 100,000 pages the package
    describes some 600,000 files, and is never parsed again."""
    return join_masked(list(package_pieces([sorted(resources)], title)))


# A large site (model.site.Site.catalogue_by_year: its 公开目录 is a page per year) describes each year's
# files in that year's folder, and datapackage.json describes the years' workbooks, zips and packages:
# one package of 100,000 pages' files was 400 MB, and every change wrote it whole.

def year_package_path(year: int) -> str:
    """A large site's description of the year's files (see above)."""
    return f"{DOWNLOADS_DIR}/{year}/datapackage.json"


def year_package(year: int, resources: list[tuple[str, bytes]], title: str) -> bytes:
    """The year's own datapackage.json from the descriptions of its files (`resources`, as datapackage.json
    holds them): paths and pages taken from the year's folder. In a description's JSON text on one line,
    `"path":"` and `"page":"` only start those values (a quote inside a text is escaped), and what the
    change joins is a quote and a letter: no number is made that masking did not see."""
    folder = f'"path":"{year}/'.encode("utf-8")
    moved = [(path, text.replace(folder, b'"path":"', 1).replace(b'"page":"../', b'"page":"../../', 1))
             for path, text in resources]
    return join_masked(list(package_pieces([sorted(moved)], f"{title}（{year}年度）", f"disclosure-downloads-{year}")))


def years_package(year_files: list[tuple[str, bytes]], package_sizes: dict[int, int], title: str) -> bytes:
    """datapackage.json of a large site: the descriptions of the years' workbooks and zips (`year_files`,
    as year_links gives them) and of each year's package (year → its size in bytes)."""
    packages = [described(_resource(year_package_path(year), f"{year}年度下载文件的说明（Data Package）", "json",
                                    year, bytes=size)) for year, size in sorted(package_sizes.items())]
    return package(list(year_files) + packages, title)


def package_title(site_name: str) -> str:
    """The title of the site's datapackage.json."""
    return f"{site_name}预决算与绩效公开下载文件"


__all__ = ["year_downloads", "form_downloads", "is_made", "forget_others", "year_of", "is_download", "Memo", "form_files", "form_paths", "year_files", "year_links", "year_paths", "package", "package_pieces", "year_package", "year_package_path", "years_package", "package_title", "in_path_order", "described", "described_path", "Link", "FormFiles", "DOWNLOADS_DIR", "PACKAGE"]
