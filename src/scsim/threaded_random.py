"""`rng.random(n)` on all threads, with the same numbers and the same state after.

The named streams are Philox generators (rng.py): counter-based, so the draws from position
i on are those of a generator whose counter starts i / 4 blocks later (a block holds four
64-bit words; a float64 uses a word, a float32 half of one). Large fills are cut at block
boundaries and each piece is drawn by its own generator on its own thread (NumPy releases
the GIL while it fills); the last piece is drawn by the caller's generator, advanced to
it, so that it ends where one call of `rng.random(n)` would have left it.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

MIN_PIECE = 1 << 17  # fewer draws a thread than this: one call (a hand-off costs ~0.05 ms)
_WORDS_PER_BLOCK = 4


@functools.cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="scsim-random")


def _at_block(state: dict, blocks: int) -> np.random.Generator:
    """A generator at `blocks` blocks after `state` (a Philox state with an empty buffer)."""
    bg = np.random.Philox(key=state["state"]["key"], counter=state["state"]["counter"])
    return np.random.Generator(bg.advance(blocks))


def threaded_random(rng: np.random.Generator, n: int,
                    dtype: type = np.float64) -> np.ndarray:
    """Exactly `rng.random(n, dtype=dtype)`, leaving `rng` in the same state, on all threads
    when n is large and `rng` is a Philox generator at a block boundary (else one call)."""
    threads = min(numba.get_num_threads(), n // MIN_PIECE)
    bg = rng.bit_generator
    if threads < 2 or not isinstance(bg, np.random.Philox):
        return rng.random(n, dtype=dtype)
    state = bg.state
    if state["buffer_pos"] != _WORDS_PER_BLOCK or state["has_uint32"]:
        return rng.random(n, dtype=dtype)  # mid-block: pieces would not start on a block
    per_block = _WORDS_PER_BLOCK * (2 if np.dtype(dtype) == np.float32 else 1)
    blocks = -(-n // per_block)
    cuts = [blocks * k // threads * per_block for k in range(threads)] + [n]
    out = np.empty(n, dtype)

    def fill(k: int) -> None:
        gen = _at_block(state, cuts[k] // per_block) if k < threads - 1 else rng
        gen.random(dtype=dtype, out=out[cuts[k]:cuts[k + 1]])

    bg.advance(cuts[-2] // per_block)  # the caller's generator draws the last piece
    list(_pool(threads).map(fill, range(threads)))
    return out
