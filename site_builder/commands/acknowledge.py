"""`site-builder acknowledge FILE --reason …`: acknowledge the findings now reported in one file.

Once an editor has compared a record with the signed original and found that
the original really prints what the checker questions, this writes one
acknowledgement per finding into the record's ``acknowledgements:`` list, keyed
to the finding's place in the form (``at: funds/total/annual``) rather than to
a line number, so later edits elsewhere in the file keep it acknowledged. The
file's text is edited minimally: nothing else in it moves, comments stay.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import pipeline
from ..check.places import place_at, place_index
from ..check.registry import document
from ..cli import site_argument
from ..errors import Finding, SiteError, relative
from ..load import load_file

document("C701", "没有可以确认的问题", explanation="""
site-builder acknowledge 只确认检查规则（F 开头的代码）现在报告的、还没有确认的问题。
文件没有这样的问题，或 --code 写的规则在这个文件里没有问题时，什么也不写。""",
         wrong="site-builder acknowledge content/2023/projects/x.yaml --reason 原表如此 --code F999",
         right="site-builder check   # 先看看这个文件有哪些问题")
document("C702", "无法在这个文件里写确认", explanation="""
要确认的文件必须是 content/ 里的表格或文档，并且能够读取（没有格式错误、必填项齐全）；
已有的 acknowledgements 要写成每项一行（- 开头）的列表。""",
         wrong="acknowledgements: [{code: F302, reason: …}]",
         right="acknowledgements:\n  - {code: F302, reason: …}")

_KEY = re.compile(r"^acknowledgements:[ \t]*(\[[ \t]*\])?[ \t]*(#.*)?$")


def register(commands) -> None:
    parser = commands.add_parser(
        "acknowledge", help="确认一个文件里现在报告的问题（照签字原表公开）",
        description=("对照签字原表核对后，为 FILE 中现在报告的每个问题写一条确认（acknowledgements），"
                     "按问题所在的格子（at:）而不是行号记录，以后在别处增删行也不会失效。"
                     "确认后 site-builder check 仍会列出这些问题，标为“已确认”。"),
        epilog="例如：site-builder acknowledge content/2023/department-evaluation.yaml --reason \"原表金额四舍五入\" --code F302")
    parser.add_argument("file", type=Path, metavar="FILE", help="要确认的记录文件，例如 content/2023/projects/x.yaml")
    parser.add_argument("--reason", required=True, metavar="理由", help="确认的理由，例如“照签字原表公开”")
    parser.add_argument("--code", metavar="代码", help="只确认这一规则的问题，例如 F302（默认：全部）")
    site_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    site = args.site
    # FILE relative to the site folder, or as typed from the current folder
    path = site / args.file if not args.file.is_absolute() and (site / args.file).is_file() else args.file
    name = relative(path.resolve(), site.resolve())
    if not path.is_file() or not name.startswith("content/"):
        raise SiteError(Finding(code="C702", path=str(args.file), message="找不到要确认的文件，或它不在 content/ 里",
                                hint="写 content/ 中记录文件的路径，例如 content/2023/department-evaluation.yaml；"
                                     "站点不在当前文件夹时加 --site。"))
    _, findings = pipeline.load_and_check(site)
    mine = [f for f in findings if f.path == name]
    broken = [f for f in mine if not f.code.startswith("F") and f.is_error]
    if broken:
        raise SiteError(broken + [Finding(code="C702", path=name, message="这个文件有错误，需要先改正才能确认其中的问题",
                                          hint="先改正上面列出的错误，再运行 site-builder acknowledge。")])
    wanted = [f for f in mine if f.code.startswith("F") and f.code != "F399" and not f.acknowledged
              and (args.code is None or f.code == args.code.upper())]
    if not wanted:
        raise SiteError(Finding(code="C701", path=name,
                                message=f"这个文件里没有需要确认的{'规则 ' + args.code.upper() + ' 的' if args.code else ''}问题",
                                hint="运行 site-builder check 查看这个文件的问题；已经确认的问题不再重复确认。"))
    loaded = load_file(path, site)
    index = place_index(loaded.data)
    entries, seen = [], set()
    for finding in wanted:
        place = place_at(index, finding.line, finding.column)
        key = (finding.code, place or finding.line)
        if key in seen:
            continue
        seen.add(key)
        where = f"at: {_quoted(place)}" if place else (f"line: {finding.line}" if finding.line else "")
        entries.append((finding, "{" + ", ".join(part for part in (f"code: {finding.code}", where,
                                                                     f"reason: {_quoted(args.reason)}") if part) + "}"))
    text = loaded.source.text
    path.write_text(_with_entries(text, [entry for _, entry in entries], name), encoding="utf-8")
    for finding, entry in entries:
        print(f"{name}:{finding.line}: 已确认 {finding.code} {finding.message}")
    print(f"共确认 {len(entries)} 个问题，写在 {name} 的 acknowledgements 中。运行 site-builder check 查看。")
    return 0


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _with_entries(text: str, entries: list[str], name: str) -> str:
    """`text` with `entries` added to its acknowledgements list (made at the end if it has none)."""
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("acknowledgements:")), None)
    if at is None:
        body = text.rstrip("\n")
        return body + "\n\nacknowledgements:\n" + "".join(f"  - {entry}\n" for entry in entries)
    match = _KEY.match(lines[at])
    if match is None:
        raise SiteError(Finding(code="C702", path=name, line=at + 1, column=1, source_line=lines[at],
                                message="已有的 acknowledgements 不是每项一行的列表，无法自动添加",
                                hint="请把它改写为每项一行、以“- ”开头的列表，再运行 site-builder acknowledge。"))
    if match.group(1):  # acknowledgements: []
        lines[at] = "acknowledgements:" + (f"  {match.group(2)}" if match.group(2) else "")
    last, prefix = at, "  - "
    for i in range(at + 1, len(lines)):
        line = lines[i]
        if line.startswith((" ", "\t", "-")) and line.strip():
            if line.strip().startswith("- ") and last == at:
                prefix = line[: len(line) - len(line.lstrip())] + "- "
            last = i
        elif line.strip() and not line.lstrip().startswith("#"):
            break
    lines[last + 1:last + 1] = [prefix + entry for entry in entries]
    return "\n".join(lines)
