"""The search index: Pagefind (extended build, which segments Chinese) run over the finished pages.

Public surface: :func:`search_index` takes the pages to index (output path →
the file holding its bytes, as staged: rendered, personal data masked) and
gives the files of the index (output path under ``pagefind/`` → bytes), which
the build stages like any other file; :class:`IndexPrograms` holds the
programs that make the parts, one after another, while a build lasts. Only
what the pages mark with ``data-pagefind-body`` is indexed (the record
pages' <main>, see base.html).

The pages are sent to the pagefind_extended program in its service mode
(base64 JSON requests on its input), in the order of their paths: the
service adds them one by one in that order, and the page numbers inside the
index follow it. (Its command-line mode would take the pages in the order the
file system lists a folder, which differs between file systems, and so would
the index; its Python API waits a tenth of a second per page.)

Pagefind 1.5 writes the values of each filter (filter/*.pf_filter) and the
list of filters (in the *.pf_meta file) in the order of a Rust HashMap, which
changes from run to run (its source says so: "TODO: Change filter indexes to
BTree to give them a stable hash"). :func:`_stable_filters` therefore decodes
those files (gzip around "pagefind_dcd" and CBOR), sorts the values and the
filters, encodes them again and names them by their new digests, and points
pagefind-entry.json at the new metadata file. Everything else Pagefind writes
is a function of the pages' paths and bytes, so two builds give byte-identical
indexes (tests/test_search.py). Of its output only what the search page's
script loads is kept: pagefind.js, its worker and WebAssembly, the entry,
metadata, index, filter and fragment files; the ready-made UIs are left out.

The index is made in parts (:func:`parts`): each year's pages apart, and a
year of more than SHARD_PAGES pages split by a digest of each page's path, so
that a part keeps its pages when others are added. Each part is a Pagefind
bundle of its own under ``pagefind/<part>/``; ``pagefind/parts.json`` lists
them, and the search page loads the first and merges the others (Pagefind's
mergeIndex). A changed page re-indexes its part only, and Pagefind's time
and memory grow with a part, not with the site (benchmarks/README.md).

A page counts as changed for the index only when what Pagefind reads from it
changed: :func:`indexed_digest` leaves out the elements a theme marks
``data-pagefind-ignore`` (the links to a project's other years), so renaming
a project, which changes those links on its pages of fifty years, re-indexes
the part of its own year only.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
from pathlib import Path

from ..cache import digest
from ..errors import Finding, SiteError
from ..privacy import find_personal_numbers
from . import cannot_write

INDEX_DIR = "pagefind"
PARTS_FILE = f"{INDEX_DIR}/parts.json"
SHARD_PAGES = 1000  # pages of a part at most (about: a big year is split by digests)
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def parts(pages: dict[str, int | None]) -> dict[str, list[str]]:
    """The parts of the index (name → its pages, sorted) for `pages` (output path → the year of its record)."""
    by_year: dict[str, list[str]] = {}
    for path, year in pages.items():
        by_year.setdefault(str(year) if year is not None else "site", []).append(path)
    found: dict[str, list[str]] = {}
    for year, paths in by_year.items():
        count = -(-len(paths) // SHARD_PAGES)
        for path in paths:
            bucket = int(hashlib.sha256(path.encode("utf-8")).hexdigest()[:8], 16) % count
            found.setdefault(year if count == 1 else f"{year}-{bucket + 1}", []).append(path)
    return {name: sorted(paths) for name, paths in sorted(found.items())}


# A start tag with its attributes, and the attribute names in it (HTML's syntax, enough for well-formed pages).
_ATTRIBUTE = rb"""\s+([^\s"'=<>/`]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_START_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)((?:" + _ATTRIBUTE + rb")*)\s*/?>")
_ATTRIBUTE_NAME = re.compile(_ATTRIBUTE)
_IGNORE = b"data-pagefind-ignore"
# Elements whose end is always written (the end of a <p> or <li> may be implied): only these are left out.
_ENDED = frozenset({b"nav", b"div", b"section", b"aside", b"span", b"ul", b"ol", b"details", b"figure", b"header",
                    b"footer", b"form", b"table", b"a"})
# The start and end tags of each of them (a theme marks dozens of elements on a page: compiled once).
_TAGS_OF = {name: re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s>/])", re.IGNORECASE) for name in _ENDED}
# What Pagefind may still read inside an ignored element (filters, metadata, the title's heading,
# the page's image, anchors): an element holding any of these is kept.
_READ_INSIDE = re.compile(rb"data-pagefind-|<h[1-6]|<img", re.IGNORECASE)


def indexed_digest(page: bytes) -> bytes:
    """A digest of what the index reads from `page`: the page without its elements marked
    data-pagefind-ignore, every run of white space as one space (cache.digest). Pages with the
    same digest give the same index. Wherever an element's extent is not certain, it stays in:
    a part may be indexed again for nothing, never kept when it should change."""
    kept, position = [], 0
    for found in re.finditer(_IGNORE, page):
        opening = page.rfind(b"<", 0, found.start())
        if opening < position:
            continue
        tag = _START_TAG.match(page, opening)
        if tag is None or tag.end() <= found.start() or tag[1].lower() not in _ENDED or not any(
                name.lower() == _IGNORE for name in _ATTRIBUTE_NAME.findall(tag[2])):
            continue
        end = _element_end(page, tag[1].lower(), tag.end())
        if end is None or _READ_INSIDE.search(page, tag.end(), end):
            continue
        kept.append(page[position:opening])
        position = end
    kept.append(page[position:])
    return digest(_one_space(b"".join(kept)))  # the index reads words: how long a gap is does not count


def _one_space(text: bytes) -> bytes:
    r"""`text` with every run of white space as one space, as re.sub(rb"\s+", b" ", text) gives it, by
    the C split, about ten times faster: bytes.split and the pattern \s know the same six characters."""
    words = text.split()
    if not words:
        return b" " if text else b""
    spaced = b" ".join(words)
    return (b" " if text[:1].isspace() else b"") + spaced + (b" " if text[-1:].isspace() else b"")


def _element_end(page: bytes, name: bytes, start: int) -> int | None:
    """Where the element `name` whose start tag ends at `start` ends (after its end tag), or None."""
    depth = 1
    for tag in _TAGS_OF[name].finditer(page, start):
        depth += -1 if tag[1] else 1
        if depth == 0:
            close = page.find(b">", tag.end())
            return None if close < 0 else close + 1
    return None


def parts_file(names) -> bytes:
    """pagefind/parts.json: the parts' folders, the newest year first (the search page loads that one first)."""
    return json.dumps(sorted(names, reverse=True), ensure_ascii=False).encode("utf-8")


class IndexPrograms:
    """Pagefind programs in service mode, each making one part of the index after another.

    A program pays about a fifth of a second for its first page (the extended build loads what it
    segments Chinese with); started for each part, a site of fifty years paid it fifty times. Here a
    part takes an idle program, else starts one, so there are as many as parts made at once. Each part
    is a new index of its program, deleted once its files are given: what a program made before does
    not change a part's bytes (tests/test_search.py). :meth:`start` starts one before it is needed;
    :meth:`close` ends them all; `work_dir` is where each makes an empty private folder (its working
    folder), removed when it ends."""

    def __init__(self, work_dir: Path):
        self._work_dir = work_dir
        self._lock = threading.Lock()
        self._idle: list[_Program] = []
        self._running: list[_Program] = []

    def start(self) -> None:
        """Start a program now, idle until a part takes it: a rebuild starts one while it reads the
        changed files, so that the part it makes next does not wait for the program to load."""
        program = self._started()
        with self._lock:
            self._idle.append(program)

    def _started(self) -> "_Program":
        program = _Program(self._work_dir)
        with self._lock:
            self._running.append(program)
        return program

    @contextlib.contextmanager
    def program(self):
        with self._lock:
            program = self._idle.pop() if self._idle else None
        if program is None:
            program = self._started()
        try:
            yield program
        except BaseException:  # its state is not known: it ends (a part made next starts another)
            with self._lock:
                self._running.remove(program)
            program.close()
            raise
        with self._lock:
            self._idle.append(program)

    def close(self) -> None:
        with self._lock:
            running, self._running, self._idle = self._running, [], []
        for program in running:
            program.close()


class _Program:
    """One pagefind_extended program in service mode: requests are base64 JSON ended by a comma on its
    input, carried out one by one in the order sent, each answered the same way on its output."""

    def __init__(self, work_dir: Path):
        executable = _program()
        self._folder = tempfile.mkdtemp(prefix=".search-index-", dir=work_dir)
        try:
            self._process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=self._folder,
                                             env=_environment())
        except BaseException as exc:
            shutil.rmtree(self._folder, ignore_errors=True)
            if isinstance(exc, OSError):  # not executable, or not a program of this machine
                _failed(f"无法启动搜索索引程序 {executable}（{exc.strerror or exc}）")
            raise
        self._sent = 0  # requests sent: the next one's message_id
        self._pending = bytearray()  # an answer not yet ended (GetFiles': the whole index, megabytes)

    def ask(self, payloads: list) -> list[dict]:
        """The answers to `payloads`, sent together: a writer thread sends them while the answers are read
        (a part's thousand answers would fill the pipe before its requests were all written). A payload is
        a dict, or a function that gives it when its turn to be sent comes: a part's pages are read one by
        one as they are sent, never all held at once (a year of a large site: a hundred megabytes)."""
        first = self._sent
        self._sent += len(payloads)
        sending = _Sending(self._process, first, payloads)
        writer = threading.Thread(target=sending.run, daemon=True)
        writer.start()
        try:
            answers: dict[int, dict] = {}
            while len(answers) < len(payloads):
                answers.update(self._answers())
        except BaseException:  # the program is ended first: left unread, it would stop reading the writer
            self._process.kill()
            writer.join()
            if sending.error is not None:  # a request that could not be made (a page unreadable): that is why
                raise sending.error from None
            raise
        writer.join()
        return [answers[first + offset] for offset in range(len(payloads))]

    def _answers(self) -> dict[int, dict]:
        chunk = self._process.stdout.read1(1 << 16)
        if not chunk:
            _failed("搜索索引程序提前退出")
        if b"," not in chunk:  # still inside the same answer: kept, not split again
            self._pending += chunk
            return {}
        *complete, rest = (bytes(self._pending) + chunk).split(b",")
        self._pending = bytearray(rest)
        found = {}
        for encoded in complete:
            answer = json.loads(base64.b64decode(encoded))
            payload = answer.get("payload") or {}
            if payload.get("type") == "Error":
                _failed(str(payload.get("message", "")))
            found[answer.get("message_id")] = payload
        return found

    def close(self) -> None:
        """End the program (its input closed: it ends when its input ends) and remove its folder."""
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:  # the program ended early: its input is a broken pipe
                pass
        self._process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


def search_index(pages: dict[str, Path], programs: IndexPrograms, out_dir: Path, part: str) -> dict[str, bytes]:
    """The index part `part` of `pages`, its files under pagefind/<part>/, made by one of `programs`.

    The pages are given to Pagefind in the order of their paths, the index's
    page numbers follow that order."""
    with programs.program() as program:
        index = program.ask([{"type": "NewIndex", "config": None}])[0]["index_id"]
        requests = [functools.partial(_page_request, index, path, pages[path], out_dir) for path in sorted(pages)]
        answer = program.ask(requests + [{"type": "GetFiles", "index_id": index},
                                         {"type": "DeleteIndex", "index_id": index}])[-2]
    files = {}
    for file in answer["files"]:
        name = file["path"].replace("\\", "/")
        if not name.startswith(_UNUSED) and not name.startswith("playground/"):
            files[name] = base64.b64decode(file["content"])
    if "pagefind.js" not in files:
        _failed("Pagefind 没有给出 pagefind.js")
    return {f"{INDEX_DIR}/{part}/{name}": data for name, data in sorted(_stable_filters(files).items())}


# Characters Pagefind's Chinese word segmenter does not split words at and that Pagefind then leaves out of
# the words it indexes: 139|1234|5678, which no reader takes for a number the page shows, is indexed as
# 13912345678 (measured with Pagefind 1.5's extended build). The index is then refused (P706); these say where.
_JOINING = re.compile(r"[|~=^$\u2192\u2502\uff04\uff0b\uff1c\uff1d\uff1e\uff3e\uff5c\uff5e\uffe3\uffe5]|&(?:lt|gt);")


def joined_by_the_index(pages: dict[str, Path]) -> list[str]:
    """The pages (output paths) whose text holds a mobile or 身份证 number once Pagefind has joined its
    groups (see _JOINING), more than the page shows."""
    found = []
    for path in sorted(pages):
        try:
            text = Path(pages[path]).read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        joined = _JOINING.sub("", text)
        if joined != text and len(find_personal_numbers(joined)) > len(find_personal_numbers(text)):
            found.append(path)
    return found


def refused_index(exc: SiteError, pages: dict[str, Path]) -> SiteError:
    """`exc` (an index file refused, P706) saying which pages hold the numbers the index joined."""
    joined = joined_by_the_index(pages)
    if not joined:
        return exc
    named = "、".join(joined[:5]) + (f" 等 {len(joined)} 个网页" if len(joined) > 5 else "")
    return SiteError([Finding(
        code="P706", path=joined[0],
        message=(f"搜索索引不能发布：{named} 里有数字被 |、~、=、→、～ 等符号隔开，搜索索引去掉这些符号后连成了"
                 "手机号码或身份证号码（网页上不算号码，不会打码）"),
        hint="请删掉这个号码；确需公开的，数字之间改用空格或“-”分隔（网站上会打码，例如 139-****-5678）。")])


def _message(number: int, payload: dict) -> bytes:
    """One request to the program's service mode: JSON in base64, ended by a comma."""
    request = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(request.encode("utf-8")) + b","


def _page_request(index: int, path: str, source: Path, out_dir: Path) -> dict:
    """Pagefind's request to add the page `path` (its bytes in `source`) to the index `index`."""
    try:
        html = Path(source).read_bytes().decode("utf-8")
    except OSError as exc:  # a page of the output folder that cannot be read (P802)
        raise SiteError(cannot_write(exc, out_dir)) from None
    return {"type": "AddFile", "file_path": path, "url": None, "file_contents": html, "index_id": index}


class _Sending:
    """The requests of one :meth:`_Program.ask`, written to the program's input one after another in a
    thread. A request that cannot be made (its page unreadable) is kept in `error` and ends the program,
    so that the answers awaited stop coming."""

    def __init__(self, process: subprocess.Popen, first: int, payloads: list):
        self._process, self._first, self._payloads = process, first, payloads
        self.error: BaseException | None = None

    def run(self) -> None:
        stream = self._process.stdin
        try:
            for offset, payload in enumerate(self._payloads):
                stream.write(_message(self._first + offset, payload() if callable(payload) else payload))
            stream.flush()
        except (OSError, ValueError):  # the program ended early (its answers say why), or was closed
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked
            self.error = exc
            self._process.kill()


def _failed(reason: str):
    raise SiteError(Finding(
        code="P715", message=f"生成搜索索引失败：{reason.strip()[-500:]}",
        hint="请用 pip install -e . 重新安装 site_builder（会安装 pagefind[extended]），再生成网站。"))


_SIGNATURE = b"pagefind_dcd"


def _stable_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` (names relative to the bundle) with the filters in a fixed order (see the module's docstring)."""
    entry = json.loads(files["pagefind-entry.json"])
    renamed: dict[str, str] = {}
    for name in [name for name in files if name.startswith("filter/")]:
        filter_name, values = _decode(files.pop(name))
        data = _encode([filter_name, sorted(values, key=lambda value: value[0])])
        old = name.removeprefix("filter/").removesuffix(".pf_filter")
        new = f"{old.rsplit('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[old] = new
        files[f"filter/{new}.pf_filter"] = _gzip(data)
    for language, details in entry["languages"].items():
        meta_name = f"pagefind.{details['hash']}.pf_meta"
        meta = _decode(files.pop(meta_name))
        meta[3] = sorted([[filter_name, renamed.get(hash_, hash_)] for filter_name, hash_ in meta[3]])
        data = _encode(meta)
        details["hash"] = f"{language}_{hashlib.sha256(data).hexdigest()[:13]}"
        files[f"pagefind.{details['hash']}.pf_meta"] = _gzip(data)
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def _gzip(data: bytes) -> bytes:
    return gzip.compress(_SIGNATURE + data, compresslevel=9, mtime=0)


def _decode(packed: bytes):
    """The CBOR value of a Pagefind file (gzip, then the signature, then CBOR)."""
    raw = gzip.decompress(packed)
    if not raw.startswith(_SIGNATURE):  # pragma: no cover - another Pagefind file format
        raise RuntimeError("unexpected Pagefind file format")
    value, end = _cbor_item(raw, len(_SIGNATURE))
    return value


def _cbor_item(data: bytes, at: int):
    """One CBOR item at `at` (the kinds Pagefind writes: integers, text, arrays, maps, simple values)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at:at + size], "big")
        at += size
    else:  # pragma: no cover - indefinite lengths are not written by Pagefind
        raise RuntimeError("unexpected CBOR item")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        chunk = data[at:at + argument]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (2 if major == 5 else 1)):
            item, at = _cbor_item(data, at)
            items.append(item)
        return (items if major == 4 else _Map(zip(items[::2], items[1::2]))), at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    if major == 7 and info == 26:
        return struct.unpack(">f", (argument).to_bytes(4, "big"))[0], at
    raise RuntimeError("unexpected CBOR item")  # pragma: no cover


class _Map(dict):
    """A CBOR map, kept apart from arrays when encoded again."""


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError(argument)  # pragma: no cover


def _encode(value) -> bytes:
    """CBOR in the shortest form, as minicbor (Pagefind's encoder) writes it."""
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfa" + struct.pack(">f", value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    return _head(4, len(value)) + b"".join(_encode(item) for item in value)


def _environment() -> dict[str, str]:
    """Ours, without PAGEFIND_* settings (the program reads them, and a pagefind.yml in its
    working folder, which is the private folder): the index depends on the pages only."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}


def _program() -> Path:
    """The pagefind_extended program of the installed pagefind[extended] package."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SiteError(Finding(
            code="P715", message="找不到搜索索引程序 pagefind_extended",
            hint="请用 pip install -e . 重新安装 site_builder（会安装 pagefind[extended]），再生成网站。")) from None
    return Path(get_executable())


__all__ = ["search_index", "refused_index", "joined_by_the_index", "IndexPrograms", "indexed_digest", "parts", "parts_file", "INDEX_DIR", "PARTS_FILE",
           "SHARD_PAGES"]
