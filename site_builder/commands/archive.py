"""`site-builder archive YEAR`: freeze a year's pages into archives/YEAR/, for good."""

from __future__ import annotations

from .. import archive, pipeline
from ..cli import site_argument
from ..archive.manifest import counted_files
from ..errors import Finding, SiteError


def register(commands) -> None:
    parser = commands.add_parser("archive", help="把某一年度的网页冻结为永久归档", description=(
        "把这一年度的网页连同所需的样式文件冻结到站点文件夹的 archives/年度/，并写出清单 manifest.json"
        "（每个文件的 SHA-256 和大小、生成器版本、内容文件的 SHA-256）。归档一经生成不再改变，"
        "此后每次生成网站都原样发布在 build/archive/年度/。请把 archives/ 提交到版本库。"),
        epilog=('例如：site-builder archive 2023；更正已归档的年度：'
                'site-builder archive 2023 --supersede --reason "更正原因"。'
                "归档日期为今天；设置了环境变量 SOURCE_DATE_EPOCH 时取那一天。"))
    parser.add_argument("year", metavar="年度", nargs="?", default=None, help="四位数的年度，例如 2023")
    site_argument(parser)
    parser.add_argument("--supersede", action="store_true",
                        help="更正已归档的年度：原归档作为旧版本保留，新归档公开，更正列入“更正记录”页")
    parser.add_argument("--reason", default="", metavar="原因", help="更正的原因（与 --supersede 一起使用，必填，会公开）")
    parser.add_argument("--zip", action="store_true",
                        help="另外生成一个包含归档和清单的压缩包 archives/年度-r版本.zip，供档案室存档")
    parser.add_argument("--init-log", action="store_true",
                        help="只用一次：为归档日志出现之前生成的归档写出归档日志 archives/log.jsonl（不写年度）")
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.init_log:
        return _init_log(args)
    if args.year is None:
        raise SiteError(Finding(code="A601", message="没有写要归档的年度",
                                hint="例如：site-builder archive 2023"))
    year = str(args.year).strip()
    if not (year.isdigit() and len(year) == 4):
        raise SiteError(Finding(code="A601", message=f"年度 {args.year} 不是四位数的年度",
                                hint="例如：site-builder archive 2023"))
    site, findings = pipeline.load_and_check(args.site)
    errors = [f for f in findings if f.is_error]
    if errors or site is None:
        raise SiteError(errors or findings)
    frozen = archive.freeze(args.site, site, int(year), supersede=args.supersede, reason=args.reason,
                            make_zip=args.zip)
    manifest = frozen.manifest
    print(f"已归档 {manifest.year} 年度（第 {manifest.revision} 版，归档日期 {manifest.archived_on}）：{frozen.folder}"
          f"（{counted_files(len(manifest.files))}）")
    if frozen.replaced is not None:
        print(f"原归档作为旧版本保留在：{frozen.replaced}；更正原因已记入“更正记录”页。")
    if frozen.zip_path is not None:
        print(f"已生成压缩包：{frozen.zip_path}")
    print("请运行 site-builder build 发布，并把 archives/ 提交到版本库。")
    return 0


def _init_log(args) -> int:
    if args.year is not None or args.supersede or args.reason or args.zip:
        raise SiteError(Finding(code="A620", message="--init-log 单独使用，不写年度，也不与 --supersede、--reason、--zip 一起用",
                                hint="site-builder archive --init-log"))
    entries = archive.init_log(args.site)
    if not entries:
        print(f"没有归档，不需要写归档日志：第一次运行 site-builder archive 年度 时会自动生成 {archive.ARCHIVES_DIR}/log.jsonl。")
        return 0
    print(f"已根据现有的 {len(entries)} 个归档写出归档日志 {args.site / archive.ARCHIVES_DIR / 'log.jsonl'}"
          f"（只此一次；此后每次归档自动追加），末条校验值 {entries[-1].hash}。")
    print("请把 archives/ 提交到版本库，再运行 site-builder build 发布。")
    return 0
