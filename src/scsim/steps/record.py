"""Step 3, record: records due today land in their department's silo and are counted.

Without a `[platform]` every record reaches the one platform at once. With one, the platform
decides which departments see each record, when, and whether a join between departments
named a wrong entity (see `scsim.surveillance.platform`).
"""

from __future__ import annotations

from scsim.engine.records import RecordBatch
from scsim.steps.base import Step


class Record(Step):
    name = "record"
    purpose = "land the records due today in department silos; share them (platform)"

    def step(self, day: int) -> None:
        sim = self.sim
        landed = sim.records.landing()
        sim.today.landed = landed
        self.count(landed)
        if sim.platform.on:
            by_owner, joins = sim.platform.distribute(day, landed)
            self.count(joins)
            sim.today.by_owner = by_owner
            sim.today.landed = by_owner["platform"]
            for batch in by_owner.values():
                sim.provenance.reached(batch)
        else:
            sim.provenance.reached(landed)

    def count(self, records: RecordBatch) -> None:
        sim = self.sim
        if records.size == 0:
            return
        wrong = records.wrong
        sim.tally.add("records", records.entity)
        sim.tally.add("records_wrongful", records.entity[wrong])
        sim.tally.add_conduct("records", records.conduct)
        sim.tally.add_conduct("records_wrongful", records.conduct[wrong])
        sim.state.bump("records", records.entity)
        sim.state.bump("records_wrongful", records.entity[wrong])
        sim.provenance.records(records)
