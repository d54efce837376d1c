"""`site-builder serve`: preview the site in a browser that reloads after every save."""

from __future__ import annotations

import argparse

from ..cli import site_argument


def register(commands) -> None:
    parser = commands.add_parser("serve", help="在浏览器中预览网站，保存文件后自动刷新", description=(
        "生成网站并在 http://127.0.0.1:8000/ 提供预览；修改并保存 content/ 中的文件、主题或 site.yaml 后，"
        "只重新生成受影响的网页，打开的浏览器页面自动刷新。内容有错误时浏览器中显示错误和修改办法，"
        "改正后自动恢复。预览不写入 build/，按 Ctrl+C 结束。"))
    site_argument(parser)
    parser.add_argument("--port", type=_port, default=8000, metavar="端口", help="端口号（默认：8000）")
    parser.add_argument("--host", default="127.0.0.1", metavar="地址", help=(
        "监听的地址（默认：127.0.0.1，只有本机能打开）。写 0.0.0.0 等其他地址时，同一网络中的其他电脑也能打开预览"))
    parser.set_defaults(run=run)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"端口应当是 1 到 65535 之间的数字，而不是 {text!r}")
    return int(text)


def run(args) -> int:
    from ..serve import serve  # tornado is imported only when previewing

    return serve(args.site, host=args.host, port=args.port)
