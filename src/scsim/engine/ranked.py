"""Fields kept for a few members of a large id range: a bit per id, the fields in id order.

A member's slot in the fields is its rank among the members: a running count per 512 ids
(8 words of bits, one cache line) plus the bits set before it within that line. About 0.14
bytes per id, whatever the members hold; a non-member is answered by one word read. Lists
(engine/listing.py) and changed tie strengths (network/strength.py) are kept this way.
Members join and leave in batches: each shifts the running counts in O(ids / 512).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.rows import _popcount, clear_bits, set_bits

BLOCK = 9  # log2 of the ids per running count


def empty_bits(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(words, prefix) for ids [0, n) with no member."""
    return np.zeros((n + 63) // 64, np.uint64), np.zeros((n >> BLOCK) + 1, np.int64)


@numba.njit(cache=True, inline="always")
def is_member(e, words):
    return ((words[e >> 6] >> np.uint64(e & 63)) & np.uint64(1)) != 0


@numba.njit(cache=True, inline="always")
def rank_of(e, words, prefix):
    """Members with an id below e."""
    w = e >> 6
    s = prefix[e >> BLOCK]
    for j in range((e >> BLOCK) << (BLOCK - 6), w):
        s += _popcount(words[j])
    b = np.uint64(e & 63)
    return s + _popcount(words[w] & ((np.uint64(1) << b) - np.uint64(1)))


@numba.njit(cache=True, inline="always")
def slot_of(e, words, prefix):
    """Slot of member e's fields, or -1 for a non-member."""
    if not is_member(e, words):
        return -1
    return rank_of(e, words, prefix)


@numba.njit(cache=True, nogil=True, parallel=True)
def _slots(ids, words, prefix, ranks):
    out = np.empty(ids.size, np.int64)
    for i in numba.prange(ids.size):  # reads only: each answer its own
        e = ids[i]
        out[i] = rank_of(e, words, prefix) if ranks or is_member(e, words) else -1
    return out


def slots(words: np.ndarray, prefix: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Slot of each id's fields, -1 for non-members."""
    return _slots(np.ascontiguousarray(ids, np.int64), words, prefix, False)


def ranks(words: np.ndarray, prefix: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Members below each id: where a new member's fields go (np.insert)."""
    return _slots(np.ascontiguousarray(ids, np.int64), words, prefix, True)


def join(words: np.ndarray, prefix: np.ndarray, ids: np.ndarray, sign: int) -> None:
    """Set (sign +1) or clear (-1) the bits of ids (sorted, distinct, all changing) and
    shift the running counts."""
    ids = np.ascontiguousarray(ids, np.int64)
    (set_bits if sign > 0 else clear_bits)(words, ids)
    per_block = np.bincount(ids >> BLOCK, minlength=prefix.size)
    prefix[1:] += sign * np.cumsum(per_block)[:-1]


@numba.njit(cache=True, nogil=True)
def _members(words, n):
    out = np.empty(n, np.int64)
    m = 0
    for w in range(words.size):
        x = words[w]
        while x:
            low = x & (~x + np.uint64(1))  # the lowest set bit
            out[m] = (w << 6) + _popcount(low - np.uint64(1))
            m += 1
            x ^= low
    return out


def members(words: np.ndarray, count: int) -> np.ndarray:
    """The `count` members, ascending."""
    return _members(words, count)
