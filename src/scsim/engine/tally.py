"""Daily counts per (entity kind, group) cell, and per conduct and per service.

Every figure the results report is counted here, by name, so that `daily`, `daily_by_group`,
`daily_by_conduct` and `daily_by_service` are sums over the same numbers.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.kernels import add_cells, tally_actions

# Counted per cell (kind x group) and day. Order = column order of the tables.
CELL_COUNTERS = (
    "acts_true", "acts_recorded", "acts_missed", "records", "records_wrongful",
    "points_deducted", "points_awarded",
    "list_entries", "list_entries_wrongful", "list_exits", "restorations",
    "requests", "grants", "denials", "denials_wrongful", "sanctions", "sanctions_wrongful",
    "perks", "perks_wrongful", "appeals_filed", "appeals_upheld",
    "appeals_upheld_wrongful", "records_expired",
    # organizations: acts a credit cascade caused, and listings that rest on such acts
    # (docs/organizations.md); spill-over: sanctions for someone else's record, through a
    # firm (organizations) or a tie (society)
    "spillover_sanctions", "cascade_acts", "cascade_listings",
    # society layer (src/scsim/society): zero unless a scenario switches it on
    "spillover_wrongful", "shamed", "ties_cut", "protests", "protesters",
)
CONDUCT_COUNTERS = ("acts_true", "acts_recorded", "records", "records_wrongful", "points")
SERVICE_COUNTERS = ("requests", "grants", "denials", "denials_wrongful", "sanctions",
                    "sanctions_wrongful", "perks", "perks_wrongful")

# The service counters are consecutive cell counters: one 2-D view takes all eight.
_ACTION_ROWS = slice(CELL_COUNTERS.index(SERVICE_COUNTERS[0]),
                     CELL_COUNTERS.index(SERVICE_COUNTERS[0]) + len(SERVICE_COUNTERS))
assert list(CELL_COUNTERS[_ACTION_ROWS]) == list(SERVICE_COUNTERS)


class Tally:
    def __init__(self, days: int, cell: np.ndarray, n_cells: int, conducts: list[str],
                 services: list[str]):
        self.cell = cell
        self.n_cells = n_cells
        self.index = {name: i for i, name in enumerate(CELL_COUNTERS)}
        self.by_cell = np.zeros((days, len(CELL_COUNTERS), n_cells), np.float64)
        self.by_conduct = np.zeros((days, len(CONDUCT_COUNTERS), len(conducts)), np.float64)
        self.by_service = np.zeros((days, len(SERVICE_COUNTERS), len(services)), np.int64)
        self.day = 0

    def row(self, name: str) -> np.ndarray:
        """Today's per-cell row of a counter (a view: kernels add into it)."""
        return self.by_cell[self.day, self.index[name]]

    def conduct_row(self, name: str) -> np.ndarray:
        """Today's per-conduct row of a counter (a view)."""
        return self.by_conduct[self.day, CONDUCT_COUNTERS.index(name)]

    def add(self, name: str, ids: np.ndarray, weights: np.ndarray | None = None) -> None:
        if ids.size == 0:
            return
        add_cells(self.by_cell[self.day, self.index[name]], self.cell, ids, weights)

    def add_actions(self, service: int, ids: np.ndarray, act: np.ndarray, wrongful: np.ndarray,
                    deny: int, is_sanction: np.ndarray, is_perk: np.ndarray) -> None:
        """The SERVICE_COUNTERS of one service's requests, per cell and per service, in one
        kernel call instead of eight adds (and eight masked copies of the ids)."""
        if ids.size == 0:
            return
        counts = np.zeros(len(SERVICE_COUNTERS), np.int64)
        tally_actions(self.by_cell[self.day, _ACTION_ROWS], self.cell,
                      np.ascontiguousarray(ids, np.int64), np.ascontiguousarray(act, np.int64),
                      np.ascontiguousarray(wrongful, np.bool_), deny, is_sanction, is_perk,
                      counts)
        self.by_service[self.day, :, service] += counts

    def add_cells(self, name: str, counts: np.ndarray) -> None:
        """Add counts already summed per cell."""
        self.by_cell[self.day, self.index[name]] += counts

    def add_conduct(self, name: str, conducts: np.ndarray,
                    weights: np.ndarray | None = None) -> None:
        if conducts.size == 0:
            return
        row = self.by_conduct[self.day, CONDUCT_COUNTERS.index(name)]
        row += np.bincount(conducts, weights=weights, minlength=row.shape[0])

    def add_conduct_count(self, name: str, conduct: int, count: int) -> None:
        """add_conduct(name, np.full(count, conduct)) without the array."""
        self.by_conduct[self.day, CONDUCT_COUNTERS.index(name), conduct] += count

    def add_service(self, name: str, service: int, amount: int) -> None:
        self.by_service[self.day, SERVICE_COUNTERS.index(name), service] += amount
