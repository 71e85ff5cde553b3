"""Numba kernels for rate modifiers: each multiplies a row of probabilities in place.

NumPy evaluated a factor as a gather, a few arithmetic temporaries and an exp, each a full
pass over the candidates; these read each candidate's attribute once. `local` holds the
candidates' local ids, or is empty for a contiguous block starting at `start`. Each
candidate's factor is its own, so they run on all threads without changing a result.

`fresh`: the first factor writes p (1.0 times its value, as a fill with ones did) rather
than reading it; `div`: the last one divides by the rates' bound (1.0 for the others, an
exact no-op), so a rate's probabilities take one pass per factor and no more.
"""

from __future__ import annotations

import numba

from scsim.engine.serial_twin import serial_twin


@numba.njit(cache=True, nogil=True, parallel=True)
def mul_table(p, values, local, start, table, fresh, div):
    if local.size == p.size:
        for i in numba.prange(p.size):
            p[i] = ((1.0 if fresh else p[i]) * table[values[local[i]]]) / div
    else:
        for i in numba.prange(p.size):
            p[i] = ((1.0 if fresh else p[i]) * table[values[start + i]]) / div


@numba.njit(cache=True, nogil=True, parallel=True)
def mul_between(p, values, local, start, lo, hi, fresh, div):
    if local.size == p.size:
        for i in numba.prange(p.size):
            v = values[local[i]]
            inside = v >= lo and v <= hi  # NaN fails
            p[i] = ((1.0 if fresh else p[i]) if inside else 0.0) / div
    else:
        for i in numba.prange(p.size):
            v = values[start + i]
            inside = v >= lo and v <= hi  # NaN fails
            p[i] = ((1.0 if fresh else p[i]) if inside else 0.0) / div


mul_table_serial = serial_twin(mul_table)
mul_between_serial = serial_twin(mul_between)
# One thread for a few candidates (engine/serial_twin.py): Kernel.mul picks by size.
SERIAL = {mul_table: mul_table_serial, mul_between: mul_between_serial}
