"""The preview answers only this computer's own names, never redirects off the site, and its
error page shows no mobile number and no absolute path (issue 13, point 7).

A real `site-builder serve` runs in a subprocess (tests/serve/serve_support.py);
the requests are written by hand on a socket, so that the Host header and the
path are exactly what an attacker's page would send.
"""

from __future__ import annotations

import html
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))

from serve_support import PROJECT, START_TIMEOUT, edit, wait_for  # noqa: E402
from serve_support import preview_site, start_server  # noqa: E402,F401  (fixtures)

REFUSED = "预览拒绝了这个请求"


def raw(port: int, request: str, address: str = "127.0.0.1") -> tuple[int, dict[str, str], str]:
    """Send `request` as written; (status, headers, body text) of the answer."""
    with socket.create_connection((address, port), timeout=10) as connection:
        connection.sendall(request.encode("latin-1"))
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body.decode("utf-8", "replace")


def get(port: int, path: str = "/", host: str | None = "127.0.0.1", address: str = "127.0.0.1"):
    host_line = f"Host: {host}\r\n" if host is not None else ""
    version = "HTTP/1.1" if host is not None else "HTTP/1.0"
    return raw(port, f"GET {path} {version}\r\n{host_line}Connection: close\r\n\r\n", address)


def test_a_page_addressed_to_another_name_is_refused(preview_site, start_server):
    server = start_server(preview_site)
    port = server.port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                 f"localhost.evil.example:{port}", f"rebind.example:{port}", f"127.0.0.1:{port}:{port}",
                 "[::1]evil", "10.0.0.1"):
        status, headers, body = get(port, "/", host)
        assert status == 403, host
        assert REFUSED in body and "127.0.0.1" in body, host
        assert "<html" not in body and "disclosure" not in body  # nothing of the site
        status, _, body = get(port, "/disclosure/2023/gaosan-fuxi-yingkao.html", host)
        assert status == 403 and "高三" not in body
    status, _, body = get(port, "/", None)  # no Host at all
    assert status == 403 and REFUSED in body
    for host in (f"localhost:{port}@evil.example", f"localhost:{port}x"):  # not a host name: tornado answers
        status, _, body = get(port, "/", host)
        assert status in (400, 403, 500) and "岳阳" not in body and "disclosure" not in body, host


def test_this_computers_own_names_are_answered(preview_site, start_server):
    server = start_server(preview_site)
    port = server.port
    for host in (f"127.0.0.1:{port}", "127.0.0.1", f"localhost:{port}", "localhost", f"LocalHost:{port}",
                 f"[::1]:{port}", "[::1]"):
        status, _, body = get(port, "/", host)
        assert status == 200, host
        assert "预决算与绩效公开" in body or "<html" in body, host


def test_the_host_given_with_host_is_answered_too(preview_site, start_server):
    address = "127.0.0.2"  # on the loopback interface, like 127.0.0.1, but not one of the built-in names
    server = start_server(preview_site, "--host", address, wait=False)

    def answering():
        if server.process.poll() is not None:
            raise AssertionError(server.console())
        try:
            return get(server.port, "/", f"{address}:{server.port}", address)[0] == 200
        except OSError:
            return False

    wait_for(answering, START_TIMEOUT, f"the preview at {address}")
    assert get(server.port, "/", address, address)[0] == 200
    assert get(server.port, "/", f"localhost:{server.port}", address)[0] == 200
    assert get(server.port, "/", f"evil.example:{server.port}", address)[0] == 403


def test_redirects_are_paths_on_this_site(preview_site, start_server):
    server = start_server(preview_site)
    host = f"127.0.0.1:{server.port}"
    for path in ("//disclosure", "///disclosure", "/disclosure", "//disclosure/2023"):
        status, headers, _ = get(server.port, path, host)
        assert status == 301, path
        location = headers["location"]
        assert location.startswith("/") and not location.startswith("//"), (path, location)
        assert "\\" not in location and "://" not in location
        assert location == "/" + path.lstrip("/") + "/"
    status, headers, _ = get(server.port, "/%5Cdisclosure", host)
    assert status == 404 and "location" not in headers


def test_the_error_page_masks_mobile_numbers_and_hides_the_site_folder(preview_site, start_server):
    server = start_server(preview_site)
    record = preview_site / PROJECT
    # a duplicated key is an error quoting its line: the line holds the contact's mobile number
    edit(record, "  phone: 13973032708\n", "  phone: 13973032708\n  phone: 139 7303 2708\n")

    def error_page():
        status, _, body = get(server.port, "/", f"localhost:{server.port}")
        return body if status == 500 else None

    body = wait_for(error_page, 30, "the error page")
    assert "L105" in body
    assert "139 **** 2708" in body
    assert "13973032708" not in body and "139 7303 2708" not in body
    site = preview_site.resolve().as_posix()
    assert site not in body and str(preview_site.parent) not in body
    assert "站点文件夹" in body and preview_site.name in body


def test_every_page_the_preview_sends_is_masked(preview_site, start_server):
    report = preview_site / "content/2023/self-evaluation-report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n联系人：139\u00a01234\u00a05678，１３９１２３４００００。\n",
                      encoding="utf-8")
    server = start_server(preview_site)
    status, _, body = get(server.port, "/disclosure/2023/bumen-zhengti-zhichu-jixiao-zipingbaogao.html",
                          f"127.0.0.1:{server.port}")
    assert status == 200
    text = html.unescape(body)
    assert "139\u00a0****\u00a05678" in text and "１３９****００００" in text
    assert "1234" not in text.split("联系人：", 1)[1][:40]


def test_bound_to_every_address_ip_addresses_are_answered_names_never():
    """--host 0.0.0.0: the other computers type this one's IP address; a name still needs to be local."""
    from site_builder.serve.server import host_allowed

    assert host_allowed("192.168.1.20:8000", "0.0.0.0") and host_allowed("[fe80::1]:8000", "::")
    assert host_allowed("localhost:8000", "0.0.0.0")
    assert not host_allowed("evil.example:8000", "0.0.0.0") and not host_allowed("rebind.example", "::")
    assert not host_allowed("192.168.1.20:8000", "127.0.0.1")
