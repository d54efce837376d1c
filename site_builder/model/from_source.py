"""Turning a loaded file into a record of the content model.

Each file is validated against its kind's declared fields first; a file with
schema errors gives findings and no record. Values are copied into
:class:`Cell` objects unchanged.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..errors import Finding
from ..load import LoadedFile, MarkedDict
from ..load.yaml_text import mark
from . import schema
from ..layouts import (FIELD, FIELDS, GRID, INDICATORS, PAIRS, TABLE, TEXT, Block, Layout, Layouts, default_layout,
                       layouts_for)
from .forms import (FieldBlock, FieldsBlock, FormRecord, Grid, GridBlock, GridCell, IndicatorRow, IndicatorsBlock,
                    Level1, Level2, Pair, PairsBlock, TableBlock, TableRow, TextBlock, TotalRow, roles_of)
from .records import Acknowledgement, Cell, Document, Record
from .slugs import slugify


def cell(value) -> Cell:
    if value is None:
        return Cell()
    if isinstance(value, str):
        return Cell(value.strip(), getattr(value, "line", 0), getattr(value, "column", 0))
    return Cell("", *mark(value))


def record_from_file(loaded: LoadedFile, layouts: Layouts | None = None) -> tuple[Record | None, list[Finding]]:
    """The record of a loaded file, or None and the findings saying why not.

    `layouts` are the site's (default: those of the site the file belongs to)."""
    data, source = loaded.data, loaded.source
    kind = data.get("kind")
    if kind is None:
        return None, [source.finding("S201", "缺少必填项 kind（记录类型）",
                                     "请在文件开头加一行 kind: …，可以写的类型见 docs/content-model.md。",
                                     data.line or 1, data.column or 1)]
    if not isinstance(kind, str):
        allowed = schema.DOCUMENT_KINDS if loaded.body is not None else FORM_KINDS
        return None, [schema.kind_finding(source, kind, allowed)]
    if loaded.body is not None:
        if kind not in schema.DOCUMENT_KINDS:
            return None, [schema.kind_finding(source, kind, schema.DOCUMENT_KINDS)]
        findings = schema.validate(data, schema.FRONT_MATTER, source)
        if "title" not in data:  # the body's first heading is what the editor most likely means
            findings = [_title_from_heading(finding, str(loaded.body)) for finding in findings]
        if kind != "organization" and "year" not in data:
            findings.append(source.finding("S201", "缺少必填项 year（年度）",
                                           "请在信息块里加一行 year: 2023（这份文档所属的年度）。", data.line, data.column))
        if findings:
            return None, findings
        return _document(loaded, data, _common(loaded, data)), []
    if kind not in FORM_KINDS:
        return None, [schema.kind_finding(source, kind, FORM_KINDS)]
    if layouts is None:
        layouts = layouts_for(_site_dir_of(source))
    layout, findings = _layout_of(data, kind, layouts, source)
    if layout is None:
        return None, findings
    findings = schema.validate(data, schema.form_spec(layout), source)
    if findings:
        return None, findings
    return _form(data, layout, _common(loaded, data)), []


FORM_KINDS = ("project-evaluation", "department-evaluation")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def _title_from_heading(finding: Finding, body: str) -> Finding:
    """S201 for a missing title, its hint naming the body's first heading as the title to write."""
    heading = _HEADING.search(body)
    if finding.code != "S201" or " title（" not in finding.message or heading is None:
        return finding
    title = heading.group(1).strip()
    quoted = f'"{title}"' if title[0] in "!&*@`%|>'\"[{-?:#" or ": " in title or " #" in title else title
    return replace(finding, hint=f"请在信息块里加一行 title: {quoted}（正文的第一个标题，可以改写），"
                                 "网站把 title 用作网页标题和栏目列表里的名称。")


def _site_dir_of(source) -> Path | None:
    """The site folder of a file: its path on disk without its path relative to the site."""
    name = Path(source.name).parts
    path = Path(source.path).parts
    if name and len(path) >= len(name) and path[-len(name):] == name:
        return Path(*path[:-len(name)]) if len(path) > len(name) else Path(".")
    return None


def _layout_of(data: MarkedDict, kind: str, layouts: Layouts, source) -> tuple[Layout | None, list[Finding]]:
    value = data.get("layout")
    if isinstance(value, str):
        layout = layouts.get(value.strip())
        if layout is not None and layout.kind in (kind, "any"):
            return layout, []  # the usual case, before any message is made
    choices = [layout for layout in layouts.distinct() if layout.kind in (kind, "any")]
    listed = "；".join(f"{layout.id}（{layout.name}）" for layout in choices)
    if value is None:
        layout = default_layout(kind, layouts)
        if layout is not None:
            return layout, []
        return None, [source.finding(
            "S201", "缺少必填项 layout（版式）",
            "部门整体支出绩效自评表要写明版式：layout: standard（2023 年起的版式）或 layout: yueyang-2021。"
            f"全部可用的版式：{listed}。", data.line or 1, data.column or 1)]
    text = value.strip() if isinstance(value, str) else ""
    layout = layouts.get(text)
    if layout is None:
        names = [name for name, item in layouts.items() if item.kind in (kind, "any")]
        guess = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
        return None, [source.finding(
            "S204", f"不认识的版式 layout: {text}",
            (f"您是不是想写 {guess[0]}？" if guess else "") + f"可以写的版式：{listed}。"
            "新的版式可以写在站点文件夹的 layouts/ 里（见 docs/content-model.md）；"
            "暂时没有版式的表格可以写 layout: grid，逐格照录。", *mark(value))]
    if layout.kind not in (kind, "any"):
        return None, [source.finding(
            "S204", f"版式 {text} 是{layout.kind}（{schema.RECORD_KINDS.get(layout.kind, layout.kind)}）的版式，"
            f"不能用于 {kind}", f"可以写的版式：{listed}。", *mark(value))]
    return layout, []


def _common(loaded: LoadedFile, data: MarkedDict) -> dict:
    year = int(data["year"]) if data.get("year") else None
    title = str(data.get("title", "")).strip()
    slug = data.get("slug") or slugify(title)
    return dict(
        kind=str(data["kind"]),
        path=loaded.source.name,
        year=year,
        title=title,
        slug=str(slug),
        order=int(data["order"]) if data.get("order") else None,
        date=date.fromisoformat(data["date"]) if data.get("date") else None,
        index_number=str(data.get("index_number", "")).strip(),
        validity=str(data.get("validity", "")).strip(),
        doc_number=str(data.get("doc_number", "")).strip(),
        description=str(data.get("description", "")).strip(),
        keywords=str(data.get("keywords", "")).strip(),
        acknowledgements=[
            Acknowledgement(str(item["code"]), str(item["reason"]).strip(),
                            int(item["line"]) if item.get("line") else None, item.line, str(item.get("at") or "").strip())
            for item in data.get("acknowledgements", [])
        ],
        source_line_of_year=mark(data.get("year"))[0] if data.get("year") else 0,
        source_sha256=hashlib.sha256(loaded.source.text.encode("utf-8")).hexdigest(),
    )


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _cells(columns, value) -> dict[str, Cell]:
    value = value if isinstance(value, dict) else MarkedDict()
    return {column.key: cell(value.get(column.key)) for column in columns}


def _at(data: MarkedDict, path: tuple[str, ...]):
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _block(spec: Block, data: MarkedDict):
    value = _at(data, spec.path)
    if spec.type == TABLE:
        value = value or MarkedDict()
        roles = roles_of(spec.columns)
        return TableBlock(spec, [TableRow(row, roles, _cells(spec.columns, value.get(row.key)),
                                          present=bool(value.get(row.key)))
                                 for row in spec.rows])
    if spec.type == PAIRS:
        def pair(item) -> Pair:
            item = item or MarkedDict()
            return Pair(cell(item.get("label")), cell(item.get("value")))
        return PairsBlock(spec, [{c.key: pair(row.get(c.key)) for c in spec.columns} for row in value or []])
    if spec.type == TEXT:
        cells = _cells(spec.columns, value) if spec.columns else {"": cell(value)}
        ids = [cell(item) for item in data.get(spec.embeds) or []] if spec.embeds else []
        return TextBlock(spec, cells, ids)
    if spec.type == FIELD:
        return FieldBlock(spec, cell(value))
    if spec.type == FIELDS:
        return FieldsBlock(spec, _cells(spec.columns, value))
    if spec.type == INDICATORS:
        return _indicators(spec, value or [], data)
    if spec.type == GRID:
        tables = (value or []) if spec.many else ([value] if value else [])
        return GridBlock(spec, [Grid(cell(table.get("title")), [[_grid_cell(c) for c in row] for row in table["rows"]])
                                for table in tables])
    raise ValueError(spec.type)  # pragma: no cover - the layout reader admits only these


def _grid_cell(value) -> GridCell:
    if isinstance(value, dict):
        return GridCell(cell(value.get("text")), int(value.get("colspan") or 1), int(value.get("rowspan") or 1))
    return GridCell(cell(value))


def _indicators(spec: Block, value, data: MarkedDict) -> IndicatorsBlock:
    key1 = spec.levels[0].key if spec.levels else "level1"
    key2 = spec.levels[1].key if len(spec.levels) > 1 else "level2"
    columns = spec.columns
    roles = roles_of(columns)
    result = []
    for level1 in value:
        groups = []
        for group in level1["groups"]:
            rows = [IndicatorRow(roles, _cells(columns, row), row.line) for row in group["rows"]]
            groups.append(Level2(cell(group[key2]), rows))
        result.append(Level1(cell(level1[key1]), groups))
    total = None
    if spec.total is not None:
        printed = data.get(spec.total.key) or MarkedDict()
        total_columns = tuple(c for c in columns if c.key in spec.total.columns)
        total = TotalRow(spec.total, total_columns, cell(printed.get("label")),
                         {key: cell(printed.get(key)) for key in spec.total.columns}, printed.line)
    return IndicatorsBlock(spec, result, total)


def _title(data: MarkedDict, layout: Layout) -> str:
    if "title" in data:
        return _text(data["title"])
    name = layout.name_field
    if data["kind"] == "project-evaluation" and name is not None and data.get(name.key):
        return _text(data[name.key])
    return _text(data.get("form_title")) or f"{data.get('year', '')}年度{layout.title or '部门整体支出绩效自评表'}"


def _form(data: MarkedDict, layout: Layout, common: dict) -> FormRecord:
    common["title"] = _title(data, layout)
    common["slug"] = str(data.get("slug") or slugify(common["title"]))
    return FormRecord(
        **common, layout=layout, form_title=_text(data.get("form_title")),
        header={column.key: cell(data.get(column.key)) for column in layout.header},
        blocks=[_block(spec, data) for spec in layout.blocks],
        footer=_cells(layout.footer, data.get("footer")),
    )


_WORD_ARTIFACTS = re.compile(r"\[bookmark: [^\]]*\]")


def _document(loaded: LoadedFile, data: MarkedDict, common: dict) -> Document:
    body = _WORD_ARTIFACTS.sub("", str(loaded.body))
    return Document(**common, body=body, body_line=loaded.body.line, issuer=str(data.get("issuer", "")).strip())


__all__ = ["record_from_file", "cell"]
