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

from scsim.engine.plain_loops import copy_run, writable_like
from scsim.engine.rows import _popcount, clear_bits, set_bits
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin

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


_slots_serial = serial_twin(_slots)


def slots(words: np.ndarray, prefix: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Slot of each id's fields, -1 for non-members."""
    ids = np.ascontiguousarray(ids, np.int64)
    return (_slots if ids.size >= SERIAL_BELOW else _slots_serial)(ids, words, prefix, False)


def ranks(words: np.ndarray, prefix: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Members below each id: where a new member's fields go (np.insert)."""
    ids = np.ascontiguousarray(ids, np.int64)
    return (_slots if ids.size >= SERIAL_BELOW else _slots_serial)(ids, words, prefix, True)


@numba.njit(cache=True, nogil=True)
def _shift_counts(prefix, ids, sign):
    """prefix[b] += sign * (ids in blocks before b), ids ascending: one pass (a bincount,
    a cumsum and an add were three over the running counts)."""
    below = 0
    j = 0
    for b in range(1, prefix.size):
        while j < ids.size and (ids[j] >> BLOCK) < b:
            below += 1
            j += 1
        prefix[b] += sign * below


def join(words: np.ndarray, prefix: np.ndarray, ids: np.ndarray, sign: int) -> None:
    """Set (sign +1) or clear (-1) the bits of ids (sorted, distinct, all changing) and
    shift the running counts."""
    ids = np.ascontiguousarray(ids, np.int64)
    (set_bits if sign > 0 else clear_bits)(words, ids)
    _shift_counts(prefix, ids, int(sign))


@numba.njit(cache=True, nogil=True)
def _insert(fields, at, values):
    out = np.empty(fields.size + at.size, fields.dtype)
    done = 0  # fields copied so far
    for j in range(at.size):
        p = at[j]
        copy_run(out, done + j, fields, done, p - done)
        out[p + j] = values[j]
        done = p
    copy_run(out, done + at.size, fields, done, fields.size - done)
    return out


def insert_at(fields: np.ndarray, at: np.ndarray, values: np.ndarray | int) -> np.ndarray:
    """`np.insert(fields, at, values)` for ascending `at` (new members' ranks): one pass
    instead of NumPy's index sort and masks over the whole array."""
    at = np.ascontiguousarray(at, np.int64)
    values = writable_like(values, fields.dtype, at.shape)
    return _insert(fields, at, values)


@numba.njit(cache=True, nogil=True)
def _delete(fields, at):
    out = np.empty(fields.size - at.size, fields.dtype)
    done = 0
    for j in range(at.size):
        p = at[j]
        copy_run(out, done - j, fields, done, p - done)
        done = p + 1
    copy_run(out, done - at.size, fields, done, fields.size - done)
    return out


def delete_at(fields: np.ndarray, at: np.ndarray) -> np.ndarray:
    """`np.delete(fields, at)` for ascending, distinct `at` (leaving members' slots)."""
    return _delete(fields, np.ascontiguousarray(at, np.int64))


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
