"""Turning a loaded file into a record of the content model.

Each file is validated against its kind's declared fields first; a file with
schema errors gives findings and no record. Values are copied into
:class:`Cell` objects unchanged.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from ..errors import Finding
from ..load import LoadedFile, MarkedDict
from ..load.yaml_text import mark
from . import schema
from .records import (
    FUNDS_COLUMNS, FUNDS_ROWS, Acknowledgement, Cell, DepartmentEvaluation, DepartmentEvaluation2021,
    Document, Footer, FundsRow, Goals, IndicatorRow, Level1, Level2, NatureCell, NatureRow, PrintedTable,
    ProjectEvaluation, Record, Total,
)
from .slugs import slugify


def cell(value) -> Cell:
    if value is None:
        return Cell()
    if isinstance(value, str):
        return Cell(value.strip(), getattr(value, "line", 0), getattr(value, "column", 0))
    return Cell("", *mark(value))


def record_from_file(loaded: LoadedFile) -> tuple[Record | None, list[Finding]]:
    data, source = loaded.data, loaded.source
    kind = data.get("kind")
    if kind is None:
        return None, [source.finding("S201", "缺少必填项 kind（记录类型）",
                                     "请在文件开头加一行 kind: …，可以写的类型见 docs/content-model.md。",
                                     data.line or 1, data.column or 1)]
    if not isinstance(kind, str):
        allowed = schema.DOCUMENT_KINDS if loaded.body is not None else ("project-evaluation", "department-evaluation")
        return None, [schema.kind_finding(source, kind, allowed)]
    if loaded.body is not None:
        if kind not in schema.DOCUMENT_KINDS:
            return None, [schema.kind_finding(source, kind, schema.DOCUMENT_KINDS)]
        spec = schema.FRONT_MATTER
    elif kind == "project-evaluation":
        spec = schema.PROJECT_EVALUATION
    elif kind == "department-evaluation":
        layout = data.get("layout", "")
        spec = schema.DEPARTMENT_LAYOUTS.get(layout if isinstance(layout, str) else "")
        if spec is None:
            if "layout" not in data:
                return None, [source.finding(
                    "S201", "缺少必填项 layout（版式）",
                    "部门整体支出绩效自评表要写明版式：layout: standard（2023 年起的版式）或 layout: yueyang-2021。",
                    data.line or 1, data.column or 1)]
            return None, [source.finding(
                "S204", f"不认识的版式 layout: {layout}",
                "可以写的版式：standard（2023 年起的版式）、yueyang-2021（岳阳市财政局 2021 年制表）。",
                *mark(layout))]
    else:
        return None, [schema.kind_finding(source, kind, ("project-evaluation", "department-evaluation"))]
    findings = schema.validate(data, spec, source)
    if loaded.body is not None and kind != "organization" and "year" not in data:
        findings.append(source.finding("S201", "缺少必填项 year（年度）",
                                       "请在信息块里加一行 year: 2023（这份文档所属的年度）。", data.line, data.column))
    if findings:
        return None, findings
    common = _common(loaded, data)
    if kind == "project-evaluation":
        return _project(data, common), []
    if kind == "department-evaluation":
        if data["layout"] == "standard":
            return _department(data, common), []
        return _department_2021(data, common), []
    return _document(loaded, data, common), []


def _common(loaded: LoadedFile, data: MarkedDict) -> dict:
    year = int(data["year"]) if data.get("year") else None
    title = _title(data)
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
                            int(item["line"]) if item.get("line") else None, item.line)
            for item in data.get("acknowledgements", [])
        ],
        source_line_of_year=mark(data.get("year"))[0] if data.get("year") else 0,
        source_sha256=hashlib.sha256(loaded.source.text.encode("utf-8")).hexdigest(),
    )


def _title(data: MarkedDict) -> str:
    if "title" in data:
        return str(data["title"]).strip()
    if data["kind"] == "project-evaluation":
        return str(data["project"]).strip()
    return (str(data.get("form_title", "")).strip()
            or f"{data.get('year', '')}年度部门整体支出绩效自评表")


def _funds_row(key: str, value) -> FundsRow:
    value = value or MarkedDict()
    return FundsRow(key, {column: cell(value.get(column)) for column in FUNDS_COLUMNS}, present=bool(value))


def _indicators(data: MarkedDict) -> list[Level1]:
    result = []
    for level1 in data["indicators"]:
        groups = []
        for group in level1["groups"]:
            rows = [IndicatorRow(
                level3=cell(row.get("level3")), target=cell(row.get("target")), actual=cell(row.get("actual")),
                weight=cell(row.get("weight")), score=cell(row.get("score")),
                deviation=cell(row.get("deviation")), line=row.line,
            ) for row in group["rows"]]
            groups.append(Level2(cell(group["level2"]), rows))
        result.append(Level1(cell(level1["level1"]), groups))
    return result


def _form_parts(data: MarkedDict) -> dict:
    goals = data.get("goals") or MarkedDict()
    total = data["total"]
    footer = data.get("footer") or MarkedDict()
    return dict(
        form_title=str(data.get("form_title", "")).strip(),
        goals=Goals(cell(goals.get("expected")), cell(goals.get("actual"))),
        indicators=_indicators(data),
        total=Total(cell(total.get("label")), cell(total.get("weight")), cell(total.get("score")), total.line),
        grade=cell(data.get("grade")),
        note=cell(data.get("note")),
        footer=Footer(*(cell(footer.get(key)) for key in ("prepared_by", "filled_date", "phone", "head"))),
    )


def _project(data: MarkedDict, common: dict) -> ProjectEvaluation:
    funds = data["funds"]
    return ProjectEvaluation(
        **common, **_form_parts(data),
        project=str(data["project"]).strip(),
        department=str(data.get("department", "")).strip(),
        implementer=str(data.get("implementer", "")).strip(),
        funds={key: _funds_row(key, funds.get(key)) for key in FUNDS_ROWS},
    )


def _department(data: MarkedDict, common: dict) -> DepartmentEvaluation:
    funds = data["funds"]

    def nature(value) -> NatureCell:
        value = value or MarkedDict()
        return NatureCell(cell(value.get("label")), cell(value.get("value")))

    return DepartmentEvaluation(
        **common, **_form_parts(data),
        department=str(data["department"]).strip(),
        funds_total=_funds_row("total", funds["total"]),
        by_nature=[NatureRow(nature(row.get("income")), nature(row.get("expenditure")))
                   for row in funds.get("by_nature", [])],
    )


def _department_2021(data: MarkedDict, common: dict) -> DepartmentEvaluation2021:
    basic = data["basic"]
    return DepartmentEvaluation2021(
        **common,
        form_title=str(data.get("form_title", "")).strip(),
        form_issuer=str(data.get("form_issuer", "")).strip(),
        department=str(data["department"]).strip(),
        basic={key: cell(basic.get(key)) for key in
               ("contact", "phone", "staff_quota", "staff_actual", "functions", "main_work")},
        operation=cell(data.get("operation")),
        operation_document_ids=[cell(item) for item in data.get("operation_documents", [])],
        tables=[PrintedTable(cell(table.get("title")), [[cell(c) for c in row] for row in table["rows"]])
                for table in data.get("tables", [])],
    )


_WORD_ARTIFACTS = re.compile(r"\[bookmark: [^\]]*\]")


def _document(loaded: LoadedFile, data: MarkedDict, common: dict) -> Document:
    body = _WORD_ARTIFACTS.sub("", str(loaded.body))
    return Document(**common, body=body, body_line=loaded.body.line, issuer=str(data.get("issuer", "")).strip())


__all__ = ["record_from_file", "cell"]
