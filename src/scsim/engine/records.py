"""Records: what the platform holds about an act, kept apart from what happened.

A record names an entity (`entity`) and keeps the true actor (`actor`, -1 for a sighting of
nobody), why it is wrong (`cause`, 0 when it is right) and the source that made it (`source`,
whose department and identification method follow from the scenario), so every later
decision can tell whether, and why, it rests on a wrong record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scsim.engine.calendar import Calendar
from scsim.engine.take import take

# Why a record is wrong; 0 = a true record. See docs/surveillance.md for each mechanism.
WRONG_CAUSES = ("none", "misattribution", "clerical", "namesake", "face_false_match", "phantom",
                "online_false_flag", "identity_join")


@dataclass
class RecordBatch:
    entity: np.ndarray  # int64: entity the record names
    actor: np.ndarray  # int64: who did it (-1: nobody)
    conduct: np.ndarray  # int16: conduct index
    cause: np.ndarray  # uint8: index into WRONG_CAUSES (0 = a true record)
    day: np.ndarray  # int16: day of the act
    source: np.ndarray  # int16: index into the scenario's sources (-1: not known)
    # int32: the credit cascade that caused the act (-1: the actor's own conduct)
    origin: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.origin is None:
            self.origin = np.full(self.entity.shape[0], -1, np.int32)

    @classmethod
    def make(cls, entity: np.ndarray, actor: np.ndarray, conduct: int | np.ndarray,
             cause: np.ndarray, day: int, source: int = -1,
             origin: np.ndarray | None = None) -> RecordBatch:
        n = entity.size
        # copy=False: the callers hand fresh arrays; a copy each would cost a pass per record.
        return cls(entity=entity.astype(np.int64, copy=False),
                   actor=actor.astype(np.int64, copy=False),
                   conduct=np.broadcast_to(np.int16(conduct), (n,)).astype(np.int16),
                   cause=cause.astype(np.uint8, copy=False), day=np.full(n, day, np.int16),
                   source=np.full(n, source, np.int16),
                   origin=None if origin is None else origin.astype(np.int32, copy=False))

    @property
    def size(self) -> int:
        return int(self.entity.size)

    @property
    def wrong(self) -> np.ndarray:
        return self.cause != 0

    def columns(self) -> dict[str, np.ndarray]:
        return {"entity": self.entity, "actor": self.actor, "conduct": self.conduct,
                "cause": self.cause, "day": self.day, "source": self.source,
                "origin": self.origin}

    def take(self, mask: np.ndarray) -> RecordBatch:
        """The records where `mask` is true (or at the given indices)."""
        if mask.dtype == np.bool_:
            return RecordBatch(**{k: v[mask] for k, v in self.columns().items()})
        return RecordBatch(**{k: None if v is None else take(v, mask)
                              for k, v in self.columns().items()})

    @classmethod
    def concat(cls, batches: list[RecordBatch]) -> RecordBatch:
        if not batches:
            e = np.empty(0, np.int64)
            return cls(e, e.copy(), np.empty(0, np.int16), np.empty(0, np.uint8),
                       np.empty(0, np.int16), np.empty(0, np.int16), np.empty(0, np.int32))
        if len(batches) == 1:
            return batches[0]
        return cls(*(np.concatenate([getattr(b, f) for b in batches])
                     for f in ("entity", "actor", "conduct", "cause", "day", "source",
                               "origin")))


class RecordDesk:
    """Holds records between their creation and the day they reach the platform."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self.due_today: list[RecordBatch] = []
        self.today = -1

    def submit(self, batch: RecordBatch, land_day: int) -> None:
        if batch.size == 0:
            return
        if land_day <= self.today:
            self.due_today.append(batch)
        else:
            self.calendar.schedule(land_day, "record", **batch.columns())

    def start_day(self, day: int) -> None:
        self.today = day
        self.due_today = []
        cols = self.calendar.pop(day, "record")
        if cols is not None:
            self.due_today.append(RecordBatch(**cols))

    def landing(self) -> RecordBatch:
        return RecordBatch.concat(self.due_today)
