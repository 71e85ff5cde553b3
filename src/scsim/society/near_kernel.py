"""Active individuals within an individual's vision (friends and household), in one pass.

Epstein's arrest probability needs, for each individual asked today, the active agents it
sees. The NumPy version expanded every tie of every individual asked into pair arrays (about
nine ties each, a third of the population asked a day at 1e7) before summing; this walks each
individual's friend row and household once, in parallel, and adds in the same order (friends
in row order, then household members), so the sums are the same to the bit.

Most individuals asked see no active agent at all (about four in five in the reference, where
2 % are active). A bitset `near` skips them: its bit is set for every friend and household
member of an individual when it turns active (ties are symmetric, so those are the ones who
see it) and cleared when a walk finds no active agent. A clear bit therefore means "sees no
active agent" and the skipped sum is 0.0, what the walk would have found: the same results.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.packed import packed_at
from scsim.engine.ranked import is_member
from scsim.engine.rows import clear_bits
from scsim.engine.serial_twin import SERIAL_BELOW_WALKS, serial_twin
from scsim.network.households import next_member
from scsim.network.packed_csr import row_start
from scsim.network.strength import FULL, strength_at, strength_parts

_EMPTY_U16 = np.empty(0, np.uint16)
_EMPTY_U64 = np.empty(0, np.uint64)
_EMPTY_I64 = np.empty(0, np.int64)


@numba.njit(cache=True, parallel=True)
def _active_near(ids, active, near, f_base, f_off, f_shift, f_words, f_bits, bits, prefix,
                 val, h_ring, h_bits, full):
    """Sums, and whether each walk met an active agent (False where `near` skipped it)."""
    out = np.zeros(ids.size)
    met = np.zeros(ids.size, np.bool_)
    weighted = bits.size > 0
    # The positions to walk first (a clear `near` bit: sees no active agent, sum 0.0),
    # without branches: skipping four in five behind a branch mispredicted often, and a
    # mispredicted branch stalls the walks' reads that follow it.
    walk = np.empty(ids.size, np.int64)
    m = 0
    for i in range(ids.size):
        walk[m] = i
        m += (near.size == 0) or is_member(ids[i], near)
    for q in numba.prange(m):
        i = walk[q]
        e = ids[i]
        s = 0.0
        seen = False
        if f_off.size:
            for j in range(row_start(f_base, f_off, f_shift, e),
                           row_start(f_base, f_off, f_shift, e + 1)):
                friend = packed_at(f_words, f_bits, j)
                if is_member(friend, active):
                    seen = True
                    if weighted:
                        w = strength_at(j, bits, prefix, val)
                        if w > 0:
                            s += np.float64(w) / full
                    else:
                        s += 1.0
        if h_ring.size:  # the household ring: every other member once (each adds 1.0)
            m = next_member(h_ring, h_bits, e)
            while m != e:
                if is_member(m, active):
                    seen = True
                    s += 1.0
                m = next_member(h_ring, h_bits, m)
        out[i] = s
        met[i] = seen
    return out, met


_active_near_serial = serial_twin(_active_near)


@numba.njit(cache=True)
def _mark_near(ids, near, f_base, f_off, f_shift, f_words, f_bits, h_ring, h_bits):
    """Set the `near` bit of every friend (any strength: a cut tie may heal) and household
    member of each id. Serial: two ids may share a word of bits."""
    for i in range(ids.size):
        e = ids[i]
        if f_off.size:
            for j in range(row_start(f_base, f_off, f_shift, e),
                           row_start(f_base, f_off, f_shift, e + 1)):
                f = packed_at(f_words, f_bits, j)
                near[f >> 6] |= np.uint64(1) << np.uint64(f & 63)
        if h_ring.size:
            m = next_member(h_ring, h_bits, e)
            while m != e:
                near[m >> 6] |= np.uint64(1) << np.uint64(m & 63)
                m = next_member(h_ring, h_bits, m)


def _parts(net) -> tuple:
    f, h = net.friends, net.households
    return ((f.kernel_parts() if f is not None else (_EMPTY_I64, _EMPTY_U16, 0, _EMPTY_U64, 1)),
            (h.kernel_parts() if h is not None else (_EMPTY_U64, 1)))


def active_near(net, ids: np.ndarray, active: np.ndarray,
                near: np.ndarray | None = None) -> np.ndarray:
    """Sum over each individual's intact friends (weighted by tie strength) and household
    members of `active` (a bitset: a bit per individual). With `near` (see the module's
    docstring) individuals whose bit is clear are not walked, and those whose walk meets no
    active agent have their bit cleared."""
    friends, household = _parts(net)
    ids = np.ascontiguousarray(ids, np.int64)
    walk = _active_near if ids.size >= SERIAL_BELOW_WALKS else _active_near_serial
    out, met = walk(ids, active, _EMPTY_U64 if near is None else near, *friends,
                            *strength_parts(net.strength), *household, float(FULL))
    if near is not None:
        clear_bits(near, ids[~met])
    return out


def mark_near(net, ids: np.ndarray, near: np.ndarray) -> None:
    """These individuals turned active: set the `near` bit of everyone who sees them."""
    friends, household = _parts(net)
    _mark_near(np.ascontiguousarray(ids, np.int64), near, *friends, *household)
