"""`site-builder new`: start a record from a commented Chinese template."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path
from string import Template

from ..errors import Finding, SiteError
from ..load import CONTENT_DIR
from ..model.schema import RECORD_KINDS
from ..model.slugs import slugify
from ..cli import site_argument

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
                "site-builder new department-evaluation 2024；同一年度的第二份部门整体表（如单位层级）："
                "site-builder new department-evaluation 2024 单位名称 --slug danwei-zhengti-zhichu-jixiao-zipingbiao；"
                "site-builder new organization。"
                f"可以新建的类型：{kinds}。"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=tuple(_PLACES), metavar="类型", help="记录类型：" + "、".join(_PLACES))
    parser.add_argument("year", nargs="?", metavar="年度", help="四位数的年度，例如 2024（机构概况不需要）")
    parser.add_argument("name", nargs="?", metavar="名称",
                        help="项目支出名称（项目表必填）或标题；部门表写部门名称")
    parser.add_argument("--slug", metavar="网页文件名",
                        help="网页文件名（小写字母、数字、连字符），默认由名称的拼音生成；部门整体表、报告、总结、计划"
                             "同一年度要建第二份时用它另起文件名（文件为 content/年度/网页文件名.yaml 或 .md）")
    site_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    kind = args.kind
    year = args.year
    if kind != "organization" and not (year and year.isdigit() and len(year) == 4):
        raise SiteError(Finding(code="N401", message="请写上四位数的年度",
                                hint=f"例如：site-builder new {kind} 2024" + (" 项目名称" if kind == "project-evaluation" else "")))
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
    skeleton = resources.files("site_builder").joinpath("skeletons", kind + Path(relative).suffix)
    filled = Template(skeleton.read_text(encoding="utf-8")).safe_substitute(
        year=year or "", year1=int(year) + 1 if year else "", name=name, slug=slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(filled, encoding="utf-8")
    print(f"已新建：{target}\n请用文本编辑器打开填写，然后运行 site-builder check 检查。")
    return 0
