"""Step 2, sense: which acts the sources see and whom they attribute them to.

A source sees an act with probability coverage x detection; a seen act may be recorded
against a wrong entity of the same kind (`misattribution`), and the source's identification
method (registry, face, online) adds its own errors. Ground truth (the actor) and the record
(the entity it names, with the cause of any error) are kept apart from here on. The work is
in `scsim.surveillance.sensing`.
"""

from __future__ import annotations

from scsim.steps.base import Step
from scsim.surveillance.sensing import Sensing


class Sense(Step):
    name = "sense"
    purpose = "decide which acts are seen and whom each record names"

    def __init__(self, sim):
        super().__init__(sim)
        self.sensing = Sensing(sim)

    def step(self, day: int) -> None:
        self.sensing.run(day)
