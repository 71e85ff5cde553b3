"""What may undo each landed record: its expiry, an appeal filed and upheld. One kernel.

Per record: a scored record with points may expire (its conduct's expiry, if any) and a
negative one may be appealed (filed with `file_prob`, upheld with `success_if_wrong` or
`success_if_right`); undos that fall past the run's end are dropped, and a record that both
may undo gets a serial (engine/undo.py). The two uniforms of a record are those of
`by_group_uniforms(conduct, keys, 2)`: counters 2 r and 2 r + 1 of its conduct's key, r its
rank among the day's records of that conduct.

NumPy took two dozen passes over the day's records and a masked copy per column and
destination (4 ms a day at 1e7 entities); this is one pass to decide and one to write.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform
from scsim.engine.kernels import kind_of

_FILED, _EXPIRE, _APPEAL, _BOTH = 1, 2, 4, 8


@numba.njit(cache=True, nogil=True)
def _decide(entity, conduct, cause, points_of, expiry, starts, scored_kind, keys, file_prob,
            win_if_wrong, win_if_right, day, decide_days, n_days):
    n = entity.size
    flags = np.zeros(n, np.uint8)
    rank = np.zeros(keys.size, np.int64)
    counts = np.zeros(4, np.int64)  # filed, expiries, appeals, serials
    appeal_in_run = day + decide_days < n_days
    for i in range(n):
        c = conduct[i]
        r = rank[c]
        rank[c] = r + 1
        pts = points_of[c]
        if pts == 0 or not scored_kind[kind_of(entity[i], starts)]:
            continue
        filed = pts < 0 and uniform(keys[c], np.uint64(2 * r)) < file_prob
        p_win = win_if_wrong if cause[i] != 0 else win_if_right
        upheld = filed and uniform(keys[c], np.uint64(2 * r + 1)) < p_win
        e = expiry[c]
        expires = e >= 0
        expire_in_run = expires and day + e < n_days
        appeal_due = upheld and appeal_in_run
        both = expire_in_run and appeal_due
        flags[i] = (filed * _FILED) | (expire_in_run * _EXPIRE) | (appeal_due * _APPEAL) \
            | (both * _BOTH)
        counts[0] += filed
        counts[1] += expire_in_run
        counts[2] += appeal_due
        counts[3] += both
    return flags, counts


@numba.njit(cache=True, nogil=True)
def _write(flags, counts, entity, conduct, cause, points_of, expiry, day, first_serial):
    filed = np.empty(counts[0], np.int64)
    x_ent, x_pts = np.empty(counts[1], np.int64), np.empty(counts[1], np.float64)
    x_wrong, x_cond = np.empty(counts[1], np.bool_), np.empty(counts[1], conduct.dtype)
    x_serial, x_when = np.empty(counts[1], np.int64), np.empty(counts[1], np.int64)
    a_ent, a_pts = np.empty(counts[2], np.int64), np.empty(counts[2], np.float64)
    a_wrong, a_cond = np.empty(counts[2], np.bool_), np.empty(counts[2], conduct.dtype)
    a_serial = np.empty(counts[2], np.int64)
    f = x = a = 0
    serial = first_serial
    for i in range(flags.size):
        g = flags[i]
        if g == 0:
            continue
        c = conduct[i]
        s = -1
        if g & _BOTH:
            s = serial
            serial += 1
        if g & _FILED:
            filed[f] = entity[i]
            f += 1
        if g & _EXPIRE:
            x_ent[x], x_pts[x], x_wrong[x], x_cond[x] = entity[i], points_of[c], cause[i] != 0, c
            x_serial[x], x_when[x] = s, day + expiry[c]
            x += 1
        if g & _APPEAL:
            a_ent[a], a_pts[a], a_wrong[a], a_cond[a] = entity[i], points_of[c], cause[i] != 0, c
            a_serial[a] = s
            a += 1
    return (filed, (x_ent, x_pts, x_wrong, x_cond, x_serial, x_when),
            (a_ent, a_pts, a_wrong, a_cond, a_serial))


def plan_undos(entity: np.ndarray, conduct: np.ndarray, cause: np.ndarray,
               points_of: np.ndarray, expiry: np.ndarray, starts: np.ndarray,
               scored_kind: np.ndarray, keys: np.ndarray, file_prob: float,
               win_if_wrong: float, win_if_right: float, day: int, decide_days: int,
               n_days: int, first_serial: int) -> tuple[np.ndarray, dict, dict, int]:
    """(entities whose appeal was filed, the expiries due in the run, the upheld appeals due
    in the run, serials used). Each due undo is a dict of columns entity, points, wrong,
    conduct, serial (-1: none), and `when` for expiries; serials run from `first_serial`."""
    flags, counts = _decide(entity, conduct, cause, points_of, expiry, starts, scored_kind,
                            keys, float(file_prob), float(win_if_wrong), float(win_if_right),
                            int(day), int(decide_days), int(n_days))
    filed, x, a = _write(flags, counts, entity, conduct, cause, points_of, expiry, int(day),
                         int(first_serial))
    names = ("entity", "points", "wrong", "conduct", "serial")
    expire = dict(zip((*names, "when"), x, strict=True))
    appeal = dict(zip(names, a, strict=True))
    return filed, expire, appeal, int(counts[3])
