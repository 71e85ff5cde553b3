"""Numba kernels: one step is every agent acting once, one at a time, in a fresh random order.

This is Mesa's `shuffle_do("step")` (random sequential activation): each agent sees the grid
as left by the agents before it in the same step. The loop is serial on purpose; the order
makes each agent depend on the previous one, and a serial loop is also what keeps a seed's
output the same whatever NUMBA_NUM_THREADS is.

Grid cells carry a code in one int64 so a neighbourhood is counted with plain additions:
empty cells add 1 to bits 0-20, active citizens to bits 21-41, cops to bits 42-62. Quiet and
jailed citizens add nothing (jailed citizens stay on their cell, as in Mesa, so the cell is
not empty).
"""

from __future__ import annotations

import numpy as np
from numba import njit

QUIET = 0
ACTIVE = 1
JAILED = 2

FIELD_BITS = 21
FIELD_MASK = (1 << FIELD_BITS) - 1
EMPTY_CODE = 1
ACTIVE_CODE = 1 << FIELD_BITS
COP_CODE = 1 << (2 * FIELD_BITS)


@njit(cache=True, inline="always")
def set_code(code, cell, value, width, height, vision):
    """Write `value` for torus cell `cell` into the padded grid and into all its halo copies."""
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
def padded_index(cell, width, vision):
    return (cell // width + vision) * (width + 2 * vision) + cell % width + vision


@njit(cache=True, inline="always")
def scan(code, base, seg_start, seg_len):
    """Sum of the codes over the neighbourhood centred at padded index `base`."""
    acc = np.int64(0)
    for s in range(seg_start.shape[0]):
        b = base + seg_start[s]
        for t in range(seg_len[s]):
            acc += code[b + t]
    return acc


@njit(cache=True, inline="always")
def kth_cell(code, cell, target, k, seg_start, seg_len, seg_dx0, seg_dy, width, height, vision):
    """Torus index of the k-th (0-based) neighbourhood cell whose code equals `target`."""
    base = padded_index(cell, width, vision)
    x = cell % width
    y = cell // width
    for s in range(seg_start.shape[0]):
        b = base + seg_start[s]
        for t in range(seg_len[s]):
            if code[b + t] == target:
                if k == 0:
                    nx = (x + seg_dx0[s] + t) % width
                    ny = (y + seg_dy[s]) % height
                    return ny * width + nx
                k -= 1
    return -1  # unreachable when k < number of matches


@njit(cache=True)
def run_steps(
    code, cell_agent, pos, is_cop, grievance, risk, state, jail, order,
    seg_start, seg_len, seg_dx0, seg_dy,
    width, height, vision, threshold, arrest_constant, max_jail, movement,
    rng, counts, first_row,
):  # fmt: skip
    """Advance `counts.shape[0] - first_row` steps; row i of `counts` gets (active, quiet, jailed)."""
    n = order.shape[0]
    for row in range(first_row, counts.shape[0]):
        # Fisher-Yates: a uniform random activation order every step, as Mesa's shuffle.
        for i in range(n - 1, 0, -1):
            j = rng.integers(0, i + 1)
            tmp = order[i]
            order[i] = order[j]
            order[j] = tmp
        for a in order:
            if not is_cop[a] and jail[a] > 0:
                # Serving a sentence: count down and do nothing else (Mesa: `if jail_sentence`).
                jail[a] -= 1
                continue
            cell = pos[a]
            acc = scan(code, padded_index(cell, width, vision), seg_start, seg_len)
            n_empty = acc & FIELD_MASK
            n_active = (acc >> FIELD_BITS) & FIELD_MASK
            if is_cop[a]:
                if n_active > 0:
                    k = rng.integers(0, n_active)
                    hit = kth_cell(code, cell, ACTIVE_CODE, k, seg_start, seg_len, seg_dx0,
                                   seg_dy, width, height, vision)
                    c = cell_agent[hit]
                    jail[c] = rng.integers(0, max_jail + 1)  # inclusive, as random.randint
                    state[c] = JAILED
                    set_code(code, hit, 0, width, height, vision)
                mine = COP_CODE
            else:
                n_cops = acc >> (2 * FIELD_BITS)
                # Mesa counts the citizen herself among the actives and rounds half to even.
                ratio = np.rint(n_cops / (n_active + 1))
                p_arrest = 1.0 - np.exp(-1.0 * arrest_constant * ratio)
                if grievance[a] - risk[a] * p_arrest > threshold:
                    state[a] = ACTIVE
                    mine = ACTIVE_CODE
                else:
                    state[a] = QUIET
                    mine = 0
                set_code(code, cell, mine, width, height, vision)
            if movement and n_empty > 0:
                k = rng.integers(0, n_empty)
                dest = kth_cell(code, cell, EMPTY_CODE, k, seg_start, seg_len, seg_dx0,
                                seg_dy, width, height, vision)
                set_code(code, cell, EMPTY_CODE, width, height, vision)
                set_code(code, dest, mine, width, height, vision)
                cell_agent[cell] = -1
                cell_agent[dest] = a
                pos[a] = dest
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
