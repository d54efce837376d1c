"""`site-builder verify`: every archive checked against its manifest."""

from __future__ import annotations

from .. import archive
from ..archive.manifest import counted_files
from ..cli import print_findings, site_argument


def register(commands) -> None:
    parser = commands.add_parser("verify", help="核对全部归档与其清单是否一致", description=(
        "逐一核对 archives/ 中每个归档（以及归档压缩包）的每个文件与清单 manifest.json 记录的 SHA-256 和大小，"
        "列出缺失、多出和被改动的文件。全部一致时退出码为 0，有任何不一致时为 1。"))
    site_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    archives, findings = archive.verify_archives(args.site, zips=True)
    if findings:
        print_findings(findings)
        return 1
    if not archives:
        print(f"没有归档：{args.site / archive.ARCHIVES_DIR} 中还没有任何年度的归档。")
        return 0
    files = sum(len(a.manifest.files) for a in archives)
    names = "、".join(a.name for a in archives)
    print(f"全部 {len(archives)} 个归档（{names}）与清单一致：{counted_files(files)}。")
    return 0
