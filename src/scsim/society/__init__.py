"""The society layer: network, spill-over, public shaming and adaptive conduct.

`Society.create(sim)` returns None when a scenario uses none of it (then nothing here runs
and no draw is taken). The core steps call in at four points:

- behave: `adapt_factor` (deterrence, chilling, loyalty) and `extra_acts` (protests);
- sanction: `spill` on each service's decisions;
- adapt: `step`, which handles the day's list entries (shaming, score spill-over), updates
  perceived surveillance and legitimacy, and lets individuals take up or leave protest;
- results: `extend_results` adds tables, columns and a summary section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from scsim.scenario.society import Perception as PerceptionCfg
from scsim.society.conduct import ConductFactors
from scsim.society.grievance import GrievanceStage
from scsim.society.perception import Perception
from scsim.society.shaming import ShamingStage
from scsim.society.spillover import SpilloverStage

if TYPE_CHECKING:
    from scsim.sim import Sim

ENTRY = 0


class Society:
    def __init__(self, sim: Sim):
        from scsim.network import build_network

        sc = sim.sc
        self.sim = sim
        self.net = (build_network(sim.pop, sc.network, sim.streams)
                    if sc.network is not None else None)
        a = sc.adapt
        n_regions = sc.population.regions
        needs_perception = a.enabled and any(a.on(m) for m in ("deterrence", "chilling",
                                                                "loyalty"))
        self.perception = (Perception(sim.pop, a.perception or PerceptionCfg(), n_regions)
                           if needs_perception else None)
        self.conduct = (ConductFactors(sim, self.perception, sim.factual_sc)
                        if self.perception is not None else None)
        self.grievance = (GrievanceStage(sim, self.net, a.grievance)
                          if a.on("grievance") else None)
        self.spill = SpilloverStage(sim, self.net) if _spill_rules(sc) else None
        self.shaming = ShamingStage(sim, self.net, self.perception, self.grievance)
        self.black = np.array([cfg.type == "black" for cfg in sc.lists.values()], bool)
        self.events_seen = 0

    @classmethod
    def create(cls, sim: Sim) -> Society | None:
        sc = sim.sc
        wanted = (sc.network is not None or _spill_rules(sc) or sc.shaming is not None
                  or sc.adapt.enabled or any(cfg.shamed for cfg in sc.lists.values()))
        return cls(sim) if wanted else None

    # -- hooks of the core steps -------------------------------------------------------------
    def adapt_factor(self, conduct: int, kind: str) -> Any:
        return self.conduct.factor(conduct, kind) if self.conduct is not None else None

    def extra_acts(self, day: int) -> list[tuple[int, np.ndarray]]:
        if self.grievance is None:
            return []
        return [(self.grievance.conduct, self.grievance.protest_acts(day))]

    def spill_decisions(self, si: int, ids: np.ndarray, act: np.ndarray,
                        true_act: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        if self.spill is None:
            return act, true_act
        return self.spill.apply(si, ids, act, true_act, day)

    def step(self, day: int) -> None:
        sim = self.sim
        entity, lst, wrongful = self._new_entries()
        if entity.size:
            self.shaming.on_entries(day, entity, lst)
            if self.spill is not None:
                self.spill.on_entries(day, entity, lst, wrongful)
        black = self.black[lst] if lst.size else np.zeros(0, bool)
        sanctioned = [ids for ids, _ in sim.today.sanctioned]
        sanction_ids = np.concatenate(sanctioned) if sanctioned else np.empty(0, np.int64)
        if self.perception is not None:
            pc = self.perception.cfg
            landed = sim.today.landed
            if landed.size:
                neg = sim.score_step.points[landed.conduct] < 0
                self.perception.jump(landed.entity[neg], pc.own_record, day)
            self.perception.jump(sanction_ids, pc.own_sanction, day)
            if self.net is not None and pc.tie_listed > 0 and black.any():
                _, tie, w = self.net.ties(entity[black])
                self.perception.jump(tie, pc.tie_listed * w, day)
        if self.grievance is not None:
            wrong = [w for _, w in sim.today.sanctioned]
            self.grievance.seen(np.concatenate([sanction_ids, entity[black]]),
                                np.concatenate(wrong + [wrongful[black]]) if wrong
                                else wrongful[black])
            self.grievance.step(day)
        if self.perception is not None:
            self.perception.end_day()

    def _new_entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """List entries logged since the last call: entity, list, wrongful."""
        ev = self.sim.lists.events[self.events_seen:]
        self.events_seen = len(self.sim.lists.events)
        ent = [e for e in ev if e["event"].size and e["event"][0] == ENTRY]
        if not ent:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool)
        return (np.concatenate([e["entity"] for e in ent]),
                np.concatenate([e["list"] for e in ent]).astype(np.int64),
                np.concatenate([e["wrongful"] for e in ent]))

    def nbytes(self) -> dict[str, int]:
        parts = {"network": self.net.nbytes() if self.net is not None else 0,
                 "perception": self.perception.nbytes() if self.perception else 0,
                 "grievance": self.grievance.nbytes() if self.grievance else 0,
                 "spillover": self.spill.nbytes() if self.spill else 0}
        return parts

    def extend_results(self, tables: dict, summary: dict) -> None:
        from scsim.society.results import extend_results

        extend_results(self, tables, summary)


def _spill_rules(sc) -> bool:
    return any(r.enabled for r in (sc.spillover or {}).values())
