"""Noticing saved files: livereload's watcher, scanning only what the build reads.

Every `interval` seconds the watcher lists the record files under content/
(with the rule the load stage uses, so editors' backup and lock files are
ignored), site.yaml, the site's own form layouts (layouts/), and the
templates and assets of the theme folders, and
compares size, inode and modification time with the last scan. A file
modified in the last moment (an empty one: in the last second) is left for
the next scan, so that a file caught half-written does not flash an error page.

The scan does not wait for its turn when the system reports a change: watchdog
(inotify, ReadDirectoryChangesW, FSEvents) tells the watcher that something
under one of the folders moved, and a scan follows as soon as the file has
been left alone for a moment. The regular scans stay, for what such reports
miss (a network drive, a folder made after the start).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from livereload.watcher import Watcher
from tornado import ioloop

from ..archive import ARCHIVES_DIR
from ..layouts import SITE_LAYOUTS_DIR
from ..load import CONTENT_DIR, RECORD_SUFFIXES

INTERVAL = 0.2  # seconds between scans
SETTLE = 0.1  # seconds a file must have been left alone before it is read
EMPTY_SETTLE = 1.0  # ... and an empty one: most likely truncated by a save still writing it

Stamp = tuple[int, int, int]  # mtime in ns, size, inode


class SiteWatcher(Watcher):
    """`on_change(paths)` runs in the server's event loop with the files that changed."""

    def __init__(self, site_dir: Path, theme_folders: Callable[[], list[Path]],
                 on_change: Callable[[set[Path]], None], interval: float = INTERVAL):
        super().__init__()
        self.site_dir = Path(site_dir).resolve()
        self.theme_folders = theme_folders
        self.on_change = on_change
        self.interval = interval
        self._stamps = self.scan()
        self._observer = None  # watchdog's, once started
        # livereload watches the working directory when no task is registered.
        for root in self.roots():
            self._tasks[str(root)] = {"func": None, "delay": None, "ignore": None, "mtimes": {}}

    def roots(self) -> list[Path]:
        return [self.site_dir / CONTENT_DIR, self.site_dir / ARCHIVES_DIR, self.site_dir / SITE_LAYOUTS_DIR,
                *self.theme_folders()]

    def scan(self) -> dict[str, Stamp]:
        """Path → (mtime in ns, size, inode) of every file the build reads."""
        stamps: dict[str, Stamp] = {}
        content = str(self.site_dir / CONTENT_DIR)
        for root in map(str, self.roots()):
            # content/ skips what the load stage skips; themes have real _partials.
            self._scan_folder(root, (".", "_", "~") if root == content else (".",), root == content, stamps)
        return stamps

    def _scan_folder(self, folder: str, hidden: tuple[str, ...], records_only: bool, stamps: dict) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # removed while we looked, or not there (yet)
            return
        for entry in entries:
            if entry.name.startswith(hidden):
                continue
            try:
                if entry.is_dir():
                    self._scan_folder(entry.path, hidden, records_only, stamps)
                elif not records_only or entry.name.lower().endswith(RECORD_SUFFIXES):
                    info = entry.stat()
                    stamps[entry.path] = (info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                continue

    def start(self, callback) -> bool:
        # Scanning a large site takes a while: keep it to about a tenth of one processor.
        started = time.perf_counter()
        self.scan()
        interval = max(self.interval, 10 * (time.perf_counter() - started))
        ioloop.PeriodicCallback(callback, interval * 1000).start()
        self._observe(callback)
        return True  # livereload then does not start its own, slower, polling

    def _observe(self, callback) -> None:
        """Scan soon after the system reports a change under one of the roots."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        loop = ioloop.IOLoop.current()
        due = []  # the scan scheduled: one scan answers every report until it runs

        def scan_now() -> None:
            due.clear()
            callback()

        def soon() -> None:  # once the files have been left alone for SETTLE seconds
            if due:
                loop.remove_timeout(due.pop())
            due.append(loop.call_later(SETTLE + 0.02, scan_now))

        class Reported(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # in watchdog's thread
                if event.event_type not in ("opened", "closed_no_write"):
                    loop.add_callback(soon)

        observer = Observer()
        for root in self.roots():
            if root.is_dir():
                observer.schedule(Reported(), str(root), recursive=True)
        observer.daemon = True
        try:
            observer.start()  # where the system's watches are taken: there may be none left
        except OSError:  # (inotify's limits, a drive without change reports): the regular scans see every change
            observer.stop()
            return
        self._observer = observer

    def stop(self) -> None:
        """Stop listening to the system's reports (the regular scans end with the event loop)."""
        if self._observer is not None:
            self._observer.stop()
            self._observer = None

    def examine(self):
        if self._changes:  # livereload's own reload request at start-up
            return self._changes.pop()
        current = self.scan()
        changed = {path for path in current.keys() | self._stamps.keys()
                   if current.get(path) != self._stamps.get(path)}
        if not changed:
            return None, None
        now = time.time_ns()
        if any(current[path][0] > now - int((EMPTY_SETTLE if current[path][1] == 0 else SETTLE) * 1e9)
               for path in changed if path in current):
            return None, None  # still being written: look again at the next scan
        self._stamps = current
        self.on_change({Path(path) for path in changed})
        return None, None  # on_change reloads the browsers itself, once the site is rebuilt


__all__ = ["SiteWatcher", "INTERVAL"]
