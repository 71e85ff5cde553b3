"""The vectorisable logarithm of the candidates' spacings agrees with libm's."""

import math

import numba
import numpy as np

from scsim.engine.fast_log import neg_log


@numba.njit
def _neg_logs(v):
    out = np.empty(v.size)
    for i in range(v.size):
        out[i] = neg_log(v[i])
    return out


def test_neg_log_agrees_with_libm_on_the_unit_interval():
    rng = np.random.default_rng(11)
    v = np.concatenate([
        1.0 - rng.random(1_000_000),  # as the spacings call it: 1 - u
        np.exp(-rng.uniform(0.0, 700.0, 100_000)),  # small normal values, down to 1e-304
        np.nextafter(np.sqrt(0.5), [0.0, 1.0]),  # either side of the mantissa's fold
        [2.0**-53, 0.5, 0.25, 1.0 - 2.0**-53, 1.0, 3.0, 1e300],
    ])
    want = -np.log(v)
    got = _neg_logs(v)
    assert got[v == 1.0].tolist() == [0.0]
    nonzero = want != 0
    # The series of atanh is cut at its 11th term (below 2e-18): what is left is rounding,
    # a few units in the last place of the result.
    rel = np.abs(got[nonzero] - want[nonzero]) / np.abs(want[nonzero])
    assert rel.max() < 1e-15
    assert math.isclose(_neg_logs(np.array([2.0**-53]))[0], 53 * math.log(2), rel_tol=1e-15)
