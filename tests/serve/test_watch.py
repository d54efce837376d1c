"""The watcher notices a saved record when the system reports it, not only at its regular scans."""

from __future__ import annotations

import asyncio
import threading
import time

from serve_support import PROJECT

from site_builder.serve.watch import SiteWatcher


def _save_and_wait(watcher: SiteWatcher, site, noticed: list, settle: float = 0.0) -> list[bool | float]:
    """Start `watcher`, save the project form once `settle` seconds have passed, and wait (20 s at most)
    until it is noticed: [whether the watcher started, the seconds waited]. In a thread of its own:
    another test's browser may hold this thread's event loop."""

    async def save_and_wait() -> None:
        outcome.append(watcher.start(watcher.examine))  # what livereload does: examine() on every tick or report
        await asyncio.sleep(settle)
        record = site / PROJECT
        record.write_text(record.read_text(encoding="utf-8").replace("高三复习迎考", "高三复习", 1), encoding="utf-8")
        saved = time.monotonic()
        while not noticed and time.monotonic() - saved < 20:
            await asyncio.sleep(0.02)
        outcome.append(time.monotonic() - saved)

    outcome: list[bool | float] = []
    runner = threading.Thread(target=lambda: asyncio.run(save_and_wait()))
    try:
        runner.start()
        runner.join(60)
    finally:
        watcher.stop()
    return outcome


def test_a_saved_record_is_noticed_without_waiting_for_the_regular_scan(preview_site):
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=3600)  # regular scans an hour apart
    waited = _save_and_wait(watcher, preview_site, noticed, settle=0.3)  # 0.3 s: the system's watch is in place
    assert noticed == [{preview_site.resolve() / PROJECT}], f"not noticed in {waited[1:]} s"
    # an hour apart, the regular scan cannot have seen it: the report did


def test_without_the_systems_reports_the_regular_scans_still_notice_a_save(preview_site, monkeypatch):
    """No inotify watch left (other programs took them all): the preview still starts and sees saves."""
    from watchdog.observers import Observer

    def refused(self):
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(Observer, "start", refused)
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=0.2)
    started = _save_and_wait(watcher, preview_site, noticed)[0]
    assert started
    assert noticed == [{preview_site.resolve() / PROJECT}]
