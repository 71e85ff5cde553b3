"""Numba kernels: one step is every agent acting once, one at a time, in a fresh random order.

This is Mesa's `shuffle_do("step")` (random sequential activation): each agent sees the grid
as left by the agents before it in the same step. The loop is serial on purpose; the order
makes each agent depend on the previous one, and a serial loop is also what keeps a seed's
output the same whatever NUMBA_NUM_THREADS is.

Grid cells carry a code in one integer so a neighbourhood is counted with plain additions:
empty cells add 1 to the first field of `bits` bits, active citizens to the second, cops to
the third (see `field_bits`). Quiet and jailed citizens add nothing (jailed citizens stay on
their cell, as in Mesa, so the cell is not empty). Lookup tables replace divisions (torus
cell -> padded index and back), and indices are cast to unsigned where it matters: numba then
skips its negative-index wraparound and LLVM vectorises the row sums.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from scsim.epstein.rng import below

QUIET = 0
ACTIVE = 1
JAILED = 2

EMPTY_CODE = 1  # the active and cop codes are 1 << bits and 1 << (2 * bits)
MAX_TRIES = 16  # rejection draws before an unscanned agent falls back to a scan


def field_bits(neighbourhood_size: int) -> tuple[int, type]:
    """Bits per count field and the code dtype: int32 (10-bit fields) when counts fit, as
    half-width codes make the neighbourhood scan cheaper; int64 (21-bit fields) otherwise."""
    return (10, np.int32) if neighbourhood_size < 1 << 10 else (21, np.int64)


@njit(cache=True, inline="always")
def set_code(code, cell, value, padded, halo, width, height, vision):
    """Write `value` for torus cell `cell` into the padded grid and into all its halo copies."""
    if not halo[cell]:
        code[np.uint64(padded[cell])] = value  # interior cell: the only copy
        return
    padded_w = width + 2 * vision
    padded_h = height + 2 * vision
    x = cell % width
    y = cell // width
    py = (y + vision) % height
    while py < padded_h:
        px = (x + vision) % width
        while px < padded_w:
            code[py * padded_w + px] = value
            px += width
        py += height


@njit(cache=True, inline="always")
def scan(code, centre, mask, row_acc, padded_w, vision):
    """Sum of codes over the neighbourhood of padded index `centre`; row sums go to `row_acc`."""
    side = mask.shape[0]
    corner = np.uint64(centre - vision * padded_w - vision)
    acc = np.int64(0)
    for i in range(side):
        b = corner + np.uint64(i * padded_w)
        m = mask[i]
        r = np.int64(0)
        for j in range(np.uint64(side)):
            r += code[b + j] & m[j]
        row_acc[i] = r
        acc += r
    return acc


@njit(cache=True, inline="always")
def kth_cell(code, centre, target, shift, bits, k, mask, row_acc, torus, padded_w, vision):
    """Torus index of the k-th (0-based) neighbourhood cell whose code is `target`.

    `row_acc` must hold the row sums of the last `scan` here, so only one row is read, and
    that row without data-dependent branches (they mispredict on a random grid).
    """
    side = mask.shape[0]
    field = (1 << bits) - 1
    # Row holding the match: the number of rows whose running total is still <= k.
    i = 0
    before = 0
    total = 0
    for r in range(side):
        total += (row_acc[r] >> shift) & field
        past = np.int64(total <= k)
        i += past
        before += past * ((row_acc[r] >> shift) & field)
    k -= before
    b = np.uint64(centre + (i - vision) * padded_w - vision)
    m = mask[i]
    seen = 0
    hit = 0
    for j in range(side):
        match = np.int64((code[b + np.uint64(j)] & m[j]) == target)
        hit += j * (match & np.int64(seen == k))
        seen += match
    return torus[b + np.uint64(hit)]


@njit(cache=True, inline="always")
def goes_active(grievance, risk, n_cops, n_active, threshold, p_arrest_of):
    """Epstein's rule G - R * P > T, with P as Mesa estimates it.

    Mesa counts the citizen herself among the actives (hence + 1) and rounds the ratio with
    Python's round, half to even, as np.rint does. p_arrest_of[r] = 1 - exp(-k r) is
    tabulated with Python's math.exp, the function Mesa calls.
    """
    ratio = np.int64(np.rint(n_cops / (n_active + 1)))
    return grievance - risk * p_arrest_of[ratio] > threshold


@njit(cache=True, inline="always")
def try_random_empty(code, centre, delta, torus, rng):
    """Up to MAX_TRIES rejection draws for an empty neighbour; -1 when all of them failed.

    The caller then scans and picks the k-th empty cell: conditional on the grid, both ways
    are uniform over the empty cells, so the mixture is too. (Keep the scan out of here: a
    call in this loop, even one never taken, makes numba's code for it ~2.5x slower.)
    """
    size = delta.shape[0]
    for _ in range(MAX_TRIES):
        q = np.uint64(centre + delta[below(rng, size)])
        if code[q] == EMPTY_CODE:
            return torus[q]
    return -1


@njit(cache=True, inline="always")
def cops_exceed(code, centre, mask, padded_w, vision, bits, limit):
    """Whether more than `limit` cops are in the neighbourhood; stops at the row that shows it."""
    side = mask.shape[0]
    corner = np.uint64(centre - vision * padded_w - vision)
    cops = 0
    for i in range(side):
        b = corner + np.uint64(i * padded_w)
        m = mask[i]
        r = np.int64(0)
        for j in range(np.uint64(side)):
            r += code[b + j] & m[j]
        cops += r >> (2 * bits)
        if cops > limit:
            return True
    return False


@njit(cache=True)
def add_active(near_active, centre, delta, torus, d):
    """Add d to the active-neighbour count of every cell that sees padded cell `centre`.

    Seeing is symmetric on the torus (y is in x's neighbourhood iff x is in y's), so these
    are the cells of centre's own neighbourhood.
    """
    for j in range(delta.shape[0]):
        near_active[torus[np.uint64(centre + delta[j])]] += d


@njit(cache=True)
def cop_limits(grievance, risk, is_cop, threshold, p_arrest_of, out):
    """Per citizen, the most cops in sight with which she turns active when no active citizen
    is in sight (then P = p_arrest_of[cops]); -1 when she stays quiet even with none.

    The rule G - R * p[c] > T holds for c = 0..limit and fails above: p increases with c,
    and products and differences round monotonically, so this is exact.
    """
    for a in range(grievance.shape[0]):
        c = -1
        if not is_cop[a]:
            while c + 1 < p_arrest_of.shape[0] and goes_active(
                grievance[a], risk[a], c + 1, 0, threshold, p_arrest_of
            ):
                c += 1
        out[a] = c


@njit(cache=True)
def run_steps(
    code, cell_agent, pos, is_cop, grievance, risk, cop_limit, state, jail, near_active, order,
    mask, delta, padded, torus, halo, row_acc,
    width, height, vision, bits, threshold, p_arrest_of, max_jail, movement,
    rng, counts,
):  # fmt: skip
    """Advance `counts.shape[0]` steps; row i of `counts` gets (active, quiet, jailed) after it.

    `rng` is the xoshiro256++ state of rng.py (uint64[4]), advanced in place. `near_active`
    holds, per torus cell, the number of active citizens in its neighbourhood, kept exact
    at every change so that most agents need no full scan without any outcome changing:
    - a citizen with G <= T (cop_limit -1) stays quiet whatever she sees (G - R P <= G, as
      R P >= 0, in floating point too);
    - with no active citizen in sight, a citizen turns active iff the cops in sight number
      at most her `cop_limit`, which a scan stopping early settles;
    - with no active citizen in sight, a cop has no one to arrest.
    Agents that did not scan pick their empty cell by rejection sampling first.
    """
    n = order.shape[0]
    padded_w = width + 2 * vision
    field = (1 << bits) - 1
    active_code = 1 << bits
    cop_code = 1 << (2 * bits)
    for row in range(counts.shape[0]):
        # Fisher-Yates: a uniform random activation order every step, as Mesa's shuffle.
        for i in range(n - 1, 0, -1):
            j = below(rng, i + 1)
            tmp = order[i]
            order[i] = order[j]
            order[j] = tmp
        for a in order:
            cell = pos[a]
            centre = padded[cell]
            scanned = False
            n_empty = 0
            if is_cop[a]:
                mine = cop_code
                if near_active[cell] > 0:
                    acc = scan(code, centre, mask, row_acc, padded_w, vision)
                    scanned = True
                    n_empty = acc & field
                    n_active = (acc >> bits) & field  # equals near_active[cell]
                    if n_active > 0:
                        k = below(rng, n_active)
                        hit = kth_cell(code, centre, active_code, bits, bits, k, mask,
                                       row_acc, torus, padded_w, vision)  # fmt: skip
                        c = cell_agent[hit]
                        jail[c] = below(rng, max_jail + 1)  # 0..max_jail, as randint
                        state[c] = JAILED
                        set_code(code, hit, 0, padded, halo, width, height, vision)
                        add_active(near_active, padded[hit], delta, torus, -1)
            else:
                if jail[a] > 0:
                    # Serving a sentence: count down, nothing else (Mesa: `if jail_sentence`).
                    jail[a] -= 1
                    continue
                new = QUIET
                limit = cop_limit[a]
                if limit >= 0:  # same as G > T: else quiet even with P = 0
                    if near_active[cell] == 0:
                        if not cops_exceed(code, centre, mask, padded_w, vision, bits, limit):
                            new = ACTIVE
                    else:
                        acc = scan(code, centre, mask, row_acc, padded_w, vision)
                        scanned = True
                        n_empty = acc & field
                        n_active = (acc >> bits) & field
                        n_cops = acc >> (2 * bits)
                        if goes_active(grievance[a], risk[a], n_cops, n_active, threshold,
                                       p_arrest_of):  # fmt: skip
                            new = ACTIVE
                mine = active_code if new == ACTIVE else 0
                if new != state[a]:
                    d = (new == ACTIVE) - (state[a] == ACTIVE)
                    state[a] = new
                    set_code(code, cell, mine, padded, halo, width, height, vision)
                    if d != 0:
                        add_active(near_active, centre, delta, torus, d)
            if not movement or (scanned and n_empty == 0):
                continue
            dest = try_random_empty(code, centre, delta, torus, rng)
            if dest < 0:  # unlucky draws, or no empty cell at all
                if not scanned:
                    n_empty = scan(code, centre, mask, row_acc, padded_w, vision) & field
                    if n_empty == 0:
                        continue
                # An arrest leaves emptiness unchanged, so a scan before it still holds.
                k = below(rng, n_empty)
                dest = kth_cell(code, centre, EMPTY_CODE, 0, bits, k, mask, row_acc, torus,
                                padded_w, vision)  # fmt: skip
            set_code(code, cell, EMPTY_CODE, padded, halo, width, height, vision)
            set_code(code, dest, mine, padded, halo, width, height, vision)
            cell_agent[cell] = -1
            cell_agent[dest] = a
            pos[a] = dest
            if mine == active_code:
                add_active(near_active, centre, delta, torus, -1)
                add_active(near_active, padded[dest], delta, torus, 1)
        count_states(is_cop, state, counts[row])


@njit(cache=True)
def count_states(is_cop, state, out):
    out[:] = 0
    for a in range(state.shape[0]):
        if not is_cop[a]:
            if state[a] == ACTIVE:
                out[0] += 1
            elif state[a] == QUIET:
                out[1] += 1
            else:
                out[2] += 1
