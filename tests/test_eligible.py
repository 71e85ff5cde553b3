"""The eligible bitset gives the ids a sorted list of the eligible gave, rank for rank."""

import numpy as np
import pytest

from scsim.engine.eligible import Eligible


@pytest.mark.parametrize("n,share", [(1, 1.0), (63, 0.5), (64, 0.3), (1000, 0.01),
                                     (100_003, 0.4), (100_000, 0.0)])
def test_select_and_membership_match_a_sorted_list(n, share):
    rng = np.random.default_rng(n)
    mask = rng.random(n) < share
    ids = np.flatnonzero(mask)
    el = Eligible(mask)
    assert el.size == ids.size
    assert np.array_equal(el.range(0, el.size), ids)
    if ids.size:
        ranks = np.sort(rng.integers(0, ids.size, 500))  # ascending, with repeats
        assert np.array_equal(el.take(ranks), ids[ranks])
        shuffled = rng.permutation(ranks)  # any order
        assert np.array_equal(el.take(shuffled), ids[shuffled])
        assert np.array_equal(el.range(ids.size // 3, ids.size // 2),
                              ids[ids.size // 3:ids.size // 2])
    probe = rng.integers(0, n, 1000)
    assert np.array_equal(el.contains(probe), mask[probe])
