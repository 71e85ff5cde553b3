"""xoshiro256++ inside numba kernels: a generator the compiler can inline.

numba's np.random.Generator support calls NumPy's bit generator through a function pointer
for every draw; that call dominated the movement code. The state here is a uint64[4] array
seeded from the user's np.random.Generator, so a seed still fixes every draw.
Reference: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM
TOMS 47 (2021); xoshiro256++ passes BigCrush.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_U = np.uint64


def new_state(rng: np.random.Generator) -> np.ndarray:
    """Four state words from `rng`; never all zero (the one forbidden state)."""
    while True:
        state = rng.integers(0, 2**64, size=4, dtype=np.uint64)
        if state.any():
            return state


@njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << _U(k)) | (x >> _U(64 - k))


@njit(cache=True, inline="always")
def next_u64(s):
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    result = _rotl(s0 + s3, 23) + s0
    t = s1 << _U(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    s[0], s[1], s[2], s[3] = s0, s1, s2, s3
    return result


@njit(cache=True, inline="always")
def uniform(s):
    """Float in [0, 1) with 53 random bits."""
    return np.float64(next_u64(s) >> _U(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def below(s, n):
    """Uniform integer in [0, n) as floor(u n); its bias, under n / 2**53, is far below any
    sampling noise (n is at most a neighbourhood or the number of agents)."""
    k = np.int64(uniform(s) * n)
    return k if k < n else n - 1  # guards the float product rounding up to n
