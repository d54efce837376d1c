"""`site-builder build`: check the content and write the site into build/."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import pipeline
from ..write import DEFAULT_OUT
from ..cli import print_findings, site_argument


def register(commands) -> None:
    parser = commands.add_parser("build", help="检查内容并生成网站", description=(
        "检查 content/ 中的全部记录，没有错误时生成网站到输出文件夹。"
        "有错误时不生成，原有的输出文件夹保持不变。"))
    site_argument(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="文件夹",
                        help="输出文件夹（默认：站点文件夹下的 build/）")
    parser.add_argument("--strict", action="store_true", help="把警告也当作错误：有警告时不生成")
    parser.set_defaults(run=run)


def run(args) -> int:
    out_dir = args.out if args.out is not None else args.site / DEFAULT_OUT
    built = pipeline.build(args.site, out_dir, strict=args.strict)
    if built.findings:
        print_findings(built.findings)
    for notice in built.notices:
        print(notice, file=sys.stdout)
    print(f"已生成网站：{out_dir}（{built.pages} 个网页）", file=sys.stdout)
    return 0
