"""The builders' counting sort and segment shuffle (engine/counting.py)."""

from __future__ import annotations

import math

import numpy as np

from scsim.engine.counting import counting_order, shuffle_within
from scsim.engine.records import RecordBatch


def test_counting_order_is_a_stable_argsort():
    rng = np.random.default_rng(0)
    # 20,000 ids go on one thread; 200,000 with few labels in chunks, one per thread.
    for n, n_labels in ((20_000, 1), (20_000, 7), (20_000, 5000), (200_000, 7),
                        (200_000, 3000), (200_000, 150_000)):
        label = rng.integers(0, n_labels, n)
        order, start, size = counting_order(label, n_labels)
        assert np.array_equal(order, np.argsort(label, kind="stable"))
        assert np.array_equal(size, np.bincount(label, minlength=n_labels))
        assert np.array_equal(start, np.cumsum(size) - size)


def test_counting_order_is_the_same_on_any_number_of_threads():
    import numba

    label = np.random.default_rng(2).integers(0, 11, 300_000)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = counting_order(label, 11)[0]
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        assert np.array_equal(counting_order(label, 11)[0], one)
    finally:
        numba.set_num_threads(before)


def test_shuffle_within_permutes_each_segment_uniformly():
    size = np.array([0, 1, 3, 50], np.int64)
    start = np.cumsum(size) - size
    trials = 6000
    first_of_three = np.zeros(3)
    for t in range(trials):
        order = np.arange(size.sum())
        shuffle_within(order, start, size, np.uint64(t))
        for s, k in zip(start, size, strict=True):  # each segment keeps its own items
            assert np.array_equal(np.sort(order[s:s + k]), np.arange(s, s + k))
        first_of_three[order[1] - 1] += 1
    # Each of the three items comes first a third of the time: 5 binomial sd of slack.
    assert np.all(np.abs(first_of_three - trials / 3) < 5 * math.sqrt(trials * 2 / 9))


def test_union_sorted_merges_like_union1d():
    from scsim.engine.ids import union_sorted

    rng = np.random.default_rng(1)
    for na, nb in ((0, 0), (0, 5), (7, 0), (300, 500)):
        a = np.unique(rng.integers(0, 400, na))
        b = np.unique(rng.integers(0, 400, nb))
        assert np.array_equal(union_sorted(a, b), np.union1d(a, b))
    # A few values into a long array (the binary-search path), some already in it, some
    # before its first and after its last value, as int32.
    a = np.unique(rng.integers(10, 100_000, 20_000))
    b = np.unique(np.concatenate([rng.integers(0, 100_010, 100), a[::997], [0, 100_009]]))
    assert b.size * 64 < a.size
    got = union_sorted(a, b, np.int32)
    assert got.dtype == np.int32 and np.array_equal(got, np.union1d(a, b))


def test_stable_order_is_numpys_stable_argsort():
    from scsim.engine.ids import RADIX_FROM, stable_order, unique_inverse

    rng = np.random.default_rng(3)
    n = RADIX_FROM * 3 + 7  # the radix path, and short arrays (NumPy's) below
    for dtype, hi in ((np.uint8, 256), (np.int32, 5_000), (np.int64, 10**9),
                      (np.int64, 1), (np.int64, 2**40)):
        for size in (n, 100):
            a = rng.integers(0, hi, size).astype(dtype)
            order, s = stable_order(a)
            assert np.array_equal(order, np.argsort(a, kind="stable"))
            assert s.dtype == a.dtype and np.array_equal(s, a[order])
            uniq, inv = unique_inverse(a)
            want_u, want_inv = np.unique(a, return_inverse=True)
            assert np.array_equal(uniq, want_u) and np.array_equal(inv, want_inv.ravel())
    signed = rng.integers(-50, 50, n)  # negative values: NumPy's path
    assert np.array_equal(stable_order(signed)[0], np.argsort(signed, kind="stable"))


def test_sum_by_value_is_bincount_over_the_inverse_to_the_bit():
    """Sums per distinct value in input order, as np.bincount adds them: equal bits, not
    merely close (the scores and levels built from them are compared byte for byte)."""
    from scsim.engine.ids import RADIX_FROM, sum_by_value

    rng = np.random.default_rng(11)
    for size, hi in ((RADIX_FROM * 5, 3000), (300, 40), (1, 5), (0, 5)):
        a = rng.integers(0, hi, size)
        w1 = np.log1p(-rng.random(size) * 0.99)  # sums whose rounding depends on the order
        w2 = rng.random(size) < 0.3  # booleans count as 0.0 / 1.0
        uniq, s1, s2 = sum_by_value(a, w1, w2)
        want_u, inv = np.unique(a, return_inverse=True)
        assert np.array_equal(uniq, want_u)
        assert np.array_equal(s1, np.bincount(inv, weights=w1, minlength=uniq.size))
        assert np.array_equal(s2, np.bincount(inv, weights=w2, minlength=uniq.size))
    # A reordering of equal values would change the sum's last bits: the check can fail.
    a = np.zeros(1000, np.int64)
    w = rng.random(1000) * 10 ** rng.uniform(-8, 8, 1000)
    backwards = 0.0
    for x in w[::-1]:
        backwards += x
    assert sum_by_value(a, w)[1][0] == np.bincount(a, weights=w)[0] != backwards


def test_sort_by_key_is_stable_keeps_its_inputs_and_ignores_the_thread_count():
    import numba

    from scsim.engine.radix import PARALLEL_FROM, sort_by_key

    rng = np.random.default_rng(5)
    for size, hi in ((PARALLEL_FROM * 2 + 3, 10**8), (PARALLEL_FROM * 2, 2**40), (500, 7)):
        key = rng.integers(0, hi, size)
        a, b = rng.random(size), rng.random(size) < 0.5
        before = key.copy()
        order = np.argsort(key, kind="stable")
        k1, a1, b1 = sort_by_key(key, a, b)
        assert np.array_equal(key, before)  # the inputs are not written
        assert np.array_equal(k1, key[order]) and np.array_equal(a1, a[order])
        assert np.array_equal(b1, b[order])
        threads = numba.get_num_threads()
        numba.set_num_threads(1)
        try:
            k2, a2 = sort_by_key(key, a)
        finally:
            numba.set_num_threads(threads)
        assert np.array_equal(k2, k1) and np.array_equal(a2, a1)


def test_take_is_numpys_gather_for_every_dtype_and_size():
    from scsim.engine.take import PARALLEL_FROM, take

    rng = np.random.default_rng(7)
    n = PARALLEL_FROM * 4
    for dtype in (np.float16, np.float32, np.float64, np.uint8, np.uint32, np.int64, np.bool_):
        values = (rng.random(n) * 200).astype(dtype)
        for size in (PARALLEL_FROM * 2, 10):  # the parallel path, and NumPy's
            idx = rng.integers(0, n, size)
            got = take(values, idx)
            assert got.dtype == values.dtype
            assert np.array_equal(got.view(np.uint8), values[idx].view(np.uint8))
    # Narrow indices (codes into a small table) are read as they are, not widened.
    table = rng.random(200).astype(np.float32)
    for itype in (np.uint8, np.int16, np.uint32, np.int32):
        codes = rng.integers(0, 120, PARALLEL_FROM * 2).astype(itype)
        assert np.array_equal(take(table, codes), table[codes])


def test_search_right_is_numpys_searchsorted_on_ties_edges_and_beyond():
    from scsim.engine.search import search_right

    rng = np.random.default_rng(11)
    for _ in range(10):
        n = int(rng.integers(1 << 10, 1 << 13))
        w = rng.random(n)
        w[rng.random(n) < 0.3] = 0  # runs of equal thresholds
        cum = np.cumsum(w)
        values = np.concatenate([
            rng.random(1 << 16) * cum[-1],  # the guided, parallel path
            cum[rng.integers(0, n, 2000)],  # on a threshold
            np.nextafter(cum[rng.integers(0, n, 2000)], 0),  # just below one
            [0.0, -1.0, cum[-1], cum[-1] * 1.5]])
        assert np.array_equal(search_right(cum, values), np.searchsorted(cum, values, "right"))


def test_plain_loops_are_numpys_searches_sorts_and_slice_copies():
    """The loops kernels use in place of NumPy calls that compile slowly
    (engine/plain_loops.py): both searches, over a whole array and within a range, on ties,
    both ends and beyond, for the integer types kernels pass, the sort of a run and the copy
    of a run."""
    from scsim.engine.plain_loops import bisect_left, bisect_right, copy_run, heap_sort

    rng = np.random.default_rng(12)
    for dtype in (np.int32, np.int64, np.uint64):
        a = np.sort(rng.integers(5, 400, 600)).astype(dtype)  # runs of equal values
        for v in [*rng.integers(0, 410, 300).tolist(), 5, 399, 4, 400, 0]:
            v = dtype(v) if dtype is np.uint64 else np.int64(v)
            assert bisect_left(a, v, 0, a.size) == np.searchsorted(a, v, "left")
            assert bisect_right(a, v, 0, a.size) == np.searchsorted(a, v, "right")
            # Within [100, 300): NumPy's answer on the slice, shifted, clipped to the range.
            part = a[100:300]
            assert bisect_left(a, v, 100, 300) == 100 + np.searchsorted(part, v, "left")
            assert bisect_right(a, v, 100, 300) == 100 + np.searchsorted(part, v, "right")
        assert bisect_left(a, dtype(3), 0, 0) == 0 == bisect_right(a, dtype(3), 0, 0)
    src = rng.integers(0, 100, 50)
    dst = np.zeros(60, np.int64)
    copy_run(dst, 7, src, 3, 40)
    want = np.zeros(60, np.int64)
    want[7:47] = src[3:43]
    assert np.array_equal(dst, want)
    copy_run(dst, 0, src, 0, 0)  # nothing to copy: nothing changes
    assert np.array_equal(dst, want)
    for dtype in (np.int32, np.int64):
        for n in (0, 1, 2, 33, 1000):  # repeats, and the run inside a longer array
            a = rng.integers(0, 40, n + 9).astype(dtype)
            want = a.copy()
            want[4:4 + n] = np.sort(want[4:4 + n])
            heap_sort(a, 4, 4 + n)
            assert np.array_equal(a, want)


def test_count_and_bump_and_emit_records_are_numpys_counts():
    """The behave step's act count hands each actor's cell to the sense step's records;
    both give NumPy's counts, with the cells handed over or read again, sorted ids or not,
    and pieces of the acts that keep none of them; the records are the kept acts' columns."""
    from scsim.engine.kernels import count_and_bump
    from scsim.surveillance.emit_kernel import emit_records

    rng = np.random.default_rng(8)
    n_ent, n_cells = 50_000, 12
    cell = rng.integers(0, n_cells, n_ent).astype(np.uint8)
    for ids in (np.sort(rng.integers(0, n_ent, 30_000)), rng.integers(0, n_ent, 3_000)):
        row, counts = np.zeros(n_cells), np.zeros(n_ent, np.uint16)
        cells = count_and_bump(ids, cell, row, counts)
        assert np.array_equal(cells, cell[ids])
        assert np.array_equal(row, np.bincount(cell[ids], minlength=n_cells))
        assert np.array_equal(counts, np.bincount(ids, minlength=n_ent))
        keep = rng.random(ids.size) < 0.4
        keep[: ids.size // 3] = False  # whole pieces with nothing kept
        cause = (rng.random(ids.size) < 0.2).astype(np.uint8)
        yes_act = keep & (cause == 0)
        entity = rng.integers(0, n_ent, ids.size)
        per_act = rng.integers(0, 9, ids.size).astype(np.int16)
        origin = rng.integers(-1, 50, ids.size).astype(np.int32)
        for handed, conduct, ori in ((cells, 3, None), (None, per_act, origin)):
            yes, no = np.zeros(n_cells), np.zeros(n_cells)
            batch, recorded = emit_records(ids, entity, cause, keep, cell, yes, no, conduct,
                                           17, 2, origin=ori, cells=handed)
            at = np.flatnonzero(keep)
            want = RecordBatch.make(entity[at], ids[at], conduct if ori is None
                                    else per_act[at], cause[at], 17, 2,
                                    None if ori is None else origin[at])
            for name, col in want.columns().items():
                got = batch.columns()[name]
                assert got.dtype == col.dtype and np.array_equal(got, col), name
            assert recorded == yes_act.sum()
            assert np.array_equal(yes, np.bincount(cell[ids[yes_act]], minlength=n_cells))
            assert np.array_equal(no, np.bincount(cell[ids[~yes_act]], minlength=n_cells))


def test_runs_of_equal_numpys_two_searches():
    """Leaders' companies and a firm's representatives are found by one parallel search
    and a walk over the run: the same starts and counts as np.searchsorted left and right,
    for ids in any order."""
    from scsim.engine.ids import runs_of

    rng = np.random.default_rng(6)
    ascending = np.sort(rng.integers(0, 1_000, 5_000)).astype(np.int32)
    ids = np.concatenate([rng.integers(-5, 1_010, 3_000), [0, 999, 1_000, -1]])
    start, count = runs_of(ascending, ids)
    left = np.searchsorted(ascending, ids, "left")
    assert np.array_equal(start, left)
    assert np.array_equal(count, np.searchsorted(ascending, ids, "right") - left)
    assert (count == 0).sum() > 10 and count.max() > 5


def test_ranked_inserts_deletes_and_count_shifts_are_numpys():
    """The member fields' insert and delete (engine/ranked.py) against np.insert and
    np.delete, and the running counts after joins and leaves against a recount."""
    from scsim.engine.ranked import BLOCK, delete_at, empty_bits, insert_at, join

    rng = np.random.default_rng(5)
    for n, k in ((3000, 200), (0, 4), (50, 0), (6, 6)):
        fields = rng.integers(0, 255, n).astype(np.uint8)
        at = np.sort(rng.integers(0, n + 1, k))  # repeats: inserted in the given order
        values = rng.integers(0, 255, k).astype(np.uint8)
        assert np.array_equal(insert_at(fields, at, values), np.insert(fields, at, values))
        day = np.int16(-3)
        assert np.array_equal(insert_at(fields.astype(np.int16), at, day),
                              np.insert(fields.astype(np.int16), at, day))
        gone = np.unique(rng.integers(0, max(n, 1), k)) if n else np.empty(0, np.int64)
        assert np.array_equal(delete_at(fields, gone), np.delete(fields, gone))
    n = 40_000
    words, prefix = empty_bits(n)
    member = np.zeros(n, bool)
    for sign in (1, 1, -1, 1, -1):
        pool = np.flatnonzero(~member if sign > 0 else member)
        ids = np.sort(rng.choice(pool, min(pool.size, 3000), replace=False))
        join(words, prefix, ids, sign)
        member[ids] = sign > 0
        blocks = np.bincount(np.flatnonzero(member) >> BLOCK, minlength=prefix.size)
        assert np.array_equal(prefix, np.concatenate(([0], np.cumsum(blocks)[:-1])))
