"""A service's rules for a batch of requests, recorded and true state in one parallel pass.

For services whose rules look only at lists and tiers (the common case), this replaces the
rule-by-rule NumPy masks of `Sanction.decide`, run twice: each request reads its entity's
scores and list fields once. Rules are coded as arrays: condition (LIST, BELOW, ATLEAST),
argument (list index or tier index) and action code; the first rule that matches decides.
With a platform, a list rule of another department's list sees a listing only once shared:
its uniform below the sharing rate and `delay` days after it began (platform.py). A
listing's uniform is counter-based, at (entity, day of entry) under the list's key.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform
from scsim.engine.listing import WRONGFUL  # the high bit of a tag
from scsim.engine.ranked import slot_of
from scsim.engine.serial_twin import SERIAL_BELOW_READS, serial_twin

LIST, BELOW, ATLEAST = 0, 1, 2


@numba.njit(cache=True, inline="always")
def listing_uniform(key, e, since):
    return uniform(key, (np.uint64(e) << np.uint64(16)) | np.uint64(since))


@numba.njit(cache=True, nogil=True)
def _listing_uniforms(key, ids, since):
    out = np.empty(ids.size)
    for i in range(ids.size):
        out[i] = listing_uniform(key, ids[i], np.uint16(since[i]))
    return out


def listing_uniforms(key: np.uint64, ids: np.ndarray, since: np.ndarray) -> np.ndarray:
    """The sharing uniform of each listing (entity ids, int16 day of entry)."""
    return _listing_uniforms(np.uint64(key), np.ascontiguousarray(ids, np.int64),
                             np.ascontiguousarray(since))


@numba.njit(cache=True, inline="always")
def _tier(score, mins):
    # Tier index, 0 the highest: the number of tier minimums above the score, capped at
    # the lowest tier (as np.searchsorted(-mins, -score) on descending minimums).
    t = 0
    for k in range(mins.size):
        t += mins[k] > score
    return min(t, mins.size - 1) if mins.size else 0


@numba.njit(cache=True, parallel=True)
def _decide(ids, score, true_score, mins, words, prefixes, entries, tags, cond, arg, act,
            vis_rate, vis_delay, share_key, day, action, true_action, rule):
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
                li = arg[r]
                k = slot_of(e, words[li], prefixes[li])
                on = k >= 0
                if on and vis_rate[r] >= 0:  # another department's list: if shared
                    since = entries[li][k]
                    on = (listing_uniform(share_key[li], e, np.uint16(since)) < vis_rate[r]
                          and day - np.int64(since) >= vis_delay[r])
                m = on
                tm = on and not tags[li][k] & WRONGFUL
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
            if r_hit >= 0 and t_hit:  # both states decided: later rules cannot change them
                break
        action[i] = a
        true_action[i] = ta
        rule[i] = r_hit


_decide_serial = serial_twin(_decide)


def decide_both(ids: np.ndarray, score: np.ndarray, true_score: np.ndarray, mins: np.ndarray,
                lists: list, cond: np.ndarray,
                arg: np.ndarray, act: np.ndarray, vis_rate: np.ndarray, vis_delay: np.ndarray,
                share_key: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(action, true action, index of the rule that decided or -1) for each request.
    vis_rate[r] < 0: rule r sees every listing; else only those shared (see above), by the
    uniform under share_key[list]. `lists`: the ListState of each list."""
    ids = np.ascontiguousarray(ids, np.int64)
    action = np.empty(ids.size, np.int64)
    true_action = np.empty(ids.size, np.int64)
    rule = np.empty(ids.size, np.int64)
    words, prefixes, entries, tags = (tuple(a) for a in zip(*(ls.kernel_args()
                                                               for ls in lists), strict=True))
    decide = _decide if ids.size >= SERIAL_BELOW_READS else _decide_serial
    decide(ids, score, true_score, mins, words, prefixes, entries, tags, cond, arg,
            act, vis_rate, vis_delay, share_key, np.int64(day), action, true_action, rule)
    return action, true_action, rule
