"""Friendship tie strength, stored for the ties that changed only.

A tie is intact (255) until shaming weakens or cuts it (0). In a year of the reference
scheme about 2.5 % of ties change, so a byte per tie (8 per individual) held mostly 255s.
Here a bit per tie says "changed", and the changed ties' positions (sorted) and strengths
are kept beside it: about 1 byte per individual plus 9 per changed tie. Reading a tie is a
bit test, and a binary search for the few that changed.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.ids import unique_inverse
from scsim.engine.rows import bits_of, set_bits

FULL = 255  # strength of an intact friendship tie


@numba.njit(cache=True, inline="always")
def strength_at(j, bits, pos, val):
    """Strength of tie j (for kernels): 255 unless its bit says it changed."""
    if not (bits[j >> 6] >> np.uint64(j & 63)) & np.uint64(1):
        return FULL
    lo, hi = 0, pos.size
    while lo < hi:
        mid = (lo + hi) // 2
        if pos[mid] < j:
            lo = mid + 1
        else:
            hi = mid
    return val[lo]


class TieStrength:
    def __init__(self, ties: int):
        self.ties = ties
        self.bits = np.zeros((ties + 63) // 64, np.uint64)
        self.pos = np.empty(0, np.int64)  # changed ties, sorted
        self.val = np.empty(0, np.uint8)  # their strength

    def get(self, ties: np.ndarray) -> np.ndarray:
        """Strength (uint8) of each tie position."""
        ties = np.asarray(ties, np.int64)
        out = np.full(ties.shape, FULL, np.uint8)
        changed = bits_of(self.bits, ties) if ties.size else np.zeros(0, bool)
        if changed.any():
            out[changed] = self.val[np.searchsorted(self.pos, ties[changed])]
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
        old = bits_of(self.bits, uniq)
        self.val[np.searchsorted(self.pos, uniq[old])] = last[old]
        new = ~old
        if new.any():  # both sorted: insert in place of a re-sort
            at = np.searchsorted(self.pos, uniq[new])
            self.pos = np.insert(self.pos, at, uniq[new])
            self.val = np.insert(self.val, at, last[new])
            set_bits(self.bits, uniq[new])

    def intact(self) -> int:
        """Ties (directed entries) not cut."""
        return int(self.ties - (self.val == 0).sum())

    @property
    def nbytes(self) -> int:
        return int(self.bits.nbytes + self.pos.nbytes + self.val.nbytes)
