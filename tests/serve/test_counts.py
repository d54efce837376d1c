"""Issue 16, point 1: the preview's console and its error page count findings as `check` does."""

from __future__ import annotations

from serve_support import CHANGE_TIMEOUT, PROJECT_PAGE, site_command, text_of, wait_for


def _check_summary(site) -> str:
    done = site_command("check", "--site", site)
    return done.stdout.rstrip("\n").split("\n")[-1].replace("（--all 列出）", "（site-builder check --all 列出）")


def test_console_and_error_page_give_the_counts_check_gives(preview_site, start_server):
    site = preview_site
    server = start_server(site)
    summary = _check_summary(site)
    assert summary == "共 0 个错误、0 个警告；20 个已确认的问题未列出（site-builder check --all 列出）。"
    wait_for(lambda: summary in server.console(), CHANGE_TIMEOUT, "the counts in the console")

    # An error in a table with no acknowledgements of its own: the counts of the rest stay.
    record = next(path for path in sorted((site / "content").rglob("*.yaml"))
                  if "acknowledgements:" not in path.read_text(encoding="utf-8")
                  and "kind: project-evaluation" in path.read_text(encoding="utf-8"))
    record.write_text(record.read_text(encoding="utf-8").rstrip("\n") + "\nremark: 多写的一项\n", encoding="utf-8")
    broken = _check_summary(site)
    assert broken.startswith("共 1 个错误、0 个警告；20 个已确认的问题未列出"), broken
    status, html = wait_for(lambda: (lambda answer: answer if answer[0] == 500 else None)(server.page(PROJECT_PAGE)),
                            CHANGE_TIMEOUT, "the error page")
    assert "".join(broken.split()) in text_of(html)
    wait_for(lambda: server.console().count(broken) == 1, CHANGE_TIMEOUT, "the counts of the failed rebuild")
