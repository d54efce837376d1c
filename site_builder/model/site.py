"""The whole site as a model: settings, records by year, and the pages to write.

Public surface: :func:`build_model` turns a :class:`~site_builder.load.LoadedSite`
into a :class:`Site` plus the findings met on the way. Page addresses are
decided here, once: ASCII paths, one folder per year.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import chain, compress
from operator import attrgetter, is_not
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from ..errors import Finding
from ..load import LoadedFile, LoadedSite
from ..load.yaml_text import MarkedDict
from . import schema
from .figures import KeyFigures
from .from_source import record_from_file
from .overview import DepartmentHistory, YearOverview, department_history, year_overview
from ..layouts import layouts_for
from .forms import FormRecord
from .index_numbers import IndexFormat, index_format
from .records import Document, Record, _cached
from .slugs import address_problem

COLUMN_DIR = "disclosure"
ABOUT_DIR = "about"
CATALOGUE_URL = f"{COLUMN_DIR}/gongkai-mulu.html"
CATALOGUE_TITLE = "公开目录"
# Items the 公开目录 lists on one page at most. A larger catalogue is a page per year, listed on the
# catalogue's page: one table of 10,000 items is a page of 7 MB (and the search page, which shows the
# catalogue to readers without JavaScript, 9 MB), too much for a phone, and every change rewrote both.
# Such a site's downloads are described a year apart too (downloads.year_package).
CATALOGUE_ONE_PAGE_AT_MOST = 1000
SEARCH_URL = "search.html"
SITEMAP_URL = "sitemap.xml"
FEED_URL = "feed.xml"
LATEST_COUNT = 10  # items the home page lists
HISTORY_URL = f"{COLUMN_DIR}/bumen-linian.html"  # the department's forms year by year
HISTORY_TITLE = "部门整体支出绩效历年情况"

# The order in which a year's records are listed, as the institute files them.
KIND_ORDER = ("department-evaluation", "report", "project-evaluation", "summary", "plan")


@dataclass(frozen=True)
class SiteConfig:
    name: str
    short_name: str = ""
    publisher: str = ""
    column: str = "预决算与绩效公开"
    base_url: str = ""
    office_phone: str = ""
    area_code: str = ""  # 长途区号, shown before an office phone typed without one
    phone_display: str = "mask"
    default_validity: str = ""
    address: str = ""
    site_code: str = ""
    icp: str = ""
    police: str = ""
    theme_dir: str = ""
    language: str = "zh-CN"
    column_type: str = ""
    index_format: IndexFormat | None = None

    @property
    def domain(self) -> str:
        """The host of base_url (SiteDomain), empty when no base_url is configured."""
        return urlsplit(self.base_url).netloc if self.base_url else ""

    def absolute(self, target: str) -> str:
        """The full address of `target` (relative to the site root); needs base_url."""
        return self.base_url.rstrip("/") + "/" + target


    @property
    def office_phone_shown(self) -> str:
        """The office phone as the footer shows it: with the area code when one is configured
        and the number was typed without it (8805696 → 0730-8805696)."""
        phone = self.office_phone
        if self.area_code and phone.isdigit() and 7 <= len(phone) <= 8:  # a local number, not a mobile or 400 line
            return f"{self.area_code}-{phone}"
        return phone


@dataclass
class Crumb:
    title: str
    url: str | None  # None for the current page


@dataclass
class Page:
    url: str  # output path relative to the site root, always ending in .html
    template: str
    title: str
    breadcrumbs: list[Crumb]
    record: Record | None = None
    year: "YearGroup | None" = None
    column_name: str = ""


@dataclass
class KindGroup:
    kind: str
    label: str
    records: list[Record]


@dataclass
class YearGroup:
    year: int
    url: str
    groups: list[KindGroup]
    downloads: list = field(default_factory=list)  # the year's workbook and zip (site_builder.downloads.Link)

    @_cached  # a year's groups do not change once modelled
    def records(self) -> list[Record]:
        return [r for g in self.groups for r in g.records]

    @property
    def overview(self) -> YearOverview:
        """The year's forms with their key figures and column totals, for the year page."""
        return year_overview(self.records)

    @property
    def catalogue_url(self) -> str:
        """The year's page of the 公开目录, when the catalogue is a page per year (Site.catalogue_by_year)."""
        return f"{COLUMN_DIR}/gongkai-mulu-{self.year}.html"


@dataclass
class Site:
    config: SiteConfig
    records: list[Record]
    years: list[YearGroup]
    organization: Document | None
    pages: list[Page] = field(default_factory=list)
    # False while a build reads files one by one (site_builder.pipeline.one_file): the
    # other years of a project are not known yet, and its page is rendered again later.
    series_known: bool = True

    def page_for(self, record: Record) -> Page:
        return next(page for page in self.pages if page.record is record)

    @property
    def items(self) -> list:
        """Every published item (records of a year), newest year first, as the year pages list them."""
        return [record for year in self.years for record in year.records]

    @property
    def catalogue_by_year(self) -> bool:
        """Whether the 公开目录 is a page per year (more than CATALOGUE_ONE_PAGE_AT_MOST items)."""
        return sum(len(year.records) for year in self.years) > CATALOGUE_ONE_PAGE_AT_MOST

    def latest(self, count: int = LATEST_COUNT) -> list:
        """The most recently published dated items, newest first (the home page's list).

        Items published the same day keep the order of their year's page (KIND_ORDER: the
        department form and the report before the project forms): sorted's stability, kept
        with reverse=True. Ordered by address instead, the reversed ties put 部门整体 (bumen-…)
        last, and a year of ten project forms pushed its department form and report off the list.
        """
        dated = [record for record in self.items if record.date is not None]
        return sorted(dated, key=lambda r: (r.date, r.year), reverse=True)[:count]

    def other_years(self, record) -> list:
        """The same project's forms (records or summaries) of other years, newest first."""
        if not self.series_known:
            return []
        series = record.series
        if not series:
            return []
        index = self.__dict__.get("_series_index")
        if index is None or index[0] is not self.records:  # built once per site, not once per page
            by_series: dict[str, list] = defaultdict(list)
            for other in self.records:
                key = other.series
                if key:
                    by_series[key].append(other)
            index = self.__dict__["_series_index"] = (self.records, by_series)
        return sorted((r for r in index[1].get(series, ()) if r.year != record.year),
                      key=lambda r: r.year or 0, reverse=True)

    history_url = HISTORY_URL

    @property
    def history(self) -> DepartmentHistory | None:
        """The department forms year by year, once there are two years or more (else None)."""
        return department_history(self.years)


def config_from(loaded: LoadedSite) -> tuple[SiteConfig | None, list[Finding]]:
    if loaded.config is None:
        return None, []
    data = loaded.config.data
    findings = schema.validate(data, schema.SITE, loaded.config.source)
    if findings:
        return None, findings
    index, findings = index_format(data, loaded.config.source)
    if findings:
        return None, findings
    identifiers = data.get("identifiers") or MarkedDict()

    def text(mapping, key, default=""):
        return str(mapping.get(key, "") or default).strip()

    return SiteConfig(
        name=text(data, "name"),
        short_name=text(data, "short_name"),
        publisher=text(data, "publisher") or text(data, "name"),
        column=text(data, "column", "预决算与绩效公开"),
        base_url=text(data, "base_url"),
        office_phone=text(data, "office_phone"),
        area_code=text(data, "area_code"),
        phone_display=text(data, "phone_display", "mask"),
        default_validity=text(data, "default_validity"),
        address=text(data, "address"),
        site_code=text(identifiers, "site_code"),
        icp=text(identifiers, "icp"),
        police=text(identifiers, "police"),
        theme_dir=text(data, "theme_dir"),
        language=text(data, "language", "zh-CN"),
        column_type=text(data, "column_type"),
        index_format=index,
    ), []


@dataclass
class ModelMemo:
    """What a long-running caller (serve) keeps between runs of :func:`build_model`, so that a
    save costs little more than the file saved: a file whose text has not changed keeps its
    record, a year whose records are the same objects keeps its group, and a year whose group is
    the same object keeps its records' pages. Everything across files is
    still decided again from these, in the same order as without a memo.

    When the files given are last run's files, in the same order, with a few of them read again
    (a save), the run starts from the last run's lists and replaces only those files' records
    (:class:`_Modelled`): nothing else touches the other records. `changed` then names the files
    read again (path → its record or None), for the check stage; it is None after a run that went
    through every file."""

    files: dict = field(default_factory=dict)  # path → _Remembered
    years: dict = field(default_factory=dict)  # year → (its records in file order, YearGroup)
    pages: dict = field(default_factory=dict)  # year → (YearGroup, column, its records' pages)
    last: "_Modelled | None" = None
    changed: dict | None = None

    def model_file(self, loaded_file: LoadedFile, layouts) -> Record | None:
        """Model one file now, while its values are at hand, as the next build_model would: it finds the
        record here and does not read the values again."""
        name = loaded_file.source.name
        remembered = self.files[name] = _remembered(loaded_file, layouts, self.files.get(name))
        return remembered.record


@dataclass(frozen=True)
class _Remembered:
    key: tuple  # (the file's text, the layouts it was read with)
    record: Record | None
    findings: list
    summary: RecordSummary | None
    refers: bool  # record.embeds_documents, kept here: a save then need not touch 10,000 records to learn it


@dataclass
class _Modelled:
    """One run's records, file by file, as the next run may start from them."""

    files: list  # the LoadedFiles modelled, in order
    layouts: object
    remembered: list  # _Remembered of each file
    record_at: list  # each file's position in `records`, -1 when it has none
    records: list
    clashes: list  # url_clashes of the records' summaries
    referring: list  # positions (in `files`) of the records that embed documents
    by_id: dict | None  # every record by id, once a record refers to documents
    organization: Record | None
    replaced: list | None = None  # (record before, record now) of the files read again, when patched
    years: list | None = None  # the records by year, once grouped


# Up to this many files read again, a run starts from the last one's lists.
PATCHED_AT_MOST = 64


def build_model(loaded: LoadedSite, memo: ModelMemo | None = None) -> tuple[Site | None, list[Finding]]:
    """The site modelled from its loaded files (`memo`: see :class:`ModelMemo`)."""
    findings: list[Finding] = []
    config, config_findings = config_from(loaded)
    findings.extend(config_findings)
    layouts = layouts_for(loaded.site_dir)  # the same object while the layouts folder is unchanged
    modelled = _patched(loaded.files, layouts, memo) if memo is not None else None
    if modelled is None:
        if memo is not None:
            memo.changed = None
        modelled = _modelled(loaded.files, layouts, memo)
    findings.extend(chain.from_iterable(map(attrgetter("findings"), modelled.remembered)))
    findings.extend(modelled.clashes)
    for position in modelled.referring:
        loaded_file = loaded.files[position]
        record = modelled.records[modelled.record_at[position]]
        findings.extend(resolve_references(record, modelled.by_id.get, loaded_file.source))
    if config is None:  # no site, so nothing checked: the next run starts afresh
        if memo is not None:
            memo.last = memo.changed = None
        return None, findings
    modelled.years = _years(modelled, memo, modelled.replaced)
    site = Site(config, modelled.records, modelled.years, modelled.organization)
    site.pages = _plan_pages(site, memo.pages if memo else None)
    if memo is not None:
        memo.last = modelled
    return site, findings


def _remembered(loaded_file: LoadedFile, layouts, earlier: _Remembered | None) -> _Remembered:
    """The file's record, findings and summary: `earlier`'s while its text and the layouts are the same."""
    text = loaded_file.source.text
    if earlier is not None and earlier.key[0] == text and earlier.key[1] is layouts:
        return earlier
    record, record_findings = record_from_file(loaded_file, layouts)
    summary = None
    if record is not None:
        record.url = record_url(record)
        summary = summarize(record, loaded_file)  # its address and slug: for url_clashes
    return _Remembered((text, layouts), record, record_findings, summary,
                       record is not None and record.embeds_documents)


def _modelled(files: list[LoadedFile], layouts, memo: ModelMemo | None) -> _Modelled:
    """Every file's record, each looked up in `memo` first."""
    remembered_files = memo.files if memo is not None else {}
    kept = {}
    remembered_list, record_at, records, referring = [], [], [], []
    for position, loaded_file in enumerate(files):
        name = loaded_file.source.name
        remembered = kept[name] = _remembered(loaded_file, layouts, remembered_files.get(name))
        remembered_list.append(remembered)
        if remembered.record is not None:
            record_at.append(len(records))
            records.append(remembered.record)
            if remembered.refers:
                referring.append(position)
        else:
            record_at.append(-1)
    if memo is not None:  # files that are gone are forgotten
        memo.files = kept
    by_id = {r.id: r for r in records} if referring else None
    organization = next((r for r in records if r.kind == "organization"), None)
    return _Modelled(list(files), layouts, remembered_list, record_at, records, _clashes(remembered_list),
                     referring, by_id, organization)


def _clashes(remembered: list[_Remembered]) -> list[Finding]:
    """url_clashes of the records' summaries, in file order."""
    return url_clashes([r.summary for r in remembered if r.record is not None])


def _patched(files: list[LoadedFile], layouts, memo: ModelMemo) -> _Modelled | None:
    """The last run's lists with the files read again since (not the same LoadedFile) replaced; None
    when this run cannot start from them: other files or another order, other layouts, many files
    read again, or a file that gained or lost its record, or became or stopped being the organisation."""
    last = memo.last
    if last is None or last.layouts is not layouts or len(last.files) != len(files):
        return None
    positions = list(compress(range(len(files)), map(is_not, last.files, files)))
    if len(positions) > PATCHED_AT_MOST:
        return None
    now = _Modelled(list(files), layouts, list(last.remembered), last.record_at, list(last.records),
                    last.clashes, last.referring, last.by_id, last.organization, replaced=[])
    changed = {}
    same_addresses = True
    for position in positions:
        loaded_file, name = files[position], files[position].source.name
        before = last.remembered[position]
        if last.files[position].source.name != name:
            return None
        remembered = _remembered(loaded_file, layouts, before)
        at = last.record_at[position]
        if (at >= 0) != (remembered.record is not None):
            return None
        if at >= 0 and "organization" in (before.record.kind, remembered.record.kind):
            return None
        memo.files[name] = now.remembered[position] = remembered
        changed[name] = remembered.record
        if at < 0:
            continue
        now.records[at] = remembered.record
        now.replaced.append((before.record, remembered.record))
        same_addresses = (same_addresses and remembered.summary.url == before.summary.url
                          and remembered.summary.series == before.summary.series)  # S212 compares series
        if remembered.refers != before.refers:
            now.referring = sorted(set(now.referring) ^ {position})
        if now.by_id is not None:
            now.by_id = dict(now.by_id) if now.by_id is last.by_id else now.by_id
            now.by_id[remembered.record.id] = remembered.record
    if now.referring and now.by_id is None:
        now.by_id = {r.id: r for r in now.records}
    # An address clash names the later record's slug line: unchanged while every changed record
    # keeps its address and no clash was about one of them.
    if not same_addresses or any(finding.path in changed for finding in last.clashes):
        now.clashes = _clashes(now.remembered)
    memo.changed = changed
    return now


def _years(modelled: _Modelled, memo: ModelMemo | None, replaced: list | None) -> list[YearGroup]:
    """The records by year (group_by_year); after a save that kept every changed record in its year
    (`replaced`: (record before, record now) pairs), the last run's years with theirs made again."""
    kept = memo.years if memo is not None else None
    last = memo.last if memo is not None else None
    if replaced is None or kept is None or last is None or last.years is None or any(
            before.year != now.year or before.year not in kept for before, now in replaced):
        return group_by_year([r for r in modelled.records if r.kind != "organization"], kept)
    years = list(last.years)
    for before, now in replaced:
        members = list(kept[before.year][0])
        members[next(i for i, member in enumerate(members) if member is before)] = now
        group = _year_group(before.year, members)
        kept[before.year] = (members, group)
        years[next(i for i, year in enumerate(years) if year.year == before.year)] = group
    return years


@dataclass(frozen=True)
class RecordSummary:
    """What the pages listing a record and the checks across files know of it: of its
    figures, only the key figures the year overview and the history show.

    A build that did not read a record's file again (site_builder.pipeline) lists it from this."""

    kind: str
    kind_label: str
    path: str
    id: str
    year: int | None
    title: str
    slug: str
    url: str
    order: int | None
    date: object  # datetime.date | None
    is_document: bool
    slug_at: tuple[int, int, str]  # line, column and text of the line naming the slug, for S205
    index_number: str = ""  # the record's own; the build fills in the one given out (model.index_numbers)
    doc_number: str = ""
    validity: str = ""
    figures: KeyFigures | None = None  # a form's key figures (model.figures), None for other records
    series: str = ""  # shared with the same project's forms of other years (model.figures.series_key)


def summarize(record: Record, loaded_file) -> RecordSummary:
    data = loaded_file.data
    # where the page's name comes from: the slug, or the title it is made from
    named_by = next((key for key in ("slug", "title", "project") if key in data), None)
    line, column = data.mark_of(named_by) if named_by else (1, 1)
    return RecordSummary(
        kind=record.kind, kind_label=record.kind_label, path=record.path, id=record.id, year=record.year,
        title=record.title, slug=record.slug, url=record.url, order=record.order, date=record.date,
        is_document=isinstance(record, Document), index_number=record.index_number,
        doc_number=record.doc_number, validity=record.validity,
        figures=record.figures, series=record.series,
        slug_at=(line, column, loaded_file.source.lines[line - 1] if 0 < line <= len(loaded_file.source.lines) else ""))


def year_url(year: int) -> str:
    return f"{COLUMN_DIR}/{year}/index.html"


def record_url(record: Record) -> str:
    """Where a record's page is written: one folder per year, ASCII names."""
    folder = ABOUT_DIR if record.kind == "organization" or record.year is None else f"{COLUMN_DIR}/{record.year}"
    return f"{folder}/{record.slug}.html"


def url_clashes(summaries: list[RecordSummary]) -> list[Finding]:
    """S205 for every record whose page address an earlier record (in file order) already has;
    S209 for every address the site itself uses or that cannot be saved (index, con, too long);
    S212 for a second form of one project in one year (a copy kept under another slug)."""
    findings = []
    taken: dict[str, RecordSummary] = {}
    forms: dict[tuple[str, int], RecordSummary] = {}  # (series, year) → the first project form of it
    for summary in summaries:
        problem = address_problem(summary.url)
        if problem is not None:
            line, column, quoted = summary.slug_at
            findings.append(Finding(
                code="S209", path=summary.path, line=line, column=column, source_line=quoted,
                message=problem + "，这份记录不能发布",
                hint="请写一个别的 slug（网页文件名），只用小写英文字母、数字和连字符，例如 gaosan-fuxi-yingkao。"))
            continue
        other = taken.setdefault(summary.url, summary)
        if other is not summary:
            line, column, quoted = summary.slug_at
            findings.append(Finding(
                code="S205", path=summary.path, line=line, column=column, source_line=quoted,
                message=f"网页文件名 {summary.slug} 与 {other.path} 重复，两份记录会写到同一个网页",
                hint="请给其中一份记录写一个不同的 slug，例如在后面加上 -2。"))
            continue
        if summary.kind in _ONE_FORM_A_YEAR and summary.series and summary.year is not None:
            first = forms.setdefault((summary.series, summary.year), summary)
            if first is not summary:
                line, column, quoted = summary.slug_at
                findings.append(Finding(
                    code="S212", path=summary.path, line=line, column=column, source_line=quoted,
                    message=f"{summary.year} 年度已有一张“{summary.title}”的{summary.kind_label}（{first.path}），"
                            "这是第二张，两张都会公开",
                    hint=f"同一项目同一年度只公开一张自评表：这份是副本或旧稿的，请删除它（或删除 {first.path}）；"
                         "确实是另一张表的，请照原表改正项目支出名称（project）。"))
    return findings


# Kinds of which a year has one record per name: a project's form. (A year may have two department forms
# of one name: the department's and the unit's, README “给录入内容的同事”.)
_ONE_FORM_A_YEAR = ("project-evaluation",)


def resolve_references(record: Record, lookup, source) -> list[Finding]:
    """Fill in the documents a form's text cells embed (the 2021 department form's
    operation_documents); `lookup(id)` gives the record of that id or None. S207 for
    every reference to no document."""
    if not isinstance(record, FormRecord):
        return []
    findings = []
    for block in record.blocks_of("text"):
        block.documents = []  # a record reused from an earlier run is resolved again
        for ref in block.document_ids:
            target = lookup(ref.text.removesuffix(".md"))
            if isinstance(target, Document):
                block.documents.append(target)
                continue
            # written the Windows way (2022\work-plan) or with content/ and .md: the document it names
            meant = re.sub(r"^(?:\./)?content/", "", ref.text.strip().replace("\\", "/")).removesuffix(".md")
            hint = "写 content/ 下的文件路径，不带 .md，例如 2021/work-summary（对应 content/2021/work-summary.md）。"
            if meant != ref.text and isinstance(lookup(meant), Document):
                hint = f"请改为 {meant}：写 content/ 下的文件路径，用“/”分隔，不带 content/ 和 .md。"
            findings.append(source.finding("S207", f"找不到引用的文档 {ref.text}", hint, ref.line, ref.column))
    return findings


def _sort_key(record: Record):
    return (record.order if record.order is not None else 10_000, record.title, record.slug)


def group_by_year(records: list, kept: dict | None = None) -> list[YearGroup]:
    """Records (or their summaries) by year, newest first, each year by kind in KIND_ORDER.

    `kept` (year → (records in the order given, YearGroup)), kept by a caller between runs:
    a year given the same record objects in the same order as last time keeps its group."""
    by_year: dict[int, list] = defaultdict(list)
    for record in records:
        by_year[record.year].append(record)
    years = []
    now = {}
    for year in sorted(by_year, reverse=True):
        members = by_year[year]
        earlier = kept.get(year) if kept is not None else None
        if earlier is not None and len(earlier[0]) == len(members) and all(
                a is b for a, b in zip(earlier[0], members)):
            group = earlier[1]
        else:
            group = _year_group(year, members)
        now[year] = (members, group)
        years.append(group)
    if kept is not None:
        kept.clear()
        kept.update(now)
    return years


def _year_group(year: int, members: list) -> YearGroup:
    """One year's records (in file order) by kind in KIND_ORDER, each kind sorted."""
    by_kind: dict[str, list] = defaultdict(list)
    for record in members:
        by_kind[record.kind].append(record)
    return YearGroup(year, year_url(year), [KindGroup(kind, schema.RECORD_KINDS[kind], sorted(by_kind[kind], key=_sort_key))
                                            for kind in KIND_ORDER if by_kind.get(kind)])


def _plan_pages(site: Site, kept: dict | None = None) -> list[Page]:
    """Home and column pages, each year's page followed by its records' pages, the organisation's
    page, then the other list pages. `kept`: see ModelMemo.pages."""
    lists = list_pages(site)
    column = site.config.column
    now = {}
    pages = lists[:2]
    for year, year_page in zip(site.years, lists[2:]):
        pages.append(year_page)
        earlier = kept.get(year.year) if kept is not None else None
        if earlier is not None and earlier[0] is year and earlier[1] == column:
            record_pages = earlier[2]
        else:
            record_pages = [record_page(record, year, column) for record in year.records]
        now[year.year] = (year, column, record_pages)
        pages.extend(record_pages)
    if site.organization is not None:
        pages.append(record_page(site.organization, None, column))
    pages.extend(lists[2 + len(site.years):])
    if kept is not None:
        kept.clear()
        kept.update(now)
    return pages


def list_pages(site: Site) -> list[Page]:
    """The pages that list records: home, column, one per year, and 404."""
    column = site.config.column
    home = Crumb("首页", "index.html")
    pages = [
        Page("index.html", "home.html", site.config.name, [Crumb("首页", None)]),
        Page(f"{COLUMN_DIR}/index.html", "column.html", column, [home, Crumb(column, None)], column_name=column),
    ]
    for year in site.years:
        pages.append(Page(year.url, "year.html", f"{column} {year.year}年度",
                          [home, Crumb(column, f"{COLUMN_DIR}/index.html"), Crumb(f"{year.year}年度", None)],
                          year=year, column_name=column))
    column_crumb = Crumb(column, f"{COLUMN_DIR}/index.html")
    pages.append(Page(CATALOGUE_URL, "catalogue.html", f"{column} {CATALOGUE_TITLE}",
                      [home, column_crumb, Crumb(CATALOGUE_TITLE, None)], column_name=column))
    if site.catalogue_by_year:  # a year's page is made again only when its year changed
        for year in site.years:
            pages.append(Page(year.catalogue_url, "catalogue.html", f"{column} {CATALOGUE_TITLE} {year.year}年度",
                              [home, column_crumb, Crumb(CATALOGUE_TITLE, CATALOGUE_URL),
                               Crumb(f"{year.year}年度", None)], year=year, column_name=column))
    pages.append(Page(SEARCH_URL, "search.html", "搜索", [home, Crumb("搜索", None)], column_name="搜索"))
    if site.history is not None:
        pages.append(Page(HISTORY_URL, "history.html", HISTORY_TITLE,
                          [home, Crumb(column, f"{COLUMN_DIR}/index.html"), Crumb(HISTORY_TITLE, None)],
                          column_name=column))
    pages.append(Page("404.html", "404.html", "页面不存在", [home, Crumb("页面不存在", None)]))
    if site.config.base_url:  # both name every page by its full address
        pages.append(Page(SITEMAP_URL, "sitemap.xml", "网站地图", []))
        pages.append(Page(FEED_URL, "feed.xml", f"{site.config.name} {column}", []))
    return pages


def with_index_numbers(records: list, numbers: dict[str, str]) -> list:
    """`records` (summaries) with the 索引号 given out to those that have none of their own."""
    return [replace(r, index_number=numbers[r.id]) if not r.index_number and r.id in numbers else r
            for r in records]


def record_page(record: Record, year: "YearGroup | None", column: str) -> Page:
    """The page of one record; `year` is its year's group (None for the organisation)."""
    home = Crumb("首页", "index.html")
    if record.kind == "organization":
        return Page(record.url, "organization.html", record.title, [home, Crumb(record.title, None)],
                    record=record, column_name="机构概况")
    year_title = f"{year.year}年度"
    return Page(record.url, f"{record.kind}.html", _page_title(record),
                [home, Crumb(column, f"{COLUMN_DIR}/index.html"), Crumb(year_title, year.url), Crumb(record.title, None)],
                record=record, year=year, column_name=column)


def _page_title(record: Record) -> str:
    """Names the record and its year, as readers and screen readers need."""
    if record.kind == "project-evaluation":
        return f"{record.year}年度项目支出绩效自评表：{record.title}"
    if str(record.year) in record.title:
        return record.title
    return f"{record.title}（{record.year}年度）"
