"""A service's rules for a batch of requests, recorded and true state in one parallel pass.

For services whose rules look only at lists and tiers (the common case), this replaces the
rule-by-rule NumPy masks of `Sanction.decide`, run twice: each request reads its entity's
scores and list fields once. Rules are coded as arrays: condition (LIST, BELOW, ATLEAST),
argument (list index or tier index) and action code; the first rule that matches decides.
With a platform, a list rule of another department's list sees a listing only once shared:
its uniform (uint16) below rate x 65536 and `delay` days after it began (platform.py).
"""

from __future__ import annotations

import numba
import numpy as np

LIST, BELOW, ATLEAST = 0, 1, 2


@numba.njit(cache=True, inline="always")
def _tier(score, mins):
    # Tier index, 0 the highest: the number of tier minimums above the score, capped at
    # the lowest tier (as np.searchsorted(-mins, -score) on descending minimums).
    t = 0
    for k in range(mins.size):
        t += mins[k] > score
    return min(t, mins.size - 1) if mins.size else 0


@numba.njit(cache=True, parallel=True)
def _decide(ids, score, true_score, mins, sinces, wrongfuls, not_listed, cond, arg, act,
            vis_rate, vis_delay, shared_u, day, action, true_action, rule):
    for i in numba.prange(ids.size):
        e = ids[i]
        t = _tier(np.float64(score[e]), mins)
        tt = _tier(np.float64(true_score[e]), mins)
        a = 0
        ta = 0
        r_hit = -1
        t_hit = False
        for r in range(cond.size):
            c = cond[r]
            if c == LIST:
                since = sinces[arg[r]][e]
                on = since != not_listed
                if on and vis_rate[r] >= 0:  # another department's list: if shared
                    on = (np.float64(shared_u[arg[r]][e]) < vis_rate[r] * 65536.0
                          and day - np.int64(since) >= vis_delay[r])
                m = on
                tm = on and not wrongfuls[arg[r]][e]
            elif c == BELOW:
                m = t > arg[r]
                tm = tt > arg[r]
            else:
                m = t <= arg[r]
                tm = tt <= arg[r]
            if r_hit < 0 and m:
                r_hit = r
                a = act[r]
            if not t_hit and tm:
                t_hit = True
                ta = act[r]
        action[i] = a
        true_action[i] = ta
        rule[i] = r_hit


def decide_both(ids: np.ndarray, score: np.ndarray, true_score: np.ndarray, mins: np.ndarray,
                sinces: tuple, wrongfuls: tuple, not_listed: int, cond: np.ndarray,
                arg: np.ndarray, act: np.ndarray, vis_rate: np.ndarray, vis_delay: np.ndarray,
                shared_u: tuple, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(action, true action, index of the rule that decided or -1) for each request.
    vis_rate[r] < 0: rule r sees every listing; else only those shared (see above)."""
    ids = np.ascontiguousarray(ids, np.int64)
    action = np.empty(ids.size, np.int64)
    true_action = np.empty(ids.size, np.int64)
    rule = np.empty(ids.size, np.int64)
    _decide(ids, score, true_score, mins, sinces, wrongfuls, np.int16(not_listed), cond, arg,
            act, vis_rate, vis_delay, shared_u, np.int64(day), action, true_action, rule)
    return action, true_action, rule
