"""Rows of ties in fewer bytes: neighbour ids bit-packed, row starts as 16-bit offsets.

The friendship layer was the largest thing a run holds: 35 bytes an individual at 1e8
(int32 row starts and 7.8 int32 neighbours). A neighbour id needs ceil(log2 n) bits (27 at
1e8, 24 at 1e7), so the neighbours are packed end to end in 64-bit words; a row's start is a
64-bit base per group of 64 rows plus a 16-bit offset (a group holds fewer than 65,536 ties
whenever no row has 1,024; smaller groups are taken where one does). The rows are those of
the CSR they were packed from, tie for tie, so tie positions (tie strength) are unchanged.
Reading a neighbour is two word loads and shifts, in kernels (`packed_at`, `row_start`).
Companies' staff rows (network/work.py) are kept the same way.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.packed import PackedInts, packed_at
from scsim.engine.serial_twin import SERIAL_BELOW_WALKS, serial_twin
from scsim.network.csr import CSR


@numba.njit(cache=True, inline="always")
def row_start(base, off, shift, r):
    return np.int64(base[r >> shift]) + np.int64(off[r])


@numba.njit(cache=True, parallel=True)
def _starts(base, off, shift, rows):
    out = np.empty(rows.size, np.int64)
    for i in numba.prange(rows.size):
        out[i] = row_start(base, off, shift, rows[i])
    return out


@numba.njit(cache=True, parallel=True)
def _pairs(rows, base, off, shift, words, bits):
    """(index into rows, neighbour, tie position) for every tie of the rows, rows in
    order and each row's ties in order."""
    n = rows.size
    first = np.zeros(n + 1, np.int64)
    for i in range(n):
        r = rows[i]
        first[i + 1] = first[i] + row_start(base, off, shift, r + 1) \
            - row_start(base, off, shift, r)
    total = first[n]
    which = np.empty(total, np.int64)
    other = np.empty(total, np.int64)
    pos = np.empty(total, np.int64)
    for i in numba.prange(n):
        a = row_start(base, off, shift, rows[i])
        k = first[i]
        for t in range(first[i + 1] - k):
            which[k + t] = i
            pos[k + t] = a + t
            other[k + t] = packed_at(words, bits, a + t)
    return which, other, pos


_pairs_serial = serial_twin(_pairs)


@numba.njit(cache=True, parallel=True)
def _find(rows, cols, base, off, shift, words, bits):
    """Position of the tie (row, col) for each pair (binary search in the sorted row), or
    -1 where there is none."""
    out = np.empty(rows.size, np.int64)
    for i in numba.prange(rows.size):
        r, c = rows[i], cols[i]
        lo = row_start(base, off, shift, r)
        end = row_start(base, off, shift, r + 1)
        hi = end
        while lo < hi:
            mid = (lo + hi) >> 1
            if packed_at(words, bits, mid) < c:
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo if lo < end and packed_at(words, bits, lo) == c else -1
    return out


@numba.njit(cache=True)
def _widest_span(ptr, shift):
    """The most ties any group of 2**shift rows holds (from its first start to its last)."""
    best = 0
    step = 1 << shift
    for g in range(0, ptr.size, step):
        last = min(g + step, ptr.size) - 1
        best = max(best, np.int64(ptr[last]) - np.int64(ptr[g]))
    return best


@numba.njit(cache=True, parallel=True)
def _offsets(ptr, shift, base, off):
    for g in numba.prange(base.size):
        base[g] = ptr[g << shift]
    for r in numba.prange(ptr.size):
        off[r] = np.uint16(np.int64(ptr[r]) - base[r >> shift])


def _compact_starts(indptr: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(base per group of 2**shift rows, uint16 offset per row start, shift): the largest
    group of at most 64 rows whose ties all fit under 65,536; one row a group (the starts
    themselves) where none does."""
    for shift in range(6, 0, -1):
        if _widest_span(indptr, shift) < 1 << 16:
            break
    else:
        return indptr.astype(np.int64), np.zeros(indptr.size, np.uint16), 0
    base = np.empty(((indptr.size - 1) >> shift) + 1, np.int64)
    off = np.empty(indptr.size, np.uint16)
    _offsets(indptr, shift, base, off)
    return base, off, shift


class PackedCSR:
    """The rows of a CSR in packed form, each in its order; the same methods (`find` asks
    for sorted rows, as friendship rows are)."""

    def __init__(self, csr: CSR, n_ids: int):
        self._ids = PackedInts(csr.indices, n_ids)
        self.base, self.off, self.shift = _compact_starts(csr.indptr)
        self._rows, self._nnz = csr.rows, csr.nnz

    @property
    def bits(self) -> int:
        """Bits a neighbour id takes."""
        return self._ids.bits

    @property
    def rows(self) -> int:
        return self._rows

    @property
    def nnz(self) -> int:
        return self._nnz

    def kernel_parts(self) -> tuple[np.ndarray, np.ndarray, int, np.ndarray, int]:
        """(base, off, shift, words, bits) for `row_start` and `id_at` in kernels."""
        return self.base, self.off, self.shift, self._ids.words, self._ids.bits

    def starts_of(self, rows: np.ndarray) -> np.ndarray:
        return _starts(self.base, self.off, self.shift, np.ascontiguousarray(rows, np.int64))

    def degree(self, rows: np.ndarray | None = None) -> np.ndarray:
        if rows is None:
            return np.diff(self.starts_of(np.arange(self._rows + 1)))
        rows = np.asarray(rows, np.int64)
        return self.starts_of(rows + 1) - self.starts_of(rows)

    def ids_at(self, pos: np.ndarray) -> np.ndarray:
        """Neighbour ids at tie positions (int64)."""
        return self._ids[pos]

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(index into `rows`, neighbour id, tie position) for every tie of the rows."""
        rows = np.ascontiguousarray(rows, np.int64)
        pairs = _pairs if rows.size >= SERIAL_BELOW_WALKS else _pairs_serial
        return pairs(rows, *self.kernel_parts())

    def find(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Position of the tie (row, col) for each pair, or -1 where there is none."""
        return _find(np.ascontiguousarray(rows, np.int64), np.ascontiguousarray(cols, np.int64),
                     *self.kernel_parts())

    @property
    def indptr(self) -> np.ndarray:
        """Every row start, decoded (a copy: 8 bytes a row; for tests and small networks)."""
        return self.starts_of(np.arange(self._rows + 1))

    @property
    def indices(self) -> np.ndarray:
        """Every neighbour id, decoded (a copy: 4 bytes a tie; for tests and small networks)."""
        return self._ids.to_array(np.int32)

    def nbytes(self) -> int:
        return int(self._ids.nbytes + self.base.nbytes + self.off.nbytes)

