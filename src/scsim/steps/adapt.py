"""Step 8, adapt: entities change their conduct in answer to the scheme.

The core engine ships no adaptive mechanism switched on: `[adapt]` is off by default and the
conduct rates stay as drawn. Mechanisms (deterrence, chilling, performative loyalty,
grievance and legitimacy) plug in through `Sim.adapt_factor`, which `behave` consults.
"""

from __future__ import annotations

from scsim.steps.base import Step


class Adapt(Step):
    name = "adapt"
    purpose = "update conduct propensities (off unless [adapt] enables a mechanism)"

    def step(self, day: int) -> None:
        return None
