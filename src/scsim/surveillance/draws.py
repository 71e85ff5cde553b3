"""The sense step's three draws per act, from the counter-based generator, in parallel.

Act i of a batch owns counters 3i (seen), 3i + 1 (misattributed) and 3i + 2 (which wrong
entity): a change of coverage or error rate moves no other act's numbers (common random
numbers across variants), and the thread count moves none at all.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform, uniforms_at
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin


@numba.njit(cache=True, parallel=True)
def _seen_wrong(key, cover, cover_all, misattribution, seen, wrong):
    per_act = cover.size == seen.size
    for i in numba.prange(seen.size):
        c = cover[i] if per_act else cover_all
        s = uniform(key, np.uint64(3 * i)) < c
        seen[i] = s
        wrong[i] = s and uniform(key, np.uint64(3 * i + 1)) < misattribution


_NO_COVER = np.empty(0, np.float64)


_seen_wrong_serial = serial_twin(_seen_wrong)


def seen_and_wrong(key: np.uint64, k: int, cover: float | np.ndarray,
                   misattribution: float) -> tuple[np.ndarray, np.ndarray]:
    """(seen, misattributed) masks for k acts; `cover` one probability or one per act."""
    seen = np.empty(k, np.bool_)
    wrong = np.empty(k, np.bool_)
    draw = _seen_wrong if k >= SERIAL_BELOW else _seen_wrong_serial
    if np.isscalar(cover):
        draw(key, _NO_COVER, float(cover), float(misattribution), seen, wrong)
    else:
        draw(key, np.ascontiguousarray(cover, np.float64), 0.0, float(misattribution),
                    seen, wrong)
    return seen, wrong


def pick_uniforms(key: np.uint64, idx: np.ndarray) -> np.ndarray:
    """The third uniform of the acts at positions `idx` (who a misattribution names)."""
    return uniforms_at(key, 3 * np.asarray(idx, np.int64) + 2)


@numba.njit(cache=True, parallel=True)
def _misflag(key, seen, cum, conduct_of, ci, code, cause, flagged, conduct):
    total = cum[cum.size - 1] if cum.size else 0.0
    for i in numba.prange(seen.size):
        # A post is flagged when u falls below the rates' total: decided without a branch
        # on `seen` (half the posts each way); the label is looked up for the few flagged.
        u = uniform(key, np.uint64(i))
        f = seen[i] & (u < total)
        flagged[i] = f
        conduct[i] = ci
        if f:
            label = 0  # categories whose cumulative rate is at or below u
            while cum[label] <= u:
                label += 1
            cause[i] = code
            conduct[i] = conduct_of[label]


_misflag_serial = serial_twin(_misflag)


def misflag(key: np.uint64, seen: np.ndarray, rates: np.ndarray, conduct_of: np.ndarray,
            ci: int, code: np.uint8, cause: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Harmless posts seen by an online classifier: each is flagged as category c with
    probability rates[c] (one uniform per post, at its position's counter). Returns
    (flagged, conduct recorded: the category's for a flagged post, else ci) and sets the
    flagged posts' cause to `code` in place."""
    flagged = np.empty(seen.size, np.bool_)
    conduct = np.empty(seen.size, np.int16)
    draw = _misflag if seen.size >= SERIAL_BELOW else _misflag_serial
    draw(key, seen, np.cumsum(rates), conduct_of.astype(np.int16), np.int16(ci),
             np.uint8(code), cause, flagged, conduct)
    return flagged, conduct
