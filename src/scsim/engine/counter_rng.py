"""A counter-based generator for Numba kernels that run in parallel.

A uniform is a pure function of (key, counter): the SplitMix64 output function applied to
key + counter x golden gamma. No state is carried between draws, so a kernel may hand its
counters to any thread in any order and get the same numbers: results do not depend on
NUMBA_NUM_THREADS. Keys come from the run's named Philox streams (scsim.rng), one 64-bit word
per use, so a kernel's draws stay tied to (seed, decision, day) like every other draw.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@numba.njit(cache=True, inline="always")
def mix64(key, counter):
    """SplitMix64's output for the state key + counter * gamma (a bijection of that state)."""
    z = np.uint64(key) + np.uint64(counter) * _GAMMA
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True, inline="always")
def uniform(key, counter):
    """A double in [0, 1) from the top 53 bits of mix64(key, counter)."""
    return np.float64(mix64(key, counter) >> np.uint64(11)) * _TO_UNIT


def key_from(rng: np.random.Generator) -> np.uint64:
    """One 64-bit key drawn from a named stream: the kernel's draws for that stream."""
    return np.uint64(rng.bit_generator.random_raw())


@numba.njit(cache=True, parallel=True)
def _uniforms(key, out):
    for i in numba.prange(out.size):
        out[i] = uniform(key, np.uint64(i))


_uniforms_serial = serial_twin(_uniforms)


def uniforms(key: np.uint64, k: int) -> np.ndarray:
    """k uniforms at counters 0..k-1, on all threads (the same on any thread count)."""
    out = np.empty(k)
    (_uniforms if k >= SERIAL_BELOW else _uniforms_serial)(key, out)
    return out


@numba.njit(cache=True, parallel=True)
def _uniforms_at(key, idx, out):
    for j in numba.prange(idx.size):
        out[j] = uniform(key, np.uint64(idx[j]))


_uniforms_at_serial = serial_twin(_uniforms_at)


def uniforms_at(key: np.uint64, idx: np.ndarray) -> np.ndarray:
    """The uniforms at counters `idx`: `uniforms(key, k)[idx]` without drawing the others."""
    idx = np.ascontiguousarray(idx, np.int64)
    out = np.empty(idx.size)
    (_uniforms_at if idx.size >= SERIAL_BELOW else _uniforms_at_serial)(key, idx, out)
    return out


def stream_uniforms(rng: np.random.Generator, k: int, arrays: int = 1) -> list[np.ndarray]:
    """`arrays` arrays of k uniforms, each from its own key drawn from `rng`. For the day's
    per-record draws: 20 to 40 times faster than NumPy's Philox on all threads (0.03 against
    1.3 ms for 400,000), as the keys tie them to (seed, decision, day) all the same."""
    return [uniforms(key_from(rng), k) for _ in range(arrays)]


@numba.njit(cache=True, nogil=True)
def _by_group_uniforms(group, keys, per, out):
    rank = np.zeros(keys.size, np.int64)
    for i in range(group.size):
        g = group[i]
        r = rank[g]
        rank[g] = r + 1
        for j in range(per):
            out[j, i] = uniform(keys[g], np.uint64(per * r + j))


def by_group_uniforms(group: np.ndarray, keys: np.ndarray, per: int) -> np.ndarray:
    """`per` uniforms for each element, from its group's key at counters per * rank + j
    (rank: the element's place among its group's elements). A group's numbers do not depend
    on the other groups: common random numbers per group. Returns shape (per, len(group))."""
    out = np.empty((per, group.size))
    _by_group_uniforms(np.ascontiguousarray(group, np.int64), keys, per, out)
    return out
