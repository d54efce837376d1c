"""What the last build of a site read and wrote, so that work is not done twice.

Public surface: :class:`BuildState` (with :class:`FileEntry`, one per content
file), :func:`load_state`, :func:`save_state`, :func:`stat_key`,
:func:`fingerprint` with :func:`same_fingerprint`, :func:`digest`,
:func:`file_digest` and :func:`output_listing` (a :class:`Listing`, taken beside the build:
:class:`OutputListing`), with the records of output files (:func:`output_record`, :func:`output_stat`,
:func:`recorded_stat`, :func:`recorded_size`, :func:`recorded_digest`) and of a file's downloads
(:func:`unpacked_downloads`).

The state lives in ``<site>/.site-builder-cache/`` (git-ignored), one file per
output folder. It holds, for every content file, what reading it gave (the
summary other pages list, its findings, the page it made and that page's
digest) keyed by the file's size and modification time, and for every output
file its size, modification time and digest. site_builder.pipeline decides
from it what to read and render again; the bytes written never depend on the
cache, so deleting the folder is always safe.

Files are compared by size and modification time (nanoseconds). As git does for
its index, a file modified within the last two seconds is not trusted to that
test ("racy"): its key is None, which never matches. Its entry also keeps the
digest of the bytes it was read from (``content``), and a file whose size or
time changed but whose bytes did not (saved again unchanged, checked out, copied,
generated just before a build) keeps its entry: only its key is taken again.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import marshal
import multiprocessing
import os
import pickle
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from stat import S_ISREG

from .. import __version__
from ..errors import Finding

CACHE_DIR = ".site-builder-cache"
_FORMAT = 17  # 5: summaries with key figures, series; 6: downloads; 7, 8: merges; 9: resources as text; 10: indexed;
# 11: resources as compressed (path, JSON text) lines; 12: links; 13: content; 14: recent files in the key by digest;
# 15: pickled in parts; 16: links packed; 17: downloads and outputs packed
_RACY_NS = 2_000_000_000
_PACKAGE = Path(__file__).resolve().parents[1]


@dataclass
class FileEntry:
    """One content file as the last build read it."""

    stat: tuple[int, int] | None  # size, mtime_ns; None: modified too recently to be trusted
    deps: tuple = ()  # (path, digest of its bytes, "absent" or "unreadable") of each other file it read
    # (embedded documents)
    summary: object = None  # model.site.RecordSummary, None when the file gave no record
    findings: list[Finding] = field(default_factory=list)  # its own, acknowledged
    whole_site: bool = False  # its page lists other records, so it is rendered after all are read
    # (output path, digest) of each download file its record made, packed (see `downloads`): as tuples of
    # texts and bytes, a tenth of a large build's memory
    files: bytes = b""
    # How downloads/datapackage.json describes those files (see `descriptions`), compressed: a large
    # site's descriptions were four fifths of the state, and of a build's memory at 100,000 pages.
    resources: bytes = b""
    indexed: bytes = b""  # digest of what the search index reads from its page (write.search_index.indexed_digest)
    # The links its page shows to its downloads, packed (see `links`): its page is rendered again without
    # making them again when only the same project's other years changed. Held as tuples of texts and
    # numbers they were an eighth of a large build's memory (100,000 pages: some 150 MB).
    offers: bytes = b""
    content: bytes = b""  # digest of the file's bytes as read (load.Source.digest); empty when it could not be read

    @property
    def descriptions(self) -> list[tuple[str, bytes]]:
        """(path, JSON text in UTF-8) of each of its downloads' descriptions, joined into the package as they are."""
        if not self.resources:
            return []
        lines = zlib.decompress(self.resources).split(b"\n")
        return [(path.decode("utf-8"), text) for path, text in (line.split(b"\t", 1) for line in lines)]

    def describe(self, descriptions: list[tuple[str, bytes]]) -> None:
        """Keep `descriptions` (JSON texts on one line; paths are made of slugs and layout keys)."""
        if any("\t" in path or "\n" in path for path, _ in descriptions):  # pragma: no cover - a bug of ours
            raise ValueError(f"a download path with a tab or line break: {descriptions}")
        lines = b"\n".join(path.encode("utf-8") + b"\t" + text for path, text in descriptions)
        self.resources = zlib.compress(lines, 1) if descriptions else b""

    @property
    def downloads(self) -> tuple[tuple[str, bytes], ...]:
        """(output path, digest) of each download file its record made, in order."""
        return unpacked_downloads(self.files)

    def keep_downloads(self, downloads) -> None:
        """Keep `downloads`, (output path, digest) of each file, as :attr:`downloads` gives them back."""
        unfit = [(path, known) for path, known in downloads
                 if "\n" in path or "\0" in path or len(known) != _DIGEST_SIZE]
        if unfit:  # pragma: no cover - a bug of ours
            raise ValueError(f"a download path with a line break or a nul, or a digest of another size: {unfit}")
        paths = "\n".join(path for path, _ in downloads).encode("utf-8")
        self.files = zlib.compress(paths + b"\0" + b"".join(known for _, known in downloads), 1) if downloads else b""

    @property
    def links(self) -> tuple[tuple[str, str, str, int], ...]:
        """(label, format, url, size) of each download its page links to (downloads.Link), in order."""
        return marshal.loads(zlib.decompress(self.offers)) if self.offers else ()

    def offer(self, links) -> None:
        """Keep `links` (downloads.Link, or tuples of their four values) as :attr:`links` gives them back."""
        self.offers = zlib.compress(marshal.dumps(tuple(map(tuple, links))), 1) if links else b""

    def intern_texts(self) -> None:
        """Its findings' and summary's texts replaced by the interpreter's one copy of each (sys.intern).

        Each file's entry comes from a worker as a pickle of its own, with its own copy of every text:
        the same hint, code, label, kind and series over and over (at 100,000 pages, hundreds of
        megabytes). An interned text is freed when the last entry holding it goes."""
        for finding in self.findings:
            _interned(finding)
        if self.summary is not None:
            _interned(self.summary)
            if getattr(self.summary, "figures", None) is not None:
                _interned(self.summary.figures)

    @property
    def page(self) -> str | None:
        """The output path of its record's page."""
        return self.summary.url if self.summary is not None else None


def unpacked_downloads(files: bytes) -> tuple[tuple[str, bytes], ...]:
    """:attr:`FileEntry.downloads` of an entry's `files` (handed to a worker as they are kept)."""
    if not files:
        return ()
    packed = zlib.decompress(files)
    end = packed.index(b"\0")  # after the paths, which never hold one
    starts = range(end + 1, len(packed), _DIGEST_SIZE)
    return tuple((path, packed[start:start + _DIGEST_SIZE])
                 for path, start in zip(packed[:end].decode("utf-8").split("\n"), starts))


def _interned(obj) -> None:
    """`obj`'s own texts (frozen or not) replaced by their interned copies."""
    values = obj.__dict__
    for name, value in values.items():
        if type(value) is str:
            values[name] = sys.intern(value)


@dataclass
class BuildState:
    key: tuple | None  # what every page depends on (code, theme, settings, organisation, archives)
    entries: dict[str, FileEntry] = field(default_factory=dict)  # by path relative to the site folder
    outputs: dict[str, bytes] = field(default_factory=dict)  # path → size, mtime_ns and digest (output_record)
    organization: str | None = None  # path of the organisation's record
    site_findings: list[Finding] = field(default_factory=list)  # of the settings and the archives
    saved: dict = field(default_factory=dict, repr=False, compare=False)  # entry id → its saved form, reused


_DIGEST_SIZE = 20
# An output file's size and modification time (nanoseconds), packed: what output_listing gives for each
# file, and what the state records of it before its digest. At 100,000 pages the output folder holds
# 900,000 files; as tuples of numbers, their records and listing took 100 MB more.
_STAT = struct.Struct("<Qq")


def output_stat(size: int, mtime_ns: int) -> bytes:
    """A file's size and modification time as output_listing gives them and output_record starts with."""
    return _STAT.pack(size, mtime_ns)


def output_record(size: int, mtime_ns: int, known: bytes) -> bytes:
    """What the state records of an output file: its size, modification time and digest (b"" for copies)."""
    return output_stat(size, mtime_ns) + known


def recorded_stat(record: bytes) -> bytes:
    """The size and time an output_record holds, as output_stat gives them."""
    return record[:_STAT.size]


def recorded_size(record: bytes) -> int:
    """The size in bytes an output_record holds."""
    return _STAT.unpack_from(record)[0]


def recorded_digest(record: bytes) -> bytes:
    """The digest an output_record holds (b"" for a copied file)."""
    return record[_STAT.size:]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


def digester():
    """What gives :func:`digest` of bytes fed to it piece by piece (``update``, then ``digest()``)."""
    return hashlib.blake2b(digest_size=_DIGEST_SIZE)


def stat_key(stat: os.stat_result, now: int | None = None) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, None when it was modified within the last two seconds."""
    now = time.time_ns() if now is None else now
    if stat.st_mtime_ns > now - _RACY_NS:
        return None
    return stat.st_size, stat.st_mtime_ns


def fingerprint(folders: list[Path], now: int) -> tuple | None:
    """Every file under `folders`, and the generator's own code, by size and modification time.

    A file of `folders` modified within the two seconds before `now` (the build's start) is noted with
    the digest of its bytes too, and :func:`same_fingerprint` compares it by them. The build takes its
    fingerprint before it reads anything in `folders`: what it reads is never older than the digest,
    and a file saved in between gives the next build other bytes. None when the code changed just now
    (it was imported before) or a file cannot be read."""
    listing = []
    try:
        for folder in [_PACKAGE, *folders]:
            for root, dirs, files in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(files):
                    stamp = _stamp(os.path.join(root, name), now, recent=folder is not _PACKAGE)
                    if stamp is None:
                        return None
                    listing.append(stamp)
    except OSError:
        return None
    return (_FORMAT, __version__, tuple(listing))


def _stamp(path: str, now: int, recent: bool) -> tuple | None:
    """(path, size, mtime_ns) of a file; of one modified too recently to trust, with the digest of its
    bytes when `recent` allows it, else None."""
    stat = os.stat(path)
    if stat_key(stat, now) is not None:
        return path, stat.st_size, stat.st_mtime_ns
    read = file_digest(path) if recent else None
    return (path, stat.st_size, stat.st_mtime_ns, read) if type(read) is bytes else None


def same_fingerprint(before: tuple | None, now: tuple | None) -> bool:
    """Whether two fingerprints (the last build's, this build's) show the same files: each with the same
    size and time, or, where the last build could not trust them, with the same bytes (its digest)."""
    if before is None or now is None or before[:-1] != now[:-1] or len(before[-1]) != len(now[-1]):
        return False
    for was, is_ in zip(before[-1], now[-1]):
        if was[0] != is_[0]:
            return False
        if len(was) == 4:  # compared by its bytes: this build's digest, else read now
            if (is_[3] if len(is_) == 4 else file_digest(is_[0])) != was[3]:
                return False
        elif is_[1:3] != was[1:3]:
            return False
    return True


def file_digest(path: str | os.PathLike) -> bytes | str:
    """The digest of a file's bytes; "absent" when there is no such file, "unreadable" when it cannot be
    read or is not a regular file (a named pipe is never opened to wait on it)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return "absent"
    except OSError:
        return "unreadable"
    with open(fd, "rb") as file:
        try:
            if not S_ISREG(os.fstat(fd).st_mode):
                return "unreadable"
            return digest(file.read())
        except OSError:
            return "unreadable"


@dataclass(frozen=True)
class Listing:
    """Every file of an output folder with its size and modification time, as :func:`output_listing`
    gives them: kept by folder, each folder's names joined by NULs (never in a file name) and their
    output_stat packed. At 100,000 pages the output folder holds 900,000 files: as a dict of paths and
    packed numbers, with their inode numbers, the listing took some 350 MB of a rebuild's memory."""

    # relative folder ("" for the top) → (names, stats)
    folders: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(stats) for _, stats in self.folders.values()) // _STAT.size

    def items(self) -> Iterator[tuple[str, bytes]]:
        """(relative path, output_stat) of each file, a folder at a time."""
        for folder, (names, stats) in self.folders.items():
            prefix = f"{folder}/" if folder else ""
            for index, name in enumerate(names.split("\0")):
                yield prefix + name, stats[index * _STAT.size:(index + 1) * _STAT.size]

    def changed(self, recorded: dict[str, bytes]) -> tuple[set[str], int]:
        """Of the files `recorded` (path → output_record): those missing here or of another size or time;
        and how many files here are not recorded."""
        damaged, foreign, present = set(), 0, 0
        for path, stat in self.items():
            record = recorded.get(path)
            if record is None:
                foreign += 1
            else:
                present += 1
                if stat != recorded_stat(record):
                    damaged.add(path)
        if present < len(recorded):  # some are gone: found with a set of the paths here (rare: deleted by hand)
            listed = {path for path, _ in self.items()}
            damaged.update(path for path in recorded if path not in listed)
        return damaged, foreign


def output_listing(out_dir: Path) -> Listing:
    """Every file of the output folder (anything not a folder, not followed), with its size and modification time."""
    folders: dict[str, tuple[str, bytes]] = {}

    def scan(folder: str, relative: str) -> None:
        names, stats, below = [], [], []
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                below.append(entry)
            else:
                stat = entry.stat(follow_symlinks=False)
                names.append(entry.name)
                stats.append(output_stat(stat.st_size, stat.st_mtime_ns))
        if names:
            folders[relative] = ("\0".join(names), b"".join(stats))
        for entry in below:
            scan(entry.path, f"{relative}/{entry.name}" if relative else entry.name)

    if Path(out_dir).is_dir():
        scan(str(out_dir), "")
    return Listing(folders)


class OutputListing:
    """:func:`output_listing` of a folder taken beside the build: by a process forked when this is made,
    where the system forks and this process runs no other thread, else here when it is taken.

    A rebuild of 10,000 pages finds some 90,000 files in its output folder and stats each of them: a
    third of a rebuild with nothing to do. Meanwhile this process reads the cache and the content
    folder. Use it as a context manager: a listing never taken (the saved state turned out unreadable) is
    not waited for: its process is ended. Without `beside` (no state saved: nothing to compare it with, and likely
    never taken) no process is started."""

    def __init__(self, out_dir: Path, beside: bool = True):
        self._out_dir = out_dir
        self._process = None
        self._pipe = None
        if (not beside or "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1
                or not Path(out_dir).is_dir()):
            return
        forking = multiprocessing.get_context("fork")
        self._pipe, writer = forking.Pipe(duplex=False)
        process = forking.Process(target=_listed_into, args=(out_dir, writer, self._pipe), daemon=True,
                                  name="output-listing")
        try:
            process.start()
        except OSError:  # no process to be had (a limit on processes, memory): listed here when taken
            self._pipe.close()
            self._pipe = None
        else:
            self._process = process
        finally:
            writer.close()

    def take(self) -> Listing:
        """Every file of the folder, as output_listing gives them. Taken here when the forked process could not."""
        if self._process is not None:
            try:
                data = self._pipe.recv_bytes()
            except (EOFError, OSError):  # it failed: listed here again, where an error shows
                data = None
            self._end(taken=True)
            if data is not None:
                with contextlib.suppress(EOFError, ValueError, TypeError):
                    return Listing(marshal.loads(data))
        return output_listing(self._out_dir)

    def _end(self, taken: bool = False) -> None:
        if self._pipe is not None:
            self._pipe.close()  # a process still writing fails to, and ends
            self._pipe = None
        if self._process is not None:
            if not taken:  # a listing nobody will read (a cache found unreadable): not waited for
                self._process.terminate()
            self._process.join()
            self._process = None

    def __enter__(self) -> OutputListing:
        return self

    def __exit__(self, *exc) -> None:
        self._end()


def _listed_into(out_dir: Path, pipe, reader) -> None:
    """In the forked process: the listing, sent whole. Nothing is reported from here (the build lists
    the folder itself when nothing comes). The fork's copy of the reading end is closed first: held
    open here, a listing larger than the pipe's buffer (64 KB, some 800 files) that the build never
    took would block this process for ever, and the build waiting for it."""
    reader.close()
    try:
        pipe.send_bytes(marshal.dumps(output_listing(out_dir).folders))
    except Exception:  # noqa: BLE001 - a folder that cannot be read, a pipe closed: the build finds out itself
        pass


def _state_file(site_dir: Path, out_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(out_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(site_dir) / CACHE_DIR / f"build-{key}.pickle"


def state_saved(site_dir: Path, out_dir: Path) -> bool:
    """Whether a build into `out_dir` saved its state (load_state may still find it unreadable)."""
    return _state_file(site_dir, out_dir).is_file()


def load_state(site_dir: Path, out_dir: Path) -> BuildState | None:
    """The state the last successful build into `out_dir` saved, if it is still readable."""
    try:
        with open(_state_file(site_dir, out_dir), "rb") as file:
            head = pickle.load(file)
            if not isinstance(head, tuple) or head[0] != _FORMAT:
                return None
            entry_parts, output_parts = head[-2:]
            entries, outputs = {}, {}
            for _ in range(entry_parts):
                entries.update(pickle.load(file))
            for _ in range(output_parts):
                outputs.update(pickle.load(file))
        return _unpack(head[:-2], entries, outputs)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            IndexError, KeyError):
        return None


def save_state(site_dir: Path, out_dir: Path, state: BuildState) -> None:
    """Record what was just written into `out_dir`. A site folder that cannot be written to only loses the cache."""
    target = _state_file(site_dir, out_dir)
    try:
        target.parent.mkdir(exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        with open(temporary, "wb") as file:
            for part in _pack(state):
                pickle.dump(part, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        pass


# A large site's state holds tens of thousands of findings and summaries, most of
# whose texts repeat (hints, messages, paths). Pickled as objects they take a third
# of a no-op build; as tuples sharing one copy of each text, a few hundredths.
#
# It is pickled in parts, each by a pickler of its own: a pickler keeps every object it
# wrote until it is done (to write an object met again as a reference), and the packed
# tuples with it. Pickled whole, a 100,000-page state took 650 MB more while it was saved,
# the build's peak. A text repeated in several parts is written once in each.

_ENTRIES_PER_PART = 2_000
_OUTPUTS_PER_PART = 20_000


def _pack(state: BuildState) -> Iterator:
    """The pickles of `state`, one after another: its head (with how many parts follow), its entries'
    parts, its outputs' parts; each part packed only when its turn comes."""
    from ..model.site import RecordSummary

    def values(obj, cls, texts: dict) -> tuple:
        return tuple(texts.setdefault(v, v) if type(v) is str else v for v in map(obj.__dict__.__getitem__, _names(cls)))

    def packed(e: FileEntry, texts: dict) -> tuple:
        saved = state.saved.get(id(e))
        if saved is not None and saved[0] is e:  # an entry the last build saved, unchanged
            return saved[1]
        return (e.stat, e.deps, values(e.summary, RecordSummary, texts) if e.summary is not None else None,
                [values(f, Finding, texts) for f in e.findings], e.whole_site, e.files, e.resources, e.indexed,
                e.offers, e.content)

    entry_parts = -(-len(state.entries) // _ENTRIES_PER_PART)
    output_parts = -(-len(state.outputs) // _OUTPUTS_PER_PART)
    texts: dict[str, str] = {}
    yield (_FORMAT, state.key, state.organization, [values(f, Finding, texts) for f in state.site_findings],
           entry_parts, output_parts)
    entries = iter(state.entries.items())
    for _ in range(entry_parts):
        texts = {}
        yield {name: packed(e, texts) for name, e in itertools.islice(entries, _ENTRIES_PER_PART)}
    outputs = iter(state.outputs.items())
    for _ in range(output_parts):
        yield dict(itertools.islice(outputs, _OUTPUTS_PER_PART))


def _unpack(head: tuple, entries: dict, outputs: dict) -> BuildState:
    from ..model.site import RecordSummary

    _format, key, organization, site_findings = head
    summary_names, finding_names = _names(RecordSummary), _names(Finding)

    def make(cls, names, values):
        obj = object.__new__(cls)  # as pickle does: no __init__, the values are the saved ones
        obj.__dict__.update(zip(names, values))
        return obj

    state = BuildState(key, {}, outputs, organization, [make(Finding, finding_names, f) for f in site_findings])
    for name, saved in entries.items():
        stat, deps, summary, findings, whole_site, files, resources, indexed, offers, content = saved
        entry = FileEntry(stat, deps, make(RecordSummary, summary_names, summary) if summary is not None else None,
                          [make(Finding, finding_names, f) for f in findings], whole_site, files, resources,
                          indexed, offers, content)
        state.entries[name] = entry
        state.saved[id(entry)] = (entry, saved)
    return state


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    if cls not in _NAMES:
        _NAMES[cls] = tuple(f.name for f in fields(cls))
    return _NAMES[cls]


__all__ = ["BuildState", "FileEntry", "CACHE_DIR", "digest", "digester", "file_digest", "fingerprint",
           "same_fingerprint", "state_saved", "load_state", "Listing", "output_listing", "OutputListing", "save_state", "stat_key",
           "unpacked_downloads", "output_stat", "output_record", "recorded_stat", "recorded_size", "recorded_digest"]
