"""Whether any entity linked to each id (friends, household relations) is on given lists.

The demand split asks it of the entities whose status may have moved, for each spill-over
rule (engine/demand.py). Walking a link into (id, linked) pairs, testing the pairs and
folding them back took three passes and two temporaries the size of the pairs; these walk
each id's friends row or household ring once and stop at the first listed one. Same
answers: a friend counts while the tie is intact (strength above 0), a relative as
`Network.pairs` names it (network/households.py).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.packed import packed_at
from scsim.engine.ranked import is_member
from scsim.engine.serial_twin import (
    SERIAL_BELOW_READS,
    SERIAL_BELOW_WALKS,
    serial_twin,
)
from scsim.network.households import CHILD, RELATIONS, _flags, _head, _wanted, next_member
from scsim.network.packed_csr import row_start
from scsim.network.strength import strength_at, strength_parts

_NO_WORDS = np.empty(0, np.uint64)


@numba.njit(cache=True, inline="always")
def _on_any(e, words, n_lists):
    for k in range(n_lists):
        if is_member(e, words[k]):
            return True
    return False


@numba.njit(cache=True, parallel=True)
def _friends_listed(ids, n_ind, base, off, shift, f_words, f_bits, st_bits, st_prefix, st_val,
                    words, n_lists):
    out = np.zeros(ids.size, np.bool_)
    for i in numba.prange(ids.size):  # each id its own answer: any thread count
        e = ids[i]
        if e >= n_ind:
            continue
        for j in range(row_start(base, off, shift, e), row_start(base, off, shift, e + 1)):
            # The lists first: few friends are listed, and the tie's strength is a read
            # further away in memory.
            if _on_any(packed_at(f_words, f_bits, j), words, n_lists) and (
                    st_bits.size == 0 or strength_at(j, st_bits, st_prefix, st_val) > 0):
                out[i] = True
                break
    return out


_friends_listed_serial = serial_twin(_friends_listed)


@numba.njit(cache=True, parallel=True)
def _relatives_listed(rel, ids, n_ind, ring, bits, words, n_lists):
    out = np.zeros(ids.size, np.bool_)
    for i in numba.prange(ids.size):
        e = ids[i]
        if e >= n_ind:
            continue
        h = _head(e, ring, bits)
        e_child = (_flags(ring, bits, e) & CHILD) != 0
        second = next_member(ring, bits, h)
        couple = second != h and not _flags(ring, bits, second) & CHILD
        m = h
        while True:
            if _wanted(rel, e, m, e_child, (_flags(ring, bits, m) & CHILD) != 0, couple) \
                    and _on_any(m, words, n_lists):
                out[i] = True
                break
            m = next_member(ring, bits, m)
            if m == h:
                break
    return out


_relatives_listed_serial = serial_twin(_relatives_listed)


def linked_listed(net, via: str, ids: np.ndarray, words: list[np.ndarray]) -> np.ndarray | None:
    """For each id, whether an entity linked to it by `via` is on one of the lists whose
    membership bits are `words`; None for a link walked elsewhere (work links)."""
    ids = np.ascontiguousarray(ids, np.int64)
    tup = tuple(words) if words else (_NO_WORDS,)
    if via == "friends":
        if net.friends is None:
            return np.zeros(ids.size, bool)
        walk = _friends_listed if ids.size >= SERIAL_BELOW_WALKS else _friends_listed_serial
        return walk(ids, net.n_ind, *net.friends.kernel_parts(),
                               *strength_parts(net.strength), tup, len(words))
    if via in RELATIONS:
        if net.households is None:
            return np.zeros(ids.size, bool)
        walk = _relatives_listed if ids.size >= SERIAL_BELOW_READS else _relatives_listed_serial
        return walk(RELATIONS.index(via), ids, net.n_ind,
                                 *net.households.kernel_parts(), tup, len(words))
    return None
