"""Spill-over: sanctions that land on an entity for the listing of an entity linked to it.

Two forms, each rule switchable (`enabled`) and counted on its own:

- service: when an entity asks for one of the rule's services and its own record does not
  already sanction it, a linked entity (by `via`) on one of the rule's lists turns the
  decision into the rule's action. Applied to the true state too (linked listings that rest
  on true records), so a spill-over that only a wrong record causes is wrongful.
- score: when an entity enters one of the rule's lists, every entity linked to it (seen from
  their side: the children of a listed parent, the employees of a listed company) gets
  `points`, true only if the listing is.

Every spill-over sanction is logged with its source: the linked entity whose listing caused
it (table `spillover_events`).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.ids import isin, unique_counts
from scsim.engine.rows import bitset, set_bits
from scsim.network import REVERSE

SERVICE, SCORE = 0, 1
FORMS = ("service", "score")


class SpilloverStage:
    def __init__(self, sim, net):
        sc = sim.sc
        self.sim, self.net = sim, net
        lists, services = list(sc.lists), list(sc.services)
        self.rules = [(name, r) for name, r in (sc.spillover or {}).items() if r.enabled]
        self.names = [name for name, _ in self.rules]
        self.lists = [np.array([lists.index(x) for x in r.lists]) for _, r in self.rules]
        from scsim.steps.sanction import ACTIONS

        self.action = [ACTIONS.index(r.action) for _, r in self.rules]
        self.by_service: dict[int, list[int]] = {}
        for ri, (_, r) in enumerate(self.rules):
            for s in r.services:
                self.by_service.setdefault(services.index(s), []).append(ri)
        # Per day, rule and form: sanctions, wrongful ones.
        self.count = np.zeros((sim.days, len(self.rules), 2, 2), np.int64)
        # Spill-over sanctions per row of the entities table (engine/rows.py), and a bit per
        # entity: ever reached.
        self.rows = sim.state.rows
        self.per_row = np.zeros(self.rows.size, np.uint16)
        self.reached = bitset(sim.pop.n, np.empty(0, np.int64))
        self.log: list[dict[str, np.ndarray]] = []

    # -- service form ------------------------------------------------------------------
    def listed(self, ri: int, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For linked ids: on one of the rule's lists; on one by a true record; which list."""
        st = self.sim.state
        on = np.zeros(ids.size, bool)
        on_true = np.zeros(ids.size, bool)
        which = np.full(ids.size, -1, np.int64)
        for li in self.lists[ri]:
            ls = st.lists[li]
            m = ls.listed(ids)
            which = np.where(m & (which < 0), li, which)
            on |= m
            on_true |= m & ~ls.wrongful(ids)
        return on, on_true, which

    def apply(self, si: int, ids: np.ndarray, act: np.ndarray, true_act: np.ndarray,
              day: int) -> tuple[np.ndarray, np.ndarray]:
        """Service decisions after spill-over (rules of this service, in order)."""
        rules = self.by_service.get(si)
        if not rules:
            return act, true_act
        from scsim.steps.sanction import IS_SANCTION

        for ri in rules:
            open_, true_open = ~IS_SANCTION[act], ~IS_SANCTION[true_act]
            rows = np.flatnonzero(open_ | true_open)
            if rows.size == 0:
                break
            which, linked = self.net.pairs(self.rules[ri][1].via, ids[rows])
            on, on_true, lst = self.listed(ri, linked)
            hit = np.bincount(which, weights=on, minlength=rows.size) > 0
            hit_true = np.bincount(which, weights=on_true, minlength=rows.size) > 0
            spill = rows[hit & open_[rows]]
            act[spill] = self.action[ri]
            true_act[rows[hit_true & true_open[rows]]] = self.action[ri]
            if spill.size == 0:
                continue
            # The source: a listed linked entity, one by a true record where there is one.
            cand = np.flatnonzero(on)
            pref = np.lexsort((~on_true[cand], which[cand]))
            cand = cand[pref]
            w = which[cand]  # sorted: the first of each run is the preferred source
            first = cand[np.flatnonzero(np.concatenate(([True], w[1:] != w[:-1])))]
            source = np.full(rows.size, -1, np.int64)
            src_list = np.full(rows.size, -1, np.int64)
            source[which[first]] = linked[first]
            src_list[which[first]] = lst[first]
            in_rows = np.searchsorted(rows, spill)
            wrongful = act[spill] != true_act[spill]
            self._count(day, ri, SERVICE, ids[spill], wrongful, source[in_rows],
                        src_list[in_rows], si)
        return act, true_act

    # -- score form --------------------------------------------------------------------
    def on_entries(self, day: int, entity: np.ndarray, lst: np.ndarray,
                   wrongful: np.ndarray) -> None:
        """Score spill-over for today's list entries (entity, list, wrongful)."""
        sim = self.sim
        for ri, (_, r) in enumerate(self.rules):
            if r.points == 0:
                continue
            m = isin(lst, self.lists[ri])
            if not m.any():
                continue
            src, src_list, src_wrong = entity[m], lst[m], wrongful[m]
            which, target = self.net.pairs(REVERSE[r.via], src)
            scored = sim.scores.scored(target)
            which, target = which[scored], target[scored]
            if target.size == 0:
                continue
            true = ~src_wrong[which]
            sim.scores.change(target, np.full(target.size, float(r.points)), true)
            self._count(day, ri, SCORE, target, ~true, src[which], src_list[which], -1)

    def _count(self, day: int, ri: int, form: int, ids: np.ndarray, wrongful: np.ndarray,
               source: np.ndarray, src_list: np.ndarray, service: int) -> None:
        tally = self.sim.tally
        tally.add("spillover_sanctions", ids)
        tally.add("spillover_wrongful", ids[wrongful])
        self.count[day, ri, form, 0] += ids.size
        self.count[day, ri, form, 1] += int(wrongful.sum())
        u, c = unique_counts(ids)
        set_bits(self.reached, u)
        r = self.rows.rows(u)
        r, c = r[r >= 0], c[r >= 0]
        self.per_row[r] = np.minimum(self.per_row[r].astype(np.int64) + c, 65535)
        n = ids.size
        self.log.append({"day": np.full(n, day, np.int16), "rule": np.full(n, ri, np.int16),
                         "form": np.full(n, form, np.int8), "entity": ids.astype(np.int64),
                         "source": source.astype(np.int64), "list": src_list.astype(np.int16),
                         "service": np.full(n, service, np.int16),
                         "wrongful": wrongful.astype(bool)})

    def nbytes(self) -> int:
        return int(self.per_row.nbytes + self.reached.nbytes)
