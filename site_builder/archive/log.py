"""The archive log: an append-only, hash-chained list of every archive ever made.

``archives/log.jsonl`` holds one line per archived revision, in the order they
were made. Each line is a JSON object written with sorted keys and no spaces
(the same bytes on every machine)::

    {"archived_on":"2025-01-01","hash":"…","manifest_sha256":"…","number":1,
     "previous":"000…0","replaces_manifest_sha256":null,"revision":1,"year":2023,"zip":null}

``hash`` is the SHA-256 of the line's other fields written the same way;
``previous`` is the hash of the line before (64 zeros for the first). The
hash of the last line, the log's *head*, therefore stands for the whole
history: it is published on the 历年公开 page and inside each archive's zip,
so that a copy saved earlier shows any later rewrite of the log.

`site-builder archive` only ever appends a line (:func:`append`);
:func:`init` writes the log once for archives made before it existed.
:func:`read` reads and checks the chain; verify.py compares it with the folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding

LOG = "log.jsonl"  # archives/log.jsonl, committed with the archives
GENESIS = "0" * 64  # the `previous` of the first entry
HEAD_MEMBER = "archive-log.txt"  # the small text member of each zip that names the log's head
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_FIELDS = {"archived_on", "hash", "manifest_sha256", "number", "previous", "replaces_manifest_sha256",
           "revision", "year", "zip"}


@dataclass(frozen=True)
class Entry:
    number: int  # 1, 2, 3… the line number in the log
    year: int
    revision: int
    archived_on: str
    manifest_sha256: str
    replaces_manifest_sha256: str | None
    zip: str | None  # the zip made with it (archives/2023-r1.zip), if any
    previous: str
    hash: str = ""

    def body(self) -> dict:
        return {"number": self.number, "year": self.year, "revision": self.revision,
                "archived_on": self.archived_on, "manifest_sha256": self.manifest_sha256,
                "replaces_manifest_sha256": self.replaces_manifest_sha256, "zip": self.zip,
                "previous": self.previous}

    def sealed(self) -> "Entry":
        """The entry with its own hash."""
        return Entry(**{**self.body(), "hash": _canonical_hash(self.body())})

    def line(self) -> bytes:
        return _canonical({**self.body(), "hash": self.hash}) + b"\n"

    @property
    def label(self) -> str:
        return f"{self.year} 年度第 {self.revision} 版"


def _canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _canonical_hash(body: dict) -> str:
    return hashlib.sha256(_canonical(body)).hexdigest()


def path_of(archives_dir: Path) -> Path:
    return Path(archives_dir) / LOG


def read(archives_dir: Path, label: str) -> tuple[list[Entry], list[Finding]]:
    """The entries of the log up to the first broken one, and a finding for a broken one (A612).

    `label` is how the editor knows the log's path (archives/log.jsonl)."""
    data = path_of(archives_dir).read_bytes()
    return parse(data, label)


def parse(data: bytes, label: str) -> tuple[list[Entry], list[Finding]]:
    entries: list[Entry] = []
    hint = ("归档日志只能由 site-builder archive 追加，不能修改、删除或调换其中的行。"
            "请用版本库恢复原样（例如 git checkout -- archives/log.jsonl）。")
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    else:
        lines.append(None)  # the last line has no line end: a cut or hand-edited file
    for number, raw in enumerate(lines, start=1):
        def broken(why: str) -> tuple[list[Entry], list[Finding]]:
            quoted = raw.decode("utf-8", "replace") if raw else ""
            return entries, [Finding(code="A612", path=label, line=number, column=1, source_line=quoted[:200],
                                     message=f"归档日志第 {number} 行{why}：日志被改动过，无法确认归档没有被改写",
                                     hint=hint)]
        if raw is None:
            return broken("（最后一行）没有以换行结束，文件不完整")
        try:
            fields = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return broken("不是有效的 JSON")
        if not isinstance(fields, dict) or set(fields) != _FIELDS:
            return broken("的项不对")
        try:
            entry = Entry(**fields)
        except TypeError:
            return broken("的项不对")
        if not (isinstance(entry.number, int) and isinstance(entry.year, int) and isinstance(entry.revision, int)
                and all(isinstance(h, str) and _HEX64.match(h) for h in (entry.hash, entry.previous,
                                                                          entry.manifest_sha256))
                and (entry.replaces_manifest_sha256 is None or (isinstance(entry.replaces_manifest_sha256, str)
                                                                and _HEX64.match(entry.replaces_manifest_sha256)))
                and (entry.zip is None or isinstance(entry.zip, str)) and isinstance(entry.archived_on, str)):
            return broken("的项写错了")
        if raw != entry.line().rstrip(b"\n"):
            return broken("的写法与 site-builder 写出的不一致")
        if entry.number != number:
            return broken(f"的序号是 {entry.number}，应为 {number}")
        expected_previous = entries[-1].hash if entries else GENESIS
        if entry.previous != expected_previous:
            return broken("记录的上一条校验值与上一行不符（有行被删除、插入或调换）")
        if entry.hash != _canonical_hash(entry.body()):
            return broken("的校验值与内容不符（这一行被修改过）")
        entries.append(entry)
    return entries, []


def head(entries: list[Entry]) -> str:
    """The hash of the last entry: it stands for the whole history."""
    return entries[-1].hash if entries else ""


def new_entry(entries: list[Entry], year: int, revision: int, archived_on: str, manifest_sha256: str,
              replaces_manifest_sha256: str | None, zip_name: str | None) -> Entry:
    return Entry(len(entries) + 1, year, revision, archived_on, manifest_sha256, replaces_manifest_sha256,
                 zip_name, head(entries) or GENESIS).sealed()


def append(archives_dir: Path, entry: Entry) -> None:
    """Add one line at the end of the log (made when missing); never rewrites a byte already there."""
    descriptor = os.open(path_of(archives_dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, entry.line())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def create(archives_dir: Path, entries: list[Entry]) -> None:
    """Write a new log (``--init-log``): refuses to replace an existing one."""
    path = path_of(archives_dir)
    temporary = path.with_name(f".{LOG}.new-{os.getpid()}")
    try:
        temporary.write_bytes(b"".join(entry.line() for entry in entries))
        os.link(temporary, path)  # fails when a log appeared meanwhile: never replaced
    finally:
        temporary.unlink(missing_ok=True)


def head_member_text(entry: Entry) -> bytes:
    """The text member of a zip: which log entry the zip belongs to and the log's head at that moment."""
    return (f"site-builder 归档日志（archives/{LOG}）第 {entry.number} 条：{entry.label}，"
            f"归档日期 {entry.archived_on}\nSHA-256: {entry.hash}\n").encode("utf-8")


def head_in_member(data: bytes) -> str | None:
    match = re.search(rb"^SHA-256: ([0-9a-f]{64})$", data, re.MULTILINE)
    return match.group(1).decode("ascii") if match else None
