"""Numba kernels for rate modifiers: each multiplies a row of probabilities in place.

NumPy evaluated a factor as a gather, a few arithmetic temporaries and an exp, each a full
pass over the candidates; these read each candidate's attribute once. `local` holds the
candidates' local ids, or is empty for a contiguous block starting at `start`. Each
candidate's factor is its own, so they run on all threads without changing a result.
"""

from __future__ import annotations

import numba


@numba.njit(cache=True, nogil=True, parallel=True)
def mul_table(p, values, local, start, table):
    if local.size == p.size:
        for i in numba.prange(p.size):
            p[i] *= table[values[local[i]]]
    else:
        for i in numba.prange(p.size):
            p[i] *= table[values[start + i]]


@numba.njit(cache=True, nogil=True, parallel=True)
def mul_between(p, values, local, start, lo, hi):
    if local.size == p.size:
        for i in numba.prange(p.size):
            v = values[local[i]]
            if not (v >= lo and v <= hi):  # NaN fails too
                p[i] = 0.0
    else:
        for i in numba.prange(p.size):
            v = values[start + i]
            if not (v >= lo and v <= hi):  # NaN fails too
                p[i] = 0.0
