"""The `site-builder` command: Chinese help, findings printed, exit codes.

Exit 0 on success, 1 when the site has errors an editor must fix, 2 when the
command itself is misused. A traceback appears only with --debug.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import FindingCounts, SiteError, report_order

# argparse's own words, in Chinese: looked up through argparse's module-level
# gettext alias at the moment they are printed.
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "show program's version number and exit": "显示版本号并退出",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}


def _install_chinese_argparse() -> None:
    """Once per process: each parser built must not wrap the previous translation again."""
    original = argparse._
    if getattr(original, "site_builder_chinese", False):
        return

    def translate(message: str) -> str:
        return _ARGPARSE_WORDS.get(message, original(message))

    translate.site_builder_chinese = True
    argparse._ = translate


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n提示：运行 {self.prog} --help 查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    _install_chinese_argparse()
    parser = _Parser(
        prog="site-builder",
        description="岳阳市教育科学技术研究院 预决算与绩效公开 静态网站生成器。",
        epilog="内容文件的写法见 docs/content-model.md。",
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}", help="显示版本号并退出")
    parser.add_argument("--debug", action="store_true", help="出错时显示程序内部的详细信息（供开发人员排查）")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True

    for module in _command_modules():
        module.register(commands)
    return parser


def _command_modules():
    """Every module of site_builder/commands/, in a fixed order: one per verb."""
    import importlib
    import pkgutil

    from . import commands

    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))
    first = ["build", "check", "new"]
    names = [n for n in first if n in names] + [n for n in names if n not in first]
    return [importlib.import_module(f"{commands.__name__}.{name}") for name in names]


def _console_never_fails() -> None:
    """A character the console cannot show (an emoji, “•” on a GBK console of Chinese Windows)
    is printed as “?” instead of ending the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and getattr(stream, "errors", "") == "strict":
            stream.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    _console_never_fails()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except SiteError as exc:
        if args.debug:
            raise
        print_findings(exc.findings)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `site-builder check | head`: the reader has gone, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug of ours, not the editor's mistake
        if args.debug:
            raise
        print(f"site-builder 内部错误：{type(exc).__name__}: {exc}\n"
              "提示：这不是内容文件的问题。请加上 --debug 重新运行，把输出发给网站维护人员。", file=sys.stderr)
        return 3


def print_findings(findings, stream=None, list_acknowledged: bool = False,
                   how_to_list: str = "site-builder check --all 列出") -> None:
    """Errors, then warnings, each in full, then one summary line (:class:`FindingCounts`).
    Acknowledged findings are only counted unless `list_acknowledged`."""
    stream = stream or sys.stderr
    for finding in report_order(findings):
        if list_acknowledged or not finding.acknowledged:
            print(finding.format(), file=stream)
            print(file=stream)
    if findings:
        print(FindingCounts.of(findings).summary(list_acknowledged, how_to_list), file=stream)


def site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="文件夹",
                        help="站点文件夹，其中有 content/（默认：当前文件夹）")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
