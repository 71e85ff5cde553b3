"""The record step's one-pass count adds what the separate NumPy counts add."""

import numpy as np
import pytest

from scsim.engine.record_count import count_records
from scsim.engine.rows import EntityRows, bitset


@pytest.mark.parametrize("sampled", [False, True])
@pytest.mark.parametrize("calls", [1, 2])
def test_count_records_matches_separate_counts(sampled, calls):
    """Counted once, or twice (the counts add to what is there: twice as much)."""
    rng = np.random.default_rng(4)
    n, k, n_cells, n_conduct, n_causes, n_src = 5_000, 40_000, 7, 5, 8, 4
    rows = EntityRows(n, 300 if sampled else n, np.random.default_rng(1))
    cell = rng.integers(0, n_cells, n).astype(np.uint8)
    entity = rng.integers(0, n, k)  # repeats and any order, as a day's batches have
    cause = np.where(rng.random(k) < 0.2, rng.integers(1, n_causes, k), 0).astype(np.uint8)
    conduct = rng.integers(0, n_conduct, k).astype(np.int16)
    source = rng.integers(-1, n_src - 1, k).astype(np.int16)  # -1: not known
    got = dict(cell_all=np.zeros(n_cells), cell_wrong=np.zeros(n_cells),
               conduct_all=np.zeros(n_conduct), conduct_wrong=np.zeros(n_conduct),
               counts_all=np.zeros(rows.size, np.uint16),
               counts_wrong=np.zeros(rows.size, np.uint16),
               recorded=bitset(n, np.empty(0, np.int64)),
               by_source=np.zeros((n_causes, n_src), np.int64),
               wrong_by_cell=np.zeros((n_causes, n_cells), np.int64))
    for _ in range(calls):
        count_records(entity, cause, conduct, source, cell, got["cell_all"], got["cell_wrong"],
                      got["conduct_all"], got["conduct_wrong"], got["counts_all"],
                      got["counts_wrong"], rows.words, rows.prefix, got["recorded"],
                      got["by_source"], got["wrong_by_cell"])
    for name in got:
        if name != "recorded":
            got[name] = got[name] // calls
    wrong = cause != 0
    assert np.array_equal(got["cell_all"], np.bincount(cell[entity], minlength=n_cells))
    assert np.array_equal(got["cell_wrong"], np.bincount(cell[entity[wrong]], minlength=n_cells))
    assert np.array_equal(got["conduct_all"], np.bincount(conduct, minlength=n_conduct))
    assert np.array_equal(got["conduct_wrong"],
                          np.bincount(conduct[wrong], minlength=n_conduct))
    r = rows.rows(entity)
    assert np.array_equal(got["counts_all"], np.bincount(r[r >= 0], minlength=rows.size))
    rw = r[wrong]
    assert np.array_equal(got["counts_wrong"], np.bincount(rw[rw >= 0], minlength=rows.size))
    assert np.array_equal(got["recorded"], bitset(n, np.unique(entity)))
    src = np.where(source < 0, n_src - 1, source)
    want = np.zeros((n_causes, n_src), np.int64)
    np.add.at(want, (cause, src), 1)
    assert np.array_equal(got["by_source"], want)
    want = np.zeros((n_causes, n_cells), np.int64)
    np.add.at(want, (cause[wrong], cell[entity[wrong]]), 1)
    assert np.array_equal(got["wrong_by_cell"], want)
