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
