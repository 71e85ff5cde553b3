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

from scsim.engine.plain_loops import heap_sort

MAX_SHIFT = 16  # a row's place in its bucket is a uint16


def bucket_shift(rows: int) -> int:
    """log2 of the rows a bucket holds: about 1,000 buckets (a thread's write streams stay
    few enough for the TLB), at most 65,536 rows a bucket (their places fit in 16 bits)."""
    return min(MAX_SHIFT, max(4, (max(rows, 1) // 1024).bit_length()))


@numba.njit(cache=True, nogil=True, parallel=True)
def _scatter(ptr, src, dst, symmetric, threads, shift):
    """Each row's neighbours, sorted and without repeats, with `ptr` (zeros, one more than
    the rows; int32 when the ends fit: half the bytes met at random). `idx` keeps the
    repeats' slack at its end: its first ptr[rows] are the rows.

    Counting each row's ends and then placing each end in its row writes at random over the
    whole rows, one cache miss an end (1.7 s for 8e7 ends). Instead the ends go first to
    buckets of 2**shift consecutive rows (a few hundred write streams, each in order), with
    their place in the bucket as a uint16; then each bucket, whose rows fit in the cache, is
    counted, placed and its rows sorted and packed on its own, in the cache (a pass of its
    own over the rows, after, read them from memory again: 1.03 -> 0.80 s for the friends
    at 1e7 with the sort). Ties are cut in one range a thread, buckets shared out between
    threads; the result does not depend on the number of threads."""
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
    kept = np.zeros(nb + 1, np.int64)
    for b in numba.prange(nb):
        a, e = first[b], first[b + 1]
        r0 = b << shift
        n_rows = min(rows, r0 + (1 << shift)) - r0
        at_row = np.zeros(n_rows + 1, np.int64)
        for j in range(a, e):
            at_row[place[j] + 1] += 1
        for j in range(n_rows):
            at_row[j + 1] += at_row[j]
        ends = idx[a:e].copy()
        for j in range(e - a):
            r = place[a + j]
            idx[a + at_row[r]] = ends[j]
            at_row[r] += 1
        # Sorted and without repeats while the bucket is in the cache, its rows packed
        # to its front (a row never moves up: rows shrink only). at_row[j] is now the end
        # of row j, so the start of row j + 1.
        w = a
        r_b = a
        for j in range(n_rows):
            r_a, r_b = r_b, a + at_row[j]
            _sort_row(idx, r_a, r_b)
            ptr[r0 + j] = w
            last = -1
            for q in range(r_a, r_b):
                v = idx[q]
                if v != last:  # repeats are rare: predicted well
                    idx[w] = v
                    w += 1
                    last = v
        kept[b + 1] = w - a
    for b in range(nb):  # buckets move down, in order (a bucket may land on the one before)
        kept[b + 1] += kept[b]
        to, fr = kept[b], first[b]
        if to != fr:
            for q in range(kept[b + 1] - to):
                idx[to + q] = idx[fr + q]
    for b in numba.prange(nb):
        r0 = b << shift
        for r in range(r0, min(rows, r0 + (1 << shift))):
            ptr[r] -= first[b] - kept[b]
    ptr[rows] = kept[nb]
    return ptr, idx


@numba.njit(cache=True, nogil=True, inline="always")
def _sort_row(idx, a, b):
    """Sort idx[a:b] in place. Short rows by insertion without branches: inserting v into a
    sorted run, the place p gets max(run[p - 1], min(run[p], v)) (from the end down), which
    never waits on a mispredicted comparison (0.48 -> 0.33 s for 1e7 rows of about 8)."""
    if b - a > 32:
        heap_sort(idx, a, b)
        return
    for j in range(a + 1, b):
        v = idx[j]
        for p in range(j, a, -1):
            idx[p] = max(idx[p - 1], min(idx[p], v))
        idx[a] = min(idx[a], v)


def csr_arrays(rows: int, src: np.ndarray, dst: np.ndarray,
               symmetric: bool) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the ties (src, dst), reverse ties added when `symmetric`."""
    # Ends stay in their own integer type: int32 ends of 1e8 ties need no int64 copies.
    ends = src.size * (2 if symmetric else 1)
    ptr = np.zeros(rows + 1, np.int32 if ends < 2**31 else np.int64)
    ptr, idx = _scatter(ptr, np.ascontiguousarray(src), np.ascontiguousarray(dst), symmetric,
                        numba.get_num_threads(), bucket_shift(rows))
    scattered = idx.size
    idx = idx[:ptr[rows]]
    if idx.size < 0.95 * scattered:  # many repeats dropped: release their slack
        idx = idx.copy()
    return ptr, idx
