"""Numba kernels for the hot per-cell sums: one sequential pass, no temporaries.

`np.bincount(cell[ids], weights)` gathers, casts the cells to intp and allocates twice;
these loops read each entity once. Sequential order keeps sums bit-identical whatever
NUMBA_NUM_THREADS (no parallel reductions).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.radix import sort_by_key
from scsim.engine.rows import EMPTY_PREFIX, EMPTY_WORDS, row_of
from scsim.engine.serial_twin import SERIAL_BELOW_READS, serial_twin

# Few cells and one dominant group: `out[c] += w` on the same c is a chain of dependent adds
# (~3 ns each). Eight lane rows break the chain; they are summed in a fixed order after.
# Used for whole counts only (exact in any order); the gathers of small id lists are bound
# by cache misses, not by the chain.
_LANES = 8
_CHUNKS = 16  # fixed pieces, not threads: the work split must not depend on the thread count


@numba.njit(cache=True, inline="always")
def kind_of(e, starts):
    """Kind code of entity e from the first id of each kind (kinds are contiguous id
    ranges): a few comparisons instead of a load from the per-entity kind array."""
    k = 0
    while k + 1 < starts.size - 1 and e >= starts[k + 1]:
        k += 1
    return k


@numba.njit(cache=True, nogil=True)
def _fold(out, acc):
    for j in range(acc.shape[0]):
        for c in range(out.size):
            out[c] += acc[j, c]


@numba.njit(cache=True, nogil=True)
def _add_cells(out, cell, ids, weights):
    if weights.size:
        for i in range(ids.size):
            out[cell[ids[i]]] += weights[i]
    else:
        for i in range(ids.size):
            out[cell[ids[i]]] += 1.0


@numba.njit(cache=True, nogil=True)
def _add_block(out, cells, weights):
    # Sequential on purpose: lanes would move the float sums by an ulp, and so the
    # day's Poisson draws (tests compare runs number for number).
    for i in range(cells.size):
        out[cells[i]] += weights[i]


@numba.njit(cache=True, nogil=True)
def count_block(out, cells):
    """out[cells[i]] += 1 for a block of cells: np.bincount without its cast to intp."""
    acc = np.zeros((_LANES, out.size))
    for i in range(cells.size):
        acc[i & (_LANES - 1), cells[i]] += 1.0
    _fold(out, acc)  # whole numbers: exact


@numba.njit(cache=True, nogil=True)
def _scored_sums(cell, starts, scored_kind, score, n_cells):
    total = np.zeros(n_cells, np.float64)
    count = np.zeros(n_cells, np.int64)
    for i in range(cell.size):
        if scored_kind[kind_of(i, starts)]:
            total[cell[i]] += score[i]
            count[cell[i]] += 1
    return total, count


def scored_sums(cell: np.ndarray, starts: np.ndarray, scored_kind: np.ndarray,
                score: np.ndarray, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum of scores and number of scored entities per cell, in one pass (`starts`: the
    first id of each kind, then the number of entities)."""
    return _scored_sums(cell, starts, scored_kind, score, n_cells)


_NONE = np.empty(0, np.float64)


@numba.njit(cache=True, parallel=True)
def _count_cells(out, cell, ids):
    n = ids.size
    part = np.zeros((_CHUNKS, out.size))
    for c in numba.prange(_CHUNKS):
        for i in range((n * c) // _CHUNKS, (n * (c + 1)) // _CHUNKS):
            part[c, cell[ids[i]]] += 1.0
    _fold(out, part)  # whole numbers: exact in any order


PARALLEL_FROM = 1 << 15  # ids below this: one thread (a parallel region costs microseconds)


def add_cells(out: np.ndarray, cell: np.ndarray, ids: np.ndarray,
              weights: np.ndarray | None = None) -> None:
    """out[cell[ids[i]]] += weights[i] (or 1): a float64 row, in place. Counts of many ids
    on all threads (whole numbers: the same sums); weighted sums in input order."""
    ids = np.ascontiguousarray(ids, np.int64)
    if weights is None and ids.size >= PARALLEL_FROM:
        _count_cells(out, cell, ids)
        return
    w = _NONE if weights is None else np.ascontiguousarray(weights, np.float64)
    _add_cells(out, cell, ids, w)


def add_block(out: np.ndarray, cells: np.ndarray, weights: np.ndarray) -> None:
    """out[cells[i]] += weights[i] for a contiguous block of cells: a float64 row."""
    _add_block(out, cells, np.ascontiguousarray(weights, np.float64))


@numba.njit(cache=True, nogil=True)
def _bump(counts, ids, words, prefix):
    for i in range(ids.size):
        r = row_of(ids[i], words, prefix)
        if r >= 0:
            counts[r] += 1  # stored back as uint16: wraps like np.add.at


def bump(counts: np.ndarray, ids: np.ndarray, words: np.ndarray = EMPTY_WORDS,
         prefix: np.ndarray = EMPTY_PREFIX) -> None:
    """counts[row(ids[i])] += 1 for every i with a row, repeats included (np.add.at without
    its overhead); row = id without a sample (engine/rows.py)."""
    _bump(counts, np.ascontiguousarray(ids, np.int64), words, prefix)


@numba.njit(cache=True, nogil=True)
def _scored_points(ids, points, true, starts, scored_kind):
    """The entries that move a score: (entity, points, true), and the largest entity."""
    key = np.empty(ids.size, np.int64)
    pts = np.empty(ids.size)
    tru = np.empty(ids.size, np.bool_)
    m = 0
    top = 0
    for i in range(ids.size):
        e = ids[i]
        if points[i] == 0 or not scored_kind[kind_of(e, starts)]:
            continue
        key[m], pts[m], tru[m] = e, points[i], true[i]
        top = max(top, e)
        m += 1
    return key[:m], pts[:m], tru[:m], top


@numba.njit(cache=True, nogil=True)
def _sum_runs(key, pts, tru):
    """Per distinct entity of sorted keys: the sum of its points and of its true points,
    each added in input order (the sort is stable)."""
    uniq = np.empty(key.size, np.int64)
    delta = np.zeros(key.size)
    tdelta = np.zeros(key.size)
    m = 0
    for j in range(key.size):
        if j == 0 or key[j] != key[j - 1]:
            uniq[m] = key[j]
            m += 1
        delta[m - 1] += pts[j]
        if tru[j]:
            tdelta[m - 1] += pts[j]
    return uniq[:m], delta[:m], tdelta[:m]


@numba.njit(cache=True, parallel=True)
def _apply_scores(uniq, delta, tdelta, score, true_score, lo, hi, cell, cell_sum, watch,
                  black, flips):
    m = uniq.size
    part = np.zeros((_CHUNKS, cell_sum.size))
    for_lists = np.zeros(m, np.bool_)
    for_demand = np.zeros(m, np.bool_)
    # The entities' scores and cells are read first, in a loop without branches, so that
    # many reads are in flight; read between the threshold tests below, each waited on
    # memory after a mispredicted branch (40 ns an entity at 1e7 entities).
    old_s = np.empty(m, np.float32)
    old_t = np.empty(m, np.float32)
    cells = np.empty(m, np.int64)
    for j in numba.prange(m):
        e = uniq[j]
        old_s[j] = score[e]
        old_t[j] = true_score[e]
        cells[j] = cell[e]
    for c in numba.prange(_CHUNKS):
        for j in range((m * c) // _CHUNKS, (m * (c + 1)) // _CHUNKS):
            e = uniq[j]
            old = old_s[j]
            new = np.float32(min(max(old + delta[j], lo), hi))
            score[e] = new
            t_old = old_t[j]
            t_new = np.float32(min(max(t_old + tdelta[j], lo), hi))
            true_score[e] = t_new
            part[c, cells[j]] += np.float64(new - old)
            f = False
            for k in range(watch.size):  # `|`, not `or`: no branches
                t = watch[k]
                f = (f | ((old < t) != (new < t)) | ((t_old < t) != (t_new < t))
                     | ((new < t) == black[k]))
            for_lists[j] = f
            d = False
            for t in flips:
                d = d | ((old < t) != (new < t)) | ((t_old < t) != (t_new < t))
            for_demand[j] = d
    for c in range(_CHUNKS):
        for j in range(cell_sum.size):
            cell_sum[j] += part[c, j]
    return for_lists, for_demand


_apply_scores_serial = serial_twin(_apply_scores)


def score_change(ids: np.ndarray, points: np.ndarray, true: np.ndarray, starts: np.ndarray,
                 scored_kind: np.ndarray, score: np.ndarray, true_score: np.ndarray, lo: float,
                 hi: float, cell: np.ndarray, cell_sum: np.ndarray, watch: np.ndarray,
                 black: np.ndarray, flips: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum the points per entity (in input order), clamp both scores, update the per-cell
    sums; returns the distinct entities changed, ascending.

    The entries are sorted by entity (a stable radix sort, engine/radix.py) and summed run by
    run, so the scores are then read and written in ascending id order, on fixed pieces in
    parallel, each piece with its own per-cell sums added in piece order. At 1e8 entities
    this is twice as fast as the hash table it replaced (which walked the scores in random
    order, a cache miss each). Any fixed order gives the same scores on any thread count;
    for score ranges away from zero the per-cell sums do not even depend on the order:
    float32 scores in [600, 1300] are multiples of 2**-14, and float64 sums of such
    multiples are exact up to 2**39 in size.

    Also says, per distinct entity, whether a list rule may now answer differently (either
    score crossed a list threshold `watch`, or the score lies where a black (`black`) or red
    list takes entities) and whether the demand split may (either score crossed a tier
    boundary in `flips`): the later steps look at those entities only."""
    key, pts, tru, top = _scored_points(ids, points, true, starts, scored_kind)
    key, pts, tru = sort_by_key(key, pts, tru, top=int(top))
    uniq, delta, tdelta = _sum_runs(key, pts, tru)
    apply = _apply_scores if uniq.size >= SERIAL_BELOW_READS else _apply_scores_serial
    for_lists, for_demand = apply(uniq, delta, tdelta, score, true_score, lo, hi, cell,
                                          cell_sum, watch, black, flips)
    return uniq, for_lists, for_demand


@numba.njit(cache=True, nogil=True)
def tally_actions(out, cell, ids, act, wrongful, deny, is_sanction, is_perk, counts):
    """The eight request counters of a service in one pass (rows of `out`, in order): requests,
    grants, denials, denials_wrongful, sanctions, sanctions_wrongful, perks, perks_wrongful.
    `counts` gets the totals. Whole counts in float64: sums exact in any order."""
    for i in range(ids.size):
        c = cell[ids[i]]
        a = act[i]
        w = wrongful[i]
        out[0, c] += 1.0
        counts[0] += 1
        if a == 0:
            out[1, c] += 1.0
            counts[1] += 1
        if a == deny:
            out[2, c] += 1.0
            counts[2] += 1
            if w:
                out[3, c] += 1.0
                counts[3] += 1
        if is_sanction[a]:
            out[4, c] += 1.0
            counts[4] += 1
            if w:
                out[5, c] += 1.0
                counts[5] += 1
        if is_perk[a]:
            out[6, c] += 1.0
            counts[6] += 1
            if w:
                out[7, c] += 1.0
                counts[7] += 1


@numba.njit(cache=True, parallel=True)
def _points_tally(ids, points, conduct, starts, scored_kind, cell, deducted, awarded,
                  by_conduct, chunks):
    n = ids.size
    ded = np.zeros((chunks, deducted.size))
    awd = np.zeros((chunks, awarded.size))
    by = np.zeros((chunks, by_conduct.size))
    for c in numba.prange(chunks):
        for i in range((n * c) // chunks, (n * (c + 1)) // chunks):
            p = points[i]
            if p == 0 or not scored_kind[kind_of(ids[i], starts)]:
                continue
            if p < 0:
                ded[c, cell[ids[i]]] -= p
            else:
                awd[c, cell[ids[i]]] += p
            by[c, conduct[i]] += p
    for c in range(chunks):  # piece by piece, in order
        for j in range(deducted.size):
            deducted[j] += ded[c, j]
            awarded[j] += awd[c, j]
        for j in range(by_conduct.size):
            by_conduct[j] += by[c, j]


_points_tally_serial = serial_twin(_points_tally)


def points_tally(ids: np.ndarray, points: np.ndarray, conduct: np.ndarray, starts: np.ndarray,
                 scored_kind: np.ndarray, cell: np.ndarray, deducted: np.ndarray,
                 awarded: np.ndarray, by_conduct: np.ndarray) -> None:
    """Points of scored entities per cell (deducted, awarded) and per conduct, in one pass
    over fixed pieces of the records (on all threads when they are many), the pieces' sums
    added in order: the same on any thread count, and, for whole points (or any multiples
    of a power of two), the sums NumPy's masked adds gave, to the bit."""
    chunks = _CHUNKS if ids.size >= PARALLEL_FROM else 1
    tally = _points_tally if chunks > 1 else _points_tally_serial
    tally(np.ascontiguousarray(ids, np.int64), np.ascontiguousarray(points, np.float64),
                  np.ascontiguousarray(conduct, np.int64), starts, scored_kind, cell, deducted,
                  awarded, by_conduct, chunks)


@numba.njit(cache=True, parallel=True)
def _count_sorted(ids, cell, row, counts, words, prefix, cells):
    n = ids.size
    bounds = np.empty(_CHUNKS + 1, np.int64)
    for c in range(_CHUNKS + 1):
        b = (n * c) // _CHUNKS
        while 0 < b < n and ids[b] == ids[b - 1]:  # never split one entity's acts
            b += 1
        bounds[c] = b
    part = np.zeros((_CHUNKS, row.size))
    for c in numba.prange(_CHUNKS):
        for i in range(bounds[c], max(bounds[c], bounds[c + 1])):
            e = ids[i]
            g = cell[e]
            cells[i] = g
            part[c, g] += 1.0
            r = row_of(e, words, prefix)
            if r >= 0:
                counts[r] += 1
    for c in range(_CHUNKS):  # whole numbers: the sum is exact in any order
        for j in range(row.size):
            row[j] += part[c, j]


@numba.njit(cache=True, nogil=True)
def _is_sorted(ids):
    descents = 0
    for i in range(1, ids.size):  # no early exit: the loop vectorises (ids are mostly sorted)
        descents += ids[i] < ids[i - 1]
    return descents == 0


def count_and_bump(ids: np.ndarray, cell: np.ndarray, row: np.ndarray, counts: np.ndarray,
                   words: np.ndarray = EMPTY_WORDS, prefix: np.ndarray = EMPTY_PREFIX
                   ) -> np.ndarray:
    """row[cell[e]] += 1 and counts[row(e)] += 1 for every e in ids (row: its row in the
    entities table, engine/rows.py): a tally and a per-entity counter in one pass, on two
    threads when the ids are sorted (each entity's repeats then fall in one piece, so no two
    threads write one counter). Returns cell[ids], read on the way: a later step that
    counts the same ids by cell need not read the cells again at random."""
    ids = np.ascontiguousarray(ids, np.int64)
    if ids.size > 4096 and _is_sorted(ids):
        cells = np.empty(ids.size, cell.dtype)
        _count_sorted(ids, cell, row, counts, words, prefix, cells)
        return cells
    _add_cells(row, cell, ids, _NONE)
    _bump(counts, ids, words, prefix)
    return cell[ids]
