"""`site-builder new`: start a record from a commented Chinese template."""

from __future__ import annotations

import argparse
import re
from importlib import resources
from pathlib import Path
from string import Template

from ..check.registry import document
from ..errors import Finding, SiteError
from ..layouts import KINDS, layouts_for
from ..layouts.skeleton import record_skeleton
from ..load import CONTENT_DIR
from ..model.schema import RECORD_KINDS, SLUG, suggest_year
from ..model.slugs import slugify
from ..cli import site_argument

# The layouts whose hand-written templates (skeletons/) `new` writes; other layouts get one made from the layout.
_HAND_WRITTEN = {"project-evaluation": "yueyang-project-2023", "department-evaluation": "yueyang-department-2023"}

document("N420", "新建记录时写的版式不存在", explanation="""
site-builder new 的 --layout 要写已有版式的 id；site-builder new --list 列出全部版式，
包括站点 layouts/ 文件夹中自己写的版式。""",
         wrong="site-builder new project-evaluation 2024 高三复习迎考 --layout sichuan",
         right="site-builder new project-evaluation 2024 高三复习迎考 --layout sichuan-project-2023")

# kind → (file under content/, default title, default slug); {year} and {slug} are filled in.
_PLACES = {
    "project-evaluation": ("{year}/projects/{slug}.yaml", None, None),
    "department-evaluation": ("{year}/department-evaluation.yaml", "____（部门名称）",
                              "bumen-zhengti-zhichu-jixiao-zipingbiao"),
    "report": ("{year}/self-evaluation-report.md", "{year}年度部门整体支出绩效自评报告",
               "bumen-zhengti-zhichu-jixiao-zipingbaogao"),
    "summary": ("{year}/work-summary.md", "{year}年工作总结", "gongzuo-zongjie"),
    "plan": ("{year}/work-plan.md", "{year}年工作计划", "gongzuo-jihua"),
    "organization": ("organization.md", "机构概况", "jigou-gaikuang"),
}


def register(commands) -> None:
    kinds = "；".join(f"{kind}（{RECORD_KINDS[kind]}）" for kind in _PLACES)
    parser = commands.add_parser(
        "new", help="用带说明的模板新建一份记录",
        description="在 content/ 中的正确位置新建一份记录，内容是带中文说明的模板。",
        epilog=("例如：site-builder new project-evaluation 2024 高三复习迎考；"
                "site-builder new project-evaluation 2024 高三复习迎考 --layout mof-project-2020；"
                "site-builder new department-evaluation 2024；同一年度的第二份部门整体表（如单位层级）："
                "site-builder new department-evaluation 2024 单位名称 --slug danwei-zhengti-zhichu-jixiao-zipingbiao；"
                "site-builder new organization。"
                f"可以新建的类型：{kinds}。\n程序自带的表格版式（--layout）：\n{_layout_list(None)}"
                "\n站点 layouts/ 文件夹中的版式，用 site-builder new --list 列出。"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", nargs="?", choices=tuple(_PLACES), metavar="类型", help="记录类型：" + "、".join(_PLACES))
    parser.add_argument("year", nargs="?", metavar="年度", help="四位数的年度，例如 2024（机构概况不需要）")
    parser.add_argument("name", nargs="?", metavar="名称",
                        help="项目支出名称（项目表必填）或标题；部门表写部门名称")
    parser.add_argument("--slug", metavar="网页文件名",
                        help="网页文件名（小写字母、数字、连字符），默认由名称的拼音生成；部门整体表、报告、总结、计划"
                             "同一年度要建第二份时用它另起文件名（文件为 content/年度/网页文件名.yaml 或 .md）")
    parser.add_argument("--layout", metavar="版式", help="表格的版式 id（只用于项目表和部门整体表），默认是岳阳市 2023 年版")
    parser.add_argument("--list", action="store_true", help="列出可以用的表格版式（包括站点 layouts/ 中的）")
    site_argument(parser)
    parser.set_defaults(run=run)


def _layout_list(site) -> str:
    lines = []
    for layout in layouts_for(site).distinct():
        kind = KINDS.get(layout.kind, "任何表格")
        aliases = f"（也可写 {'、'.join(layout.aliases)}）" if layout.aliases else ""
        origin = "" if layout.shipped else f"  [{layout.source}]"
        lines.append(f"  {layout.id}{aliases}：{layout.name}，{kind}{origin}")
    return "\n".join(lines)


def run(args) -> int:
    if args.list:
        print("可以用的表格版式（记录中写 layout: 版式 id）：")
        print(_layout_list(args.site))
        return 0
    kind = args.kind
    if kind is None:
        raise SiteError(Finding(code="N401", message="请写上要新建的记录类型",
                                hint="例如：site-builder new project-evaluation 2024 高三复习迎考；"
                                     "可以新建的类型：" + "、".join(_PLACES) + "。"))
    year = args.year
    if kind != "organization" and not (year and re.fullmatch(r"[0-9]{4}", year)):
        meant = suggest_year(year) if year else None  # "２０２４" made a folder content/２０２４/ no build reads
        example = f"site-builder new {kind} {meant or 2024}" + (" 项目名称" if kind == "project-evaluation" else "")
        raise SiteError(Finding(code="N401", message="请写上四位数的年度" + (f"（用半角数字：{meant}）" if meant else ""),
                                hint=f"例如：{example}"))
    if args.slug is not None and not re.fullmatch(SLUG.regex, args.slug):
        # a slug that check refuses (S204): the file would be made, then not build
        raise SiteError(Finding(code="N401", message=f"网页文件名“{args.slug}”不能用",
                                hint=f"--slug 只能用小写英文字母、数字和连字符“-”，例如 --slug {slugify(args.slug) or 'gongzuo-jihua'}；"
                                     "也可以不写 --slug，由名称的拼音生成。"))
    name = args.name
    if kind == "project-evaluation" and not name:
        raise SiteError(Finding(code="N401", message="新建项目支出绩效自评表要写上项目支出名称",
                                hint="例如：site-builder new project-evaluation 2024 高三复习迎考"))
    relative, default_title, default_slug = _PLACES[kind]
    name = name or default_title.format(year=year)
    slug = args.slug or default_slug or slugify(name)
    if args.slug and default_slug and args.slug != default_slug and "{slug}" not in relative and year:
        # Another record of a kind a year usually has once (a 单位 form beside the 部门 form):
        # named after its slug, in the year's folder, as `site-builder import --slug` does.
        relative = "{year}/{slug}" + Path(relative).suffix
    target = args.site / CONTENT_DIR / relative.format(year=year, slug=slug)
    if target.exists():
        raise SiteError(Finding(code="N402", path=target.as_posix(), message="这份记录已经存在，没有覆盖",
                                hint="请直接编辑这个文件；如果要另建一份，请用 --slug 指定不同的网页文件名。"))
    layout = _chosen_layout(args, kind)
    if layout is not None and layout.id != _HAND_WRITTEN.get(kind):
        filled = record_skeleton(layout, year, name, slug, kind=kind)
    else:
        skeleton = resources.files("site_builder").joinpath("skeletons", kind + Path(relative).suffix)
        filled = Template(skeleton.read_text(encoding="utf-8")).safe_substitute(
            year=year or "", year1=int(year) + 1 if year else "", name=name, slug=slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(filled, encoding="utf-8")
    print(f"已新建：{target}\n请用文本编辑器打开填写，然后运行 site-builder check 检查。")
    return 0


def _chosen_layout(args, kind: str):
    """The layout named by --layout (None when none is named); N420 when it does not exist or is for another kind."""
    if not args.layout:
        return None
    layouts = layouts_for(args.site)
    layout = layouts.get(args.layout)
    if kind not in KINDS:
        raise SiteError(Finding(code="N420", message=f"{RECORD_KINDS[kind]}没有版式，不需要 --layout",
                                hint="--layout 只用于 project-evaluation 和 department-evaluation。"))
    if layout is None or layout.kind not in (kind, "any"):
        import difflib

        names = [name for name, item in layouts.items() if item.kind in (kind, "any")]
        guess = difflib.get_close_matches(args.layout, names, n=1, cutoff=0.4)
        raise SiteError(Finding(code="N420", message=f"没有{RECORD_KINDS[kind]}的版式 {args.layout}",
                                hint=(f"您是不是想写 {guess[0]}？" if guess else "") +
                                     "可以用的版式：" + "、".join(names) + "（site-builder new --list 列出说明）。"))
    return layout
