"""`site-builder import`: a summary, plan or report from Word or text into a Markdown record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import print_findings, site_argument

_KINDS = {"summary": "工作总结", "plan": "工作计划", "report": "绩效自评报告"}


def register(commands) -> None:
    parser = commands.add_parser(
        "import", help="把 Word 或文本文件导入为一份总结、计划或报告",
        description=("读取 .docx（Word）、.txt 或 .md 文件，按“一、（一）1.（1）”和“一是”等编号找出标题，"
                     "在 content/年度/ 下生成带信息块的 Markdown 记录。文号、发文机关写进信息块，正文照录，一字不删。"),
        epilog=("例如：site-builder import 2024年工作总结.docx --kind summary --year 2024。"
                "导入后请核对生成的文件，运行 site-builder check 检查，再用 site-builder build 生成网站。"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, metavar="文件", help="要导入的 .docx、.txt 或 .md 文件")
    parser.add_argument("--kind", required=True, choices=tuple(_KINDS), metavar="类型",
                        help="记录类型：" + "、".join(f"{k}（{v}）" for k, v in _KINDS.items()))
    parser.add_argument("--year", required=True, metavar="年度", help="四位数的年度，例如 2024")
    parser.add_argument("--title", metavar="标题", help="标题（默认用文件里的标题）")
    parser.add_argument("--slug", metavar="网页文件名", help="网页文件名（小写字母、数字、连字符），默认与 site-builder new 相同")
    parser.add_argument("--force", action="store_true", help="记录已经存在时用导入的内容覆盖它")
    site_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..importer import import_document  # python-docx and the readers: only for this command

    imported = import_document(args.file, args.kind, args.year, args.site, title=args.title,
                               slug=args.slug, force=args.force)
    print(f"已导入：{imported.target}（标题 {imported.headings} 个，段落 {imported.paragraphs} 个，"
          f"表格 {imported.tables} 个）")
    if imported.notes:
        print(f"有 {len(imported.notes)} 处需要核对：", file=sys.stderr)
        print_findings(imported.notes)
    else:
        print("原文的内容都已放进记录。")
    print("请打开这个文件核对，然后运行 site-builder check 检查、site-builder build 生成网站。")
    return 0
