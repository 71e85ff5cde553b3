"""The record step's counts of the day's records, in one pass over them.

Per record: today's tallies by cell (records, wrongful records) and by conduct, the named
entity's counters (records, wrongful records) and its "ever recorded" bit, and the
provenance counts (by cause and source; wrong ones by cause and cell). These were ten NumPy
and kernel passes, each gathering the entity's cell or row again (a cache miss each at
1e7 entities); all counts are whole numbers, so one serial pass gives the same sums.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.rows import row_of


@numba.njit(cache=True, nogil=True)
def count_records(entity, cause, conduct, source, cell, by_cell, by_conduct, counts,
                  wrong_counts, words, prefix, recorded, by_source, by_cause, unknown_source):
    """by_cell: (records, wrongful) rows per cell (float64); by_conduct: the same per
    conduct; counts, wrong_counts: per entity row (uint16, wrapping); recorded: a bit per
    entity; by_source[cause, source] (source < 0: `unknown_source`); by_cause[cause, cell]
    for wrong records (int64)."""
    for i in range(entity.size):
        e = entity[i]
        c = cell[e]
        k = cause[i]
        wrong = k != 0
        by_cell[0, c] += 1.0
        by_conduct[0, conduct[i]] += 1.0
        r = row_of(e, words, prefix)
        if r >= 0:
            counts[r] += 1
        recorded[e >> 6] |= np.uint64(1) << np.uint64(e & 63)
        s = source[i]
        by_source[k, s if s >= 0 else unknown_source] += 1
        if wrong:
            by_cell[1, c] += 1.0
            by_conduct[1, conduct[i]] += 1.0
            if r >= 0:
                wrong_counts[r] += 1
            by_cause[k, c] += 1
