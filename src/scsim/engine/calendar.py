"""Future events (record landings, expiries, appeal decisions, list exits) keyed by day.

Each event type is a struct of arrays appended in batches; popping a day concatenates them.
Only days with events take memory.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from scsim.engine.counting import counting_order


class Calendar:
    def __init__(self) -> None:
        self._days: dict[int, dict[str, list[dict[str, np.ndarray]]]] = defaultdict(
            lambda: defaultdict(list))

    def schedule(self, when: int | np.ndarray, kind: str, **columns: np.ndarray) -> None:
        """Schedule events; `when` is one day for all, or one day per event."""
        if np.isscalar(when):
            n = len(next(iter(columns.values())))
            if n:
                self._days[int(when)][kind].append(columns)
            return
        days = np.asarray(when, np.int64)
        if days.size == 0:
            return
        first = int(days.min())
        span = int(days.max()) - first + 1
        # By day, stably: a counting sort where the days are few next to the events (the
        # usual case: delays of days or weeks), else a stable argsort (the same order).
        if span <= 4 * days.size + 1024:
            order, start, size = counting_order(days - first, span)
            on = np.flatnonzero(size)
            start, size, on = start[on], size[on], on + first
        else:
            order = np.argsort(days, kind="stable")
            on, size = np.unique(days, return_counts=True)
            start = np.cumsum(size) - size
        # Each column gathered once, each day's run copied out of it.
        cols = {k: v[order] for k, v in columns.items()}
        for d, s, e in zip(on.tolist(), start.tolist(), (start + size).tolist(), strict=True):
            self._days[d][kind].append({k: v[s:e].copy() for k, v in cols.items()})

    def pop(self, day: int, kind: str) -> dict[str, np.ndarray] | None:
        batches = self._days.get(day, {}).pop(kind, None)
        if day in self._days and not self._days[day]:
            del self._days[day]
        if not batches:
            return None
        if len(batches) == 1:
            return batches[0]
        return {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
