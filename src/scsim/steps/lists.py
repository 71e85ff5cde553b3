"""Step 5, list: entries to and exits from blacklists and redlists.

Entry rules are checked when they can change: for entities whose score moved today, and for
records of listed conduct that landed today. A listing is wrongful when the true records
alone would not have put the entity there; that flag follows the listing as records arrive.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.ids import sum_by_value, unique
from scsim.engine.list_kernels import score_rule
from scsim.engine.state import ENTRY_REASONS, EXIT_REASONS, NEVER
from scsim.population.attributes import KIND_CODE
from scsim.steps.base import Step

ENTRY, EXIT = 0, 1
BY_SCORE, BY_CONDUCT = ENTRY_REASONS.index("score"), ENTRY_REASONS.index("conduct")


class Lists(Step):
    name = "list"
    purpose = "enter and leave blacklists and redlists by their rules"

    def __init__(self, sim):
        super().__init__(sim)
        sc = sim.sc
        conducts = list(sc.conduct)
        self.cfgs = list(sc.lists.values())
        self.names = list(sc.lists)
        self.kind_ok = []
        self.triggers = []
        for cfg in self.cfgs:
            ok = np.zeros(len(KIND_CODE), bool)
            ok[[KIND_CODE[k] for k in cfg.kinds]] = True
            self.kind_ok.append(ok)
            self.triggers.append(np.array([conducts.index(c) for c in cfg.conduct], np.int16))
        # The score thresholds of the lists: only entities whose scores cross one, or that
        # sit on a list's entry side, are re-tested when their score moves (ScoreBook).
        rules = [(cfg.score_below if cfg.type == "black" else cfg.score_at_least,
                  cfg.type == "black") for cfg in self.cfgs]
        rules = [(t, b) for t, b in rules if t is not None]
        sim.scores.watch_lists([t for t, _ in rules], [b for _, b in rules])
        n_cells = len(sim.pop.cell_labels)
        self.stock = np.zeros((len(self.cfgs), n_cells), np.int64)  # listings per list
        # Entities on at least one black (0) / red (1) list, per cell.
        self.on_any = np.zeros((2, n_cells), np.int64)
        self.events: list[dict[str, np.ndarray]] = []
        self._repair_calls: list = [-1, {}]  # [day, {list index: calls so far that day}]

    def step(self, day: int) -> None:
        if day == 0 and any(cfg.initial_share > 0 for cfg in self.cfgs):
            from scsim.steps.initial_lists import seed_initial_stock

            seed_initial_stock(self, day)
        self.evaluate(day, self.sim.scores.take_touched(), self.sim.today.landed)

    # -- rules -------------------------------------------------------------------------
    def evaluate(self, day: int, touched: np.ndarray, landed=None) -> None:
        sim = self.sim
        kind = sim.pop.kind
        for li, cfg in enumerate(self.cfgs):
            ls = sim.state.lists[li]
            seen = sim.platform.for_list(li, landed)  # the records the list's owner sees
            if seen is not None and seen.size and self.triggers[li].size:
                m = np.isin(seen.conduct, self.triggers[li]) & self.kind_ok[li][
                    kind[seen.entity]]
                ent, wrong = seen.entity[m], seen.wrong[m]
                if ent.size:
                    # Wrongful only if every triggering record of the day is wrong.
                    uniq, right = sum_by_value(ent, ~wrong)
                    all_wrong = right == 0
                    listed = ls.listed(uniq)
                    self.enter(day, li, uniq[~listed], BY_CONDUCT, all_wrong[~listed])
                    ls.set_wrongful(uniq[listed & ~all_wrong], False)
            thr = cfg.score_below if cfg.type == "black" else cfg.score_at_least
            if thr is None or touched.size == 0:
                continue
            st = sim.state
            enter, wrong, leave = score_rule(touched, sim.scores.kind_starts, self.kind_ok[li],
                                             st.score, st.true_score, thr, cfg.type == "black",
                                             ls, BY_SCORE, cfg.exit_on_recovery)
            self.enter(day, li, enter, BY_SCORE, wrong)
            self.leave(day, li, leave, "recovery")

    def enter(self, day: int, li: int, ids: np.ndarray, reason: int,
              wrongful: np.ndarray) -> None:
        if ids.size == 0:
            return
        keep = self.sim.entry_filter(day, li, ids)  # differential enforcement, if any
        if keep is not None:
            ids, wrongful = ids[keep], wrongful[keep]
            if ids.size == 0:
                return
        sim, cfg = self.sim, self.cfgs[li]
        until = np.full(ids.size, NEVER, np.int64)
        exit_reason = np.full(ids.size, EXIT_REASONS.index("duration"), np.uint8)
        if cfg.duration_days is not None:
            until[:] = day + max(cfg.duration_days, 1)
        if cfg.repair is not None and cfg.repair.daily_prob > 0:
            # enter() runs several times a day (conduct, score, restore): each call its own
            # stream, or a later call would reuse an earlier call's numbers.
            calls = self._repair_calls
            if calls[0] != day:
                calls[0], calls[1] = day, {}
            k = calls[1].get(li, 0)
            calls[1][li] = k + 1
            rng = sim.streams.get(f"repair:{self.names[li]}:{k}", day)
            wait = cfg.repair.min_days + rng.geometric(cfg.repair.daily_prob, ids.size)
            repaired = day + wait < until
            until = np.where(repaired, day + wait, until)
            exit_reason[repaired] = EXIT_REASONS.index("repair")
        self.place(day, li, ids, reason, wrongful, until, exit_reason)

    def place(self, day: int, li: int, ids: np.ndarray, reason: int, wrongful: np.ndarray,
              until: np.ndarray, exit_reason: np.ndarray, count: bool = True) -> None:
        """Put ids on list li until `until` (exit then for `exit_reason`); log the entry.

        count=False: a stock present before the run (not an entry of the run's tallies)."""
        sim = self.sim
        ls = sim.state.lists[li]
        ls.enter(ids, day, reason, wrongful)
        due = until < min(NEVER, sim.days)
        sim.calendar.schedule(until[due], "list_exit", entity=ids[due],
                              since=np.full(int(due.sum()), day, np.int16),
                              lst=np.full(int(due.sum()), li, np.int16),
                              reason=exit_reason[due])
        self.stock[li] += np.bincount(sim.pop.cell[ids], minlength=self.stock.shape[1])
        self._count_any(ids, +1, li)
        if count:
            sim.tally.add("list_entries", ids)
            sim.tally.add("list_entries_wrongful", ids[wrongful])
            sim.provenance.wrongful("list_entries_wrongful", ids[wrongful])
        self._log(day, ids, li, ENTRY, np.full(ids.size, reason, np.uint8), wrongful,
                  np.zeros(ids.size, np.int16))

    def leave(self, day: int, li: int, ids: np.ndarray, why: str | np.ndarray) -> None:
        if ids.size == 0:
            return
        sim, cfg = self.sim, self.cfgs[li]
        ls = sim.state.lists[li]
        reason = (np.full(ids.size, EXIT_REASONS.index(why), np.uint8) if isinstance(why, str)
                  else why.astype(np.uint8))
        self._log(day, ids, li, EXIT, reason, ls.wrongful(ids),
                  (day - ls.entry_day(ids)).astype(np.int16))
        ls.leave(ids)
        self.stock[li] -= np.bincount(sim.pop.cell[ids], minlength=self.stock.shape[1])
        self._count_any(ids, -1, li)
        sim.tally.add("list_exits", ids)
        repaired = ids[reason == EXIT_REASONS.index("repair")]
        sim.tally.add("restorations", repaired)
        if cfg.repair is not None and cfg.repair.restore_score is not None:
            sim.scores.raise_to(repaired, cfg.repair.restore_score)

    def scheduled_exits(self, day: int) -> None:
        ev = self.sim.calendar.pop(day, "list_exit")
        if ev is None:
            return
        for li in unique(ev["lst"]):
            m = ev["lst"] == li
            ids, since = ev["entity"][m], ev["since"][m]
            ls = self.sim.state.lists[int(li)]
            current = ls.entry_day(ids) == since  # not left and re-entered since scheduling
            self.leave(day, int(li), ids[current], ev["reason"][m][current])

    def _count_any(self, ids: np.ndarray, sign: int, li: int) -> None:
        """Count entities that just joined (sign +1) or left (-1) list `li` and are on no
        other list of its type: the per-cell stock on any black (red) list. Called after
        `since` of list li changed; reads the other lists' entries (no per-entity count)."""
        red = int(self.cfgs[li].type == "red")
        alone = np.ones(ids.size, bool)
        for j, cfg in enumerate(self.cfgs):
            if j != li and int(cfg.type == "red") == red:
                alone &= ~self.sim.state.lists[j].listed(ids)
        cells = self.sim.pop.cell[ids[alone]]
        self.on_any[red] += sign * np.bincount(cells, minlength=self.on_any.shape[1])

    def on_list(self, li: int, ids: np.ndarray) -> np.ndarray:
        return self.sim.state.lists[li].listed(ids)

    def _log(self, day, ids, li, event, reason, wrongful, days_listed) -> None:
        n = ids.size
        self.events.append({"day": np.full(n, day, np.int16), "entity": ids.astype(np.int64),
                            "list": np.full(n, li, np.int16), "event": np.full(n, event, np.int8),
                            "reason": reason, "wrongful": wrongful.astype(bool),
                            "days_listed": days_listed})
