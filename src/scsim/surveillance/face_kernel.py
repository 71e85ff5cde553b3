"""A face source's decision on each sighting, in one parallel pass.

The NumPy version took a dozen passes over the sightings (gathers of group and sex, the
gallery's membership, the false match probability, its cap, two comparisons); this reads each
sighting's attributes once. The arithmetic is the same, in the same order, so the decisions
are the same to the bit (tests/test_sensing.py holds the NumPy form).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform
from scsim.engine.serial_twin import serial_twin


@numba.njit(cache=True, parallel=True)
def decide_sightings(key, actors, offset, group, sex, group_mult, sex_mult, fpir, member,
                     mated_fp, fnir):
    """(false match, true identification, the actor where identified else -1) per sighting
    i, with u the uniform at counter i of `key`: a false match when u < p, p the false match
    probability of the sighted individual (its group's and sex's multipliers, times mated_fp
    when enrolled, capped at 1); a true one when not a false match, enrolled, and
    u < p + (1 - p)(1 - fnir). `member` empty: everyone is enrolled."""
    k = actors.size
    false = np.empty(k, np.bool_)
    hit = np.empty(k, np.bool_)
    named = np.empty(k, np.int64)
    for i in numba.prange(k):
        e = actors[i] - offset
        p = fpir * group_mult[group[e]] * sex_mult[sex[e]]
        enrolled = member.size == 0 or member[e]
        if enrolled:
            p = p * mated_fp
        p = min(p, 1.0)
        u = uniform(key, np.uint64(i))
        f = u < p
        h = (not f) and enrolled and u < p + (1 - p) * (1 - fnir)
        false[i] = f
        hit[i] = h
        named[i] = actors[i] if h else -1
    return false, hit, named


decide_sightings_serial = serial_twin(decide_sightings)
