"""Numba kernel for the score rule of one list: one pass over the entities whose score moved.

NumPy took a dozen gathers and masked copies of the touched ids per list; this reads each
entity's kind, scores and listing once and writes the three answers the list step needs.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.kernels import kind_of
from scsim.engine.listing import REASON, WRONGFUL
from scsim.engine.ranked import slot_of
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin


@numba.njit(cache=True, parallel=True)
def _score_rule(ids, starts, kind_ok, score, true_score, thr, black, words, prefix, tag,
                by_score, recovery):
    # Parallel over the (distinct) ids: each writes its own code and its own entity's flag.
    code = np.zeros(ids.size, np.int8)  # 1: enters (2: wrongfully), 3: leaves
    for i in numba.prange(ids.size):
        e = ids[i]
        if not kind_ok[kind_of(e, starts)]:
            continue
        hit = score[e] < thr if black else score[e] >= thr
        true_hit = true_score[e] < thr if black else true_score[e] >= thr
        k = slot_of(e, words, prefix)
        if k < 0:
            if hit:
                code[i] = 1 if true_hit else 2
        elif (tag[k] & REASON) == by_score:  # the listing's ground follows the records
            tag[k] = (tag[k] & REASON) | (0 if true_hit else WRONGFUL)
            if recovery and not hit:
                code[i] = 3
    n_in = 0
    n_out = 0
    for i in range(ids.size):
        n_in += code[i] == 1 or code[i] == 2
        n_out += code[i] == 3
    enter = np.empty(n_in, np.int64)
    enter_wrong = np.empty(n_in, np.bool_)
    leave = np.empty(n_out, np.int64)
    a = 0
    b = 0
    for i in range(ids.size):
        if code[i] == 1 or code[i] == 2:
            enter[a] = ids[i]
            enter_wrong[a] = code[i] == 2
            a += 1
        elif code[i] == 3:
            leave[b] = ids[i]
            b += 1
    return enter, enter_wrong, leave


_score_rule_serial = serial_twin(_score_rule)


def score_rule(ids: np.ndarray, starts: np.ndarray, kind_ok: np.ndarray, score: np.ndarray,
               true_score: np.ndarray, thr: float, black: bool, listing,
               by_score: int, recovery: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the touched `ids` (distinct; `starts`: first id of each kind): (entering ids,
    whether each entry is wrongful, ids leaving on recovery). Updates the wrongful bit of
    score listings' tags (engine/state.py) in place. The threshold is compared in the
    scores' float32, as NumPy compares a float32 array with a Python float. `listing`: the
    list's ListState."""
    ids = np.ascontiguousarray(ids, np.int64)
    rule = _score_rule if ids.size >= SERIAL_BELOW else _score_rule_serial
    return rule(ids, starts, kind_ok, score, true_score,
                       score.dtype.type(thr), bool(black), listing.words, listing.prefix,
                       listing.tag, listing.tag.dtype.type(by_score), bool(recovery))
