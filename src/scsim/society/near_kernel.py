"""Active individuals within an individual's vision (friends and household), in one pass.

Epstein's arrest probability needs, for each individual asked today, the active agents it
sees. The NumPy version expanded every tie of every individual asked into pair arrays (about
nine ties each, a third of the population asked a day at 1e7) before summing; this walks each
individual's friend row and household once, in parallel, and adds in the same order (friends
in row order, then household members), so the sums are the same to the bit.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.packed import packed_at
from scsim.engine.ranked import is_member
from scsim.network.households import next_member
from scsim.network.packed_csr import row_start
from scsim.network.strength import FULL, strength_at
from scsim.society.perception import float16_value

_EMPTY_U16 = np.empty(0, np.uint16)
_EMPTY_U8 = np.empty(0, np.uint8)
_EMPTY_U64 = np.empty(0, np.uint64)
_EMPTY_I64 = np.empty(0, np.int64)


@numba.njit(cache=True, parallel=True)
def _active_near(ids, active, f_base, f_off, f_shift, f_words, f_bits, bits, prefix, val,
                 h_ring, h_bits, full):
    out = np.zeros(ids.size)
    weighted = bits.size > 0
    for i in numba.prange(ids.size):
        e = ids[i]
        s = 0.0
        if f_off.size:
            for j in range(row_start(f_base, f_off, f_shift, e),
                           row_start(f_base, f_off, f_shift, e + 1)):
                friend = packed_at(f_words, f_bits, j)
                if weighted:
                    if is_member(friend, active):
                        w = strength_at(j, bits, prefix, val)
                        if w > 0:
                            s += np.float64(w) / full
                elif is_member(friend, active):
                    s += 1.0
        if h_ring.size:  # the household ring: every other member once (each adds 1.0)
            m = next_member(h_ring, h_bits, e)
            while m != e:
                if is_member(m, active):
                    s += 1.0
                m = next_member(h_ring, h_bits, m)
        out[i] = s
    return out


@numba.njit(cache=True, parallel=True)
def epstein_bounds(ids, hardship, legitimacy_bits, risk, threshold, unit):
    """Grievance G = H (1 - L) and risk aversion R of each individual asked, as float64;
    whether it is surely active (G - R > T, R >= 0) and whether it is open: neither surely
    active nor surely quiet (G <= T), so that the active agents it sees must be counted.
    One read of each individual's attributes (legitimacy as float16 bits; H and R as
    stored times `unit`: 1 / 65535 for 16-bit codes)."""
    g = np.empty(ids.size)
    r = np.empty(ids.size)
    out = np.empty(ids.size, np.bool_)
    open_ = np.empty(ids.size, np.bool_)
    for i in numba.prange(ids.size):
        e = ids[i]
        gi = np.float64(hardship[e]) * unit \
            * (1.0 - float16_value(np.uint32(legitimacy_bits[e])))
        ri = np.float64(risk[e]) * unit
        sure = ri >= 0
        o = sure and gi - ri > threshold
        g[i], r[i], out[i] = gi, ri, o
        open_[i] = not (sure and (gi <= threshold or o))
    return g, r, out, open_


def active_near(net, ids: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Sum over each individual's intact friends (weighted by tie strength) and household
    members of `active` (a bitset: a bit per individual)."""
    f, h, st = net.friends, net.households, net.strength
    return _active_near(np.ascontiguousarray(ids, np.int64), active,
                        *(f.kernel_parts() if f is not None
                          else (_EMPTY_I64, _EMPTY_U16, 0, _EMPTY_U64, 1)),
                        *((st.bits, st.prefix, st.val) if st is not None
                          else (_EMPTY_U64, _EMPTY_I64, _EMPTY_U8)),
                        *(h.kernel_parts() if h is not None else (_EMPTY_U64, 1)),
                        float(FULL))
