"""Fiscal shocks to local governments: on a given day, the fiscal stress of the governments
of some regions and levels jumps, and each may default on its suppliers that very day.

The jump is applied to the `fiscal_stress` attribute in place, so every conduct whose rate
has a fiscal_stress modifier (arrears, unenforced judgments ...) rises from that day on; the
`governments` table shows fiscal stress at the end of the run. The arrears acts of the day
are the governments' own conduct and start credit cascades where `[payments]` is set.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scsim.mechanisms import Mechanism


class Shocks(Mechanism):
    name = "shocks"
    after = ("behave",)

    def __init__(self, sim):
        super().__init__(sim)
        sc = sim.sc
        self.names = list(sc.shocks)
        self.cfgs = list(sc.shocks.values())
        conducts = list(sc.conduct)
        self.arrears = [conducts.index(h.arrears) if h.arrears else -1 for h in self.cfgs]
        self.hit: dict[int, np.ndarray] = {}  # shock index -> global ids of governments hit
        self.tagged: dict[int, int] = {}  # today's act entry index -> shock index

    def start_day(self, day: int) -> None:
        self.tagged = {}
        pop = self.sim.pop
        gov = pop.attrs["government"]
        levels = pop.labels[("government", "level")]
        for si, h in enumerate(self.cfgs):
            if h.day != day:
                continue
            m = np.ones(pop.counts["government"], bool)
            if h.regions:
                m &= np.isin(gov["region"], h.regions)
            if h.levels:
                m &= np.isin(gov["level"], [levels.index(x) for x in h.levels])
            fs = gov["fiscal_stress"]
            fs[m] = np.clip(fs[m] + h.fiscal_stress, 0.0, 1.0)
            self.hit[si] = np.flatnonzero(m).astype(np.int64) + pop.offsets["government"]

    def after_step(self, step: str, day: int) -> None:
        sim = self.sim
        for si, h in enumerate(self.cfgs):
            ids = self.hit.get(si)
            if h.day != day or self.arrears[si] < 0 or ids is None or ids.size == 0:
                continue
            ci = self.arrears[si]
            sim.today.acts.append((ci, ids))
            self.tagged[len(sim.today.acts) - 1] = si
            sim.tally.add("acts_true", ids)
            sim.tally.add_conduct("acts_true", np.full(ids.size, ci))
            sim.state.bump("acts", ids)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"shocks": pd.DataFrame({
            "shock": np.array(self.names, dtype=object),
            "day": np.array([h.day for h in self.cfgs], np.int32),
            "fiscal_stress_jump": np.array([h.fiscal_stress for h in self.cfgs]),
            "arrears": np.array([h.arrears or "" for h in self.cfgs], dtype=object),
            "governments_hit": np.array([self.hit.get(i, np.empty(0)).size
                                         for i in range(len(self.cfgs))], np.int64)})}

    def summary(self) -> dict[str, Any]:
        return {n: {"day": h.day, "governments_hit": int(self.hit.get(i, np.empty(0)).size)}
                for i, (n, h) in enumerate(zip(self.names, self.cfgs, strict=True))}
