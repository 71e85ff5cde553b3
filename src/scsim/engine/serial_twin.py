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

import types

import numba

# Fewer elements than this: the twin (one thread). A parallel region with its schedule costs
# about 2 to 5 us: as much as one thread's work on a few thousand elements when each is a
# read or a draw, on about a thousand when each reads a few fields at random, on about a
# hundred when each walks its ties. Where the run's calls of each kernel, replayed on both,
# changed sides (benchmarks/serial_twins.py, the reference at 1e6).
SERIAL_BELOW = 1 << 12
SERIAL_BELOW_READS = 1 << 10
SERIAL_BELOW_WALKS = 1 << 7


def serial_twin(kernel: numba.core.registry.CPUDispatcher) -> numba.core.registry.CPUDispatcher:
    """`kernel`'s Python function, compiled (and cached) for one thread."""
    f = kernel.py_func
    g = types.FunctionType(f.__code__, f.__globals__, f.__name__ + "_serial", f.__defaults__,
                           f.__closure__)
    g.__qualname__ = f.__qualname__ + "_serial"
    g.__doc__ = f.__doc__
    return numba.njit(cache=True, nogil=True, error_model="numpy")(g)
