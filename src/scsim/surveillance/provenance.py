"""Where every record came from and why it is wrong, and what wrong records led to.

Counts, per day: records by source and cause (`records_by_source`), and wrong records,
wrongful listings, denials, sanctions and perks by cause and (kind, group) cell
(`wrongful_by_cause`). A wrongful decision is put down to the cause of the most recent wrong
record that reached the entity's platform or list owners (`blame`): exact when an entity has
one wrong record, the common case, and a fair reading otherwise. The record step adds the
day's records to `by_source` and `by_cause` in its one pass over them (engine/record_count.py).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.records import WRONG_CAUSES, RecordBatch

OUTCOMES = ("records_wrongful", "list_entries_wrongful", "denials_wrongful",
            "sanctions_wrongful", "perks_wrongful")


class Provenance:
    def __init__(self, sim):
        self.sim = sim
        self.n_src = len(sim.sc.sources) + 1  # the last column: source not known
        self.n_cells = len(sim.pop.cell_labels)
        self.by_source = np.zeros((sim.days, len(WRONG_CAUSES), self.n_src), np.int64)
        self.by_cause = np.zeros((sim.days, len(OUTCOMES), len(WRONG_CAUSES), self.n_cells),
                                 np.int64)
        self.blame = np.zeros(sim.pop.n, np.uint8)

    def reached(self, batch: RecordBatch) -> None:
        """Wrong records that reached a decision maker: the entity's blame is their cause."""
        wrong = batch.wrong
        if wrong.any():
            self.blame[batch.entity[wrong]] = batch.cause[wrong]

    def wrongful(self, outcome: str, ids: np.ndarray) -> None:
        """A wrongful decision about each of `ids`, put down to the entity's blame."""
        if ids.size:
            self._add(OUTCOMES.index(outcome), self.blame[ids], ids)

    def _add(self, outcome: int, cause: np.ndarray, ids: np.ndarray) -> None:
        if ids.size == 0:
            return
        row = self.by_cause[self.sim.tally.day, outcome]
        flat = cause.astype(np.int64) * self.n_cells + self.sim.pop.cell[ids]
        row += np.bincount(flat, minlength=row.size).reshape(row.shape)
