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

from scsim.network.strength import FULL, strength_at
from scsim.society.perception import _half

_EMPTY_I32 = np.empty(0, np.int32)
_EMPTY_U8 = np.empty(0, np.uint8)
_EMPTY_U64 = np.empty(0, np.uint64)
_EMPTY_I64 = np.empty(0, np.int64)


@numba.njit(cache=True, inline="always")
def _near_one(e, active, f_ptr, f_idx, bits, pos, val, h_of, h_ptr, h_members, full):
    """Active agents in e's vision: intact friends by tie strength, then household members."""
    s = 0.0
    if f_ptr.size:
        weighted = bits.size > 0
        for j in range(f_ptr[e], f_ptr[e + 1]):
            if weighted:
                if active[f_idx[j]]:
                    w = strength_at(j, bits, pos, val)
                    if w > 0:
                        s += np.float64(w) / full
            elif active[f_idx[j]]:
                s += 1.0
    if h_of.size:
        h = h_of[e]
        for j in range(h_ptr[h], h_ptr[h + 1]):
            m = h_members[j]
            if m != e and active[m]:
                s += 1.0
    return s


@numba.njit(cache=True, parallel=True)
def _active_near(ids, active, f_ptr, f_idx, bits, pos, val, h_of, h_ptr, h_members, full):
    out = np.zeros(ids.size)
    for i in numba.prange(ids.size):
        out[i] = _near_one(ids[i], active, f_ptr, f_idx, bits, pos, val, h_of, h_ptr,
                           h_members, full)
    return out


@numba.njit(cache=True, parallel=True)
def _epstein(ids, hardship, legit_bits, risk, enforcement, region, k, threshold, active,
             f_ptr, f_idx, bits, pos, val, h_of, h_ptr, h_members, full):
    out = np.empty(ids.size, np.bool_)
    for i in numba.prange(ids.size):
        e = ids[i]
        g = np.float64(hardship[e]) * (1 - _half(legit_bits[e]))
        r = np.float64(risk[e])
        # 0 <= P <= 1: for R >= 0, G - R P lies between G - R and G, so most are decided
        # without counting the active agents they see (the costly part).
        if r >= 0 and g <= threshold:
            out[i] = False
        elif r >= 0 and g - r > threshold:
            out[i] = True
        else:
            a = 1.0  # A counts the individual itself, as in Epstein
            a += _near_one(e, active, f_ptr, f_idx, bits, pos, val, h_of, h_ptr, h_members,
                           full)
            p = 1 - np.exp(-k * enforcement[region[e]] / a)
            out[i] = g - r * p > threshold
    return out


def _net_arrays(net) -> tuple:
    f = net.friends if net is not None else None
    h = net.households if net is not None else None
    st = net.strength if net is not None else None
    return (f.indptr if f is not None else _EMPTY_I32,
            f.indices if f is not None else _EMPTY_I32,
            *((st.bits, st.pos, st.val) if st is not None
              else (_EMPTY_U64, _EMPTY_I64, _EMPTY_U8)),
            h.of if h is not None else _EMPTY_I32,
            h.ptr if h is not None else _EMPTY_I32,
            h.members if h is not None else _EMPTY_I32, float(FULL))


def epstein_rule(ids: np.ndarray, hardship: np.ndarray, legitimacy: np.ndarray,
                 risk: np.ndarray, enforcement: np.ndarray, region: np.ndarray, k: float,
                 threshold: float, active: np.ndarray, net) -> np.ndarray:
    """G - R P > T for each individual (Epstein's activation rule), G = H (1 - L) with L a
    float16 legitimacy, P = 1 - exp(-k C / A), in one parallel pass."""
    return _epstein(np.ascontiguousarray(ids, np.int64), hardship, legitimacy.view(np.uint16),
                    risk, enforcement, region, float(k), float(threshold), active,
                    *_net_arrays(net))


def active_near(net, ids: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Sum over each individual's intact friends (weighted by tie strength) and household
    members of `active` (a bool per individual)."""
    return _active_near(np.ascontiguousarray(ids, np.int64), active, *_net_arrays(net))
