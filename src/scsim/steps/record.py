"""Step 3, record: records due today reach the platform and are counted."""

from __future__ import annotations

from scsim.steps.base import Step


class Record(Step):
    name = "record"
    purpose = "land the records due today on the platform"

    def step(self, day: int) -> None:
        sim = self.sim
        landed = sim.records.landing()
        sim.today.landed = landed
        if landed.size == 0:
            return
        wrong = landed.wrong
        sim.tally.add("records", landed.entity)
        sim.tally.add("records_wrongful", landed.entity[wrong])
        sim.tally.add_conduct("records", landed.conduct)
        sim.tally.add_conduct("records_wrongful", landed.conduct[wrong])
        sim.state.bump("records", landed.entity)
        sim.state.bump("records_wrongful", landed.entity[wrong])
