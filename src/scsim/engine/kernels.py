"""Numba kernels for the hot per-cell sums: one sequential pass, no temporaries.

`np.bincount(cell[ids], weights)` gathers, casts the cells to intp and allocates twice;
these loops read each entity once. Sequential order keeps sums bit-identical whatever
NUMBA_NUM_THREADS (no parallel reductions).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _add_cells(out, cell, ids, weights):
    if weights.size:
        for i in range(ids.size):
            out[cell[ids[i]]] += weights[i]
    else:
        for i in range(ids.size):
            out[cell[ids[i]]] += 1.0


@numba.njit(cache=True, nogil=True)
def _add_block(out, cells, weights):
    for i in range(cells.size):
        out[cells[i]] += weights[i]


@numba.njit(cache=True, nogil=True)
def _scored_sums(cell, kind, scored_kind, score, n_cells):
    total = np.zeros(n_cells, np.float64)
    count = np.zeros(n_cells, np.int64)
    for i in range(cell.size):
        if scored_kind[kind[i]]:
            total[cell[i]] += score[i]
            count[cell[i]] += 1
    return total, count


def scored_sums(cell: np.ndarray, kind: np.ndarray, scored_kind: np.ndarray,
                score: np.ndarray, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum of scores and number of scored entities per cell, in one pass."""
    return _scored_sums(cell, kind, scored_kind, score, n_cells)


_NONE = np.empty(0, np.float64)


def add_cells(out: np.ndarray, cell: np.ndarray, ids: np.ndarray,
              weights: np.ndarray | None = None) -> None:
    """out[cell[ids[i]]] += weights[i] (or 1): a float64 row, in place."""
    w = _NONE if weights is None else np.ascontiguousarray(weights, np.float64)
    _add_cells(out, cell, np.ascontiguousarray(ids, np.int64), w)


def add_block(out: np.ndarray, cells: np.ndarray, weights: np.ndarray) -> None:
    """out[cells[i]] += weights[i] for a contiguous block of cells: a float64 row."""
    _add_block(out, cells, np.ascontiguousarray(weights, np.float64))
