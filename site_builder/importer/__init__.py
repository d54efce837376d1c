"""Importing a summary, plan or report written in Word or as text into a Markdown record.

Public surface: :func:`import_document` reads a .txt, .md or .docx file, finds
the document's structure from its numbering (:mod:`.numbering`), and writes a
record under content/YEAR/ (:mod:`.writer`); :data:`PLACES` says where each
kind goes. Everything the importer could not place is reported as a warning
finding (N406, N407); nothing of the source's text is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..check.registry import document as _document_code
from ..errors import WARNING, Finding, SiteError
from ..load import CONTENT_DIR
from . import readers
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
    if not (year.isdigit() and len(year) == 4):
        raise SiteError(Finding(code="N401", message=f"年度要写四位数字，现在是“{year}”",
                                hint=f"例如：site-builder import {shown} --kind {kind} --year 2024"))
    if not file.is_file():
        raise SiteError(Finding(code="N403", path=shown, message="找不到要导入的文件",
                                hint="请检查文件名和所在文件夹；文件名有空格时要用英文引号括起来。"))
    if file.suffix.lower() not in readers.SUPPORTED:
        hint = ("旧的 .doc 文件请先用 Word 或 WPS 另存为 .docx。" if file.suffix.lower() in (".doc", ".wps")
                else "Excel 绩效自评表请去掉 --kind 导入：site-builder import 文件.xlsx --year 年度。"
                if file.suffix.lower() == ".xlsx" else "可以导入 .docx（Word）、.txt（文本）和 .md（Markdown）文件。")
        raise SiteError(Finding(code="N404", path=shown, message=f"不能导入 {file.suffix or '没有扩展名的'} 文件", hint=hint))
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
    comment = (f"由 site-builder import 从 {file.name} 导入。正文照录原文；标题层级由编号得出，请核对。\n"
               "发布日期请按实际填写 date（例如 date: 2024-09-11）。")
    text = to_markdown(structured, kind, int(year), slug, comment)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    items = structured.items
    return Imported(target, text, source.notes, structured.headings,
                    sum(1 for i in items if i.kind == PARAGRAPH), sum(1 for i in items if i.kind == TABLE))


_document_code("N403", "要导入的文件找不到或读不出", explanation="site-builder import 找不到这个文件，或读不出其中的文字。",
               wrong="site-builder import 总结.docx（文件在别的文件夹）", right="site-builder import D:/材料/总结.docx --kind summary --year 2024")
_document_code("N404", "不能导入这种文件", explanation="site-builder import 可以导入 .docx、.txt 和 .md 文件。",
               wrong="site-builder import 总结.doc", right="（用 Word 另存为 .docx 后）site-builder import 总结.docx --kind summary --year 2024")
_document_code("N405", "导入的目标记录已经存在", explanation="site-builder import 不会覆盖已有的记录，除非加上 --force。",
               wrong="site-builder import 总结.docx --kind summary --year 2021（2021/work-summary.md 已有）",
               right="site-builder import 总结.docx --kind summary --year 2021 --force")
_document_code("N406", "导入时没有放进正文的内容", severity=WARNING, explanation="""
Word 文件里的图片、页眉页脚不能导入；文本框、脚注的文字放在了别的位置。导入后请逐条核对。""",
               wrong="（Word 文件第 5 段有图片）", right="（把图片里需要公开的文字录入正文）")
_document_code("N407", "编号接不上", severity=WARNING, explanation="""
原文的编号不连续或换了样式（如“（三）”之后是“（4）”）。导入照录原文，按编号的样式和数字推断标题层级，请核对。""",
               wrong="（三）机构设置\n（4）人员编制情况", right="（三）机构设置\n（四）人员编制情况")

__all__ = ["import_document", "Imported", "PLACES"]
