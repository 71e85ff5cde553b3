"""The counter-based uniforms the day's per-record draws use: a pure function of the key
and the position, uniform, and tied to the named stream they are keyed from."""

import numba
import numpy as np
import pytest

from scsim.engine.counter_rng import key_from, stream_uniforms, uniform, uniforms, uniforms_at
from scsim.engine.ids import distinct_sorted
from scsim.rng import Streams


def test_each_position_owns_its_number():
    key = np.uint64(0x1234_5678_9ABC_DEF0)
    u = uniforms(key, 100_003)
    assert np.array_equal(u[:7], [uniform.py_func(key, np.uint64(i)) for i in range(7)])
    assert np.array_equal(uniforms(key, 10), u[:10])  # a shorter fill: the same prefix
    numba.set_num_threads(1)
    try:
        assert np.array_equal(uniforms(key, 100_003), u)  # and on one thread
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)


def test_stream_uniforms_are_uniform_and_independent():
    n = 200_000
    a, b = stream_uniforms(Streams(3).get("test:draws", 5), n, 2)
    assert a.min() >= 0 and a.max() < 1
    # Mean of U(0,1): sd 1/sqrt(12 n); bin counts: binomial sd; correlation: sd 1/sqrt(n).
    assert abs(a.mean() - 0.5) < 5 / np.sqrt(12 * n)
    counts = np.bincount((a * 20).astype(np.int64), minlength=20)
    expect = n / 20
    assert np.all(np.abs(counts - expect) < 5 * np.sqrt(expect * (1 - 1 / 20)))
    assert abs(np.corrcoef(a, b)[0, 1]) < 5 / np.sqrt(n)


def test_stream_uniforms_follow_the_stream_and_the_day():
    s = Streams(3)
    again = stream_uniforms(s.get("test:draws", 5), 1000, 2)
    first = stream_uniforms(s.get("test:draws", 5), 1000, 2)
    assert all(np.array_equal(x, y) for x, y in zip(first, again, strict=True))
    other_day = stream_uniforms(s.get("test:draws", 6), 1000)[0]
    other_name = stream_uniforms(s.get("test:other", 5), 1000)[0]
    assert not np.array_equal(first[0], other_day) and not np.array_equal(first[0], other_name)
    # The keys are the stream's next raw words: a draw after them continues the stream.
    rng = s.get("test:draws", 5)
    k1, k2 = key_from(rng), key_from(rng)
    assert np.array_equal(uniforms(k1, 1000), first[0]) and np.array_equal(
        uniforms(k2, 1000), first[1])


@pytest.mark.parametrize("values", [[], [4], [1, 1, 1], [0, 2, 2, 3, 9, 9]])
def test_distinct_sorted(values):
    a = np.array(values, np.int64)
    assert np.array_equal(distinct_sorted(a), np.unique(a))



def test_uniforms_at_are_the_numbers_at_those_positions():
    key = np.uint64(77)
    idx = np.array([0, 5, 5, 99_999, 3])
    assert np.array_equal(uniforms_at(key, idx), uniforms(key, 100_000)[idx])


def test_a_named_stream_draws_the_same_whether_its_bit_generator_is_new_or_reused():
    """Streams.get reuses a stream's Philox once the generator handed out with it is gone:
    the draws equal a fresh Philox's at (key, day), and a generator still held is not
    disturbed by a second one for the same stream."""
    import cloudpickle

    streams = Streams(11)

    def fresh(name, day):
        bitgen = np.random.Philox(key=streams.key(name), counter=[0, 0, day + 1, 0])
        return np.random.Generator(bitgen)

    for day in (-1, 0, 1, 7, 1):  # the first is new, the later ones reuse it
        got, want = streams.get("acts", day), fresh("acts", day)
        assert np.array_equal(got.random(5), want.random(5))
        assert np.array_equal(got.standard_normal(3), want.standard_normal(3))
        del got
    held = streams.get("acts", 2)
    first = held.random(3)
    again = streams.get("acts", 2)  # held is alive: a new bit generator, same numbers
    assert np.array_equal(again.random(3), first)
    assert np.array_equal(held.random(3), fresh("acts", 2).random(6)[3:])
    copy = cloudpickle.loads(cloudpickle.dumps(streams))  # checkpoints pickle the streams
    assert np.array_equal(copy.get("acts", 4).random(4), fresh("acts", 4).random(4))
