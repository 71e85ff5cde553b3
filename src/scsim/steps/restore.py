"""Step 7, restore: records expire, appeals are decided, listings end.

When a scored record lands, this step schedules what may undo it: its expiry (if the conduct
or the scenario sets one) and, for a negative record, an appeal filed with `file_prob` and
upheld with `success_if_wrong` or `success_if_right`. A record that both may undo within the
run gets a serial number, so that an expiry after an upheld appeal (or the reverse) undoes
nothing twice.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import key_from
from scsim.engine.ids import unique
from scsim.engine.undo import UndoLedger
from scsim.steps.base import Step
from scsim.steps.restore_plan import plan_undos


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
        # One stream per conduct, so that switching one conduct off leaves the appeals of
        # every other conduct's records unchanged (common random numbers).
        present = np.bincount(landed.conduct, minlength=len(self.conducts)) > 0
        keys = np.zeros(len(self.conducts), np.uint64)
        for ci in np.flatnonzero(present):
            keys[ci] = key_from(sim.streams.get(f"appeals:{self.conducts[ci]}", day))
        ap = self.appeals
        filed, expire, appeal, serials = plan_undos(
            landed.entity, landed.conduct, landed.cause, sim.score_step.points, self.expiry,
            sim.scores.kind_starts, sim.scores.scored_kind, keys, ap.file_prob,
            ap.success_if_wrong, ap.success_if_right, day, ap.days_to_decide, sim.days,
            self.ledger.next)
        self.ledger.advance(serials)
        sim.tally.add("appeals_filed", filed)
        if expire["entity"].size:
            sim.calendar.schedule(expire.pop("when"), "expire", **expire)
        if appeal["entity"].size:
            sim.calendar.schedule(day + ap.days_to_decide, "appeal", **appeal)

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
