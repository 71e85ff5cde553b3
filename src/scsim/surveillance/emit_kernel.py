"""The sense step's records of a batch of acts, and its tally, in one kernel.

Each act is counted into `acts_recorded` (kept, and recorded against its actor: cause 0) or
`acts_missed` by its actor's cell, and the kept acts become the columns of a RecordBatch, in
act order. In place of a split, four gathers and three fills (eight passes and as many NumPy
calls for each of the day's 35 batches): three passes on fixed pieces of the acts.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.records import RecordBatch
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin
from scsim.engine.take import take

_CHUNKS = 16  # fixed pieces, not threads: the work split must not depend on the thread count
# One cell holds most acts: `part[g] += 1` on the same g is a chain of dependent adds. Four
# lanes (by position) break it; whole counts, so any order of adding them is exact.
_LANES = 4
_NO_I16 = np.empty(0, np.int16)
_NO_I32 = np.empty(0, np.int32)


@numba.njit(cache=True, parallel=True)
def _emit(actors, entity, cause, keep, cells, conduct, conduct_one, origin, day, source, yes,
          no):
    n = actors.size
    part_yes = np.zeros((_CHUNKS, _LANES, yes.size), np.int64)
    part_all = np.zeros((_CHUNKS, _LANES, yes.size), np.int64)
    kept = np.zeros(_CHUNKS + 1, np.int64)
    recorded = np.zeros(_CHUNKS, np.int64)
    for c in numba.prange(_CHUNKS):
        r = 0
        k = 0
        for i in range((n * c) // _CHUNKS, (n * (c + 1)) // _CHUNKS):
            y = keep[i] & (cause[i] == 0)  # no branches: acts go either way at random
            lane = i & (_LANES - 1)
            part_yes[c, lane, cells[i]] += y
            part_all[c, lane, cells[i]] += 1
            r += y
            k += keep[i]
        recorded[c] = r
        kept[c + 1] = k
    total = 0  # recorded.sum(), as a loop: NumPy's sum compiles for 0.2 s
    for c in range(_CHUNKS):
        total += recorded[c]
        kept[c + 1] += kept[c]
        for lane in range(_LANES):
            for j in range(yes.size):
                yes[j] += part_yes[c, lane, j]
                no[j] += part_all[c, lane, j] - part_yes[c, lane, j]
    m_all = kept[_CHUNKS]
    idx = np.empty(m_all, np.int64)
    for c in numba.prange(_CHUNKS):
        m, end = kept[c], kept[c + 1]
        for i in range((n * c) // _CHUNKS, (n * (c + 1)) // _CHUNKS):
            if m < end:  # true up to the piece's last kept act: predicted well
                idx[m] = i  # a dropped act's position is overwritten by the next kept one
            m += keep[i]
    ent = np.empty(m_all, np.int64)
    act = np.empty(m_all, np.int64)
    con = np.empty(m_all, np.int16)
    cau = np.empty(m_all, np.uint8)
    dy = np.empty(m_all, np.int16)
    src = np.empty(m_all, np.int16)
    ori = np.empty(m_all, np.int32)
    per_act, has_origin = conduct.size > 0, origin.size > 0
    for j in numba.prange(m_all):
        i = idx[j]
        ent[j] = entity[i]
        act[j] = actors[i]
        con[j] = conduct[i] if per_act else conduct_one
        cau[j] = cause[i]
        dy[j] = day
        src[j] = source
        ori[j] = origin[i] if has_origin else -1
    return ent, act, con, cau, dy, src, ori, total


_emit_serial = serial_twin(_emit)


def emit_records(actors: np.ndarray, entity: np.ndarray, cause: np.ndarray, keep: np.ndarray,
                 cell: np.ndarray, yes: np.ndarray, no: np.ndarray, conduct: int | np.ndarray,
                 day: int, source: int, origin: np.ndarray | None = None,
                 cells: np.ndarray | None = None) -> tuple[RecordBatch, int]:
    """The kept acts' records (naming `entity`, by `actors`, of `conduct`: one for all or one
    per act), and how many of them were recorded against their actor; each act counted into
    `yes` (kept with cause 0) or `no` by its actor's cell. `cells`: the actors' cells when
    already known (count_and_bump's), else read from `cell` (a read at random per act)."""
    actors = np.ascontiguousarray(actors, np.int64)
    if cells is None:
        cells = take(cell, actors)
    per_act = not np.isscalar(conduct)
    emit = _emit if actors.size >= 3 * SERIAL_BELOW else _emit_serial  # three regions
    cols = emit(actors, np.ascontiguousarray(entity, np.int64),
                 np.ascontiguousarray(cause, np.uint8), np.ascontiguousarray(keep, np.bool_),
                 cells, np.ascontiguousarray(conduct, np.int16) if per_act else _NO_I16,
                 np.int16(0 if per_act else conduct),
                 _NO_I32 if origin is None else np.ascontiguousarray(origin, np.int32),
                 np.int16(day), np.int16(source), yes, no)
    return RecordBatch(*cols[:7]), int(cols[7])
