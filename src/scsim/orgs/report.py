"""The `organizations` block of summary.json: who got listed among companies (by ownership),
governments (by level) and organizations (by type), and each mechanism's headline figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scsim.sim import Sim

KINDS = ("company", "government", "organization")


def listed_by_group(sim: Sim, list_events: pd.DataFrame) -> dict[str, Any]:
    """Per kind and group: entities, how many were ever put on a black list, and the share."""
    pop = sim.pop
    black = [n for n, c in sim.sc.lists.items() if c.type == "black"]
    ev = list_events[(list_events["event"] == "entry") & list_events["list"].isin(black)]
    # Distinct entities ever entered, by cell: no per-entity arrays (a flag per entity and
    # three int64 or float64 copies of the cells took 17 bytes an entity).
    ever = np.unique(ev["entity"].to_numpy(np.int64))
    entities = pop.cell_counts()
    listed = np.bincount(pop.cell[ever], minlength=len(pop.cell_labels))
    out: dict[str, Any] = {}
    for c, (kind, group) in enumerate(pop.cell_labels):
        if kind in KINDS and entities[c]:
            out.setdefault(kind, {})[group] = {
                "entities": int(entities[c]), "ever_blacklisted": int(listed[c]),
                "share": round(float(listed[c] / entities[c]), 6)}
    return out


def organizations_summary(sim: Sim, tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Empty when the population has no companies, governments or organizations."""
    if not any(sim.pop.counts[k] for k in KINDS):
        return {}
    out: dict[str, Any] = {"listed": listed_by_group(sim, tables["list_events"])}
    for m in sim.mechanisms:
        s = m.summary()
        if s:
            out[m.name] = s
    return out
