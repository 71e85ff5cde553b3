"""Per-entity lookups in a small table by a code, on all threads (population/generate.py).

`table[code]` in NumPy first widens the uint8 codes to an intp index (8 bytes an entity,
fresh pages) and gathers on one thread: 0.27 s for the income latent at 1e7. These read the
codes as they are, in float32 like NumPy's, so the attributes are the same.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, parallel=True)
def add_looked_up(x, table, code):
    """x += table[code], in place."""
    for i in numba.prange(x.size):
        x[i] += table[code[i]]


@numba.njit(cache=True, parallel=True)
def below_looked_up(u, table, code):
    """uint8(u < table[code])."""
    out = np.empty(u.size, np.uint8)
    for i in numba.prange(u.size):
        out[i] = u[i] < table[code[i]]
    return out
