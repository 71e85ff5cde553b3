"""Who is on one list, since when and on what ground: a bit per entity, the rest per member.

Lists are sparse (the reference's four hold under 1 % of entities each), so a listing's day of
entry (int16) and tag (uint8) are kept for members alone, in id order, found by rank
(engine/ranked.py), instead of for every entity (3 bytes an entity and list): about 0.14
bytes an entity and list plus 3 a member.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.ids import unique
from scsim.engine.ranked import delete_at, empty_bits, insert_at, join, members, ranks, slots
from scsim.engine.rows import bits_of

NOT_LISTED = -1  # the entry day of an entity off the list
# A listing's tag, one byte: its entry reason (an index into ENTRY_REASONS) in the low bits
# and, in the high bit, whether it rests on a wrong record.
WRONGFUL = 0x80
REASON = 0x7F


class ListState:
    def __init__(self, n: int):
        self.n = n
        self.words, self.prefix = empty_bits(n)  # membership, members before each block
        self.entry = np.empty(0, np.int16)  # day of entry, per member in id order
        self.tag = np.empty(0, np.uint8)  # entry reason | WRONGFUL, per member

    @classmethod
    def empty(cls, n: int) -> ListState:
        return cls(n)

    @property
    def size(self) -> int:
        return int(self.entry.size)

    def kernel_args(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(words, prefix, entry, tag): what a kernel reads a listing from (`slot_of`)."""
        return self.words, self.prefix, self.entry, self.tag

    def slots(self, ids: np.ndarray) -> np.ndarray:
        """Slot of each id's listing, -1 off the list."""
        return slots(self.words, self.prefix, ids)

    def listed(self, ids: np.ndarray) -> np.ndarray:
        return bits_of(self.words, ids)

    def members(self) -> np.ndarray:
        """The listed entities, ascending."""
        return members(self.words, self.size)

    def _fields(self, ids: np.ndarray, values: np.ndarray, off: int) -> np.ndarray:
        s = self.slots(ids)
        out = np.full(s.size, off, values.dtype)
        on = s >= 0
        out[on] = values[s[on]]
        return out

    def entry_day(self, ids: np.ndarray) -> np.ndarray:
        """Day of entry of each id's listing (int16), NOT_LISTED off the list."""
        return self._fields(ids, self.entry, NOT_LISTED)

    def wrongful(self, ids: np.ndarray) -> np.ndarray:
        """Whether each listing rests on a wrong record (False off the list)."""
        return (self._fields(ids, self.tag, 0) & WRONGFUL) != 0

    def reason(self, ids: np.ndarray) -> np.ndarray:
        """Entry reason of each listing (an index into ENTRY_REASONS)."""
        return self._fields(ids, self.tag, 0) & REASON

    def set_wrongful(self, ids: np.ndarray, wrongful: np.ndarray | bool) -> None:
        """Set the wrongful bit of listed ids (ids off the list are left alone)."""
        s = self.slots(ids)
        w = np.broadcast_to(np.asarray(wrongful, bool), s.shape)[s >= 0]
        s = s[s >= 0]
        self.tag[s] = (self.tag[s] & REASON) | np.where(w, WRONGFUL, 0).astype(np.uint8)

    def enter(self, ids: np.ndarray, day: int, reason: int, wrongful: np.ndarray) -> None:
        """Put ids on the list from `day` (ids already on it: entry and tag replaced)."""
        ids = np.asarray(ids, np.int64)
        tag = np.where(np.broadcast_to(wrongful, ids.shape), WRONGFUL | reason,
                       reason).astype(np.uint8)
        order = np.argsort(ids, kind="stable")
        ids, tag = ids[order], tag[order]
        last = np.ones(ids.size, bool)  # an id given twice: its last tag, as x[ids] = v does
        last[:-1] = ids[1:] != ids[:-1]
        ids, tag = ids[last], tag[last]
        s = self.slots(ids)
        old = s >= 0
        self.entry[s[old]] = day
        self.tag[s[old]] = tag[old]
        new = ids[~old]
        if new.size == 0:
            return
        at = ranks(self.words, self.prefix, new)  # members below each: where it goes
        self.entry = insert_at(self.entry, at, day)
        self.tag = insert_at(self.tag, at, tag[~old])
        join(self.words, self.prefix, new, +1)

    def leave(self, ids: np.ndarray) -> None:
        """Take ids off the list (those not on it are ignored)."""
        ids = unique(np.asarray(ids, np.int64))
        s = self.slots(ids)
        ids, s = ids[s >= 0], s[s >= 0]
        if ids.size == 0:
            return
        self.entry = delete_at(self.entry, s)
        self.tag = delete_at(self.tag, s)
        join(self.words, self.prefix, ids, -1)

    def nbytes(self) -> int:
        return int(self.words.nbytes + self.prefix.nbytes + self.entry.nbytes
                   + self.tag.nbytes)
