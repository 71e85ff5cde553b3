"""A rate's acceptance probabilities: the first factor writes, the last divides by the
bound, and the result is, to the bit, ones times each factor in turn, then over the bound."""

from __future__ import annotations

import numpy as np
import pytest

from scsim.engine.factor_kernels import mul_between, mul_table
from scsim.modifiers import CompiledRate, Kernel, _mul_elastic


def _factors(rng: np.random.Generator, n: int) -> list[Kernel]:
    codes = rng.integers(0, 5, n).astype(np.uint8)
    codes16 = rng.integers(0, 1 << 16, n).astype(np.uint16)
    level = rng.random(n).astype(np.float32)
    return [Kernel(mul_table, codes, (rng.uniform(0.2, 3.0, 5),)),
            Kernel(mul_table, codes16, (rng.uniform(0.5, 2.0, 1 << 16).astype(np.float32),)),
            Kernel(mul_between, level, (0.1, 0.9)),
            Kernel(_mul_elastic, level, (1.7, 0.0, 1.0))]


# Every factor kind first (writing p) and last (dividing it); none, and one alone.
ORDERS = [(), (0,), (1, 2), (0, 1, 2, 3), (3, 2, 1, 0), (2, 3, 0), (1, 0, 3, 2)]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("bound", [2.7, 0.0])
def test_accept_prob_is_ones_times_each_factor_over_the_bound(order, bound):
    rng = np.random.default_rng(len(order))
    n = 60_000
    made = _factors(rng, n)
    factors = [made[i] for i in order]
    count = len(order)
    rate = CompiledRate(kind="individual", base_per_day=0.1, factors=factors, bound=bound)
    local = np.sort(rng.integers(0, n, 40_000))
    for ids, size in ((local, None), (slice(1000, 31_000), 30_000)):
        want = np.ones(local.size if size is None else size)
        for f in factors:
            f.mul(want, ids)  # p *= factor, p read
        if bound > 0:
            want /= bound
        got = rate.accept_prob(ids, size)
        assert got.dtype == np.float64 and np.array_equal(got, want)
        if count >= 3:  # the filter zeroes some, the factors spread the rest
            assert 0 < (got == 0).sum() < got.size and np.unique(got).size > 1000
