"""Future events (record landings, expiries, appeal decisions, list exits) keyed by day.

Each event type is a struct of arrays appended in batches; popping a day concatenates them.
Only days with events take memory.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np


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
        days = np.asarray(when)
        if days.size == 0:
            return
        order = np.argsort(days, kind="stable")
        days = days[order]
        cuts = np.flatnonzero(np.diff(days)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [days.size]))
        for s, e in zip(starts, ends, strict=True):
            idx = order[s:e]
            self._days[int(days[s])][kind].append({k: v[idx] for k, v in columns.items()})

    def pop(self, day: int, kind: str) -> dict[str, np.ndarray] | None:
        batches = self._days.get(day, {}).pop(kind, None)
        if day in self._days and not self._days[day]:
            del self._days[day]
        if not batches:
            return None
        if len(batches) == 1:
            return batches[0]
        return {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
