"""np.searchsorted(cum, values, side="right") for many values on a long ascending array.

A binary search over millions of thresholds misses the caches at most of its steps: at 1e8
individuals, placing 6e7 employees among 8e6 companies' cumulative weights took NumPy 12 s
on one core. A guide table (the answer at evenly spaced values, one per GUIDE thresholds)
narrows each search to a few neighbouring thresholds, and the values are searched on all
threads. Each answer is the first index whose threshold exceeds the value, as NumPy's.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.plain_loops import bisect_right

GUIDE = 4  # thresholds per guide entry


@numba.njit(cache=True, nogil=True, parallel=True)
def _search_right(cum, values, guide, width):
    out = np.empty(values.size, np.int64)
    last = guide.size - 1
    for i in numba.prange(values.size):
        v = values[i]
        # The guide entry below v, give or take one for rounding in v / width: the answer
        # lies between the answers at its neighbours (answers only grow with the value).
        b = min(np.int64(v / width), last) if v > 0 else 0
        lo = guide[b - 1] if b >= 1 else 0  # below the first entry: from the start
        hi = guide[min(b + 2, last)]
        out[i] = bisect_right(cum, v, lo, hi)  # the first index in [lo, hi) above v
    return out


def search_right(cum: np.ndarray, values: np.ndarray) -> np.ndarray:
    """np.searchsorted(cum, values, side="right") (int64) for ascending float `cum` and
    finite float `values`."""
    cum = np.ascontiguousarray(cum, np.float64)
    values = np.ascontiguousarray(values, np.float64)
    if values.size < 1 << 16 or cum.size < 1 << 10:
        return np.searchsorted(cum, values, side="right").astype(np.int64)
    top = max(float(cum[-1]), float(values.max()), 0.0)
    entries = cum.size // GUIDE + 1
    width = top / entries if top > 0 else 1.0
    # guide[j]: the answer at value j * width; its last entry is past every value (all of cum).
    guide = np.empty(entries + 2, np.int64)
    guide[:entries + 1] = np.searchsorted(cum, np.arange(entries + 1) * width, side="right")
    guide[entries + 1] = cum.size
    return _search_right(cum, values, guide, width)
