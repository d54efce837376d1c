"""Noticing saved files: livereload's watcher, scanning only what the build reads.

Every `interval` seconds the watcher lists the record files under content/
(with the rule the load stage uses, so editors' backup and lock files are
ignored), site.yaml, the site's own form layouts (layouts/), and the
templates and assets of the theme folders, and
compares size, inode and modification time with the last scan. A file
modified in the last moment (an empty one: in the last second) is left for
the next scan, so that a file caught half-written does not flash an error page.

The watcher does not wait for a scan when the system reports a change:
watchdog (inotify, ReadDirectoryChangesW, FSEvents) says which files under
the folders changed, and only those are looked at, as soon as the file has
been left alone for a moment, or at once when the system says it was closed
after writing, renamed into place or removed (a save is complete then). A
report about a folder (one moved in, renamed or removed) makes a whole scan.
The regular scans stay, for what such reports miss (a network drive, a folder
made after the start).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from livereload.watcher import Watcher
from tornado import ioloop

from ..archive import ARCHIVES_DIR
from ..layouts import SITE_LAYOUTS_DIR
from ..load import CONTENT_DIR, SKIPPED_PREFIXES, watched_in_content

INTERVAL = 0.2  # seconds between scans
SETTLE = 0.1  # seconds a file must have been left alone before it is read
EMPTY_SETTLE = 1.0  # ... and an empty one: most likely truncated by a save still writing it

Stamp = tuple[int, int, int]  # mtime in ns, size, inode


def _skipped(name: str, in_content: bool) -> bool:
    """A file or folder the build does not read: hidden; in content/ also what the load stage
    skips (editors' backups, Word's lock files); themes have real _partials."""
    return name.startswith(SKIPPED_PREFIXES if in_content else ".")


def _read(name: str, in_content: bool) -> bool:
    """A file the build reads: in content/ a record (or a file whose name keeps a record from being read,
    L112); anything not skipped elsewhere."""
    return not _skipped(name, in_content) and (not in_content or watched_in_content(name))


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
        self._reported: set[str] | None = None  # the paths the next examine() looks at; None: all
        self._complete: set[str] = set()  # reported paths whose last report said the save is complete
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
            self._scan_folder(root, root == content, stamps)
        return stamps

    def watched(self, path: str) -> bool:
        """Whether `path` (a file) is one that scan() looks at."""
        content = str(self.site_dir / CONTENT_DIR)
        for root in map(str, self.roots()):
            if path.startswith(root + os.sep):
                *folders, name = path[len(root) + 1:].split(os.sep)
                in_content = root == content
                return not any(_skipped(folder, in_content) for folder in folders) and _read(name, in_content)
        return False

    def _stamp_of(self, path: str) -> Stamp | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino) if stat.S_ISREG(info.st_mode) else None

    def _scan_folder(self, folder: str, in_content: bool, stamps: dict) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # removed while we looked, or not there (yet)
            return
        for entry in entries:
            if _skipped(entry.name, in_content):
                continue
            try:
                if entry.is_dir():
                    self._scan_folder(entry.path, in_content, stamps)
                elif _read(entry.name, in_content):
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
        """Examine the files the system reports changed under one of the roots, soon after."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        loop = ioloop.IOLoop.current()
        due = []  # the examination scheduled: one answers every report until it runs
        paths: set[str] = set()  # reported since the last examination
        whole = []  # a folder was reported: scan everything

        def examine_now() -> None:
            due.clear()
            self._reported = None if whole else set(paths)
            paths.clear()
            whole.clear()
            try:
                callback()
            finally:
                self._reported = None

        def soon(reported: list[str], folder: bool, complete: bool) -> None:
            if folder:
                whole.append(True)
            for path in reported:
                if folder or self.watched(path):
                    paths.add(path)
                    (self._complete.add if complete and not folder else self._complete.discard)(path)
            if due:
                loop.remove_timeout(due.pop())
            # a save still under way is left alone for SETTLE seconds; a complete one is looked at now
            ready = not whole and paths <= self._complete
            due.append(loop.call_later(0 if ready else SETTLE + 0.02, examine_now))

        class Reported(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # in watchdog's thread
                if event.event_type in ("opened", "closed_no_write") or (
                        event.is_directory and event.event_type == "modified"):
                    return  # a folder's "modified" comes with the report on the file added, changed or removed
                reported = [os.fsdecode(event.src_path)]
                if getattr(event, "dest_path", ""):
                    reported.append(os.fsdecode(event.dest_path))
                loop.add_callback(soon, reported, event.is_directory,
                                  event.event_type in ("closed", "moved", "deleted"))

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
        # livereload's own reload request at start-up (browser tabs left open reload): answered by the first
        # examination, which still looks at what changed. A large site's regular scans are seconds apart
        # (see start), so the first is often the one a save's report brings: returned instead, the request
        # had the browsers reload with the old pages and left the save until the next regular scan.
        startup = self._changes.pop() if self._changes else None
        if self._examine() or startup is None:
            return None, None  # on_change reloads the browsers itself, once the site is rebuilt
        return startup

    def _examine(self) -> bool:
        """Look at the files (those reported, or all): whether on_change was told of a change."""
        if self._reported is None:
            current = self.scan()
            looked_at = current.keys() | self._stamps.keys()
        else:  # only what the system reported
            looked_at = {path for path in self._reported if self.watched(path)}
            current = {path: stamp for path in looked_at if (stamp := self._stamp_of(path)) is not None}
        changed = {path for path in looked_at if current.get(path) != self._stamps.get(path)}
        if not changed:
            return False
        now = time.time_ns()
        for path in changed:
            if path not in current:
                continue
            size = current[path][1]
            if (size == 0 or path not in self._complete) and current[path][0] > now - int(
                    (EMPTY_SETTLE if size == 0 else SETTLE) * 1e9):
                return False  # still being written: look again at the next scan or report
        if self._reported is None:
            self._stamps = current
        else:
            for path in changed:
                if path in current:
                    self._stamps[path] = current[path]
                else:
                    del self._stamps[path]
        self._complete -= changed
        self.on_change({Path(path) for path in changed})
        return True


__all__ = ["SiteWatcher", "INTERVAL"]
