"""Building compressed sparse rows from edge lists by counting, in O(ties).

Sorting the ties by a 64-bit (row, neighbour) key took most of a network's build (eight
ties per individual, both ways: 1.6e8 keys at 1e7 people) and twice their memory in
temporaries. Scattering the neighbours into buckets of rows, then each bucket into its rows
(in the cache), and sorting each short row gives the same rows: sorted, without duplicates or
self-ties.
"""

from __future__ import annotations

import numba
import numpy as np

MAX_SHIFT = 16  # a row's place in its bucket is a uint16


def bucket_shift(rows: int) -> int:
    """log2 of the rows a bucket holds: about 1,000 buckets (a thread's write streams stay
    few enough for the TLB), at most 65,536 rows a bucket (their places fit in 16 bits)."""
    return min(MAX_SHIFT, max(4, (max(rows, 1) // 1024).bit_length()))


@numba.njit(cache=True, nogil=True, parallel=True)
def _scatter(ptr, src, dst, symmetric, threads, shift):
    """Each row's neighbours (in no particular order: the rows are sorted next), with `ptr`
    (zeros, one more than the rows; int32 when the ends fit: half the bytes met at random).

    Counting each row's ends and then placing each end in its row writes at random over the
    whole rows, one cache miss an end (1.7 s for 8e7 ends). Instead the ends go first to
    buckets of 2**shift consecutive rows (a few hundred write streams, each in order), with
    their place in the bucket as a uint16; then each bucket, whose rows fit in the cache, is
    counted and placed on its own: 0.5 s. Ties are cut in one range a thread, buckets
    shared out between threads; the result does not depend on the number of threads."""
    rows = ptr.size - 1
    m = src.size
    nb = (rows >> shift) + 1
    at = np.zeros((threads, nb), np.int64)
    for k in numba.prange(threads):
        h = at[k]
        for i in range(k * m // threads, (k + 1) * m // threads):
            s, d = src[i], dst[i]
            if s != d:
                h[s >> shift] += 1
                if symmetric:
                    h[d >> shift] += 1
    first = np.empty(nb + 1, np.int64)
    run = 0
    for b in range(nb):  # bucket b holds thread 0's ends, then thread 1's ...
        first[b] = run
        for k in range(threads):
            x = at[k, b]
            at[k, b] = run
            run += x
    first[nb] = run
    idx = np.empty(run, np.int32)
    place = np.empty(run, np.uint16)
    mask = (1 << shift) - 1
    for k in numba.prange(threads):
        h = at[k]
        for i in range(k * m // threads, (k + 1) * m // threads):
            s, d = src[i], dst[i]
            if s != d:
                p = h[s >> shift]
                idx[p] = d
                place[p] = s & mask
                h[s >> shift] = p + 1
                if symmetric:
                    p = h[d >> shift]
                    idx[p] = s
                    place[p] = d & mask
                    h[d >> shift] = p + 1
    for b in numba.prange(nb):
        a, e = first[b], first[b + 1]
        r0 = b << shift
        n_rows = min(rows, r0 + (1 << shift)) - r0
        at_row = np.zeros(n_rows + 1, np.int64)
        for j in range(a, e):
            at_row[place[j] + 1] += 1
        for j in range(n_rows):
            at_row[j + 1] += at_row[j]
            ptr[r0 + j] = a + at_row[j]
        ends = idx[a:e].copy()
        for j in range(e - a):
            r = place[a + j]
            idx[a + at_row[r]] = ends[j]
            at_row[r] += 1
    ptr[rows] = run
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
                        numba.get_num_threads(), bucket_shift(rows))
    scattered = idx.size
    ptr, idx = _sort_rows(ptr, idx)
    if idx.size < 0.95 * scattered:  # many repeats dropped: release their slack
        idx = idx.copy()
    return ptr, idx
