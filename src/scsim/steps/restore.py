"""Step 7, restore: records expire, appeals are decided, listings end.

When a scored record lands, this step schedules what may undo it: its expiry (if the conduct
or the scenario sets one) and, for a negative record, an appeal filed with `file_prob` and
upheld with `success_if_wrong` or `success_if_right`. A record that both may undo within the
run gets a serial number, so that an expiry after an upheld appeal (or the reverse) undoes
nothing twice.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import by_group_uniforms, key_from
from scsim.engine.ids import unique
from scsim.engine.undo import UndoLedger
from scsim.steps.base import Step


class Restore(Step):
    name = "restore"
    purpose = "expire records, decide appeals, end listings (duration, repair)"

    def __init__(self, sim):
        super().__init__(sim)
        sc = sim.sc
        default = sc.restoration.record_expiry_days
        self.expiry = np.array([c.expiry_days if c.expiry_days is not None
                                else (default if default is not None else -1)
                                for c in sc.conduct.values()], np.int64)
        self.appeals = sc.restoration.appeals
        self.conducts = list(sc.conduct)
        self.ledger = UndoLedger()
        # Lists a conduct can trigger: an upheld appeal of such a record delists.
        self.triggered_by = [[li for li, cfg in enumerate(sc.lists.values()) if c in cfg.conduct]
                             for c in sc.conduct]

    def step(self, day: int) -> None:
        self.schedule(day)
        self.undo(day, "expire")
        self.undo(day, "appeal")
        sim = self.sim
        sim.lists.scheduled_exits(day)
        touched = sim.scores.take_touched()
        if touched.size:
            sim.lists.evaluate(day, touched)

    def schedule(self, day: int) -> None:
        sim = self.sim
        landed = sim.today.landed
        if landed.size == 0:
            return
        pts = sim.score_step.points[landed.conduct]
        keep = (pts != 0) & sim.scores.scored(landed.entity)
        exp = self.expiry[landed.conduct]
        ap = self.appeals
        # One stream per conduct, so that switching one conduct off leaves the appeals of
        # every other conduct's records unchanged (common random numbers).
        present = np.bincount(landed.conduct, minlength=len(self.conducts)) > 0
        keys = np.zeros(len(self.conducts), np.uint64)
        for ci in np.flatnonzero(present):
            keys[ci] = key_from(sim.streams.get(f"appeals:{self.conducts[ci]}", day))
        u_file, u_win = by_group_uniforms(landed.conduct, keys, 2)
        filed = keep & (pts < 0) & (u_file < ap.file_prob)
        p_win = np.where(landed.wrong, ap.success_if_wrong, ap.success_if_right)
        upheld = filed & (u_win < p_win)
        expires = keep & (exp >= 0)
        # A serial only where both an expiry and an upheld appeal fall within the run.
        both = expires & upheld & (day + exp < sim.days) & (day + ap.days_to_decide < sim.days)
        serial = self.ledger.issue(both)
        sim.tally.add("appeals_filed", landed.entity[filed])
        cols = dict(entity=landed.entity, points=pts, wrong=landed.wrong,
                    conduct=landed.conduct, serial=serial)
        for kind, mask, when in (("expire", expires, day + exp),
                                 ("appeal", upheld, day + ap.days_to_decide)):
            due = mask & (when < sim.days)
            if due.any():
                sim.calendar.schedule(when[due] if np.ndim(when) else when, kind,
                                      **{k: v[due] for k, v in cols.items()})

    def undo(self, day: int, kind: str) -> None:
        sim = self.sim
        ev = sim.calendar.pop(day, kind)
        if ev is None:
            return
        fresh = self.ledger.first_time(ev["serial"])
        ev = {k: v[fresh] for k, v in ev.items()}
        sim.scores.change(ev["entity"], -ev["points"], ~ev["wrong"])
        sim.tally.add("records_expired" if kind == "expire" else "appeals_upheld", ev["entity"])
        if kind == "appeal":  # upheld appeals of wrong records: wrong records corrected
            sim.tally.add("appeals_upheld_wrongful", ev["entity"][ev["wrong"]])
        if kind == "appeal":
            for ci in unique(ev["conduct"]):
                ids = ev["entity"][ev["conduct"] == ci]
                for li in self.triggered_by[int(ci)]:
                    on = ids[sim.lists.on_list(li, ids)]
                    sim.lists.leave(day, li, unique(on), "appeal")
