"""The record step's one-pass count equals the counts written out in NumPy, whole numbers
all, with and without a sample of entity rows."""

import numpy as np
import pytest

from scsim.engine.record_count import count_records
from scsim.engine.rows import EntityRows, bits_of, bitset


@pytest.mark.parametrize("cap", [5_000, 2_000])  # every entity a row; a sample of rows
def test_count_records_equals_numpy(cap):
    rng = np.random.default_rng(4)
    n, k, n_cells, n_conducts, n_causes, n_src = 5_000, 40_000, 7, 5, 4, 3
    entity = rng.integers(0, n, k)
    cause = np.where(rng.random(k) < 0.2, rng.integers(1, n_causes, k), 0).astype(np.uint8)
    conduct = rng.integers(0, n_conducts, k).astype(np.int16)
    source = rng.integers(-1, n_src, k).astype(np.int16)
    cell = rng.integers(0, n_cells, n).astype(np.uint8)
    rows = EntityRows(n, cap, np.random.default_rng(1))
    by_cell, by_conduct = np.zeros((2, n_cells)), np.zeros((2, n_conducts))
    counts, wrong_counts = np.zeros(rows.size, np.uint16), np.zeros(rows.size, np.uint16)
    recorded = bitset(n, np.empty(0, np.int64))
    by_source = np.zeros((n_causes, n_src + 1), np.int64)
    by_cause = np.zeros((n_causes, n_cells), np.int64)
    count_records(entity, cause, conduct, source, cell, by_cell, by_conduct, counts,
                  wrong_counts, rows.words, rows.prefix, recorded, by_source, by_cause, n_src)

    wrong = cause != 0
    assert wrong.sum() > 1000
    for j, m in enumerate((np.ones(k, bool), wrong)):
        assert np.array_equal(by_cell[j], np.bincount(cell[entity[m]], minlength=n_cells))
        assert np.array_equal(by_conduct[j], np.bincount(conduct[m], minlength=n_conducts))
        r = rows.rows(entity[m])
        expect = np.bincount(r[r >= 0], minlength=rows.size)
        assert np.array_equal((counts, wrong_counts)[j], expect)
    assert np.array_equal(bits_of(recorded, np.arange(n)), np.isin(np.arange(n), entity))
    src = np.where(source < 0, n_src, source)
    assert np.array_equal(by_source, np.bincount(cause.astype(np.int64) * (n_src + 1) + src,
                                                 minlength=by_source.size).reshape(by_source.shape))
    flat = cause[wrong].astype(np.int64) * n_cells + cell[entity[wrong]]
    assert np.array_equal(by_cause, np.bincount(flat, minlength=by_cause.size).reshape(
        by_cause.shape))
