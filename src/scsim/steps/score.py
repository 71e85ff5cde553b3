"""Step 4, score: points for the records that landed today, clamped to [min, max]."""

from __future__ import annotations

import numpy as np

from scsim.engine.kernels import points_tally
from scsim.steps.base import Step


class Score(Step):
    name = "score"
    purpose = "turn landed records into points; clamp to the score bounds"

    def __init__(self, sim):
        super().__init__(sim)
        pts = sim.sc.scoring.points
        self.points = np.array([float(pts.get(c, 0.0)) for c in sim.sc.conduct], np.float64)

    def step(self, day: int) -> None:
        sim = self.sim
        landed = sim.today.landed
        if landed.size == 0:
            return
        pts = self.points[landed.conduct]
        sim.scores.change(landed.entity, pts, ~landed.wrong)
        t = sim.tally
        points_tally(landed.entity, pts, landed.conduct, sim.scores.kind_starts,
                     sim.scores.scored_kind,
                     sim.pop.cell, t.row("points_deducted"), t.row("points_awarded"),
                     t.conduct_row("points"))
