"""Sorted unique values by sorting: NumPy 2.4's `np.unique` takes a hash-table path that is
about 100 times slower on large integer arrays (1.5 s against 0.014 s for 800,000 ids)."""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.plain_loops import bisect_left, copy_run
from scsim.engine.radix import sort_by_key
from scsim.engine.serial_twin import SERIAL_BELOW_READS, serial_twin


def unique(a: np.ndarray) -> np.ndarray:
    """The sorted distinct values of `a` (as `np.unique(a)`)."""
    return distinct_sorted(np.sort(np.ravel(a)))


def distinct_sorted(s: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array (each run of equal values once)."""
    if s.size < 2:
        return s
    keep = np.empty(s.size, bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


RADIX_FROM = 1 << 12  # below this, NumPy's argsort costs less than the kernels' setup


def stable_order(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(np.argsort(a, kind="stable"), a in that order). Non-negative integers go through a
    radix sort (engine/radix.py), several times faster than NumPy's for int64."""
    a = np.ravel(a)
    if a.size >= RADIX_FROM and a.dtype.kind in "iu":
        lo, hi = int(a.min()), int(a.max())
        if lo >= 0 and hi < 1 << 62:
            s, order = sort_by_key(a, np.arange(a.size), top=hi)
            return order, s.astype(a.dtype, copy=False)
    order = np.argsort(a, kind="stable")
    return order, a[order]


def unique_inverse(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, index of each element's value): `np.unique(a,
    return_inverse=True)` by a stable sort."""
    order, s = stable_order(a)
    first = np.empty(s.size, bool)
    if s.size:
        first[0] = True
        np.not_equal(s[1:], s[:-1], out=first[1:])
    inverse = np.empty(s.size, np.int64)
    inverse[order] = np.cumsum(first) - 1
    return s[first], inverse


@numba.njit(cache=True, nogil=True)
def _run_sums(s, order, weights):
    """Per run of equal values in s: the weights of its elements (at `order`) summed in
    order, starting from 0.0."""
    n = s.size
    uniq = np.empty(n, s.dtype)
    sums = np.zeros((weights.shape[0], n))
    m = 0
    for j in range(n):
        if j == 0 or s[j] != s[j - 1]:
            uniq[m] = s[j]
            m += 1
        i = order[j]
        for k in range(weights.shape[0]):
            sums[k, m - 1] += weights[k, i]
    return uniq[:m], sums[:, :m]


def sum_by_value(a: np.ndarray, *weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """(sorted distinct values of a, then per weights array the sum of its weights per
    value): `np.bincount(unique_inverse(a)[1], weights=w)` without the inverse. A stable
    sort keeps each value's elements in input order, the order bincount adds them in: the
    same sums to the bit."""
    order, s = stable_order(a)
    w = np.empty((len(weights), s.size))
    for k, x in enumerate(weights):
        w[k] = x
    uniq, sums = _run_sums(s, order, w)
    return (uniq, *sums)


def unique_counts(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, how often each occurs): `np.unique(a, return_counts=True)`."""
    s = np.sort(np.ravel(a))
    if s.size == 0:
        return s, np.zeros(0, np.int64)
    first = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    return s[first], np.diff(np.append(first, s.size))


def isin(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`np.isin(a, b)` by a binary search in the sorted distinct values of b."""
    b = unique(b)
    if b.size == 0:
        return np.zeros(np.shape(a), bool)
    pos = np.minimum(np.searchsorted(b, a), b.size - 1)
    return b[pos] == a


@numba.njit(cache=True, nogil=True)
def _merge(a, b):
    out = np.empty(a.size + b.size, a.dtype)
    i = j = k = 0
    while i < a.size or j < b.size:
        if j == b.size or (i < a.size and a[i] < b[j]):
            v = a[i]
            i += 1
        elif i == a.size or b[j] < a[i]:
            v = b[j]
            j += 1
        else:  # equal: one copy
            v = a[i]
            i += 1
            j += 1
        out[k] = v
        k += 1
    return out[:k]


@numba.njit(cache=True, nogil=True)
def _insert(a, b):
    """_merge for few b: each b's place by a binary search, the runs of a between them
    copied whole (a copy loop, not a compare per element)."""
    out = np.empty(a.size + b.size, a.dtype)
    i = k = 0
    for j in range(b.size):
        p = bisect_left(a, b[j], i, a.size)  # b ascending: its place is at or after i
        n = p - i
        copy_run(out, k, a, i, n)
        k += n
        i = p
        if i < a.size and a[i] == b[j]:
            continue  # already in a: one copy, from a's run
        out[k] = b[j]
        k += 1
    n = a.size - i
    copy_run(out, k, a, i, n)
    return out[:k + n]


def union_sorted(a: np.ndarray, b: np.ndarray, dtype: type = np.int64) -> np.ndarray:
    """`np.union1d` of two arrays already sorted and distinct, by one merge (no sort), as
    `dtype` (the values must fit). A few values into a long array (the demand split adds a
    few hundred a day to pools of up to 900,000 at 1e7) go in by binary searches."""
    a, b = np.ascontiguousarray(a, dtype), np.ascontiguousarray(b, dtype)
    if b.size * 64 < a.size:
        return _insert(a, b)
    return _merge(a, b)


@numba.njit(cache=True, parallel=True)
def _runs_of(ascending, ids):
    start = np.empty(ids.size, np.int64)
    count = np.empty(ids.size, np.int64)
    for i in numba.prange(ids.size):
        a = bisect_left(ascending, ids[i], 0, ascending.size)
        k = a
        while k < ascending.size and ascending[k] == ids[i]:
            k += 1
        start[i] = a
        count[i] = k - a
    return start, count


_runs_of_serial = serial_twin(_runs_of)


def runs_of(ascending: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each id's run of equal values starts in `ascending`, and how long it is
    (np.searchsorted left, and right minus left): a binary search and a walk over the run,
    on all threads. Two serial NumPy searches took 1.2 ms a day for 8,000 ids at 1e7 (the
    demand split's leaders of companies)."""
    ids = np.ascontiguousarray(ids, np.int64)
    return (_runs_of if ids.size >= SERIAL_BELOW_READS else _runs_of_serial)(ascending, ids)


@numba.njit(cache=True, nogil=True)
def _narrow(a, out):
    fits = True
    for i in range(a.size):  # no early exit: the loop vectorises, and ids nearly always fit
        fits &= (a[i] >= -2147483648) & (a[i] <= 2147483647)
        out[i] = a[i]
    return fits


def narrow(a: np.ndarray) -> np.ndarray | None:
    """The int64 ids as int32 when every one fits (None when one does not), in one pass:
    the calendar keeps ids waiting this way, and `min`, `max` and `astype` were three passes
    and three NumPy calls for each of the day's batches."""
    out = np.empty(a.size, np.int32)
    return out if _narrow(np.ascontiguousarray(a, np.int64), out) else None
