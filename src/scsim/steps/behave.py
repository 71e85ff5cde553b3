"""Step 1, behave: each entity's acts of the day, drawn from its propensities.

One Poisson stream per (conduct, entity kind), thinned against each candidate's modifiers,
so the cost grows with the number of acts, not with entities x conducts.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.kernels import count_and_bump
from scsim.modifiers import compile_rate, draw_events
from scsim.steps.base import Step


class Behave(Step):
    name = "behave"
    purpose = "draw each entity's acts of the day from its propensities"

    def __init__(self, sim):
        super().__init__(sim)
        self.rates = []  # (conduct index, conduct name, CompiledRate)
        for ci, (cname, c) in enumerate(sim.sc.conduct.items()):
            for kind in c.kinds:
                rate = compile_rate(sim.pop, kind, c.rate, c.modifiers)
                self.rates.append((ci, cname, rate))

    def step(self, day: int) -> None:
        sim = self.sim
        for ci, cname, rate in self.rates:
            ids = draw_events(rate, sim.pop, sim.streams.get(f"behave:{cname}:{rate.kind}", day),
                              extra=sim.adapt_factor(ci, rate.kind))
            self.act(ci, ids)
        if sim.society is not None:  # acts decided by a society mechanism (protests)
            for ci, ids in sim.society.extra_acts(day):
                self.act(ci, ids)

    def act(self, ci: int, ids: np.ndarray) -> None:
        if ids.size == 0:
            return
        sim = self.sim
        sim.today.acts.append((ci, ids))
        st = sim.state
        sim.today.act_cells[len(sim.today.acts) - 1] = count_and_bump(
            ids, sim.pop.cell, sim.tally.row("acts_true"), st.counts["acts"], st.rows.words,
            st.rows.prefix)
        sim.tally.add_conduct_count("acts_true", ci, ids.size)
