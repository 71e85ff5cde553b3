"""Serial numbers for records that more than one event may undo (an expiry and an upheld
appeal), so that whichever comes first undoes the record and the other nothing. Only such
records get one: a record with one pending undo needs no guard (serial -1)."""

from __future__ import annotations

import numpy as np


class UndoLedger:
    def __init__(self) -> None:
        self.done = np.zeros(0, bool)  # by serial: already undone
        self.next = 0

    def issue(self, track: np.ndarray) -> np.ndarray:
        """A serial for each tracked element (-1 for the others)."""
        n = int(track.sum())
        serial = np.full(track.size, -1, np.int64)
        serial[track] = np.arange(self.next, self.next + n)
        self.advance(n)
        return serial

    def advance(self, n: int) -> None:
        """Count n serials issued from `next` (by `issue`, or by a kernel given `next`)."""
        self.next += n
        if self.next > self.done.size:  # grow by doubling: no full copy every day
            grown = np.zeros(max(self.next, 2 * self.done.size), bool)
            grown[:self.done.size] = self.done
            self.done = grown

    def first_time(self, serial: np.ndarray) -> np.ndarray:
        """True for serials not undone before (and for -1: no other undo pending); marks
        them all undone."""
        fresh = np.ones(serial.size, bool)
        guarded = serial >= 0
        s = serial[guarded]
        fresh[guarded] = ~self.done[s]
        self.done[s] = True
        return fresh
