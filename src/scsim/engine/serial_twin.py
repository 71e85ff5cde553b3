"""A parallel kernel's twin compiled for one thread, for the many calls on a few elements.

At 2e4 entities a day calls parallel kernels on batches of tens of acts hundreds of times:
there a parallel region, its schedule and its threads' allocations cost several times the
work (the sense step's records of 13 acts took 20 us). The twin is the same Python function
compiled without `parallel`, so each `prange` runs as a plain loop over the same fixed
pieces: the results of one thread, which scsim's kernels make equal to any thread count's.
It gets a name of its own, or Numba's cache (keyed by name and code, not by options) would
hand one version for the other, and Numba's error model of a parallel loop's body ("numpy":
no zero-division branch to keep a loop from vectorising).
"""

from __future__ import annotations

import sys
import types
from typing import Any

import numba

# Fewer elements than this: the twin (one thread). A parallel region with its schedule costs
# about 2 to 5 us: as much as one thread's work on a few thousand elements when each is a
# read or a draw, on about a thousand when each reads a few fields at random, on about a
# hundred when each walks its ties. Where the run's calls of each kernel, replayed on both,
# changed sides (benchmarks/serial_twins.py, the reference at 1e6).
SERIAL_BELOW = 1 << 12
SERIAL_BELOW_READS = 1 << 10
SERIAL_BELOW_WALKS = 1 << 7


class SerialTwin:
    """A kernel's twin, compiled (and its dispatcher made) on its first call: making 40
    cached dispatchers at import took about 30 ms of every start."""

    __slots__ = ("kernel", "_compiled")

    def __init__(self, kernel: numba.core.registry.CPUDispatcher):
        self.kernel = kernel
        self._compiled: numba.core.registry.CPUDispatcher | None = None

    def dispatcher(self) -> numba.core.registry.CPUDispatcher:
        """`kernel`'s Python function under its own name, jitted for one thread."""
        if self._compiled is None:
            f = self.kernel.py_func
            g = types.FunctionType(f.__code__, f.__globals__, f.__name__ + "_serial",
                                   f.__defaults__, f.__closure__)
            g.__qualname__ = f.__qualname__ + "_serial"
            g.__doc__ = f.__doc__
            self._compiled = numba.njit(cache=True, nogil=True, error_model="numpy")(g)
        return self._compiled

    def __call__(self, *args: Any) -> Any:
        return (self._compiled or self.dispatcher())(*args)


def serial_twin(kernel: numba.core.registry.CPUDispatcher) -> SerialTwin:
    """`kernel`'s twin for one thread (compiled and cached when first called)."""
    return SerialTwin(kernel)


def loaded_twins() -> list[tuple[str, numba.core.registry.CPUDispatcher, SerialTwin]]:
    """(module.name, kernel, twin) of every twin in the scsim modules imported so far, each
    once: for the tests and benchmarks/serial_twins.py, which replay calls on both."""
    out, seen = [], set()
    for name, mod in list(sys.modules.items()):
        if not name.startswith("scsim."):
            continue
        for twin in list(vars(mod).values()):
            if isinstance(twin, SerialTwin) and id(twin) not in seen:
                seen.add(id(twin))
                k = twin.kernel
                out.append((f"{k.py_func.__module__.removeprefix('scsim.')}.{k.__name__}",
                            k, twin))
    return out
