"""Which side of Epstein's threshold each individual is on before counting what it sees.

The arrest probability P lies in [0, 1], so G - R P lies between G - R and G (R >= 0): an
individual with G - R > T is active whatever it sees, one with G <= T quiet, and only the
rest ("open") need the active agents in their vision counted. G = H (1 - L) and R change only
when legitimacy L does (hardship H and risk aversion R are drawn once), so each individual's
class is kept in two bits and recomputed where L moves (on all threads; late in the year at
1e7, 0.5 to 0.8 ms a day). Deciding the 330,000 individuals who reconsider a day at 1e7 then reads
two bits each (2.4 MB for everyone, which stays in cache) and H, L and R only for the open
ones (about a sixth): the three arrays of the whole population (59 MB) were read at every id
before. Finding a class only when its individual reconsiders (marked unknown where L moves)
saved less: late in the year, half of those who reconsider had moved since they last did.
The class comes from the same float64 expressions as the decision itself, so it is the
decision the bounds gave.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.serial_twin import serial_twin
from scsim.society.perception import float16_value

QUIET, ACTIVE, OPEN = 0, 1, 2
_PER_WORD = 32  # two bits an individual
_PIECES = 16  # fixed pieces of the ids to reclassify


@numba.njit(cache=True, nogil=True, inline="always")
def _grievance(h, legitimacy_bits, unit):
    return np.float64(h) * unit * (1.0 - float16_value(np.uint32(legitimacy_bits)))


@numba.njit(cache=True, nogil=True, inline="always")
def _class(h, legitimacy_bits, r, threshold, unit):
    g = _grievance(h, legitimacy_bits, unit)
    risk = np.float64(r) * unit
    sure = risk >= 0
    if sure and g - risk > threshold:
        return ACTIVE
    if sure and g <= threshold:
        return QUIET
    return OPEN


@numba.njit(cache=True, parallel=True)
def classify_all(hardship, legitimacy_bits, risk, threshold, unit):
    """The class of every individual, two bits each, 32 to a word."""
    n = hardship.size
    words = np.zeros((n + _PER_WORD - 1) // _PER_WORD, np.uint64)
    for w in numba.prange(words.size):
        word = np.uint64(0)
        for j in range(min(_PER_WORD, n - w * _PER_WORD)):
            e = w * _PER_WORD + j
            c = _class(hardship[e], legitimacy_bits[e], risk[e], threshold, unit)
            word |= np.uint64(c) << np.uint64(2 * j)
        words[w] = word
    return words


@numba.njit(cache=True, parallel=True)
def reclassify(ids, hardship, legitimacy_bits, risk, threshold, unit, words):
    """The classes of these individuals (sorted, distinct) again, after their legitimacy
    moved: in fixed pieces of the ids, each moved to start on a new word so that no two
    pieces write the same word (the reads at random ids go on all threads)."""
    n = ids.size
    starts = np.empty(_PIECES + 1, np.int64)
    for p in range(_PIECES + 1):
        s = (n * p) // _PIECES
        while 0 < s < n and ids[s] // _PER_WORD == ids[s - 1] // _PER_WORD:
            s += 1
        starts[p] = s
    for p in numba.prange(_PIECES):
        for i in range(starts[p], max(starts[p], starts[p + 1])):
            e = ids[i]
            c = _class(hardship[e], legitimacy_bits[e], risk[e], threshold, unit)
            shift = np.uint64(2 * (e % _PER_WORD))
            w = e // _PER_WORD
            words[w] = (words[w] & ~(np.uint64(3) << shift)) | (np.uint64(c) << shift)


reclassify_serial = serial_twin(reclassify)


@numba.njit(cache=True, parallel=True)
def sure_and_open(ids, words):
    """Whether each individual is surely active, and whether it is open (counts to make)."""
    active = np.empty(ids.size, np.bool_)
    is_open = np.empty(ids.size, np.bool_)
    for i in numba.prange(ids.size):
        e = ids[i]
        c = (words[e // _PER_WORD] >> np.uint64(2 * (e % _PER_WORD))) & np.uint64(3)
        active[i] = c == ACTIVE
        is_open[i] = c == OPEN
    return active, is_open


sure_and_open_serial = serial_twin(sure_and_open)


@numba.njit(cache=True, parallel=True)
def grievance_and_risk(ids, hardship, legitimacy_bits, risk, unit):
    """G and R of these individuals, as float64 (the open ones, to be decided in full)."""
    g = np.empty(ids.size)
    r = np.empty(ids.size)
    for i in numba.prange(ids.size):
        e = ids[i]
        g[i] = _grievance(hardship[e], legitimacy_bits[e], unit)
        r[i] = np.float64(risk[e]) * unit
    return g, r


grievance_and_risk_serial = serial_twin(grievance_and_risk)
