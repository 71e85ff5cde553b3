"""Unit attributes to 16-bit codes on all threads (population/attributes.unit_codes)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, parallel=True)
def to_codes(x, scale, out):
    """out = uint16(rint(x * scale)) in float32, as NumPy's multiply, rint and cast give."""
    for i in numba.prange(x.size):
        out[i] = np.uint16(np.rint(x[i] * scale))
