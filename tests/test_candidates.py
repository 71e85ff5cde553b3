"""Candidates of an event stream: drawn sorted and uniform, then kept in order, on any
number of threads."""

import numpy as np
import pytest

from scsim.engine.candidates import (
    _SERIAL_BELOW,
    _keep,
    _plan,
    _sorted_uniform,
    _sorted_uniform_serial,
    keep_accepted,
    keep_thinned,
    open_decisions,
    sorted_candidates,
)
from scsim.rng import Streams


def test_sorted_candidates_are_sorted_and_uniform():
    n, k = 1_000_000, 200_000
    ids, u = sorted_candidates(Streams(2).get("test:candidates", 1), n, k)
    assert ids.size == k and np.all(np.diff(ids) >= 0) and ids.min() >= 0 and ids.max() < n
    counts = np.bincount(ids * 20 // n, minlength=20)  # binomial counts per twentieth
    assert np.all(np.abs(counts - k / 20) < 5 * np.sqrt(k / 20 * (1 - 1 / 20)))
    assert abs(u.mean() - 0.5) < 5 / np.sqrt(12 * k)


@pytest.mark.parametrize("k", [0, 7, _SERIAL_BELOW - 1, 50_000])
def test_few_candidates_drawn_on_one_thread_are_the_same(k):
    # Below _SERIAL_BELOW the chunks are drawn in a plain loop: the same numbers as the
    # parallel loop's, so the threshold never changes a draw.
    n = 3_000_017
    bounds, share = _plan(n)
    starts = np.zeros(bounds.size, np.int64)
    np.cumsum(np.random.default_rng(k).multinomial(k, share), out=starts[1:])
    got = []
    for draw in (_sorted_uniform, _sorted_uniform_serial):
        out, u = np.empty(k, np.int64), np.empty(k)
        draw(np.uint64(11), np.uint64(12), bounds, starts, out, u)
        got.append((out, u))
    assert np.array_equal(got[0][0], got[1][0])
    assert np.array_equal(got[0][1].view(np.uint64), got[1][1].view(np.uint64))
    assert np.all(np.diff(got[0][0]) >= 0)


@pytest.mark.parametrize("n", [0, 1_000, 100_003])
def test_keeping_candidates_in_parallel_keeps_them_in_order(n):
    rng = np.random.default_rng(n)
    local = np.sort(rng.integers(0, 10**7, n))
    u, p = rng.random(n), rng.random(n)
    assert np.array_equal(keep_accepted(local, u, p, 5), local[u < p] + 5)
    assert np.array_equal(_keep(local, u, p, 5), local[u < p] + 5)
    lo, hi = 0.3, 0.8
    open_ = open_decisions(u, p, lo, hi)
    assert np.array_equal(open_, np.flatnonzero((u < p) & (u >= p * lo) & (u < p * hi)))
    p_open = p[open_] * rng.random(open_.size)
    want = u < p * lo
    want[open_] = u[open_] < p_open
    assert np.array_equal(keep_thinned(local, u, p, lo, open_, p_open, 5), local[want] + 5)


def test_no_candidates_leave_the_stream_where_the_full_draw_would():
    # k = 0 skips the multinomial (each of its binomials of 0 returns without a draw): the
    # stream must stand where a multinomial of 0 and the two keys leave it.
    from scsim.engine.counter_rng import key_from

    for n in (10, 100_003):
        fast, full = np.random.default_rng(n), np.random.default_rng(n)
        ids, u = sorted_candidates(fast, n, 0)
        assert ids.size == u.size == 0
        assert full.multinomial(0, _plan(n)[1]).sum() == 0
        key_from(full), key_from(full)
        assert fast.bit_generator.state == full.bit_generator.state
        assert fast.random() == full.random()
