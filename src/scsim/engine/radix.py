"""Stable radix sort of non-negative integer keys with their payload, on all threads.

NumPy's stable argsort of int64 is a merge sort: 80 ms for a million ids. Sorting by digits
of at most 11 bits, least significant first, takes a pass per digit (three for ids below
2**33) and keeps equal keys in input order, so the result is exactly the stable order. Each
pass cuts the input into CHUNKS fixed pieces, counted and placed by one thread each after
the pieces before it within each digit: the same output on any number of threads.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.serial_twin import serial_twin

CHUNKS = 8  # fixed pieces, not threads
DIGIT_BITS = 11  # 2048 counters a piece: they stay in the first-level cache
PARALLEL_FROM = 1 << 16  # below this, one piece


def digits(top: int) -> list[tuple[int, int]]:
    """(shift, mask) of each pass for keys up to `top`: digits of equal width."""
    bits = max(int(top).bit_length(), 1)
    passes = -(-bits // DIGIT_BITS)
    width = -(-bits // passes)
    return [(p * width, (1 << width) - 1) for p in range(passes)]


@numba.njit(cache=True, nogil=True, parallel=True)
def _starts(key, shift, mask, chunks):
    """Where each piece's keys of each digit go: counts, then running sums in (digit, piece)
    order."""
    n = key.size
    at = np.zeros((chunks, mask + 1), np.int64)
    for c in numba.prange(chunks):
        for i in range((n * c) // chunks, (n * (c + 1)) // chunks):
            at[c, (key[i] >> shift) & mask] += 1
    total = 0
    for d in range(mask + 1):
        for c in range(chunks):
            k = at[c, d]
            at[c, d] = total
            total += k
    return at


_starts_serial = serial_twin(_starts)


@numba.njit(cache=True, nogil=True, parallel=True)
def _place(key, a, b, key2, a2, b2, shift, mask, at, with_b):
    """Each piece's entries to their places, in input order within a digit; `b` moves
    along when `with_b` (one payload or two, one kernel)."""
    n, chunks = key.size, at.shape[0]
    for c in numba.prange(chunks):
        fill = at[c]
        for i in range((n * c) // chunks, (n * (c + 1)) // chunks):
            d = (key[i] >> shift) & mask
            j = fill[d]
            fill[d] = j + 1
            key2[j] = key[i]
            a2[j] = a[i]
            if with_b:
                b2[j] = b[i]


_place_serial = serial_twin(_place)


_NO_PAYLOAD = np.empty(0, np.uint8)


def sort_by_key(key: np.ndarray, *payload: np.ndarray,
                top: int | None = None) -> tuple[np.ndarray, ...]:
    """(key, *payload) reordered by key, stably; int64 keys >= 0 (top: their maximum, if
    known). One or two payload arrays. The inputs are left as they are."""
    if not 1 <= len(payload) <= 2:
        raise ValueError("one or two payload arrays")
    key = np.ascontiguousarray(key, np.int64)
    if key.size == 0:
        return (key, *payload)
    chunks = CHUNKS if key.size >= PARALLEL_FROM else 1
    two = len(payload) == 2
    out = [key, *(np.ascontiguousarray(p) for p in payload)] + ([] if two else [_NO_PAYLOAD])
    spare = [np.empty_like(a) for a in out]
    for k, (shift, mask) in enumerate(digits(int(key.max()) if top is None else top)):
        at = (_starts if chunks > 1 else _starts_serial)(out[0], shift, mask, chunks)
        (_place if chunks > 1 else _place_serial)(*out, *spare, shift, mask, at, two)
        # After the first pass the inputs are not written: fresh arrays take their turn.
        out, spare = spare, ([np.empty_like(a) for a in out] if k == 0 else out)
    return tuple(out) if two else tuple(out[:2])
