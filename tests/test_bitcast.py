"""Floats taken apart by their bits inside kernels (engine/bitcast.py): the spacings'
logarithm agrees with libm's, and float16 levels and bitcasts are exact."""

import math

import numba
import numpy as np

from scsim.engine.bitcast import bits_float, float_bits
from scsim.engine.fast_log import neg_log
from scsim.society.perception import float16_value


@numba.njit
def _each(f, x):
    """f at each value, as a kernel calls it (a jitted f, inlined per value)."""
    out = np.empty(x.size)
    for i in range(x.size):
        out[i] = f(x[i])
    return out


@numba.njit
def _round_trip(x):
    bits = np.empty(x.size, np.uint64)
    back = np.empty(x.size)
    for i in range(x.size):
        bits[i] = float_bits(x[i])
        back[i] = bits_float(bits[i])
    return bits, back


def test_neg_log_agrees_with_libm_on_the_unit_interval():
    rng = np.random.default_rng(11)
    v = np.concatenate([
        1.0 - rng.random(1_000_000),  # as the spacings call it: 1 - u
        np.exp(-rng.uniform(0.0, 700.0, 100_000)),  # small normal values, down to 1e-304
        np.nextafter(np.sqrt(0.5), [0.0, 1.0]),  # either side of the mantissa's fold
        [2.0**-53, 0.5, 0.25, 1.0 - 2.0**-53, 1.0, 3.0, 1e300],
    ])
    want = -np.log(v)
    got = _each(neg_log, v)
    assert got[v == 1.0].tolist() == [0.0]
    nonzero = want != 0
    # The series of atanh is cut at its 11th term (below 2e-18): what is left is rounding,
    # a few units in the last place of the result.
    rel = np.abs(got[nonzero] - want[nonzero]) / np.abs(want[nonzero])
    assert rel.max() < 1e-15
    assert math.isclose(_each(neg_log, np.array([2.0**-53]))[0], 53 * math.log(2),
                        rel_tol=1e-15)


def test_float16_value_is_exact_for_every_non_negative_float16():
    bits = np.arange(0x7C00, dtype=np.uint32)  # 0, subnormals, normals up to 65504
    want = bits.astype(np.uint16).view(np.float16).astype(np.float64)
    assert np.array_equal(_each(float16_value, bits), want)


def test_float_bits_are_numpys_view_and_come_back():
    x = np.array([0.0, -0.0, 1.0, 0.5, np.pi, 1e-310, -2.5e300, np.inf])
    bits, back = _round_trip(x)
    assert np.array_equal(bits, x.view(np.uint64))
    assert np.array_equal(back.view(np.uint64), x.view(np.uint64))
