"""Floats taken apart by their bits inside kernels: exact, for every value they get."""

import numba
import numpy as np

from scsim.engine.bitcast import bits_float, float_bits
from scsim.society.perception import float16_value


@numba.njit
def _float16_values(bits):
    out = np.empty(bits.size)
    for i in range(bits.size):
        out[i] = float16_value(bits[i])
    return out


@numba.njit
def _round_trip(x):
    bits = np.empty(x.size, np.uint64)
    back = np.empty(x.size)
    for i in range(x.size):
        bits[i] = float_bits(x[i])
        back[i] = bits_float(bits[i])
    return bits, back


def test_float16_value_is_exact_for_every_non_negative_float16():
    bits = np.arange(0x7C00, dtype=np.uint32)  # 0, subnormals, normals up to 65504
    want = bits.astype(np.uint16).view(np.float16).astype(np.float64)
    assert np.array_equal(_float16_values(bits), want)


def test_float_bits_are_numpys_view_and_come_back():
    x = np.array([0.0, -0.0, 1.0, 0.5, np.pi, 1e-310, -2.5e300, np.inf])
    bits, back = _round_trip(x)
    assert np.array_equal(bits, x.view(np.uint64))
    assert np.array_equal(back.view(np.uint64), x.view(np.uint64))
