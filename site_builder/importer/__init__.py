"""Importing a summary, plan or report written in Word or as text into a Markdown record.

Public surface: :func:`import_document` reads a .txt, .md or .docx file, finds
the document's structure from its numbering (:mod:`.numbering`), and writes a
record under content/YEAR/ (:mod:`.writer`); :data:`PLACES` says where each
kind goes. Everything the importer could not place is reported as a warning
finding (N406, N407; explained in :mod:`.codes`); nothing of the source's text is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding, SiteError
from ..load import CONTENT_DIR
from . import readers
from .file_kinds import check_kind
from .blocks import PARAGRAPH, TABLE
from .numbering import structure
from .writer import to_markdown

# kind → (file name under content/YEAR/, default slug, default title); the names `site-builder new` uses.
PLACES = {
    "summary": ("work-summary.md", "gongzuo-zongjie", "{year}年工作总结"),
    "plan": ("work-plan.md", "gongzuo-jihua", "{year}年工作计划"),
    "report": ("self-evaluation-report.md", "bumen-zhengti-zhichu-jixiao-zipingbaogao", "{year}年度部门整体支出绩效自评报告"),
}


@dataclass
class Imported:
    target: Path
    text: str
    notes: list[Finding]
    headings: int
    paragraphs: int
    tables: int


def import_document(file: Path, kind: str, year: str, site_dir: Path, *, title: str | None = None,
                    slug: str | None = None, force: bool = False) -> Imported:
    """Read `file`, write content/YEAR/… in `site_dir`; SiteError when the file or the target is wrong."""
    shown = str(file)
    readers.check_target(year, site_dir, f"site-builder import {shown} --kind {kind}")
    if not file.is_file():
        raise SiteError(Finding(code="N403", path=shown, message="找不到要导入的文件",
                                hint="请检查文件名和所在文件夹；文件名有空格时要用英文引号括起来。"))
    if file.suffix.lower() not in readers.SUPPORTED:
        hint = ("旧的 .doc 文件请先用 Word 或 WPS 另存为 .docx。" if file.suffix.lower() in (".doc", ".wps")
                else f"Excel 绩效自评表请去掉 --kind 导入：site-builder import {shown} --year {year}。"
                if file.suffix.lower() in (".xlsx", ".xls", ".et")
                else "可以导入 .docx（Word）、.txt（文本）和 .md（Markdown）文件。")
        raise SiteError(Finding(code="N404", path=shown, message=f"不能导入 {file.suffix or '没有扩展名的'} 文件", hint=hint))
    if file.suffix.lower() in readers.WORD_NAMES:
        check_kind(file, shown)
    name, default_slug, default_title = PLACES[kind]
    slug = slug or default_slug
    target = site_dir / CONTENT_DIR / year / (name if slug == default_slug else f"{slug}.md")
    if target.exists() and not force:
        raise SiteError(Finding(code="N405", path=target.as_posix(), message="这份记录已经存在，没有覆盖",
                                hint="确实要用导入的内容替换它，请加上 --force；要另存一份，请用 --slug 指定别的网页文件名。"))
    source = readers.read(file, shown)
    structured = structure(source, title)
    if "title" not in structured.front:
        structured.front["title"] = default_title.format(year=year)
        source.note(f"没有找到文档的标题，暂用“{structured.front['title']}”",
                    "请在生成的文件里改写 title，或导入时用 --title 指定。", line=1)
    comment = f"由 site-builder import 从 {file.name} 导入。正文照录原文；标题层级由编号得出，请核对。\n" + (
        "发布日期 date 取自文末落款的日期，请核对。" if "date" in structured.front
        else "发布日期请按实际填写 date（例如 date: 2024-09-11）。")
    text = to_markdown(structured, kind, int(year), slug, comment)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    items = structured.items
    return Imported(target, text, source.notes, structured.headings,
                    sum(1 for i in items if i.kind == PARAGRAPH), sum(1 for i in items if i.kind == TABLE))


__all__ = ["import_document", "Imported", "PLACES"]
