"""A logarithm that Numba can vectorise, for the exponential spacings of the candidates.

A call to libm's `log` inside a loop keeps LLVM from vectorising it: the candidates' spacings
spent three quarters of their time there. `neg_log` is plain arithmetic on the float's bits
(exponent, then the series of atanh on the mantissa), so a loop of it runs on SIMD lanes.
Only IEEE additions, multiplications and one division, in a fixed order and without fast-math,
so it gives the same bits on any machine and any vector width. Relative error against libm
below 1e-15 on (0, 1] (tests/test_bitcast.py).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from scsim.engine.bitcast import bits_float, float_bits

_LN2 = math.log(2.0)
_SQRT2 = math.sqrt(2.0)
_MANTISSA = np.uint64((1 << 52) - 1)
_ONE_EXP = np.uint64(1023 << 52)
# log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716 for m in [sqrt(1/2), sqrt(2)]:
# 2 s (1 + s^2/3 + s^4/5 + ...); the 11th term is below 2e-18 of the first.
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10 = (1.0 / (2 * i + 1) for i in range(11))


@numba.njit(cache=True, inline="always")
def neg_log(v):
    """-log(v) for a normal positive float64 v (zero, subnormals, inf and nan: not handled;
    the spacings call it on 1 - u, in [2**-53, 1])."""
    b = float_bits(v)
    e = np.int64(b >> np.uint64(52)) - 1023
    m = bits_float((b & _MANTISSA) | _ONE_EXP)  # v = m 2**e, m in [1, 2)
    big = m > _SQRT2  # selects, not branches: the loop stays vectorisable
    m = m * 0.5 if big else m
    e = e + 1 if big else e
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    p = ((((((((((_C10 * z + _C9) * z + _C8) * z + _C7) * z + _C6) * z + _C5) * z + _C4) * z
              + _C3) * z + _C2) * z + _C1) * z + _C0)
    return -(np.float64(e) * _LN2 + 2.0 * s * p)
