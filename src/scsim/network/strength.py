"""Friendship tie strength, stored for the ties that changed only.

A tie is intact (255) until shaming weakens or cuts it (0). In a year of the reference
scheme about 2.5 % of ties change, so a byte per tie (8 per individual) held mostly 255s.
Here a bit per tie says "changed", and the changed ties' strengths are kept in tie order,
found by rank (engine/ranked.py): about 1.1 bytes per individual plus 1 per changed tie.
Reading a tie is a bit test, and a few popcounts for the few that changed.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.ids import unique_inverse
from scsim.engine.ranked import empty_bits, insert_at, join, ranks, slot_of, slots

FULL = 255  # strength of an intact friendship tie


@numba.njit(cache=True, inline="always")
def strength_at(j, bits, prefix, val):
    """Strength of tie j (for kernels): 255 unless its bit says it changed."""
    k = slot_of(j, bits, prefix)
    return FULL if k < 0 else val[k]


_NO_BITS, _NO_PREFIX, _NO_VAL = np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.uint8)


def strength_parts(st: TieStrength | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bits, prefix, val) for `strength_at` in kernels; empty arrays when no tie has a
    strength (every tie intact)."""
    return (st.bits, st.prefix, st.val) if st is not None else (_NO_BITS, _NO_PREFIX, _NO_VAL)


class TieStrength:
    def __init__(self, ties: int):
        self.ties = ties
        self.bits, self.prefix = empty_bits(ties)  # changed ties, and a running count
        self.val = np.empty(0, np.uint8)  # strength of each changed tie, in tie order

    def get(self, ties: np.ndarray) -> np.ndarray:
        """Strength (uint8) of each tie position."""
        s = slots(self.bits, self.prefix, ties)
        out = np.full(s.shape, FULL, np.uint8)
        changed = s >= 0
        out[changed] = self.val[s[changed]]
        return out

    def set(self, ties: np.ndarray, values: np.ndarray) -> None:
        """Set ties to values (for a tie given twice, the last value)."""
        ties = np.asarray(ties, np.int64)
        if ties.size == 0:
            return
        values = np.broadcast_to(np.asarray(values, np.uint8), ties.shape)
        uniq, inv = unique_inverse(ties)
        last = np.empty(uniq.size, np.uint8)
        last[inv] = values  # fancy assignment: the last occurrence wins
        s = slots(self.bits, self.prefix, uniq)
        old = s >= 0
        self.val[s[old]] = last[old]
        new = uniq[~old]
        if new.size:  # sorted: inserted in place of a re-sort
            self.val = insert_at(self.val, ranks(self.bits, self.prefix, new), last[~old])
            join(self.bits, self.prefix, new, +1)

    def intact(self) -> int:
        """Ties (directed entries) not cut."""
        return int(self.ties - (self.val == 0).sum())

    @property
    def nbytes(self) -> int:
        return int(self.bits.nbytes + self.prefix.nbytes + self.val.nbytes)
