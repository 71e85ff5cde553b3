"""Step 3, record: records due today land in their department's silo and are counted.

Without a `[platform]` every record reaches the one platform at once. With one, the platform
decides which departments see each record, when, and whether a join between departments
named a wrong entity (see `scsim.surveillance.platform`).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.record_count import count_records
from scsim.engine.records import RecordBatch
from scsim.engine.tally import CELL_COUNTERS, CONDUCT_COUNTERS
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
        """Tallies, the entities' counters and provenance of these records (one pass)."""
        sim = self.sim
        if records.size == 0:
            return
        t, st, prov = sim.tally, sim.state, sim.provenance
        rows = slice(CELL_COUNTERS.index("records"), CELL_COUNTERS.index("records") + 2)
        by_conduct = slice(CONDUCT_COUNTERS.index("records"),
                           CONDUCT_COUNTERS.index("records") + 2)
        count_records(np.ascontiguousarray(records.entity, np.int64), records.cause,
                      records.conduct, records.source, sim.pop.cell,
                      t.by_cell[t.day, rows], t.by_conduct[t.day, by_conduct],
                      st.counts["records"], st.counts["records_wrongful"], st.rows.words,
                      st.rows.prefix, st.recorded, prov.by_source[t.day],
                      prov.by_cause[t.day, OUTCOMES.index("records_wrongful")],
                      prov.n_src - 1)
