"""Keep freed memory in the process for the next allocation (glibc's malloc on Linux).

glibc maps every block above its mmap threshold (at most 32 MiB) afresh and unmaps it when
freed, so each new large array pays a page fault per page again. At 1e8 entities a day's
temporaries are tens to hundreds of MiB: 29,000 page faults a day, and 4.1 million in the
build, at several microseconds each on a virtual machine. Served from the heap, and with
freed memory kept (up to 2 GiB at its top), they are reused without faults: the reference at
1e8 built in 104 s instead of 129 s and ran its first 20 days in 22.9 s instead of 27.5 s,
at about 6 % more peak memory (benchmarks/README.md). Every thread shares one arena:
with an arena of its own, a build thread's freed temporaries (side_by_side.py) stayed
resident for the whole run, unused (the reference at 1e7 peaked 80 MiB higher).

The `scsim` command calls `keep_freed_memory` before any subcommand; a program that runs
simulations through the Python API can call it too. SCSIM_SYSTEM_MALLOC=1 leaves malloc as
it is.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1  # mallopt parameters (malloc.h)
_M_MMAP_MAX = -4
_M_ARENA_MAX = -8
_KEEP_AT_TOP = 2**31 - 1  # bytes of free memory at the heap's top not given back (int max)


def keep_freed_memory() -> bool:
    """Serve large blocks from the heap and keep freed memory for reuse (process-wide).
    Returns whether malloc took the settings: False off Linux, without glibc's `mallopt`,
    or with SCSIM_SYSTEM_MALLOC set."""
    if not sys.platform.startswith("linux") or os.environ.get("SCSIM_SYSTEM_MALLOC"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # One arena for every thread: memory a build thread frees (side_by_side.py) is kept in
    # its thread's arena otherwise, where the main thread's allocations never reuse it.
    return (bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, _KEEP_AT_TOP))
            and bool(mallopt(_M_ARENA_MAX, 1)))
