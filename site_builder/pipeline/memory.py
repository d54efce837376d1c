"""How the C library's allocator of a build gives memory back to the system.

Public surface: :func:`give_back_large_blocks`, called once before a build
allocates anything large; :func:`give_back_free_heap`, where a build has just
freed much of what it made (a pass over the files, before its peak steps).

glibc's malloc serves a request of 128 KB or more by mapping memory of its
own, returned to the system when freed, but it raises that threshold to the
size of each such block freed, up to 32 MB: after the first large buffer of
a build (a year's workbook, a part of the search index, a worker's pickled
results) is freed, later ones come from the heap, where the small objects
kept around them stop the heap from shrinking. At 10,000 pages the freed but
unreturned heap was some 13 MB of the build's peak, and more at 100,000
(benchmarks/README.md). Fixing the thresholds keeps large blocks mapped and
returned. Smaller blocks freed in the middle of the heap stay in the process
until malloc_trim gives their pages back: at 10,000 pages some 6 MB before the
output is recorded. Elsewhere (other C libraries, other systems) nothing changes.
"""

from __future__ import annotations

import ctypes
import functools
import sys

_M_TRIM_THRESHOLD = -1  # free memory at the heap's top beyond this is returned
_M_MMAP_THRESHOLD = -3  # requests of this size or more are mapped of their own
_LARGE = 128 * 1024  # glibc's own starting value of both


@functools.cache
def _glibc(name: str, argtypes: tuple, restype):
    """The C library's function `name`, declared once; None where there is no such function (not Linux,
    not glibc)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):  # another C library
        return None
    function.argtypes, function.restype = argtypes, restype
    return function


def give_back_large_blocks() -> None:
    """Large blocks mapped of their own and the heap's free top returned, from now on, in this process
    and those it forks (glibc only; setting them is cheap and may be repeated)."""
    mallopt = _glibc("mallopt", (ctypes.c_int, ctypes.c_int), ctypes.c_int)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, _LARGE)
        mallopt(_M_TRIM_THRESHOLD, _LARGE)


def give_back_free_heap() -> None:
    """The whole pages of the heap that are free given back to the system now (glibc only; a few
    milliseconds for a heap of a GB)."""
    malloc_trim = _glibc("malloc_trim", (ctypes.c_size_t,), ctypes.c_int)
    if malloc_trim is not None:
        malloc_trim(0)


__all__ = ["give_back_large_blocks", "give_back_free_heap"]
