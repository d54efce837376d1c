"""`site-builder import`: the self-evaluation forms of a Word or Excel file into YAML records,
or (with --kind) a summary, plan or report from Word or text into a Markdown record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import print_findings, site_argument

_KINDS = {"summary": "工作总结", "plan": "工作计划", "report": "绩效自评报告"}


def register(commands) -> None:
    parser = commands.add_parser(
        "import", help="导入财政局下发的 Word、Excel 绩效自评表，或把 Word、文本文件导入为总结、计划、报告",
        description=("不加 --kind：读取 .docx（Word）或 .xlsx、.xls（Excel；WPS 表格的 .et 也可以）文件中的每一张绩效自评表，"
                     "按表头认出版式，"
                     "逐格照原表写成 content/年度/ 下的 YAML 记录（项目表在 projects/ 里），放不进记录的格子逐一列出。"
                     "加 --kind：读取 .docx、.txt 或 .md 文件，按“一、（一）1.（1）”和“一是”等编号找出标题，"
                     "生成带信息块的 Markdown 记录。"),
        epilog=("例如：site-builder import 2023年度绩效自评表.xlsx --year 2023；"
                "site-builder import 2024年工作总结.docx --kind summary --year 2024。"
                "导入后请核对生成的文件，运行 site-builder check 检查，再用 site-builder build 生成网站。"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, metavar="文件", help="要导入的 .docx、.xlsx、.xls、.txt 或 .md 文件")
    parser.add_argument("--kind", choices=tuple(_KINDS), metavar="类型",
                        help="导入文档时写记录类型：" + "、".join(f"{k}（{v}）" for k, v in _KINDS.items())
                             + "；导入绩效自评表时不写")
    parser.add_argument("--year", required=True, metavar="年度", help="四位数的年度，例如 2024")
    parser.add_argument("--title", metavar="标题", help="标题（默认用文件里的标题）")
    parser.add_argument("--slug", metavar="网页文件名", help="网页文件名（小写字母、数字、连字符），默认与 site-builder new 相同")
    parser.add_argument("--force", action="store_true", help="记录已经存在时用导入的内容覆盖它")
    site_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.kind is None:
        return _run_forms(args)
    from ..importer import import_document  # python-docx and the readers: only for this command

    imported = import_document(args.file, args.kind, args.year, args.site, title=args.title,
                               slug=args.slug, force=args.force)
    print(f"已导入：{imported.target}（标题 {imported.headings} 个，段落 {imported.paragraphs} 个，"
          f"表格 {imported.tables} 个）")
    return _report(imported.notes, "原文的内容都已放进记录。", "请打开这个文件核对")


def _run_forms(args) -> int:
    from ..errors import Finding, SiteError
    from ..importer.forms import STATUS_LABELS, import_forms  # python-docx, openpyxl, xlrd: only for this command

    if args.file.suffix.lower() in (".txt", ".md", ".markdown"):
        raise SiteError(Finding(code="N401", path=str(args.file), message="导入文本文件要写明记录类型 --kind",
                                hint=f"例如：site-builder import {args.file} --kind summary --year {args.year}"
                                     "（summary 工作总结、plan 工作计划、report 绩效自评报告）。"))
    imported = import_forms(args.file, args.year, args.site)
    for form in imported.forms:
        print(f"{STATUS_LABELS[form.status]}：{form.target}（{form.where}，{form.title or form.name}，版式 {form.layout}）")
    counts = {status: sum(1 for f in imported.forms if f.status == status) for status in STATUS_LABELS}
    print(f"共 {len(imported.forms)} 张表：" + "，".join(f"{label} {counts[s]} 份" for s, label in STATUS_LABELS.items()))
    if imported.loose_paragraphs:
        print(f"文件中另有 {imported.loose_paragraphs} 段正文不在表格里，没有导入；如果它是自评报告、总结或计划，"
              f"请用 site-builder import {args.file} --kind report --year {args.year}（或 summary、plan）另行导入。")
    return _report(imported.notes, "原表的每一格都已放进记录。", "请打开生成的文件对照原表核对")


def _report(notes, all_placed: str, check_it: str) -> int:
    """What an import leaves the editor to check, and what to do next."""
    if notes:
        print(f"有 {len(notes)} 处需要核对：", file=sys.stderr)
        print_findings(notes)
    else:
        print(all_placed)
    print(f"{check_it}，然后运行 site-builder check 检查、site-builder build 生成网站。")
    return 0
