"""`site-builder rules [CODE]`: what each finding code means, with examples."""

from __future__ import annotations

import difflib
import sys

from ..check import RULES
from ..errors import SEVERITY_LABELS

_GROUPS = (("L", "读取文件"), ("S", "记录的结构"), ("F", "表格规则"), ("P", "发布与个人信息"), ("T", "主题模板"),
           ("N", "新建记录"), ("A", "年度归档"), ("D", "磁盘与权限"))


def register(commands) -> None:
    parser = commands.add_parser("rules", help="列出检查规则，或解释某一条", description=(
        "不带参数时列出全部检查规则；带上规则代码（如 F306）时，解释这条规则并给出错误和正确的写法。"))
    parser.add_argument("code", nargs="?", metavar="代码", help="规则代码，例如 F306")
    parser.set_defaults(run=run)


def run(args) -> int:
    if not args.code:
        for prefix, heading in _GROUPS:
            print(f"{heading}：")
            for code, rule in sorted(RULES.items()):
                if code.startswith(prefix):
                    print(f"  {code}  {SEVERITY_LABELS[rule.severity]}  {rule.title}")
            print()
        print("运行 site-builder rules 代码 查看某条规则的说明，例如：site-builder rules F306")
        return 0
    code = args.code.strip().upper()
    rule = RULES.get(code)
    if rule is None:
        guess = difflib.get_close_matches(code, RULES, n=1)
        hint = f"您是不是想查 {guess[0]}？" if guess else ""
        print(f"site-builder rules：错误：没有规则 {args.code}。{hint}运行 site-builder rules 查看全部规则。",
              file=sys.stderr)
        return 2
    print(f"{rule.code} {rule.title}（{SEVERITY_LABELS[rule.severity]}）\n")
    print(rule.explanation + "\n")
    print("错误的写法：")
    print(_indent(rule.wrong) + "\n")
    print("正确的写法：")
    print(_indent(rule.right))
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
