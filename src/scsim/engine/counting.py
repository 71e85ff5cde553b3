"""Stable counting sort by a small integer label, for builders (network, name and face buckets).

np.argsort(kind="stable") and np.lexsort on 1e7 ids cost seconds each in a build; labels
such as (stratum, age) or a household take few distinct values per id, so counting them and
placing each id in one pass gives the same order in O(n).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform

CHUNKS = 8  # up to 8 threads; a count per label and chunk


@numba.njit(cache=True, nogil=True, parallel=True)
def counting_order(label, n_labels):
    """Positions 0..n-1 sorted by label, stable (what np.argsort(label, kind="stable")
    gives), with each label's start in that order and its count.

    On all threads when labels are few next to n: the positions are cut into CHUNKS
    contiguous chunks, each counted and placed by one thread after the chunks before it
    within each label, so the order is the same whatever the number of threads. Many labels
    (a household each) would need a count per label and chunk; those go in one chunk."""
    n = label.size
    chunks = CHUNKS if n_labels <= n // (8 * CHUNKS) and n >= 1 << 16 else 1
    counts = np.zeros((chunks, n_labels), np.int64)
    for c in numba.prange(chunks):
        for i in range(c * n // chunks, (c + 1) * n // chunks):
            counts[c, label[i]] += 1
    size = np.zeros(n_labels, np.int64)
    start = np.zeros(n_labels, np.int64)
    at = 0
    for b in range(n_labels):
        start[b] = at
        for c in range(chunks):  # counts[c, b] becomes chunk c's first place in label b
            k = counts[c, b]
            counts[c, b] = at
            at += k
        size[b] = at - start[b]
    order = np.empty(n, np.int32)
    for c in numba.prange(chunks):
        fill = counts[c]
        for i in range(c * n // chunks, (c + 1) * n // chunks):
            order[fill[label[i]]] = i
            fill[label[i]] += 1
    return order, start, size


@numba.njit(cache=True, nogil=True, parallel=True)
def shuffle_within(order, start, size, key):
    """Shuffle each segment order[start[b]:start[b] + size[b]] in place (Fisher-Yates, a
    uniformly random order per segment), with counter-based uniforms: counter = position.
    Segments on all threads (each one's draws are its own)."""
    for b in numba.prange(start.size):
        s = start[b]
        for j in range(size[b] - 1, 0, -1):
            k = min(np.int64(uniform(key, np.uint64(s + j)) * (j + 1)), j)
            order[s + j], order[s + k] = order[s + k], order[s + j]
