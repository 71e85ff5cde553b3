"""Named random streams: one independent generator per (seed, decision name, day).

Each decision (a conduct's acts, a source's detections, a service's requests ...) draws from
its own stream, so that switching one mechanism off leaves every other draw unchanged
(common random numbers), and a day's draws do not depend on how many were taken the day
before. Philox is counter-based: a stream for day d is the key of (seed, name) with the
counter started at d, which costs microseconds and needs no state carried between days.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stream_key(seed: int, name: str) -> int:
    """A 128-bit key from (seed, name), the same on every platform and Python version."""
    digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "little")


class Streams:
    """Factory of named generators for one run."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._keys: dict[str, int] = {}

    def key(self, name: str) -> int:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = stream_key(self.seed, name)
        return k

    def get(self, name: str, day: int = -1) -> np.random.Generator:
        """The generator for decision `name` on `day` (day -1: set-up, before day 0)."""
        # Counter words: [draw index, unused, day + 1, 0]; draws advance the first word only,
        # so days never overlap (2**64 draws a day).
        bitgen = np.random.Philox(key=self.key(name), counter=[0, 0, day + 1, 0])
        return np.random.Generator(bitgen)
