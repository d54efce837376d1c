"""The watcher notices a saved record when the system reports it, not only at its regular scans."""

from __future__ import annotations

import asyncio
import inspect
import threading
import time

from serve_support import PROJECT

from site_builder.serve import watch
from site_builder.serve.watch import SiteWatcher


def _save_project(site) -> None:
    record = site / PROJECT
    record.write_text(record.read_text(encoding="utf-8").replace("高三复习迎考", "高三复习", 1), encoding="utf-8")


def _save_and_wait(watcher: SiteWatcher, site, noticed: list, settle: float = 0.0,
                   save=_save_project) -> list[bool | float]:
    """Start `watcher`, `save(site)` (awaited if it is a coroutine) once `settle` seconds have passed, and wait (20 s at most)
    until it is noticed: [whether the watcher started, the seconds waited]. In a thread of its own:
    another test's browser may hold this thread's event loop."""

    async def save_and_wait() -> None:
        outcome.append(watcher.start(watcher.examine))  # what livereload does: examine() on every tick or report
        await asyncio.sleep(settle)
        saving = save(site)
        if inspect.isawaitable(saving):
            await saving
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


def test_a_save_before_the_first_regular_scan_is_read_not_left_for_it(preview_site):
    """livereload asks for a reload at start-up, answered by the first examination. On a large site the
    regular scans are seconds apart, so a save's report often comes first: the save is read then (and
    reloads the browsers itself), not passed over for the start-up request until the next scan."""
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=3600)
    watcher._changes.append(("__livereload__", 2))  # what livereload's Server.serve adds before it starts
    waited = _save_and_wait(watcher, preview_site, noticed, settle=0.3)
    assert noticed == [{preview_site.resolve() / PROJECT}], f"not noticed in {waited[1:]} s"
    assert watcher._changes == []
    assert watcher.examine() == (None, None)  # nothing changed since, and the request was answered


def test_the_start_up_reload_is_asked_for_when_nothing_changed(preview_site):
    watcher = SiteWatcher(preview_site, lambda: [], lambda changed: None, interval=3600)
    watcher._changes.append(("__livereload__", 2))
    assert watcher.examine() == ("__livereload__", 2)
    assert watcher.examine() == (None, None)


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


class _CountingWatcher(SiteWatcher):
    """Counts its scans of every watched folder."""

    scans = 0

    def scan(self):
        self.scans += 1
        return super().scan()


def test_a_save_the_system_reports_complete_is_read_at_once_without_a_scan(preview_site, monkeypatch):
    """A file closed after writing is complete: it is looked at alone, without the wait for a save
    still under way (made a minute here) and without scanning the whole site."""
    monkeypatch.setattr(watch, "SETTLE", 60)
    noticed: list[set] = []
    watcher = _CountingWatcher(preview_site, lambda: [], noticed.append, interval=3600)
    waited = _save_and_wait(watcher, preview_site, noticed, settle=0.3)
    assert noticed == [{preview_site.resolve() / PROJECT}], f"not noticed in {waited[1:]} s"
    assert watcher.scans == 2  # when it was made and when it started, not for the save


def test_a_file_still_open_for_writing_is_read_once_it_is_closed(preview_site, monkeypatch):
    """A save under way (written, not closed) is left alone: no half-written record flashes an error."""
    monkeypatch.setattr(watch, "SETTLE", 60)
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=3600)
    record = preview_site / PROJECT
    text = record.read_text(encoding="utf-8").replace("高三复习迎考", "高三复习", 1)
    while_open: list[list] = []

    async def save(site) -> None:
        handle = open(record, "w", encoding="utf-8")
        handle.write(text[: len(text) // 2])
        handle.flush()
        await asyncio.sleep(1)  # the reports of the write have their turn meanwhile
        while_open.append(list(noticed))
        handle.write(text[len(text) // 2:])
        handle.close()

    waited = _save_and_wait(watcher, preview_site, noticed, settle=0.3, save=save)
    assert while_open == [[]]
    assert noticed == [{preview_site.resolve() / PROJECT}], f"not noticed in {waited[1:]} s"
    assert record.read_text(encoding="utf-8") == text


def test_a_folder_moved_into_content_is_scanned(preview_site, tmp_path):
    """A folder report (a year folder moved in) makes a scan, which finds the records inside."""
    year = tmp_path / "2024"
    year.mkdir()
    (year / "work-plan.md").write_text("---\nkind: plan\nyear: 2024\ntitle: 计划\n---\n\n正文。\n", encoding="utf-8")
    noticed: list[set] = []
    watcher = SiteWatcher(preview_site, lambda: [], noticed.append, interval=3600)
    waited = _save_and_wait(watcher, preview_site, noticed, settle=0.3,
                            save=lambda site: year.rename(site / "content" / "2024"))
    assert noticed == [{preview_site.resolve() / "content/2024/work-plan.md"}], f"not noticed in {waited[1:]} s"


def test_the_files_looked_at_when_reported_are_those_a_scan_looks_at(preview_site):
    """A report is looked at with the rule of the scan: records in content/ (no backups, lock files or
    hidden folders), every file of the theme but hidden ones, whatever the folder's depth."""
    theme = preview_site / "theme"
    extra = ["content/2023/.~lock.report.md#", "content/2023/~report.md", "content/_drafts/x.yaml",
             "content/2023/notes.txt", "content/2023/deep/er/x.YML", "content/.hidden/x.md",
             "theme/templates/_partials/nav.html", "theme/.git/config", "theme/assets/.DS_Store",
             "theme/assets/site.css", "layouts/extra-form.yaml", "archives/2021/manifest.json"]
    for name in extra:
        (preview_site / name).parent.mkdir(parents=True, exist_ok=True)
        (preview_site / name).write_text("x", encoding="utf-8")
    watcher = SiteWatcher(preview_site, lambda: [theme.resolve()], lambda paths: None)
    scanned = set(watcher.scan())
    files = [str(path) for path in preview_site.resolve().rglob("*") if path.is_file()]
    assert {path for path in files if watcher.watched(path)} == scanned
    assert str(preview_site.resolve() / "theme/templates/_partials/nav.html") in scanned
    assert not {str(preview_site.resolve() / name) for name in extra[:3]} & scanned
