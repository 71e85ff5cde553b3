"""Numba kernel for the score rule of one list: one pass over the entities whose score moved.

NumPy took a dozen gathers and masked copies of the touched ids per list; this reads each
entity's kind, scores and listing once and writes the three answers the list step needs.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _score_rule(ids, kind, kind_ok, score, true_score, thr, black, since, reason, wrongful,
                not_listed, by_score, recovery):
    enter = np.empty(ids.size, np.int64)
    enter_wrong = np.empty(ids.size, np.bool_)
    leave = np.empty(ids.size, np.int64)
    n_in = 0
    n_out = 0
    for i in range(ids.size):
        e = ids[i]
        if not kind_ok[kind[e]]:
            continue
        hit = score[e] < thr if black else score[e] >= thr
        true_hit = true_score[e] < thr if black else true_score[e] >= thr
        if since[e] == not_listed:
            if hit:
                enter[n_in] = e
                enter_wrong[n_in] = not true_hit
                n_in += 1
        elif reason[e] == by_score:
            wrongful[e] = not true_hit  # the listing's ground follows the records
            if recovery and not hit:
                leave[n_out] = e
                n_out += 1
    return enter[:n_in], enter_wrong[:n_in], leave[:n_out]


def score_rule(ids: np.ndarray, kind: np.ndarray, kind_ok: np.ndarray, score: np.ndarray,
               true_score: np.ndarray, thr: float, black: bool, since: np.ndarray,
               reason: np.ndarray, wrongful: np.ndarray, not_listed: int, by_score: int,
               recovery: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the touched `ids`: (entering ids, whether each entry is wrongful, ids leaving on
    recovery). Updates `wrongful` of score listings in place. The threshold is compared in
    the scores' float32, as NumPy compares a float32 array with a Python float."""
    return _score_rule(np.ascontiguousarray(ids, np.int64), kind, kind_ok, score, true_score,
                       score.dtype.type(thr), bool(black), since, reason, wrongful,
                       since.dtype.type(not_listed), reason.dtype.type(by_score),
                       bool(recovery))
