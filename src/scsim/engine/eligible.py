"""The entities a rate's filters let through, as a bitset that answers rank and select.

Candidates of a filtered rate are drawn among its eligible entities: the k-th eligible one
is wanted (select), and a request rate asks whether an entity is eligible (membership). A
sorted list of the eligible ids answered both with 4 bytes per eligible entity (6 bytes per
individual at 1e7 for the reference's five filters); a bit per entity and a running count
per 64 answer them with 0.19 bytes per entity, and give the same ids in the same order.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.plain_loops import bisect_right
from scsim.engine.rows import _popcount, _word_counts, bits_of
from scsim.engine.serial_twin import SERIAL_BELOW_READS, serial_twin

_PIECES = 16  # fixed pieces of the ranks, each on its own thread; every answer is its own


@numba.njit(cache=True, parallel=True)
def _select(words, prefix, ranks):
    """Id of the eligible entity of each rank: a binary search for the first rank of each
    piece (and after any rank below the one before), then a walk forward over the words."""
    n = ranks.size
    out = np.empty(n, np.int64)
    pieces = _PIECES if n >= 1 << 14 else 1
    for c in numba.prange(pieces):
        wi = 0
        first = n * c // pieces
        for i in range(first, n * (c + 1) // pieces):
            r = ranks[i]
            if i == first or r < ranks[i - 1]:
                wi = max(bisect_right(prefix, r, 0, prefix.size) - 1, 0)
            while wi + 1 < prefix.size and prefix[wi + 1] <= r:
                wi += 1
            w = words[wi]
            for _ in range(r - prefix[wi]):  # drop the lower set bits of the word
                w &= w - np.uint64(1)
            out[i] = (np.int64(wi) << 6) + _popcount((w & (~w + np.uint64(1))) - np.uint64(1))
    return out


_select_serial = serial_twin(_select)


class Eligible:
    """Local ids (of one kind) with `mask` True."""

    def __init__(self, mask: np.ndarray):
        bits = np.packbits(np.asarray(mask, bool), bitorder="little")
        pad = (-bits.size) % 8
        self.words = np.concatenate([bits, np.zeros(pad, np.uint8)]).view("<u8").astype(
            np.uint64, copy=False)
        per_word = _word_counts(self.words)
        self.size = int(per_word.sum())
        self.prefix = (np.cumsum(per_word) - per_word).astype(
            np.int32 if self.size < 2**31 else np.int64)

    def take(self, ranks: np.ndarray) -> np.ndarray:
        """The eligible ids of these ranks (0 <= rank < size), int64; fastest ascending."""
        ranks = np.ascontiguousarray(ranks, np.int64)
        select = _select if ranks.size >= SERIAL_BELOW_READS else _select_serial
        return select(self.words, self.prefix, ranks)

    def range(self, start: int, stop: int) -> np.ndarray:
        """The eligible ids of ranks start to stop - 1, ascending."""
        return self.take(np.arange(start, stop, dtype=np.int64))

    def contains(self, local: np.ndarray) -> np.ndarray:
        return bits_of(self.words, local)

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes + self.prefix.nbytes)
