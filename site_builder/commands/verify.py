"""`site-builder verify`: every archive checked against its manifest, the archive log, its zip, and copies held elsewhere."""

from __future__ import annotations

from pathlib import Path

from .. import archive
from ..archive.manifest import counted_files
from ..cli import print_findings, site_argument


def register(commands) -> None:
    parser = commands.add_parser("verify", help="核对全部归档与其清单、归档日志、压缩包是否一致", description=(
        "逐一核对 archives/ 中每个归档的每个文件与清单 manifest.json 记录的 SHA-256 和大小，每份清单与归档日志"
        " archives/log.jsonl 记录的校验值，更正版本与被更正版本的衔接，以及每个压缩包与其归档文件夹；"
        "列出缺失、多出和被改动的文件。全部一致时退出码为 0，有任何不一致时为 1。"),
        epilog=("与别处保存的副本核对：site-builder verify --against 档案室/2023-r1.zip，"
                "或 site-builder verify --against 以前保存的网站文件夹（例如 build 的副本）。"))
    site_argument(parser)
    parser.add_argument("--against", type=Path, action="append", default=[], metavar="路径",
                        help="再与别处保存的副本逐字节核对：归档压缩包，或以前保存的网站文件夹（可写多次）")
    parser.set_defaults(run=run)


def run(args) -> int:
    archives, findings = archive.verify_archives(args.site, zips=True)
    compared = []
    for copy in args.against:
        result, copy_findings = archive.compare_with_copy(args.site, copy)
        compared.append((copy, result))
        findings += copy_findings
    if findings:
        print_findings(findings)
        return 1
    if not archives:
        print(f"没有归档：{args.site / archive.ARCHIVES_DIR} 中还没有任何年度的归档。")
    else:
        files = sum(len(a.manifest.files) for a in archives)
        names = "、".join(a.name for a in archives)
        entries = archive.log_entries(args.site)
        print(f"全部 {len(archives)} 个归档（{names}）与清单一致：{counted_files(files)}；"
              f"归档日志 {len(entries)} 条，环环相扣，末条校验值 {entries[-1].hash}。")
    for copy, result in compared:
        print(f"与副本 {copy} 一致：核对了 {result.archives} 个归档版本、{result.files} 个文件"
              f"{f'，副本的归档日志 {result.log_lines} 条与现在的日志开头逐字相同' if result.log_lines else ''}"
              f"{f'，副本记录的日志校验值 {result.heads} 处都在现在的日志中' if result.heads else ''}。")
    return 0
