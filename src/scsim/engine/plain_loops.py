"""Plain loops for kernels, in place of NumPy calls that take long to compile.

Numba compiles a NumPy call inside a kernel from its general implementation: a slice copy
brings the broadcasting checks and their formatted error messages (1.7 s of compiling the
first time a process meets one), `np.searchsorted` its NaN handling and both sides (0.3 to
0.5 s a kernel), `.sum(axis=...)` a general reduction (0.5 s a signature). These loops do
the same for the sorted integer arrays and the shapes the kernels pass, compile in a
fraction of that, and are compiled once per process whatever kernel calls them (Numba's
cache keeps them too). LLVM inlines them into their callers, so they run as fast.
`writable_like` keeps read-only views out of kernels: Numba types them apart, and compiles
a kernel given both twice.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def copy_run(dst, at, src, start, n):
    """dst[at:at + n] = src[start:start + n] (the two ranges in different arrays). The loop
    runs over views, indexed from 0: an index `at + q` that LLVM cannot prove non-negative
    keeps Numba's wraparound test in the loop and the copy unvectorised (1.3 ms against
    0.05 for 1e6 int16)."""
    d = dst[at:at + n]
    s = src[start:start + n]
    for q in range(n):
        d[q] = s[q]


@numba.njit(cache=True, nogil=True)
def bisect_left(a, v, lo, hi):
    """The first i in [lo, hi) with a[i] >= v, else hi, for ascending a (no NaN): over the
    whole array, np.searchsorted(a, v)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@numba.njit(cache=True, nogil=True)
def bisect_right(a, v, lo, hi):
    """The first i in [lo, hi) with a[i] > v, else hi, for ascending a (no NaN): over the
    whole array, np.searchsorted(a, v, side="right")."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] <= v:
            lo = mid + 1
        else:
            hi = mid
    return lo


def writable_like(values: np.ndarray | float | bool, dtype: type, shape: tuple) -> np.ndarray:
    """`values` (a scalar or an array) as a contiguous, writable array of `shape`. Numba
    types a read-only array (np.broadcast_to's view) apart from a writable one, so a kernel
    given both is compiled twice (0.4 to 1 s each time a process meets the other)."""
    out = np.asarray(values, dtype)
    if out.ndim == 0 or not out.flags.writeable:
        return np.array(np.broadcast_to(out, shape))
    return np.ascontiguousarray(out)


@numba.njit(cache=True, nogil=True)
def heap_sort(a, lo, hi):
    """Sort a[lo:hi] in place (heapsort: no recursion, no temporaries; for runs too long for
    an insertion sort, where `np.sort` compiled for 0.7 s a type)."""
    n = hi - lo
    for start in range(n // 2 - 1, -1, -1):
        _sift_down(a, lo, start, n)
    for end in range(n - 1, 0, -1):
        a[lo], a[lo + end] = a[lo + end], a[lo]
        _sift_down(a, lo, 0, end)


@numba.njit(cache=True, nogil=True)
def _sift_down(a, lo, root, n):
    v = a[lo + root]
    while True:
        child = 2 * root + 1
        if child >= n:
            break
        if child + 1 < n and a[lo + child + 1] > a[lo + child]:
            child += 1
        if a[lo + child] <= v:
            break
        a[lo + root] = a[lo + child]
        root = child
    a[lo + root] = v
