"""threaded_random gives exactly rng.random's numbers and leaves the generator where
rng.random would, so that drawing on threads never changes a run's results."""

import numpy as np
import pytest

from scsim import threaded_random as tr
from scsim.rng import Streams


def _pair(day: int = 3):
    s = Streams(7)
    return s.get("test:uniforms", day), s.get("test:uniforms", day)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [5, 2 * tr.MIN_PIECE, 2 * tr.MIN_PIECE + 3, 5 * tr.MIN_PIECE + 1])
def test_same_numbers_and_same_state_after(monkeypatch, dtype, n):
    monkeypatch.setattr(tr.numba, "get_num_threads", lambda: 4)  # pieces even on 2 cores
    serial, threaded = _pair()
    assert np.array_equal(serial.random(n, dtype=dtype), tr.threaded_random(threaded, n, dtype))
    # The next draws of every kind agree: the counter and the half-word buffer are the same.
    assert np.array_equal(serial.random(11), threaded.random(11))
    assert np.array_equal(serial.random(3, dtype=np.float32),
                          threaded.random(3, dtype=np.float32))
    assert np.array_equal(serial.integers(0, 10, 9), threaded.integers(0, 10, 9))


def test_mid_block_generator_falls_back_to_one_call(monkeypatch):
    monkeypatch.setattr(tr.numba, "get_num_threads", lambda: 2)
    serial, threaded = _pair()
    serial.random(1)  # one word of a four-word block used: pieces would be misaligned
    threaded.random(1)
    n = 3 * tr.MIN_PIECE
    assert np.array_equal(serial.random(n), tr.threaded_random(threaded, n))
    assert np.array_equal(serial.random(5), threaded.random(5))


def test_other_bit_generators_draw_in_one_call():
    a, b = np.random.default_rng(1), np.random.default_rng(1)  # PCG64: no counter to jump
    n = 3 * tr.MIN_PIECE
    assert np.array_equal(a.random(n), tr.threaded_random(b, n))
