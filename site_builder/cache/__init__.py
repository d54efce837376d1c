"""What the last build of a site read and wrote, so that work is not done twice.

Public surface: :func:`inputs_of` (a fingerprint of everything a build reads),
:func:`previous_build`, :func:`save_build` and :class:`BuildState`.

The state lives in ``<site>/.site-builder-cache/`` (git-ignored), one file per
output folder. A build whose inputs and output folder are exactly as the last
build left them does nothing (a no-op rebuild); otherwise the pages whose bytes
are unchanged are hard-linked from the previous output into the new one instead
of being written again. The output is still built beside and swapped in whole,
and its bytes never depend on the cache: deleting the folder is always safe.

Files are compared by size and modification time (nanoseconds). As git does for
its index, a file modified within the last two seconds is not trusted to that
test ("racy"): a fingerprint holding one never matches, so the next build checks again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import Finding

CACHE_DIR = ".site-builder-cache"
_FORMAT = 1
_RACY_NS = 2_000_000_000
_PACKAGE = Path(__file__).resolve().parents[1]


@dataclass
class BuildState:
    inputs: tuple | None  # None: some input was too recently modified to be trusted
    findings: list[Finding]
    outputs: dict[str, tuple[int, int, bytes | None]] = field(default_factory=dict)  # path → size, mtime, digest
    theme_folders: tuple[Path, ...] = ()  # the theme folders the inputs include


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def inputs_of(folders: list[Path], *extra) -> tuple | None:
    """Every file under `folders` by size and modification time, with `extra` keys
    (the generator's own code is always included); None if one changed just now."""
    now = time.time_ns()
    listing = []
    for folder in [_PACKAGE, *folders]:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                stat = os.stat(os.path.join(root, name))
                if stat.st_mtime_ns > now - _RACY_NS:
                    return None
                listing.append((os.path.join(root, name), stat.st_size, stat.st_mtime_ns))
    return (_FORMAT, __version__, *extra, tuple(listing))


def output_listing(out_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file of the output folder: relative path → size, modification time."""
    found = {}
    base = len(str(out_dir)) + 1
    for root, _dirs, files in os.walk(out_dir):
        for name in files:
            path = os.path.join(root, name)
            stat = os.stat(path)
            found[path[base:].replace(os.sep, "/")] = (stat.st_size, stat.st_mtime_ns)
    return found


def _state_file(site_dir: Path, out_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(out_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(site_dir) / CACHE_DIR / f"build-{key}.pickle"


def previous_build(site_dir: Path, out_dir: Path) -> BuildState | None:
    """The state the last successful build into `out_dir` saved, if it is still readable."""
    try:
        with open(_state_file(site_dir, out_dir), "rb") as file:
            state = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return state if isinstance(state, BuildState) else None


def unchanged_outputs(state: BuildState | None, out_dir: Path, files: dict[str, bytes]) -> set[str]:
    """The paths of `files` whose bytes the output folder already holds, untouched since written."""
    if state is None or not state.outputs:
        return set()
    current = output_listing(Path(out_dir)) if Path(out_dir).is_dir() else {}
    same = set()
    for path, data in files.items():
        recorded = state.outputs.get(path)
        if (recorded is not None and recorded[2] is not None and current.get(path) == recorded[:2]
                and recorded[0] == len(data) and recorded[2] == digest(data)):
            same.add(path)
    return same


def save_build(site_dir: Path, out_dir: Path, inputs: tuple | None, findings: list[Finding],
               files: dict[str, bytes], theme_folders: tuple[Path, ...]) -> None:
    """Record what was just written into `out_dir`. A site folder that cannot be written to only loses the cache."""
    listing = output_listing(Path(out_dir))
    outputs = {path: (*listing[path], digest(files[path]) if path in files else None) for path in listing}
    target = _state_file(site_dir, out_dir)
    try:
        target.parent.mkdir(exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_bytes(pickle.dumps(BuildState(inputs, findings, outputs, tuple(theme_folders)), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, target)
    except OSError:
        pass


def is_noop(state: BuildState | None, inputs: tuple | None, out_dir: Path) -> bool:
    """Whether the inputs and the output folder are exactly as the last build left them."""
    if state is None or inputs is None or state.inputs != inputs or not Path(out_dir).is_dir():
        return False
    return output_listing(Path(out_dir)) == {path: recorded[:2] for path, recorded in state.outputs.items()}


__all__ = ["BuildState", "CACHE_DIR", "inputs_of", "previous_build", "save_build", "unchanged_outputs",
           "is_noop", "digest"]
