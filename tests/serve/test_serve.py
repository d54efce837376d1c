"""`site-builder serve` as staff use it: edit, break, fix, and build/ untouched.

The server runs in a subprocess on a free port of 127.0.0.1; the tests read
what a browser and the console show.
"""

from __future__ import annotations

import socket

import pytest

from serve_support import CHANGE_TIMEOUT, PROJECT, PROJECT_PAGE, edit, fetch, site_command, snapshot, text_of, wait_for


def test_edit_break_fix_and_build_untouched(preview_site, start_server):
    site = preview_site
    built = site_command("build", "--site", site)
    assert built.returncode == 0, built.stderr
    build_before = snapshot(site / "build")
    site_files_before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))

    server = start_server(site)
    status, html = server.page(PROJECT_PAGE)
    assert status == 200
    assert "高三复习迎考" in text_of(html)

    # Edit a record: the served page changes.
    record = site / PROJECT
    edit(record, "project: 高三复习迎考", "project: 高三复习迎考（预览测试）")
    wait_for(lambda: "高三复习迎考（预览测试）" in text_of(server.page(PROJECT_PAGE)[1]), CHANGE_TIMEOUT,
             "the edited project name on the served page")
    # ... and only the pages showing it were rebuilt, not the whole site.
    rebuilt = wait_for(lambda: _last_rebuild(server.console()), CHANGE_TIMEOUT, "the rebuild line")
    assert rebuilt < len(build_before) // 2, server.console()

    # Break it: every page shows the finding with file, line, message and hint.
    edit(record, "project: 高三复习迎考（预览测试）", 'project: "高三复习迎考')
    location = "content/2023/projects/gaosan-fuxi-yingkao.yaml:9"
    status, html = wait_for(lambda: _error_page(server.page(PROJECT_PAGE), location), CHANGE_TIMEOUT,
                            "the error page")
    words = text_of(html)
    assert "修改办法" in words
    assert "高三复习迎考" in words  # the offending line, quoted
    assert _error_page(server.page(""))  # the home page too: the site is not half-updated
    assert "内容有错误" in server.console()
    assert server.process.poll() is None  # still running

    # Fix it: the site comes back by itself.
    edit(record, 'project: "高三复习迎考', "project: 高三复习迎考（已改正）")
    wait_for(lambda: "高三复习迎考（已改正）" in text_of(server.page(PROJECT_PAGE)[1]), CHANGE_TIMEOUT,
             "the fixed page")
    assert server.page("")[0] == 200

    server.stop()
    assert snapshot(site / "build") == build_before, "serve touched build/"
    after = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if not p.name.endswith(".log"))
    assert after == site_files_before, "serve left files in the site folder"


def test_live_reload_script_is_served_but_never_built(preview_site, start_server):
    server = start_server(preview_site)
    status, html = server.page("")
    assert status == 200 and "livereload.js" in html
    assert fetch(server.url + "livereload.js")[0] == 200
    status, missing = server.page("no-such-page.html")
    assert status == 404 and "页面不存在" in text_of(missing)
    server.stop()

    out = preview_site.parent / "out"
    assert site_command("build", "--site", preview_site, "--out", out).returncode == 0
    assert not [p for p in out.rglob("*") if p.is_file() and b"livereload" in p.read_bytes()]


def test_served_pages_equal_a_full_build_after_a_change(preview_site, start_server):
    """The incremental result, read over HTTP, equals `site-builder build` of the same files."""
    server = start_server(preview_site)
    edit(preview_site / "content/2021/work-summary.md", "2021年是建党百年华诞", "2021年是建党一百周年")
    wait_for(lambda: "建党一百周年" in text_of(server.page("disclosure/2021/bumen-zhengti-zhichu-jixiao-zipingbiao.html")[1]),
             CHANGE_TIMEOUT, "the embedded summary to change in the 2021 department form")
    out = preview_site.parent / "full"
    assert site_command("build", "--site", preview_site, "--out", out).returncode == 0
    script = _injected_script(server.page("")[1])
    for path, data in snapshot(out).items():
        if path.startswith("pagefind/"):
            continue  # the preview builds no search index: its search page shows the catalogue (issue 15)
        if not path.endswith((".html", ".css", ".js", ".json", ".csv", ".xml")):
            assert server.file(path) == (200, data), path  # downloads (.xlsx, .zip) byte for byte
            continue
        status, body = server.page(path)
        assert status == 200, path
        assert body.replace(script, "") == data.decode("utf-8"), path


def test_binds_to_127_0_0_1_by_default(preview_site, start_server):
    server = start_server(preview_site)
    assert f"http://127.0.0.1:{server.port}/" in server.console()
    listening = _listening_addresses(server.port)
    assert listening == {"127.0.0.1"}, listening
    assert "警告：" not in server.console()  # issue 16: the console's counts say “0 个警告”, which is no warning


def test_another_host_must_be_asked_for_and_warns(preview_site, start_server):
    # Hold the port on 127.0.0.1 so that the preview cannot actually listen on the network.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        server = start_server(preview_site, "--host", "0.0.0.0", "--port", str(port), wait=False)
        server.process.wait(timeout=60)
    console = server.console()
    assert "警告" in console and "其他电脑也能打开" in console
    assert f"端口 {port} 已被占用" in console
    assert server.process.returncode == 2


def test_not_a_site_folder_exits_with_the_finding(tmp_path):
    result = site_command("serve", "--site", tmp_path, "--port", "1", timeout=60)
    assert result.returncode == 1
    assert "找不到内容文件夹" in result.stderr


def _error_page(answer, showing: str = ""):
    status, html = answer
    return answer if status == 500 and "预览暂停" in html and showing in text_of(html) else None


def _last_rebuild(console: str) -> int | None:
    import re

    counts = re.findall(r"改动涉及 (\d+) 个网页", console)
    return int(counts[-1]) if counts else None


def _injected_script(html: str) -> str:
    start = html.index('<script type="text/javascript">(function(){var s=document.createElement("script")')
    return html[start: html.index("</script>", start) + len("</script>")]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, read from /proc (no network use)."""
    found = set()
    for table, family in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 6)):
        try:
            lines = open(table, encoding="ascii").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, port_hex = local.partition(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                if family == 4:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    found.add("ipv6:" + address)
    if not found:
        pytest.fail(f"nothing listens on port {port}")
    return found


def test_a_layout_saved_in_the_sites_layouts_folder_changes_the_served_pages(preview_site, start_server):
    """The site's own layouts (issue 12) are watched like content: a new or edited layout file
    rebuilds the pages, a broken one shows its finding, and the pages come back when it is mended."""
    from site_builder.layouts import SHIPPED_DIR
    server = start_server(preview_site)
    assert ">调整后全年预算数</th>" not in server.page(PROJECT_PAGE)[1]
    shipped = (SHIPPED_DIR / "yueyang-project-2023.yaml").read_text(encoding="utf-8")
    ours = preview_site / "layouts" / "ours.yaml"
    ours.parent.mkdir()
    ours.write_text(shipped.replace("label: 全年预算数", "label: 调整后全年预算数"), encoding="utf-8")
    wait_for(lambda: ">调整后全年预算数</th>" in server.page(PROJECT_PAGE)[1], CHANGE_TIMEOUT,
             "the label of the site's own layout on the served page")
    ours.write_text(shipped.replace("label: 全年预算数", "label: [全年预算数"), encoding="utf-8")
    wait_for(lambda: "layouts/ours.yaml" in text_of(server.page(PROJECT_PAGE)[1]), CHANGE_TIMEOUT,
             "the error page naming the broken layout file")
    ours.unlink()
    wait_for(lambda: ">全年预算数</th>" in server.page(PROJECT_PAGE)[1], CHANGE_TIMEOUT,
             "the shipped label again once the site's layout is gone")
    assert server.process.poll() is None
