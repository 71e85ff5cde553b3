"""Step 8, adapt: entities change their conduct in answer to the scheme.

`[adapt]` is off by default and the conduct rates stay as drawn. The mechanisms
(deterrence, chilling, performative loyalty, grievance and legitimacy) live in
`scsim.society`: this step updates their state from the day's events, and `behave` reads it
through `Sim.adapt_factor`.
"""

from __future__ import annotations

from scsim.steps.base import Step


class Adapt(Step):
    name = "adapt"
    purpose = "update conduct propensities (off unless [adapt] enables a mechanism)"

    def step(self, day: int) -> None:
        sim = self.sim
        if sim.society is not None:
            sim.society.step(day)
        if sim.conduct_cells is not None:  # acts by conduct and cell, for --counterfactual
            sim.conduct_cells.add(day, sim.today.acts, sim.today.act_cells)
