"""Importing the finance bureau's self-evaluation forms from Word (.docx) and Excel (.xlsx, .xls).

Public surface: :func:`import_forms` reads every form table of a file
(:mod:`.docx_tables`; :mod:`.xlsx_tables` and :mod:`.xls_tables` through
:mod:`.sheet_tables` → :class:`.grid.Grid`; an Excel file by what its first
bytes say it is, whatever its name, see :mod:`..file_kinds`), joins tables
split over a page break and finds their titles (:mod:`.split`), recognises each
form's layout from its printed labels and reads its cells into record data by
the layout's declaration (:mod:`.recognise`), and writes one YAML record per
form (:mod:`.write`). A form whose layout is not declared becomes a generic
grid record, cell for cell. Every cell that could not be placed is reported
(N431) with its table, row and column; nothing is dropped silently.

Importing the same file again updates the same records: a form is the same
record when its kind, layout and name (project or department) are the same.
What the editor added by hand (slug, order, date, acknowledgements) is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...errors import WARNING, Finding, SiteError, relative
from ...layouts import FIELD, GRID_LAYOUT, TEXT, Layout, load_layouts
from ...load import CONTENT_DIR
from ...model.slugs import RESERVED_NAMES, WINDOWS_NAMES, slugify
from ..numbering import closing_date
from ..file_kinds import check_kind
from ..readers import check_target, not_imported_as_hidden, one_line
from . import docx_tables, split, xls_tables, xlsx_tables
from .grid import Cell, squeeze
from .recognise import grid_data, map_form, recognise
from .split import Line
from .write import to_yaml

# .et: when WPS 表格 saved it as an .xls workbook, as it usually does; macro-enabled files and templates
FORM_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".et")
# Old formats no reader here reads (N430): Word's and WPS 文字's binary files, and an .et in WPS's own format.
OLD_FORMATS = {".doc": ("Word", ".docx"), ".wps": ("WPS 文字", ".docx"), ".et": ("WPS 表格", ".xlsx")}
# by name, when the first bytes say nothing
_READ_AS = {".xlsx": ".xlsx", ".xlsm": ".xlsx", ".xltx": ".xlsx", ".xltm": ".xlsx", ".xls": ".xls", ".et": ".xls"}
# Keys an editor adds to a record that no form prints: kept when the form is imported again.
KEPT_KEYS = ("slug", "order", "date", "index_number", "validity", "doc_number", "acknowledgements")
FRONT_KEYS = ("kind", "layout", "year", "slug", "order", "date", "index_number", "validity", "doc_number")
DEFAULT_LAYOUTS = {"project-evaluation": "yueyang-project-2023"}
DEPARTMENT_FILE = "department-evaluation.yaml"

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
STATUS_LABELS = {NEW: "新建", UPDATED: "已更新", UNCHANGED: "没有变化"}


@dataclass
class ImportedForm:
    target: Path
    status: str  # NEW, UPDATED or UNCHANGED
    layout: str  # the layout's id (GRID_LAYOUT when it is not declared)
    layout_name: str
    where: str  # the table in the source file
    name: str
    title: str


@dataclass
class ImportedForms:
    forms: list[ImportedForm] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    loose_paragraphs: int = 0  # body text outside the forms, not imported


def check_form_file(file: Path, shown: str) -> str:
    """The format to read `file` with ('.docx', '.xlsx' or '.xls'); a SiteError with the fix when it is an
    old format no reader here reads, or not a form file at all."""
    suffix = file.suffix.lower()
    if suffix in OLD_FORMATS and suffix != ".et":
        raise _old_format(file, shown)
    if not file.is_file():
        raise SiteError(Finding(code="N403", path=shown, message="找不到要导入的文件",
                                hint="请检查文件名和所在文件夹；文件名有空格时要用英文引号括起来。"))
    found = check_kind(file, shown)
    if found is None and suffix == ".et":  # not the .xls workbook WPS 表格 usually writes: its own format
        raise _old_format(file, shown)
    if found is None and suffix not in FORM_SUFFIXES:
        raise _not_a_form_file(file, shown)
    return found or _READ_AS.get(suffix, ".docx")


def _not_a_form_file(file: Path, shown: str) -> SiteError:
    """N404 for a file of a kind no form is read from (a .csv, a picture, a text): it was read as Word."""
    suffix = file.suffix.lower()
    if suffix == ".csv":
        what, hint = ("CSV 文件只有各格的文字，没有原表的合并单元格，认不出表格的各部分",
                      "请用 Excel 或 WPS 打开原表（或这个 CSV 文件），点“文件 → 另存为”，文件类型选“.xlsx”，再导入。")
    elif suffix in (".txt", ".md", ".markdown"):
        what, hint = ("文本文件不是绩效自评表", f"导入工作总结、计划、报告请加 --kind：site-builder import {shown} --kind summary"
                      "（或 plan、report）--year 年度。")
    else:
        what, hint = ("这种文件里没有能逐格读出的绩效自评表",
                      "绩效自评表请导入 Word（.docx）或 Excel（.xlsx、.xls）文件；图片、扫描件请向发文单位要原件。")
    return SiteError(Finding(code="N404", path=shown, message=f"不能导入 {suffix or '没有扩展名的'} 文件：{what}",
                             hint=hint))


def _old_format(file: Path, shown: str) -> SiteError:
    suffix = file.suffix.lower()
    program, new = OLD_FORMATS[suffix]
    opener = program if program.startswith("WPS") else f"{program} 或 WPS"
    return SiteError(Finding(
        code="N430", path=shown, message=f"不能直接导入旧格式的 {suffix} 文件",
        hint=f"请用 {opener} 打开这个文件，点“文件 → 另存为”，文件类型选“{new}”，"
             f"再导入另存的 {Path(file.name).stem}{new} 文件。"))


def read_forms(file: Path, shown: str, as_format: str | None = None, layouts=None):
    """The forms of a .docx, .xlsx or .xls file (`as_format`, by default as its name says), the paragraphs
    outside them, and the cells that held a table. With `layouts`, a table without a title that goes on
    from a form of a declared layout is joined to it (split.forms)."""
    as_format = as_format or _READ_AS.get(file.suffix.lower(), ".docx")
    unsaved: list[str] = []
    hidden: list[str] = []
    nested = []
    if as_format == ".xlsx":
        items, unsaved, hidden = xlsx_tables.read(file, shown)
    elif as_format == ".xls":
        items, unsaved, hidden = xls_tables.read(file, shown)
    else:
        items, nested, hidden = docx_tables.read(file, shown)
    known = None if layouts is None else (lambda form: recognise(form, layouts) is not None)
    forms, loose = split.forms(items, known)
    return forms, loose, nested, unsaved, hidden


def import_forms(file: Path, year: str, site_dir: Path) -> ImportedForms:
    shown = str(file)
    as_format = check_form_file(file, shown)
    check_target(year, site_dir, f"site-builder import {shown}")
    layouts = load_layouts(site_dir)
    forms, loose, nested, unsaved, hidden = read_forms(file, shown, as_format, layouts)
    result = ImportedForms(loose_paragraphs=len(loose))
    recognised = [recognise(form, layouts) for form in forms]
    if not forms or (loose and not any(recognised)):
        found = "没有找到表格" if not forms else "没有认得出的绩效自评表，正文却有好几段"
        hint = ("site-builder import 不加 --kind 时导入绩效自评表；导入工作总结、工作计划、"
                "自评报告请加 --kind summary、--kind plan 或 --kind report。")
        if hidden and not any(recognised):  # the form is there, hidden: say so, not "import it as prose"
            found += f"；{'、'.join(hidden[:3])}{'等' if len(hidden) > 3 else ''}有内容，没有读（隐藏的内容不导入）"
            hint = not_imported_as_hidden("Excel" if as_format in (".xlsx", ".xls") else "Word")[1]
        raise SiteError(Finding(code="N433", path=shown, message=f"文件里{found}", hint=hint))
    site_name = _site_name(site_dir)
    for cell in nested:
        result.notes.append(_note(shown, "N431", f"{cell.place}：单元格里套着表格，里面的文字并入了这个单元格",
                                  "请对照原表核对这个单元格在记录中的文字。"))
    said, hint = not_imported_as_hidden("Excel" if as_format in (".xlsx", ".xls") else "Word")
    for what in hidden:
        result.notes.append(_note(shown, "N431", f"{what}{said}", hint))
    for place in unsaved:
        result.notes.append(_note(shown, "N431", f"{place}：公式的计算结果没有保存在文件里（或生成文件的程序要求打开时重新计算，"
                                  "存的结果不可靠），这一格读成了空白",
                                  "请用 Excel 或 WPS 打开这个文件，保存一次（会存下公式的结果），再导入。"))
    existing = _existing_records(site_dir, year)
    taken: set[Path] = set()
    for form, layout in zip(forms, recognised):
        title = form.title.text.replace("\n", "") if form.title else ""
        printed = _printed_year(title)
        if printed is not None and printed != year:
            result.notes.append(_note(
                shown, "N437", f"{form.grid.where}的表题“{title}”印的是 {printed} 年度，导入到了 {year} 年度",
                f"如果是导错了年度，请删除这次生成的文件，改用 --year {printed} 重新导入；"
                f"确实是 {year} 年度的表，就不必处理。"))
        if layout is not None:
            mapped = map_form(form, layout, fallback_name=site_name if layout.kind == "department-evaluation" else "")
            kind, data, name, unplaced = layout.kind, mapped.data, mapped.name, mapped.unplaced
            for label in mapped.missing:
                result.notes.append(_note(shown, "N434", f"{form.grid.where}（{title or layout.name}）：没有找到原表应有的“{label}”",
                                          f"这张表按版式 {layout.id}（{layout.name}）读入；请对照原表核对生成的记录。"))
        else:
            layout = layouts.get(GRID_LAYOUT)
            kind = "project-evaluation" if "项目" in title else "department-evaluation"
            name = _grid_name(form) or title or f"{Path(file.name).stem}{form.grid.where}"
            data, unplaced = grid_data(form, name), list(form.above)
            result.notes.append(_note(
                shown, "N432", f"{form.grid.where}（{title or '没有标题'}）的版式没有声明，按原表逐格照录为 layout: grid",
                "网页上逐格照原表公开，但不核对其中的算术；为这种表写一个版式文件（见 docs/content-model.md），"
                "把记录的 layout 改为它的 id，检查程序才会核对。"))
        for item in unplaced:
            result.notes.append(_unplaced(shown, item, name or title))
        target = _target(site_dir, year, kind, layout, name, existing, taken, layouts)
        taken.add(target)
        record = _record(kind, layout, year, target, data, existing.get(target))
        comments = [f"{year}年度{_kind_label(kind)}：{name}" if name else f"{year}年度{_kind_label(kind)}",
                    f"由 site-builder import 从 {file.name} 的{form.grid.where}导入，逐格照原表录入。"
                    "字段说明见 docs/content-model.md。"]
        if layout.id == GRID_LAYOUT:
            comments.append("版式未声明：按原表逐格照录（layout: grid），网页照原表公开，不核对算术。")
        trailer = []
        if unplaced:
            trailer = ["导入时没有放进记录的原表内容（请对照原表核对，需要时补进上面的记录）："]
            trailer += [f"  {item.place}：{one_line(item.text)}" for item in unplaced]
        text = to_yaml(record, comments, _spaced(layout), trailer)
        status = _write(target, text)
        result.forms.append(ImportedForm(target, status, layout.id, layout.name, form.grid.where, name, title))
    result.notes += _same_names(shown, result.forms, site_dir)
    return result


def _same_names(shown: str, forms: list[ImportedForm], site_dir: Path) -> list[Finding]:
    """N439 for forms of the file printing the same name: a sheet copied to be corrected (项目表 (2)) and
    the old one left beside it, whose figures would be published as a second record of the project."""
    by_name: dict[tuple[str, str], list[ImportedForm]] = {}
    for form in forms:
        if form.name:
            by_name.setdefault((form.layout, squeeze(form.name)), []).append(form)
    notes = []
    for same in by_name.values():
        if len(same) > 1:
            places = "、".join(form.where for form in same)
            files = "、".join(relative(form.target, site_dir) for form in same)
            notes.append(_note(shown, "N439", f"{places}是名称相同的 {len(same)} 张表（“{same[0].name}”），分别导入为 {files}",
                               "如果其中一张是改之前留下的旧表（复制工作表改数字时常见），请删除它生成的记录；"
                               "确实是两张表的，请核对名称。"))
    return notes


def _printed_year(title: str) -> str | None:
    """The year a form's title prints (2022 of “2022年度项目支出绩效自评表”, “…自评表（2022年度）”), if one."""
    found = re.search(r"(?<!\d)(\d{4})\s*年", unicodedata.normalize("NFKC", title))
    return found.group(1) if found else None


def _kind_label(kind: str) -> str:
    return {"project-evaluation": "项目支出绩效自评表", "department-evaluation": "部门整体支出绩效自评表"}.get(kind, "绩效自评表")


def _note(path: str, code: str, message: str, hint: str) -> Finding:
    return Finding(code=code, path=path, message=message, hint=hint, severity=WARNING)


def _unplaced(shown: str, item: Cell | Line, form_name: str) -> Finding:
    return _note(shown, "N431", f"{item.place}（{form_name}）：“{one_line(item.text)}”没有放进记录",
                 "这一格不在版式声明的位置上。请对照原表核对：需要公开的，补进生成的记录（文件末尾的注释列出了它）；"
                 "这种表格常见时，请在版式文件里声明它。")


def _site_name(site_dir: Path) -> str:
    try:
        data = yaml.load((site_dir / CONTENT_DIR / "site.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError):
        return ""
    return str(data.get("name", "")) if isinstance(data, dict) else ""


def _grid_name(form) -> str:
    """A name for a form of unknown layout: the cell after a 名称 label, if it prints one."""
    for cell in form.grid.cells:
        label = squeeze(cell.text).rstrip("：:")
        if label.endswith("名称") and len(label) <= 12:
            value = form.grid.at(cell.row, cell.last_column + 1)
            if value is not None and value.text.strip():
                return value.text.replace("\n", "").strip()
    return ""


def _existing_records(site_dir: Path, year: str) -> dict[Path, dict]:
    """The YAML records of the year already in content/, by path. SiteError (N438) when one cannot be read:
    the import could not tell whether a form is that record, and would write it again beside it, or
    over it (the editor's acknowledgements and all) when it has the form's file name."""
    folder = site_dir / CONTENT_DIR / year
    found, unreadable = {}, []
    for path in sorted(list(folder.glob("*.yaml")) + list((folder / "projects").glob("*.yaml"))):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        except UnicodeDecodeError:
            unreadable.append((path, "不是 UTF-8 编码（多半是用记事本另存时选了 ANSI）",
                               "请用记事本打开它，点“文件 → 另存为”，编码选“UTF-8”保存，再导入。"))
            continue
        except yaml.YAMLError:
            unreadable.append((path, "有 YAML 格式错误", "请运行 site-builder check 找出并改正这个文件的错误，再导入。"))
            continue
        except OSError:
            unreadable.append((path, "读不出", "请检查这个文件的权限，再导入。"))
            continue
        if isinstance(data, dict):
            found[path] = data
    if unreadable:
        raise SiteError([Finding(code="N438", path=relative(path, site_dir),
                                 message=f"这份已有的记录{why}，导入没有进行：同一张表要写回原来的记录，读不出就可能重复或覆盖它",
                                 hint=hint) for path, why, hint in unreadable])
    return found


def _layout_of(data: dict, layouts) -> str:
    named = data.get("layout") or DEFAULT_LAYOUTS.get(str(data.get("kind")), "")
    layout = layouts.get(str(named))
    return layout.id if layout is not None else str(named)


def _name_key(layout: Layout) -> str:
    field_ = layout.name_field
    return field_.key if field_ is not None else "name"


def _target(site_dir: Path, year: str, kind: str, layout: Layout, name: str, existing: dict[Path, dict],
            taken: set[Path], layouts) -> Path:
    """The record's file: the existing record of the same form, else a new file named after the form."""
    for path, data in existing.items():
        if path in taken or data.get("kind") != kind or _layout_of(data, layouts) != layout.id:
            continue
        if squeeze(str(data.get(_name_key(layout), ""))) == squeeze(name):
            return path
    folder = site_dir / CONTENT_DIR / year
    if kind == "department-evaluation":
        plain = folder / DEPARTMENT_FILE
        # the year's department form (its page: bumen-zhengti-zhichu-jixiao-zipingbiao), never a table of no
        # declared layout: an annex (资金使用明细表) before the form in the file took the name and the page
        if plain not in existing and plain not in taken and layout.id != GRID_LAYOUT:
            return plain
        base = folder / (_file_name(name, "bumen-zhengti"))
    else:
        base = folder / "projects" / _file_name(name, "xiangmu")
    candidate, number = base.with_suffix(".yaml"), 2
    while candidate in existing or candidate in taken:
        candidate = base.with_name(f"{base.name}-{number}.yaml")
        number += 1
    return candidate


def _file_name(name: str, default: str) -> str:
    """The record's file name (and page) for a form named `name`: never a name the site or Windows keeps
    for itself (a project named “Index” or “CON” made a record no build publishes, S209)."""
    slug = slugify(name) if name else default
    return f"{slug}-{default}" if slug in RESERVED_NAMES | WINDOWS_NAMES else slug


def _record(kind: str, layout: Layout, year: str, target: Path, data: dict, before: dict | None) -> dict:
    front: dict = {"kind": kind}
    if layout.id != DEFAULT_LAYOUTS.get(kind):
        named = before.get("layout") if before else None
        # the name the records in content/ use (standard, yueyang-2021), or an editor's own alias, as written
        front["layout"] = named if named else (layout.aliases[0] if layout.aliases else layout.id)
    front["year"] = year
    kept = {key: before[key] for key in KEPT_KEYS if before and key in before}
    front["slug"] = kept.pop("slug", None) or (target.stem if target.name != DEPARTMENT_FILE else
                                               "bumen-zhengti-zhichu-jixiao-zipingbiao")
    for key in FRONT_KEYS:
        if key in kept:
            front[key] = kept.pop(key)
    if "date" not in front:  # the publication date, until the editor writes another: the form's 填报日期
        filled = _filled_date(layout, data)
        if filled:
            front["date"] = filled
    record = {**front, **data}
    for block in layout.blocks:  # a cell the editor moved to documents (operation_documents) stays there
        if block.type == TEXT and block.embeds and before and before.get(block.embeds):
            record.pop(block.key, None)
            record[block.embeds] = before[block.embeds]
    record.update(kept)
    return record


def _filled_date(layout: Layout, data: dict) -> str | None:
    """The footer's date (role date) as YYYY-MM-DD, when it is printed as a real day."""
    footer = data.get("footer") or {}
    return next((closing_date(str(footer.get(c.key) or "")) for c in layout.footer if c.role == "date"), None)


def _spaced(layout: Layout) -> set[str]:
    keys = {block.path[0] for block in layout.blocks if block.type != FIELD}
    keys |= {block.total.key for block in layout.blocks if block.total is not None}
    keys |= {block.embeds for block in layout.blocks if block.embeds}
    return keys


def _write(target: Path, text: str) -> str:
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if old == text:
            return UNCHANGED
        try:
            if yaml.load(old, Loader=yaml.BaseLoader) == yaml.load(text, Loader=yaml.BaseLoader):
                return UNCHANGED  # the same record; the editor's comments and layout are kept
        except yaml.YAMLError:
            pass
        status = UPDATED
    else:
        status = NEW
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
    return status



__all__ = ["import_forms", "check_form_file", "ImportedForms", "ImportedForm", "FORM_SUFFIXES",
           "OLD_FORMATS", "STATUS_LABELS"]
