"""The core of the demand split's predicate (engine/demand.py) in one pass per entity.

NumPy gathered the kind, each list's entry day and both scores into temporaries and OR-ed
them; this reads each entity's fields once. Mechanisms (firms, ties) are added after, in
NumPy, only when a scenario has them.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.kernels import kind_of
from scsim.engine.ranked import is_member
from scsim.engine.serial_twin import SERIAL_BELOW_READS, serial_twin


@numba.njit(cache=True, parallel=True)
def _core_special(ids, starts, individual, words, n_lists, score, true_score, special0,
                  flips, tiers):
    out = np.empty(ids.size, np.bool_)
    for i in numba.prange(ids.size):  # each id its own answer: any thread count, same out
        e = ids[i]
        s = kind_of(e, starts) != individual
        for li in range(n_lists):
            s = s or is_member(e, words[li])
        if not s and tiers:
            a = special0
            b = special0
            for f in flips:  # tier_special flips at each of these scores
                a ^= score[e] < f
                b ^= true_score[e] < f
            s = a or b
        out[i] = s
    return out


_core_special_serial = serial_twin(_core_special)


def core_special(ids: np.ndarray, starts: np.ndarray, individual: int,
                 words: list[np.ndarray], score: np.ndarray,
                 true_score: np.ndarray, special0: bool, flips: np.ndarray,
                 tiers: bool) -> np.ndarray:
    """True for entities (`starts`: first id of each kind) that are not individuals, are on
    a list, or whose recorded or true score lies in a tier some rule names (`tiers`: some
    tier does). `words`: each list's membership bits (ListState.words)."""
    tup = tuple(words) if words else (np.empty(0, np.uint64),)
    ids = np.ascontiguousarray(ids, np.int64)
    special = _core_special if ids.size >= SERIAL_BELOW_READS else _core_special_serial
    return special(ids, starts, individual, tup,
                         len(words), score, true_score, bool(special0),
                         np.asarray(flips, np.float32), bool(tiers))
