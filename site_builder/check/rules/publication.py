"""Rules of publication: every item dated, every year column holding something, the 索引号 codes.

Inspections (国办秘函〔2019〕19号) count content without a visible publication
date as not updated, and an empty column as a blank column (空白栏目). P711 is a
rule on each record; P712 looks at the year folders of content/ and is run by
check and build with the records' years (:func:`empty_year_folders`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ...errors import WARNING, Finding
from ...load import CONTENT_DIR
from ..registry import document, rule


@rule("P711", WARNING, "记录没有发布日期",
      explanation="""
每条公开信息都要有发布日期（date），它显示在页面的“发布日期”、栏目列表、公开目录、首页的“最新公开”和订阅（feed.xml）里。
检查时，没有发布日期的内容按“未更新”计。原文确实没有注明日期的，照原文不写，并在 acknowledgements 中说明。""",
      wrong="""
kind: summary
year: 2021
title: 2021年工作总结
""",
      right="""
kind: summary
year: 2021
title: 2021年工作总结
date: 2022-01-20
""")
def publication_date_given(record, ctx):
    if record.date is None and record.year is not None and record.kind != "organization":
        yield ctx.finding("P711", record, record.source_line_of_year or 1, "这条记录没有注明发布日期",
                          "请照原件在 year 下面加一行 date: 2024-09-11 这样的发布日期；原文确实没有注明日期的，"
                          "在 acknowledgements 中写明 {code: P711, reason: 原文未注明发布日期}。")


document("P712", "年度栏目里没有任何公开内容", severity=WARNING, explanation="""
content/ 下有某一年度的文件夹，但里面没有一条记录：这一年度的栏目没有可公开的内容，检查时按“空白栏目”计。
请把这一年度的记录放进去（site-builder new …），还没有内容时先删掉这个空文件夹。""",
         wrong="content/2024/  （空文件夹）", right="content/2024/department-evaluation.yaml")
document("P713", "索引号格式写错了", explanation="""
content/site.yaml 的 index_number.format 规定索引号的写法：{org_code}（机构代码，写在 org_code）、{year}（年度）、
{serial}（序号，{serial:05d} 补足 5 位）。格式必须含 {serial}，否则每条记录的索引号都一样。""",
         wrong='index_number: {format: "{org}/{year}"}',
         right='index_number: {format: "{org_code}/{year}-{serial:05d}", org_code: "430600123"}')
document("P714", "索引号分配记录无法读取", explanation="""
content/index-numbers.yaml 记下已经分配的索引号，由 site-builder build 维护，与 content/ 一同提交。
这个文件被改坏时，已分配的索引号可能改变，所以不生成网站。用 git 恢复提交过的版本即可。""",
         wrong="numbers:\n  2023/projects/gaosan-fuxi-yingkao:", right='numbers:\n  "2023/projects/gaosan-fuxi-yingkao": "430600123/2023-00001"')
document("P715", "无法生成搜索索引", explanation="""
生成网站时用 Pagefind（pagefind[extended]，能切分中文词语）为各记录的网页建立搜索索引。这个程序没有安装或运行失败时不生成网站。""",
         wrong="（安装时没有装上 pagefind[extended]）", right="pip install -e .")

_YEAR_FOLDER = re.compile(r"\d{4}")


def empty_year_folders(site_dir: Path, content_files) -> list[Finding]:
    """P712 for each content/<year>/ folder holding no record file; `content_files` are the
    paths of the site's record files, relative to the site folder (content/2023/…)."""
    filled = {name.split("/")[1] for name in content_files if name.count("/") >= 2}
    try:
        folders = sorted(entry.name for entry in os.scandir(Path(site_dir) / CONTENT_DIR)
                         if entry.is_dir() and _YEAR_FOLDER.fullmatch(entry.name))
    except OSError:
        return []
    return [Finding(
        code="P712", severity=WARNING, path=f"{CONTENT_DIR}/{name}",
        message=f"{name} 年度的文件夹里没有任何记录，这个年度栏目是空的",
        hint=f"请把 {name} 年度的记录放进 content/{name}/（如 site-builder new department-evaluation {name}），"
             "还没有内容时先删掉这个空文件夹。") for name in folders if name not in filled]
