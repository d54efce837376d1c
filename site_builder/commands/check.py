"""`site-builder check`: every finding about the content, for people or tools."""

from __future__ import annotations

import json
import sys

from .. import pipeline
from ..cli import print_findings, site_argument


def register(commands) -> None:
    parser = commands.add_parser("check", help="检查内容，列出全部问题", description=(
        "逐一检查 content/ 中的记录：文件格式、必填项、表格里的加总与评分规则。先列错误，再列警告，"
        "记录中已确认的问题只数出个数（加 --all 也列出）。没有错误时退出码为 0（可以有警告），有错误时为 1。"))
    site_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="输出格式：text（给人看，默认）或 json（给程序用）")
    parser.add_argument("--all", action="store_true",
                        help="也列出记录中已确认（acknowledgements）的问题；不加时只数出它们的个数")
    parser.set_defaults(run=run)


def run(args) -> int:
    _, findings = pipeline.load_and_check(args.site)
    if args.format == "json":
        json.dump([f.as_dict() for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif findings:
        print_findings(findings, sys.stdout, list_acknowledged=args.all, how_to_list="--all 列出")
    else:
        print("检查完毕，没有发现问题。")
    return 1 if any(f.is_error for f in findings) else 0
