"""Stable counting sort by a small integer label, for builders (network, name and face buckets).

np.argsort(kind="stable") and np.lexsort on 1e7 ids cost seconds each in a build; labels
such as (stratum, age) or a household take few distinct values per id, so counting them and
placing each id in one pass gives the same order in O(n).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform


@numba.njit(cache=True, nogil=True)
def counting_order(label, n_labels):
    """Positions 0..n-1 sorted by label, stable (what np.argsort(label, kind="stable")
    gives), with each label's start in that order and its count."""
    size = np.zeros(n_labels, np.int64)
    for i in range(label.size):
        size[label[i]] += 1
    start = np.zeros(n_labels, np.int64)
    for b in range(1, n_labels):
        start[b] = start[b - 1] + size[b - 1]
    fill = start.copy()
    order = np.empty(label.size, np.int32)
    for i in range(label.size):
        order[fill[label[i]]] = i
        fill[label[i]] += 1
    return order, start, size


@numba.njit(cache=True, nogil=True)
def shuffle_within(order, start, size, key):
    """Shuffle each segment order[start[b]:start[b] + size[b]] in place (Fisher-Yates, a
    uniformly random order per segment), with counter-based uniforms: counter = position."""
    for b in range(start.size):
        s = start[b]
        for j in range(size[b] - 1, 0, -1):
            k = min(np.int64(uniform(key, np.uint64(s + j)) * (j + 1)), j)
            order[s + j], order[s + k] = order[s + k], order[s + j]
