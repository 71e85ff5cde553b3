"""Future events (record landings, expiries, appeal decisions, list exits) keyed by day.

Each event type is a struct of arrays appended in batches; popping a day concatenates them.
Only days with events take memory. Int64 columns (entity and actor ids) wait as int32 when
their values fit and come back as int64: records in flight held 10 bytes an entity of ids
at the end of a year of the reference scheme, 5 this way.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from scsim.engine.ids import narrow, stable_order
from scsim.engine.take import take


class Calendar:
    def __init__(self) -> None:
        self._days: dict[int, dict[str, list[dict[str, np.ndarray]]]] = defaultdict(
            lambda: defaultdict(list))
        self._wide: dict[str, set[str]] = defaultdict(set)  # int64 columns of each kind

    def _narrow(self, kind: str, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = {}
        for k, v in columns.items():
            if v.dtype == np.int64:
                self._wide[kind].add(k)
                small = narrow(v)
                v = v if small is None else small
            out[k] = v
        return out

    def schedule(self, when: int | np.ndarray, kind: str, **columns: np.ndarray) -> None:
        """Schedule events; `when` is one day for all, or one day per event."""
        if np.isscalar(when):
            n = len(next(iter(columns.values())))
            if n:
                self._days[int(when)][kind].append(self._narrow(kind, columns))
            return
        days = np.asarray(when)
        if days.size == 0:
            return
        if days.min() == days.max():  # one day for all (a single delay): no sort, no copies
            self.schedule(int(days[0]), kind, **columns)
            return
        order, days = stable_order(days)  # a radix sort: days span a few hundred values
        cuts = np.flatnonzero(np.diff(days)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [days.size]))
        for s, e in zip(starts, ends, strict=True):
            idx = order[s:e]
            self._days[int(days[s])][kind].append(
                self._narrow(kind, {k: take(v, idx) for k, v in columns.items()}))

    def pop(self, day: int, kind: str) -> dict[str, np.ndarray] | None:
        batches = self._days.get(day, {}).pop(kind, None)
        if day in self._days and not self._days[day]:
            del self._days[day]
        if not batches:
            return None
        wide = self._wide[kind]
        if len(batches) == 1:
            out = dict(batches[0])
        else:
            out = {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
        for k in wide & out.keys():
            out[k] = out[k].astype(np.int64, copy=False)
        return out
