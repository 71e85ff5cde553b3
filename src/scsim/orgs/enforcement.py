"""Inspections that follow standing, and differential enforcement by an attribute.

Both act where the scheme meets the entity, not on what it does:

- `[inspections.NAME]`: the coverage of the named sources is multiplied, per act, by a factor
  for each list the actor is on and for the grade it holds (the discredited are inspected
  more, the redlisted less). Coverage is capped at 1.
- `[enforcement.NAME]`: for one kind and one categorical attribute (ownership of companies,
  org_type of organizations), `detection` multiplies coverage and `listing` is the chance that
  a listing due is carried out (on every black list, or on the lists named). Set every
  factor to 1.0 to treat all labels alike.

A listing vetoed by `listing` is not carried out that time; a score or grade listing is
looked at again when the score or grade next changes, a conduct listing only on the next
triggering record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from scsim.engine.counter_rng import stream_uniforms
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin
from scsim.mechanisms import Mechanism


@dataclass
class _ByLabel:
    """A factor per label of one attribute, for the entities of one kind."""

    offset: int
    count: int
    values: np.ndarray  # attribute codes, by local id
    table: np.ndarray  # factor per code

    def factor(self, ids: np.ndarray) -> np.ndarray:
        ids = np.ascontiguousarray(ids, np.int64)
        factor = _label_factor if ids.size >= SERIAL_BELOW else _label_factor_serial
        return factor(ids, self.offset, self.count, self.values, self.table)

    def touches(self, ids: np.ndarray) -> bool:
        """Whether this batch of acts is of this kind. A day's batch of acts is of one kind
        (behave draws per conduct and kind; cascades, shocks and protests are each of one
        kind; the sense step names its streams by the first act's kind, and
        tests/test_organizations.py checks it), so its first act decides: a batch of
        individuals' acts skips a factor of companies (a pass that wrote and multiplied 1s)."""
        return ids.size > 0 and self.offset <= int(ids[0]) < self.offset + self.count


@numba.njit(cache=True, nogil=True, parallel=True)
def _label_factor(ids, offset, count, values, table):
    """table[values[id - offset]] for ids of the kind, 1 for others: one parallel pass
    (NumPy gathered the acts' attributes one by one, after masks and copies)."""
    out = np.empty(ids.size)
    for i in numba.prange(ids.size):
        local = ids[i] - offset
        out[i] = table[values[local]] if 0 <= local < count else 1.0
    return out


_label_factor_serial = serial_twin(_label_factor)


class Enforcement(Mechanism):
    name = "enforcement"

    def __init__(self, sim, ratings=None):
        super().__init__(sim)
        sc, pop = sim.sc, sim.pop
        lists = list(sc.lists)
        source_of = [c.source for c in sc.conduct.values()]
        # Inspection regimes per conduct: (list factors, rating factors).
        self.inspect: list[list[tuple[list[tuple[int, float]], list[tuple[Any, np.ndarray]]]]]
        self.inspect = [[] for _ in source_of]
        for insp in sc.inspections.values():
            by_list = [(lists.index(name), f) for name, f in insp.lists.items()]
            by_grade = []
            for rname, factors in insp.ratings.items():
                book = ratings.book(rname)
                table = np.array([factors.get(g, 1.0) for g in book.grade_names])
                by_grade.append((book, table))
            for ci, src in enumerate(source_of):
                if src in insp.sources:
                    self.inspect[ci].append((by_list, by_grade))
        # Differential enforcement: detection per conduct, listing per list.
        self.detect: list[list[_ByLabel]] = [[] for _ in source_of]
        self.listing: list[list[_ByLabel]] = [[] for _ in lists]
        for e in sc.enforcement.values():
            labels = pop.labels[(e.kind, e.attribute)]
            values = pop.attrs[e.kind][e.attribute]

            def by_label(table: dict[str, float], e=e, labels=labels, values=values) -> _ByLabel:
                return _ByLabel(pop.offsets[e.kind], pop.counts[e.kind], values,
                                np.array([table.get(lab, 1.0) for lab in labels]))

            if e.detection:
                det = by_label(e.detection)
                for ci, src in enumerate(source_of):
                    if not e.sources or src in e.sources:
                        self.detect[ci].append(det)
            if e.listing:
                lst = by_label(e.listing)
                for li, (lname, cfg) in enumerate(sc.lists.items()):
                    if lname in e.lists or (not e.lists and cfg.type == "black"):
                        self.listing[li].append(lst)
        self.list_names = lists
        self._calls: dict[int, int] = {}
        self._day = -1

    def coverage_factor(self, conduct: int, actors: np.ndarray) -> np.ndarray | None:
        regimes = self.inspect[conduct]
        dets = [d for d in self.detect[conduct] if d.touches(actors)]
        if not regimes and not dets:
            return None
        state = self.sim.state
        f = np.ones(actors.size)
        for by_list, by_grade in regimes:
            for li, fac in by_list:
                f[state.lists[li].listed(actors)] *= fac
            for book, table in by_grade:
                g = book.grades(actors)
                m = g >= 0
                f[m] *= table[g[m]]
        for det in dets:
            f *= det.factor(actors)
        return f

    def entry_filter(self, day: int, li: int, ids: np.ndarray) -> np.ndarray | None:
        regimes = self.listing[li]
        if not regimes:
            return None
        p = np.ones(ids.size)
        for r in regimes:
            p *= r.factor(ids)
        # One stream per call: a list may be entered several times a day (list step,
        # restore step, grades), and each call must draw fresh numbers.
        if day != self._day:
            self._calls, self._day = {}, day
        call = self._calls.get(li, 0)
        self._calls[li] = call + 1
        rng = self.sim.streams.get(f"enforcement:listing:{self.list_names[li]}:{call}", day)
        return stream_uniforms(rng, ids.size)[0] < p
