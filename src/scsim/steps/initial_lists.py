"""A list's stock on the first day: entities listed before the run started.

`lists.NAME.initial_share` puts that share of the list's kinds on the list at day 0, so that
a run can start from a list as it stood on a date (the national court list had millions on
it before any year one would calibrate against). These listings are logged in `list_events`
with reason "initial" and are not counted as entries of the run. They rest on no record of
the run, so they are never wrongful. Each has been on the list for an unknown time: the
elapsed part is drawn uniformly over the listing term, and what is left of the term (and of
the repair's waiting time) runs from day 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scsim.engine.state import ENTRY_REASONS, EXIT_REASONS, NEVER

if TYPE_CHECKING:
    from scsim.steps.lists import Lists

INITIAL = ENTRY_REASONS.index("initial")


def seed_initial_stock(lists: Lists, day: int) -> None:
    sim = lists.sim
    for li, cfg in enumerate(lists.cfgs):
        if cfg.initial_share <= 0:
            continue  # draws nothing: scenarios without a stock keep every draw
        rng = sim.streams.get(f"lists:initial:{lists.names[li]}")
        eligible = np.flatnonzero(lists.kind_ok[li][np.asarray(sim.pop.kind)])
        u = rng.random(eligible.size)
        ids = eligible[u < cfg.initial_share]
        term = cfg.duration_days if cfg.duration_days is not None else (
            cfg.repair.min_days if cfg.repair is not None else 0)
        elapsed = rng.integers(0, max(term, 1), ids.size)
        until = np.full(ids.size, NEVER, np.int64)
        why = np.full(ids.size, EXIT_REASONS.index("duration"), np.uint8)
        if cfg.duration_days is not None:
            until[:] = day + np.maximum(cfg.duration_days - elapsed, 1)
        if cfg.repair is not None and cfg.repair.daily_prob > 0:
            wait = (np.maximum(cfg.repair.min_days - elapsed, 0)
                    + rng.geometric(cfg.repair.daily_prob, ids.size))
            repaired = day + wait < until
            until = np.where(repaired, day + wait, until)
            why[repaired] = EXIT_REASONS.index("repair")
        lists.place(day, li, ids, INITIAL, np.zeros(ids.size, bool), until, why, count=False)
