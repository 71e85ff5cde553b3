"""Step 9, collect: the day's stocks (listed entities, score sums) join the day's counts."""

from __future__ import annotations

import numpy as np

from scsim.steps.base import Step

STOCKS = ("blacklisted", "redlisted", "score_sum", "scored")


class Collect(Step):
    name = "collect"
    purpose = "record the day's figures"

    def __init__(self, sim):
        super().__init__(sim)
        n_cells = len(sim.pop.cell_labels)
        self.stocks = np.zeros((sim.days, len(STOCKS), n_cells), np.float64)

    def step(self, day: int) -> None:
        sim = self.sim
        row = self.stocks[day]
        row[0] = sim.lists.on_any[0]
        row[1] = sim.lists.on_any[1]
        row[2] = sim.scores.cell_sum
        row[3] = sim.scores.cell_n
