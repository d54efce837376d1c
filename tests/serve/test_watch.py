"""The watcher notices a saved record when the system reports it, not only at its regular scans."""

from __future__ import annotations

import asyncio
import threading
import time

from serve_support import PROJECT

from site_builder.serve.watch import SiteWatcher


def test_a_saved_record_is_noticed_without_waiting_for_the_regular_scan(preview_site):
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=3600)  # regular scans an hour apart

    async def save_and_wait() -> float:
        watcher.start(watcher.examine)  # what livereload does: examine() on every tick or report
        await asyncio.sleep(0.3)  # the system's watch is in place
        record = preview_site / PROJECT
        record.write_text(record.read_text(encoding="utf-8").replace("高三复习迎考", "高三复习", 1), encoding="utf-8")
        saved = time.monotonic()
        while not noticed and time.monotonic() - saved < 20:
            await asyncio.sleep(0.02)
        return time.monotonic() - saved

    waited = []  # in a thread of its own: another test's browser may hold this thread's event loop
    runner = threading.Thread(target=lambda: waited.append(asyncio.run(save_and_wait())))
    try:
        runner.start()
        runner.join(60)
    finally:
        watcher.stop()
    assert noticed == [{preview_site.resolve() / PROJECT}], f"not noticed in {waited} s"
    # an hour apart, the regular scan cannot have seen it: the report did


def test_without_the_systems_reports_the_regular_scans_still_notice_a_save(preview_site, monkeypatch):
    """No inotify watch left (other programs took them all): the preview still starts and sees saves."""
    from watchdog.observers import Observer

    def refused(self):
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(Observer, "start", refused)
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=0.2)

    async def save_and_wait() -> None:
        assert watcher.start(watcher.examine)
        record = preview_site / PROJECT
        record.write_text(record.read_text(encoding="utf-8").replace("高三复习迎考", "高三复习", 1), encoding="utf-8")
        saved = time.monotonic()
        while not noticed and time.monotonic() - saved < 20:
            await asyncio.sleep(0.05)

    runner = threading.Thread(target=lambda: asyncio.run(save_and_wait()))
    runner.start()
    runner.join(60)
    assert noticed == [{preview_site.resolve() / PROJECT}]
