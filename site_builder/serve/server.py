"""The preview server: livereload's server and browser script, the site from memory.

livereload (tornado) serves :class:`~.preview.Preview`'s files through a small
WSGI application and adds its script before `</head>` of every page it sends;
the script is never in the built files. :class:`~.watch.SiteWatcher` notices
saved files; once :meth:`Preview.update` has rebuilt what they touch, the open
browser tabs are told to reload.
"""

from __future__ import annotations

import errno
import gc
import ipaddress
import logging
import socket
import sys
from http import HTTPStatus
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler

from ..cli import print_findings
from ..errors import FindingCounts
from ..errors import SiteError
from ..load import CONTENT_DIR
from ..privacy import mask_text
from .preview import Preview, Update
from .watch import SiteWatcher

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build the site, serve it at http://host:port/ and rebuild on every save, until Ctrl+C."""
    site_dir = Path(site_dir)
    if host not in LOCAL_HOSTS:  # said first, before anything is served
        _say(f"警告：预览绑定在 {host} 上，同一网络中的其他电脑也能打开这个预览（包括尚未公开的内容）。"
             "只在本机预览时请去掉 --host。", stream=sys.stderr)
    preview = Preview(site_dir, on_failure=_report)  # a page that cannot be made when it is opened
    _say(f"正在读入并检查网站（站点文件夹：{preview.site_dir}）……")
    update = preview.build()
    if not update.ok and not (preview.site_dir / CONTENT_DIR).is_dir():
        raise SiteError(update.findings)  # not a site folder: nothing to preview
    _report(update)
    _settle_memory()

    def on_change(paths: set[Path]) -> None:
        names = sorted(_shown(path, preview.site_dir) for path in paths)
        more = f" 等 {len(names)} 个文件" if len(names) > 3 else ""
        _say(f"文件有改动：{'、'.join(names[:3])}{more}")
        update = preview.update(paths)
        _report(update)
        if update.full:
            _settle_memory()
        LiveReloadHandler.reload_waiters(path="*")  # "*": reload the whole page, whatever changed

    watcher = SiteWatcher(preview.site_dir, preview.theme_folders, on_change)
    server = _Server(_application(preview, host), watcher, ready=lambda: _ready(host, port))
    try:
        server.serve(port=port, host=host, debug=False)
    except OSError as exc:
        _say(_listen_error(exc, host, port), stream=sys.stderr)
        return 2
    _say("预览已结束。")
    return 0


class _Server(Server):
    def __init__(self, app, watcher, ready):
        super().__init__(app=app, watcher=watcher)
        self._ready = ready

    def _setup_logging(self) -> None:
        """livereload's and tornado's English log lines stay out of the staff's console."""
        for name in ("livereload", "tornado.access"):
            logger = logging.getLogger(name)
            logger.addHandler(logging.NullHandler())
            logger.propagate = False

    def application(self, *args, **kwargs):
        super().application(*args, **kwargs)  # listens: raises OSError when the port is taken
        self._ready()


def _application(preview: Preview, host: str = "127.0.0.1"):
    """A WSGI application answering from the preview's memory, to requests addressed to this preview."""
    def application(environ, start_response):
        if not host_allowed(environ.get("HTTP_HOST", ""), host):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")])
            return [mask_text(
                "预览拒绝了这个请求：网址中的主机名不是本机。请用 http://127.0.0.1:端口/ 或 http://localhost:端口/ 打开预览"
                "（用 --host 指定的地址也可以）。这样可以防止其他网站借助您的浏览器读取尚未公开的内容。").encode("utf-8")]
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"),
                                                      ("Content-Type", "text/plain; charset=utf-8")])
            return ["预览只接受 GET 和 HEAD 请求。".encode("utf-8")]
        # WSGI hands the path over as Latin-1 text of the URL's bytes.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        response = preview.response(path)
        headers = [("Content-Type", response.content_type), ("Cache-Control", "no-store")]
        if response.location:
            headers.append(("Location", response.location))
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", headers)
        return [b"" if method == "HEAD" else response.body]
    return application


def host_allowed(header: str, bound: str) -> bool:
    """Whether a request's Host header names this preview: localhost, 127.0.0.1, [::1] or the
    --host it was started with, with or without a port. Any other name is refused, so that a
    page whose name was made to point at this computer (DNS rebinding) cannot read the drafts.
    Bound to every address (0.0.0.0, ::), the other computers type an IP address: any IP
    address is accepted then, never a name."""
    name = header.strip().lower()
    if name.startswith("["):
        name, bracket, rest = name[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return False
    elif name.count(":") == 1:
        name, _, port = name.partition(":")
        if not port.isdigit():
            return False
    elif ":" in name:
        return False
    name = name.rstrip(".")
    if not name:
        return False
    bound = bound.strip().lower().strip("[]")
    if name in LOCAL_HOSTS or name == bound:
        return True
    if bound in WILDCARD_HOSTS:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True
    return False


def _ready(host: str, port: int) -> None:
    shown = f"[{host}]" if ":" in host else host
    _say(f"预览地址：http://{shown}:{port}/   （按 Ctrl+C 结束）")
    _say("修改并保存 content/ 中的文件、主题或 site.yaml 后，浏览器会自动刷新。预览不会写入 build/。")


def _listen_error(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"site-builder serve：错误：端口 {port} 已被占用（可能另一个预览还开着）。\n"
                f"提示：关掉另一个预览，或换一个端口，例如 --port {port + 1}。")
    if isinstance(exc, socket.gaierror) or exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
        return (f"site-builder serve：错误：无法在 {host}:{port} 上提供预览（{exc.strerror or exc}）。\n"
                "提示：不写 --host 即在本机（127.0.0.1）预览；端口请用 1024 以上的数字。")
    return f"site-builder serve：错误：无法启动预览（{exc.strerror or exc}）。"


def _report(update: Update) -> None:
    if update.ok:
        if update.full:
            line = f"读入并检查了全部内容：{len(update.outdated)} 个网页，在浏览器中打开时生成（{update.seconds:.2f} 秒）"
        else:
            line = f"改动涉及 {len(update.outdated)} 个网页，打开时重新生成（{update.seconds:.2f} 秒）"
        if update.removed:
            line += f"，去掉了 {len(update.removed)} 个文件"
        _say(line + "。")
        if update.findings:
            _say(FindingCounts.of(update.findings).summary(how_to_list="site-builder check --all 列出"))
    elif update.internal_error:
        _say(update.internal_error, stream=sys.stderr)
        _say("site-builder 内部错误：这不是内容文件的问题。请把上面的信息发给网站维护人员；"
             "预览仍在运行。", stream=sys.stderr)
    else:
        print_findings(update.findings, sys.stdout)
        _say("内容有错误，浏览器中显示错误页；改正并保存后，网站会自动恢复。")


def _settle_memory() -> None:
    """Keep the site just read out of the cycle collector's way. With 10,000 records in memory a
    full collection takes seconds, and one comes, unasked, during some later save: collect now,
    then leave what is kept (the records of unchanged files, reused on every save) out of later
    collections. What a save makes is collected as usual."""
    gc.unfreeze()  # the previous site, if this is a rebuild from scratch, may be garbage now
    gc.collect()
    gc.freeze()


def _shown(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _say(text: str, stream=None) -> None:
    print(text, file=stream or sys.stdout, flush=True)


__all__ = ["serve", "host_allowed"]
