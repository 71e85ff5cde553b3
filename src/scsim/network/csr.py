"""Compressed sparse rows: one layer of ties as two arrays (row starts, neighbour ids).

Rows are sorted and free of duplicates, so a tie is found by binary search within its row.
Every operation is vectorised over a batch of rows: no Python loop over entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For slices (start, count): the slice number and the position of every element."""
    counts = counts.astype(np.int64)
    total = int(counts.sum())
    which = np.repeat(np.arange(counts.size), counts)
    first = np.cumsum(counts) - counts
    pos = np.repeat(starts.astype(np.int64) - first, counts) + np.arange(total)
    return which, pos


@dataclass
class CSR:
    indptr: np.ndarray  # int32 (int64 past 2**31 ties), rows + 1
    indices: np.ndarray  # int32 neighbour ids, sorted within each row

    @classmethod
    def empty(cls, rows: int) -> CSR:
        return cls(np.zeros(rows + 1, np.int32), np.empty(0, np.int32))

    @classmethod
    def from_edges(cls, rows: int, src: np.ndarray, dst: np.ndarray,
                   symmetric: bool = False) -> CSR:
        """Rows from (src, dst) pairs; `symmetric` adds every reverse tie. Duplicates and
        self-ties are dropped; each row's neighbours are sorted (by counting: csr_build)."""
        from scsim.network.csr_build import csr_arrays

        return cls(*csr_arrays(rows, src, dst, symmetric))

    @property
    def rows(self) -> int:
        return int(self.indptr.size - 1)

    @property
    def nnz(self) -> int:
        return int(self.indices.size)

    def degree(self, rows: np.ndarray | None = None) -> np.ndarray:
        if rows is None:
            return np.diff(self.indptr)
        return self.indptr[rows + 1] - self.indptr[rows]

    def starts_of(self, rows: np.ndarray) -> np.ndarray:
        return self.indptr[rows].astype(np.int64)

    def ids_at(self, pos: np.ndarray) -> np.ndarray:
        """Neighbour ids at tie positions (int64)."""
        return self.indices[pos].astype(np.int64)

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(index into `rows`, neighbour id, tie position) for every tie of the rows."""
        start = self.indptr[rows]
        which, pos = expand(start, self.indptr[rows + 1] - start)
        return which, self.indices[pos].astype(np.int64), pos

    def find(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Position of the tie (row, col) for each pair, or -1 where there is none."""
        lo = self.indptr[rows].astype(np.int64)
        end = self.indptr[rows + 1].astype(np.int64)
        hi = end.copy()
        while True:  # binary search in every row at once: log2(max degree) rounds
            open_ = lo < hi
            if not open_.any():
                break
            mid = (lo + hi) // 2
            less = np.zeros(lo.size, bool)
            less[open_] = self.indices[mid[open_]] < cols[open_]
            lo = np.where(open_ & less, mid + 1, lo)
            hi = np.where(open_ & ~less, mid, hi)
        found = lo < end
        found[found] = self.indices[lo[found]] == cols[found]
        return np.where(found, lo, -1)

    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.indices.nbytes)
