"""Step 3, record: records due today land in their department's silo and are counted.

Without a `[platform]` every record reaches the one platform at once. With one, the platform
decides which departments see each record, when, and whether a join between departments
named a wrong entity (see `scsim.surveillance.platform`).
"""

from __future__ import annotations

from scsim.engine.record_count import count_records
from scsim.engine.records import RecordBatch
from scsim.steps.base import Step
from scsim.surveillance.provenance import OUTCOMES


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
        """Records that exist from today, counted by cell, conduct, entity, and by source and
        cause (provenance), in one pass (engine/record_count.py)."""
        if records.size == 0:
            return
        sim = self.sim
        t, st, pv = sim.tally, sim.state, sim.provenance
        count_records(records.entity, records.cause, records.conduct, records.source,
                      sim.pop.cell, t.row("records"), t.row("records_wrongful"),
                      t.conduct_row("records"), t.conduct_row("records_wrongful"),
                      st.counts["records"], st.counts["records_wrongful"], st.rows.words,
                      st.rows.prefix, st.recorded, pv.by_source[t.day],
                      pv.by_cause[t.day, OUTCOMES.index("records_wrongful")])
