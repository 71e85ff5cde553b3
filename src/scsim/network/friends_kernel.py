"""The friendship builder's passes as Numba kernels (network/friends.py says what they draw).

The NumPy builder spent most of a network's build in a lexsort by (block, random key), in
int64 temporaries per tie, and in a stable argsort of the population by cell: 13.7 s and
about 24 k bytes per individual at 1e7 (k the mean degree). These do the same by counting:
a counting sort into blocks, a Fisher-Yates shuffle within each block (a uniformly random
order, as the random sort key gave), ring ties written straight into int32 arrays, and
rewiring in place. Draws are counter-based (engine/counter_rng): one key per pass, from the
run's named stream, and a counter per individual, block position or tie.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform
from scsim.engine.counting import CHUNKS, counting_order, shuffle_within


@numba.njit(cache=True, nogil=True, parallel=True)
def ring_ties(region, group, n_reg, n_grp, half, h_reg, h_grp, key_draw, key_shuffle):
    """(src, dst) int32: each individual's forward ties to the next m of its block's ring,
    m = floor(half) or one more (mean half), blocks in uniformly random order.

    On all threads: every draw is at its own counter, and the ties are written in CHUNKS
    runs of the ring order, each at the offset the runs before it end at, so the arrays are
    the same whatever the number of threads."""
    n = region.size
    whole = np.floor(half)
    frac = half - whole
    block = np.empty(n, np.int32)
    m = np.empty(n, np.int32)
    for i in numba.prange(n):
        c = np.uint64(3 * i)
        m[i] = np.int32(whole) + (1 if uniform(key_draw, c) < frac else 0)
        r = region[i] if uniform(key_draw, c + np.uint64(1)) < h_reg else n_reg
        g = group[i] if uniform(key_draw, c + np.uint64(2)) < h_grp else n_grp
        block[i] = np.int32(r) * (n_grp + 1) + np.int32(g)
    order, start, size = counting_order(block, (n_reg + 1) * (n_grp + 1))
    shuffle_within(order, start, size, key_shuffle)
    at = np.zeros(CHUNKS + 1, np.int64)  # where each run of the ring order writes
    for c in numba.prange(CHUNKS):
        for j in range(c * n // CHUNKS, (c + 1) * n // CHUNKS):
            at[c + 1] += m[order[j]]
    for c in range(CHUNKS):
        at[c + 1] += at[c]
    src = np.empty(at[CHUNKS], np.int32)
    dst = np.empty(at[CHUNKS], np.int32)
    for c in numba.prange(CHUNKS):
        t = at[c]
        for j in range(c * n // CHUNKS, (c + 1) * n // CHUNKS):
            i = order[j]
            b = block[i]
            s, sz = start[b], size[b]
            pos = j - s
            for step in range(1, m[i] + 1):
                src[t] = i
                dst[t] = order[s + (pos + step) % sz]
                t += 1
    return src, dst


@numba.njit(cache=True, nogil=True, parallel=True)
def rewire(src, dst, region, group, n_cells_grp, p, h_reg, h_grp, key):
    """Each tie with probability p moves its far end to a random individual of the cell
    (region, group): its own region with probability h_reg, else a random individual's, and
    likewise the group; to that random individual itself if the cell is empty. On all
    threads: each tie's draws are at its own counters."""
    n = region.size
    n_reg = np.int64(region.max()) + 1
    cell = np.empty(n, np.int32)
    for i in numba.prange(n):
        cell[i] = np.int32(region[i]) * n_cells_grp + group[i]
    by_cell, start, size = counting_order(cell, n_reg * n_cells_grp)
    for t in numba.prange(src.size):
        c = np.uint64(5 * t)
        if uniform(key, c) >= p:
            continue
        who = src[t]
        template = min(np.int64(uniform(key, c + np.uint64(1)) * n), n - 1)
        r = region[who] if uniform(key, c + np.uint64(2)) < h_reg else region[template]
        g = group[who] if uniform(key, c + np.uint64(3)) < h_grp else group[template]
        x = np.int64(r) * n_cells_grp + g
        cnt = size[x]
        if cnt > 0:
            dst[t] = by_cell[start[x] + min(np.int64(uniform(key, c + np.uint64(4)) * cnt),
                                            cnt - 1)]
        else:
            dst[t] = template
