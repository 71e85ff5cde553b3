"""Building compressed sparse rows from edge lists by counting, in O(ties).

Sorting the ties by a 64-bit (row, neighbour) key took most of a network's build (eight
ties per individual, both ways: 1.6e8 keys at 1e7 people) and twice their memory in
temporaries. Counting rows, scattering the neighbours into place and sorting each short row
gives the same rows: sorted, without duplicates or self-ties.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _visit_ends(k, parts, rows, src, dst, symmetric, at, idx, place):
    """Each tie end (row, neighbour) whose row is in the k-th of `parts` ranges of rows, in
    tie order: counted in at[row + 1], or, when `place`, written at idx[at[row]]."""
    lo, hi = k * rows // parts, (k + 1) * rows // parts
    for i in range(src.size):
        s, d = src[i], dst[i]
        if s == d:
            continue
        for side in range(2 if symmetric else 1):
            row, other = (s, d) if side == 0 else (d, s)
            if lo <= row < hi:
                if place:
                    idx[at[row]] = other
                    at[row] += 1
                else:
                    at[row + 1] += 1


@numba.njit(cache=True, nogil=True, parallel=True)
def _scatter(ptr, src, dst, symmetric, parts):
    """Each row's neighbours in tie order, with `ptr` (zeros, one more than the rows; int32
    when the ends fit: half the bytes met at random, 12 % faster at 9e7 rows). The rows are
    cut into `parts` ranges, one a thread: each thread reads every tie and counts and places
    only the ends in its rows (the reads are in order, the writes at random), so a row's
    neighbours come in tie order whatever the number of parts."""
    rows = ptr.size - 1
    none = np.empty(0, np.int32)
    for k in numba.prange(parts):
        _visit_ends(k, parts, rows, src, dst, symmetric, ptr, none, False)
    for r in range(rows):
        ptr[r + 1] += ptr[r]
    fill = ptr[:-1].copy()
    idx = np.empty(ptr[rows], np.int32)
    for k in numba.prange(parts):
        _visit_ends(k, parts, rows, src, dst, symmetric, fill, idx, True)
    return ptr, idx


@numba.njit(cache=True, nogil=True, parallel=True)
def _sort_rows(ptr, idx):
    """Sort each row (insertion sort: rows are short) and drop repeats, rows on all
    threads; then close the gaps the repeats left, in one pass."""
    rows = ptr.size - 1
    out = np.zeros(rows + 1, ptr.dtype)
    for r in numba.prange(rows):
        a, b = ptr[r], ptr[r + 1]
        if b - a > 32:
            idx[a:b] = np.sort(idx[a:b])
        else:
            for j in range(a + 1, b):
                v = idx[j]
                k = j - 1
                while k >= a and idx[k] > v:
                    idx[k + 1] = idx[k]
                    k -= 1
                idx[k + 1] = v
        w = a
        last = -1
        for j in range(a, b):
            v = idx[j]
            if v != last:
                idx[w] = v
                w += 1
                last = v
        out[r + 1] = w - a
    w = 0
    for r in range(rows):  # rows move down only: a row's new start is at most its old one
        a, k = ptr[r], out[r + 1]
        if w != a:  # element by element: a slice copy would be parallel, and overlaps
            for j in range(k):
                idx[w + j] = idx[a + j]
        w += k
        out[r + 1] = w
    return out, idx[:w]


def csr_arrays(rows: int, src: np.ndarray, dst: np.ndarray,
               symmetric: bool) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the ties (src, dst), reverse ties added when `symmetric`."""
    # Ends stay in their own integer type: int32 ends of 1e8 ties need no int64 copies.
    ends = src.size * (2 if symmetric else 1)
    ptr = np.zeros(rows + 1, np.int32 if ends < 2**31 else np.int64)
    ptr, idx = _scatter(ptr, np.ascontiguousarray(src), np.ascontiguousarray(dst), symmetric,
                        numba.get_num_threads())
    scattered = idx.size
    ptr, idx = _sort_rows(ptr, idx)
    if idx.size < 0.95 * scattered:  # many repeats dropped: release their slack
        idx = idx.copy()
    return ptr, idx
