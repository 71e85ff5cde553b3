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


@numba.njit(cache=True, inline="always")
def _ties_of(i, whole, frac, key_draw):
    """m for individual i: floor(half) or one more, at its own counter."""
    return np.int64(whole) + (1 if uniform(key_draw, np.uint64(3 * i)) < frac else 0)


@numba.njit(cache=True, nogil=True)
def _block_at(j, start, size):
    """The block holding ring position j (blocks are consecutive runs of the ring order)."""
    lo, hi = 0, start.size - 1
    while lo < hi:  # the last block starting at or before j, that is not empty
        mid = (lo + hi + 1) >> 1
        if start[mid] <= j:
            lo = mid
        else:
            hi = mid - 1
    while size[lo] == 0 or start[lo] + size[lo] <= j:
        lo += 1
    return lo


@numba.njit(cache=True, nogil=True, parallel=True)
def ring_ties(region, group, n_reg, n_grp, half, h_reg, h_grp, key_draw, key_shuffle):
    """(src, dst) int32: each individual's forward ties to the next m of its block's ring,
    m = floor(half) or one more (mean half), blocks in uniformly random order.

    On all threads: every draw is at its own counter, and the ties are written in CHUNKS
    runs of the ring order, each at the offset the runs before it end at, so the arrays are
    the same whatever the number of threads. The ring is walked in its own order: each
    position's block comes from the block starts and its m is drawn again from its counter
    (at 1e8 reading them per individual, at random, cost 13 s)."""
    n = region.size
    whole = np.floor(half)
    frac = half - whole
    block = np.empty(n, np.int32)
    for i in numba.prange(n):
        c = np.uint64(3 * i)
        r = region[i] if uniform(key_draw, c + np.uint64(1)) < h_reg else n_reg
        g = group[i] if uniform(key_draw, c + np.uint64(2)) < h_grp else n_grp
        block[i] = np.int32(r) * (n_grp + 1) + np.int32(g)
    order, start, size = counting_order(block, (n_reg + 1) * (n_grp + 1))
    shuffle_within(order, start, size, key_shuffle)
    at = np.zeros(CHUNKS + 1, np.int64)  # where each run of the ring order writes
    for c in numba.prange(CHUNKS):
        for j in range(c * n // CHUNKS, (c + 1) * n // CHUNKS):
            at[c + 1] += _ties_of(order[j], whole, frac, key_draw)
    for c in range(CHUNKS):
        at[c + 1] += at[c]
    src = np.empty(at[CHUNKS], np.int32)
    dst = np.empty(at[CHUNKS], np.int32)
    for c in numba.prange(CHUNKS):
        t = at[c]
        lo, hi = c * n // CHUNKS, (c + 1) * n // CHUNKS
        if lo >= hi:
            continue
        b = _block_at(lo, start, size)
        for j in range(lo, hi):
            while start[b] + size[b] <= j:  # past this block: the next non-empty one
                b += 1
            i = order[j]
            s, sz = start[b], size[b]
            q = j - s
            for _ in range(_ties_of(i, whole, frac, key_draw)):
                q += 1
                if q >= sz:  # round the ring (a block smaller than m goes round again)
                    q %= sz
                src[t] = i
                dst[t] = order[s + q]
                t += 1
    return src, dst


@numba.njit(cache=True, nogil=True, parallel=True)
def rewire(src, dst, region, group, n_cells_grp, p, h_reg, h_grp, key):
    """Each tie with probability p moves its far end to a random individual of the cell
    (region, group): its own region with probability h_reg, else a random individual's, and
    likewise the group; to that random individual itself if the cell is empty. On all
    threads: each tie's draws are at its own counters."""
    n = region.size
    top = 0  # region.max(), as a loop: NumPy's max compiles for 0.6 s
    for i in range(n):
        top = max(top, np.int64(region[i]))
    n_reg = top + 1
    cell = np.empty(n, np.int32)
    for i in numba.prange(n):
        cell[i] = np.int32(region[i]) * n_cells_grp + group[i]
    by_cell, start, size = counting_order(cell, n_reg * n_cells_grp)
    for t in numba.prange(src.size):
        c = np.uint64(5 * t)
        if uniform(key, c) >= p:
            continue
        template = min(np.int64(uniform(key, c + np.uint64(1)) * n), n - 1)
        # Region and group from the cell: one read at random per individual, not two.
        own, other = np.int64(cell[src[t]]), np.int64(cell[template])
        r = own // n_cells_grp if uniform(key, c + np.uint64(2)) < h_reg else other // n_cells_grp
        g = own % n_cells_grp if uniform(key, c + np.uint64(3)) < h_grp else other % n_cells_grp
        x = r * n_cells_grp + g
        cnt = size[x]
        if cnt > 0:
            dst[t] = by_cell[start[x] + min(np.int64(uniform(key, c + np.uint64(4)) * cnt),
                                            cnt - 1)]
        else:
            dst[t] = template
