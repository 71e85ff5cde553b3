"""Freed memory kept for reuse (allocator.py): a second large array costs no page faults."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = """
import resource, sys
import numpy as np
from scsim.allocator import keep_freed_memory
applied = keep_freed_memory()
faults = []
for _ in range(3):  # 64 MiB, above glibc's largest mmap threshold (32 MiB)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(2**26 // 8)
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    del a
print(applied, *faults)
"""


def _probe(**env: str) -> tuple[bool, list[int]]:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                         check=True, env={**os.environ, **env}).stdout.split()
    return out[0] == "True", [int(x) for x in out[1:]]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_freed_array_is_reused_without_page_faults():
    applied, faults = _probe()
    if not applied:
        pytest.skip("this C library has no mallopt")
    assert faults[0] > 0  # the first array is new memory
    assert max(faults[1:]) * 10 <= faults[0]  # the next ones reuse it


def test_the_system_malloc_can_be_kept():
    applied, faults = _probe(SCSIM_SYSTEM_MALLOC="1")
    assert not applied
    if sys.platform.startswith("linux"):  # glibc maps each 64 MiB array afresh
        assert min(faults) * 2 >= faults[0] > 0


_THREAD_PROBE = """
import resource, threading
import numpy as np
from scsim.allocator import keep_freed_memory
applied = keep_freed_memory()
def build():  # a part of the build on a thread of its own (side_by_side.py); 16 MiB:
    # a block a thread's own arena would keep
    a = np.ones(2**24 // 8)
    del a
t = threading.Thread(target=build)
t.start()
t.join()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
b = np.ones(2**24 // 8)
print(applied, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_memory_a_thread_freed_is_reused_by_the_main_thread():
    out = subprocess.run([sys.executable, "-c", _THREAD_PROBE], capture_output=True, text=True,
                         check=True).stdout.split()
    if out[0] != "True":
        pytest.skip("this C library has no mallopt")
    pages = 2**24 // 4096
    assert int(out[1]) * 10 <= pages  # one arena: the thread's freed block is reused
