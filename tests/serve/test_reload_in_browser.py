"""An open browser tab reloads by itself once a saved change is rebuilt.

Debian's Chromium through Playwright. With CI=true this test must run: a
missing Chromium or Playwright is a failure. Elsewhere it skips only then.
"""

from __future__ import annotations

from serve_support import CHANGE_TIMEOUT, PROJECT, PROJECT_PAGE, edit


def test_the_open_page_reloads_itself_after_an_edit(preview_site, start_server, browser):
    """`browser` is the session's Chromium (tests/conftest.py)."""
    server = start_server(preview_site)
    page = browser.new_page()
    page.set_default_timeout(CHANGE_TIMEOUT * 1000)
    page.goto(server.url + PROJECT_PAGE)
    heading = page.locator("h1")
    assert "高三复习迎考" in heading.inner_text()
    # The live-reload script has connected once its websocket is open.
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                           " && window.LiveReload.connector._isSocketConnected()")
    page.evaluate("() => { window.notReloaded = true; }")

    edit(preview_site / PROJECT, "project: 高三复习迎考", "project: 高三复习迎考（自动刷新）")
    page.wait_for_function("() => !window.notReloaded && document.querySelector('h1')"
                           " && document.querySelector('h1').innerText.includes('（自动刷新）')")

    edit(preview_site / PROJECT, "project: 高三复习迎考（自动刷新）", 'project: "高三复习迎考')
    page.wait_for_function("() => document.title.includes('预览暂停')"
                           " && document.body.innerText.includes('gaosan-fuxi-yingkao.yaml:9')")

    edit(preview_site / PROJECT, 'project: "高三复习迎考', "project: 高三复习迎考")
    page.wait_for_function("() => !document.title.includes('预览暂停')")
    assert "高三复习迎考" in heading.inner_text()
