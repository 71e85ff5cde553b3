"""Which entities get a row in the entities table, and each one's row.

The table holds every entity, or a uniform sample of `run.entities_table_max_rows` of them
when there are more (drawn from the named stream "entities-sample", so the same rows whether
drawn before the run or after). The per-entity counters (acts, records, denials ...) exist
only to fill that table, so they are kept for its rows only: 14 bytes per entity at 1e7
became 14 bytes per row plus a bit per entity. A row is found from an entity id by a bitset
with a running count per 64 entities (rank: about 0.19 bytes per entity).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
EMPTY_WORDS = np.empty(0, np.uint64)
EMPTY_PREFIX = np.empty(0, np.int64)


@numba.njit(cache=True, inline="always")
def _popcount(x):
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return np.int64((x * _H01) >> np.uint64(56))


@numba.njit(cache=True, inline="always")
def row_of(e, words, prefix):
    """Row of entity e, or -1 if it has none; every entity is its own row when `words` is
    empty (no sample)."""
    if words.size == 0:
        return e
    w = words[e >> 6]
    b = np.uint64(e & 63)
    if not (w >> b) & np.uint64(1):
        return -1
    return prefix[e >> 6] + _popcount(w & ((np.uint64(1) << b) - np.uint64(1)))


@numba.njit(cache=True, nogil=True)
def _rows(ids, words, prefix):
    out = np.empty(ids.size, np.int64)
    for i in range(ids.size):
        out[i] = row_of(ids[i], words, prefix)
    return out


@numba.njit(cache=True, nogil=True)
def set_bits(words, ids):
    for i in range(ids.size):
        e = ids[i]
        words[e >> 6] |= np.uint64(1) << np.uint64(e & 63)


@numba.njit(cache=True, nogil=True)
def clear_bits(words, ids):
    for i in range(ids.size):
        e = ids[i]
        words[e >> 6] &= ~(np.uint64(1) << np.uint64(e & 63))


@numba.njit(cache=True, nogil=True)
def _word_counts(words):
    out = np.empty(words.size, np.int64)
    for i in range(words.size):
        out[i] = _popcount(words[i])
    return out


def count_bits(words: np.ndarray) -> int:
    """Number of set bits (over a whole bitset, or a combination of bitsets)."""
    return int(_word_counts(np.ascontiguousarray(words, np.uint64)).sum())


def bitset(n: int, ids: np.ndarray) -> np.ndarray:
    words = np.zeros((n + 63) // 64, np.uint64)
    set_bits(words, np.ascontiguousarray(ids, np.int64))
    return words


@numba.njit(cache=True, nogil=True, parallel=True)
def _bits_of(words, ids):
    out = np.empty(ids.size, np.bool_)
    for i in numba.prange(ids.size):  # reads only: each answer its own
        e = ids[i]
        out[i] = (words[e >> 6] >> np.uint64(e & 63)) & np.uint64(1)
    return out


_bits_of_serial = serial_twin(_bits_of)


def bits_of(words: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Whether each id's bit is set (one pass: NumPy took five over the ids)."""
    ids = np.asarray(ids)
    flat = np.ascontiguousarray(ids.ravel(), np.int64)
    bits = _bits_of if flat.size >= SERIAL_BELOW else _bits_of_serial
    return bits(words, flat).reshape(ids.shape)


class EntityRows:
    def __init__(self, n: int, cap: int, rng: np.random.Generator):
        self.n = n
        if n <= cap:
            self.ids = None  # every entity, row = id
            self.size = n
            self.words, self.prefix = EMPTY_WORDS, EMPTY_PREFIX
            return
        ids = np.sort(rng.choice(n, size=cap, replace=False))
        self.ids = ids.astype(np.int32) if n < 2**31 else ids  # kept: half the bytes
        self.size = int(cap)
        self.words = bitset(n, ids)
        per_word = _word_counts(self.words)
        self.prefix = np.cumsum(per_word) - per_word

    @property
    def sampled(self) -> bool:
        return self.ids is not None

    def entity_ids(self) -> np.ndarray:
        """The entities with a row, in row order (ascending)."""
        if self.ids is None:
            return np.arange(self.n, dtype=np.int64)
        return self.ids.astype(np.int64)

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id (-1: none)."""
        return _rows(np.ascontiguousarray(ids, np.int64), self.words, self.prefix)

    def nbytes(self) -> int:
        return int(self.words.nbytes + self.prefix.nbytes
                   + (self.ids.nbytes if self.ids is not None else 0))
