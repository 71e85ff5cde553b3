"""One department's copies of the day's records: which it sees at once, which later.

Department x sees a record at once (its own, or shared without delay), later (shared with a
delay), or not at all. A record is shared with x when its uniform u < sharing(from, x); the
sharing rate, the delay and whether the source is x's own are fixed per source, so a table
per source (`Route`) turns each record's route into one lookup. A shared copy whose identity
join went wrong names the joined entity instead, with the join's cause (the platform's:
`identity_join`, or none when the join hit the actor). Copies keep landing order.

NumPy did this as a gather of departments, a routing pass, a gather of seven columns per
destination and a patch of the joined rows: 37 ns a record at 1e7 entities (282,000 records
a day). Two branch-free kernel passes (positions, then all seven columns at once) and a patch
of the few joined rows give the same arrays, element for element.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.records import RecordBatch
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin

_NOW, _LATER, _SHARED = 1, 2, 4


@numba.njit(cache=True, nogil=True)
def _positions(source, u, lut, below):
    """Positions of the records seen at once and later. Entry 2 s + (u < below[s]) of `lut`
    is the route of a record from source s - 1 (0: no known source); the counts move by
    the route's bits, every position is written: no branch to mispredict."""
    n = source.size
    now = np.empty(n, np.int64)
    later = np.empty(n, np.int64)
    a = b = 0
    for i in range(n):
        s = source[i] + 1
        r = lut[2 * s + (u[i] < below[s])]
        now[a] = i
        a += r & _NOW
        later[b] = i
        b += (r & _LATER) >> 1
    return now[:a], later[:b]


_positions_serial = serial_twin(_positions)


@numba.njit(cache=True, nogil=True, parallel=True)
def _gather(idx, entity, actor, conduct, cause, day, source, origin, wait_of, wait):
    """The seven columns at `idx` in one pass; `wait` gets each copy's delay when sized."""
    m = idx.size
    e, a, c = np.empty(m, entity.dtype), np.empty(m, actor.dtype), np.empty(m, conduct.dtype)
    k, d, s = np.empty(m, cause.dtype), np.empty(m, day.dtype), np.empty(m, source.dtype)
    o = np.empty(m, origin.dtype)
    for j in numba.prange(m):
        i = idx[j]
        e[j], a[j], c[j], k[j] = entity[i], actor[i], conduct[i], cause[i]
        d[j], s[j], o[j] = day[i], source[i], origin[i]
    if wait.size == m:
        for j in numba.prange(m):
            wait[j] = wait_of[s[j] + 1]
    return e, a, c, k, d, s, o


_gather_serial = serial_twin(_gather)


class Route:
    """Department x's route tables, indexed by source + 1 (0: a record of no known source,
    the platform's): `below` the sharing rate (-1 for x's own sources: never shared), `lut`
    the route for (source, shared), `wait` the delay of a shared copy."""

    def __init__(self, src_dept: np.ndarray, share: np.ndarray, delay: np.ndarray,
                 x: int) -> None:
        dept = np.concatenate(([0], src_dept)).astype(np.int64)
        own = dept == x
        self.below = np.where(own, -1.0, share[dept])
        self.wait = np.where(own, 0, delay[dept]).astype(np.int64)
        shared_route = np.where(self.wait == 0, _NOW, _LATER) | _SHARED
        self.lut = np.stack([np.where(own, _NOW, 0), shared_route], axis=1).ravel()
        self.lut = self.lut.astype(np.uint8)

    def copies(self, landed: RecordBatch, u: np.ndarray, join_at: np.ndarray,
               join_to: np.ndarray, join_cause: np.ndarray, crossed: np.ndarray
               ) -> tuple[RecordBatch, RecordBatch, np.ndarray]:
        """(copies seen at once, copies seen later, each later copy's delay). `join_at`
        (ascending) holds the records whose join went wrong, `join_to` whom each names
        instead and `join_cause` the cause its shared copies carry; `crossed` (one per
        join) is marked where the record was shared with x."""
        small = landed.size < SERIAL_BELOW
        now, later = (_positions_serial if small else _positions)(landed.source, u, self.lut,
                                                                   self.below)
        cols = [landed.entity, landed.actor, landed.conduct, landed.cause, landed.day,
                landed.source, landed.origin]
        gather = _gather_serial if small else _gather
        at_once = RecordBatch(*gather(now, *cols, self.wait, np.empty(0, np.int64)))
        wait = np.empty(later.size, np.int64)
        seen_later = RecordBatch(*gather(later, *cols, self.wait, wait))
        if join_at.size:
            s = landed.source[join_at].astype(np.int64) + 1
            shared = u[join_at] < self.below[s]
            crossed |= shared
            to_now = (self.lut[2 * s + 1] & _NOW) != 0
            for batch, idx, sel in ((at_once, now, shared & to_now),
                                    (seen_later, later, shared & ~to_now)):
                pos = np.searchsorted(idx, join_at[sel])
                batch.entity[pos] = join_to[sel]
                batch.cause[pos] = join_cause[sel]
        return at_once, seen_later, wait
