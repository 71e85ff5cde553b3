"""Non-negative integers in as many bits as their bound needs, end to end in 64-bit words.

An id below n needs ceil(log2 n) bits: 24 at 1e7, 27 at 1e8, where an int32 takes 32.
Per-individual id arrays that are read a few at a time (friends, the household ring, the
employer, the name index) are kept packed; reading one is two word loads and shifts
(`packed_at`, for kernels), and packing is a function of the values alone, word by word,
so it gives the same words on any number of threads.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin

_U1 = np.uint64(1)


@numba.njit(cache=True, inline="always")
def packed_at(words, bits, j):
    """The j-th packed value (bits <= 32; the words carry one word of padding)."""
    b = j * bits
    w = b >> 6
    o = np.uint64(b & 63)
    lo = words[w] >> o
    hi = (words[w + 1] << _U1) << (np.uint64(63) - o)  # two shifts: o = 0 shifts by 64
    return np.int64((lo | hi) & ((_U1 << np.uint64(bits)) - _U1))


@numba.njit(cache=True, parallel=True)
def _pack(values, bits, words):
    """Word w holds bits [64 w, 64 w + 64) of the values laid end to end: each word is
    computed from the values that overlap it, a word per iteration."""
    total = values.size
    for w in numba.prange(words.size):
        first_bit = w * 64
        j0 = first_bit // bits
        j1 = min((first_bit + 63) // bits, total - 1)
        acc = np.uint64(0)
        for j in range(j0, j1 + 1):
            shift = j * bits - first_bit
            v = np.uint64(values[j])
            if shift >= 0:
                acc |= v << np.uint64(shift)
            else:
                acc |= v >> np.uint64(-shift)
        words[w] = acc


@numba.njit(cache=True, parallel=True)
def _gather(words, bits, pos):
    out = np.empty(pos.size, np.int64)
    for i in numba.prange(pos.size):
        out[i] = packed_at(words, bits, pos[i])
    return out


_gather_serial = serial_twin(_gather)


@numba.njit(cache=True, parallel=True)
def _unpack(words, bits, out):
    for i in numba.prange(out.size):
        out[i] = packed_at(words, bits, i)


def bits_for(limit: int) -> int:
    """Bits for values in [0, limit)."""
    return max(1, int(limit - 1).bit_length())


class PackedInts:
    """Values in [0, limit), packed; `[positions]` reads them back as int64."""

    def __init__(self, values: np.ndarray, limit: int):
        if limit > 2**32:
            raise ValueError(f"values up to {limit - 1} need more than 32 bits")
        self.bits = bits_for(limit)
        self.size = int(values.size)
        self.words = np.zeros((self.size * self.bits + 63) // 64 + 1, np.uint64)  # + padding
        _pack(np.ascontiguousarray(values), self.bits, self.words)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, pos: np.ndarray) -> np.ndarray:
        pos = np.ascontiguousarray(pos, np.int64)
        gather = _gather if pos.size >= SERIAL_BELOW else _gather_serial
        return gather(self.words, self.bits, pos)

    def to_array(self, dtype: type = np.int64) -> np.ndarray:
        """Every value (a copy)."""
        out = np.empty(self.size, dtype)
        _unpack(self.words, self.bits, out)
        return out

    @property
    def nbytes(self) -> int:
        return int(self.words.nbytes)
