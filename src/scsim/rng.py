"""Named random streams: one independent generator per (seed, decision name, day).

Each decision (a conduct's acts, a source's detections, a service's requests ...) draws from
its own stream, so that switching one mechanism off leaves every other draw unchanged
(common random numbers), and a day's draws do not depend on how many were taken the day
before. Philox is counter-based: a stream for day d is the key of (seed, name) with the
counter started at d, which costs microseconds and needs no state carried between days.
"""

from __future__ import annotations

import hashlib
import weakref

import numpy as np


class _Generator(np.random.Generator):
    """A Generator that can be watched by a weak reference (NumPy's cannot)."""

    __slots__ = ("__weakref__",)


def stream_key(seed: int, name: str) -> int:
    """A 128-bit key from (seed, name), the same on every platform and Python version."""
    digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "little")


class Streams:
    """Factory of named generators for one run."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._keys: dict[str, int] = {}
        # name -> (bit generator, its key words, weak reference to the generator last
        # handed out with it)
        self._idle: dict[str, tuple[np.random.Philox, np.ndarray, weakref.ref]] = {}

    def __getstate__(self) -> dict:
        return {"seed": self.seed, "_keys": self._keys, "_idle": {}}  # weak references: none

    def key(self, name: str) -> int:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = stream_key(self.seed, name)
        return k

    def get(self, name: str, day: int = -1) -> np.random.Generator:
        """The generator for decision `name` on `day` (day -1: set-up, before day 0)."""
        # Counter words: [draw index, unused, day + 1, 0]; draws advance the first word only,
        # so days never overlap (2**64 draws a day).
        counter = np.array([0, 0, day + 1, 0], np.uint64)
        kept = self._idle.get(name)
        if kept is not None and kept[2]() is None:
            # A new Philox costs ~15 us (NumPy seeds a SeedSequence from the OS first), and a
            # day opens ~170 streams; once the generator handed out with this stream's last
            # one is gone, its state is set instead (a call 19.5 -> 6.4 us in a run, 3.3 ->
            # 1.1 ms a day). Nothing in scsim keeps a stream's bit generator apart from its
            # generator.
            bitgen, words = kept[0], kept[1]
            bitgen.state = {"bit_generator": "Philox", "state": {"counter": counter, "key": words},
                            "buffer": np.zeros(4, np.uint64), "buffer_pos": 4,
                            "has_uint32": 0, "uinteger": 0}
        else:
            bitgen = np.random.Philox(key=self.key(name), counter=counter)
            words = bitgen.state["state"]["key"]
        gen = _Generator(bitgen)
        self._idle[name] = (bitgen, words, weakref.ref(gen))
        return gen
