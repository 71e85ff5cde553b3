"""The counterfactual run: the same scenario and seed with the sanctions switched off.

"Sanctions off" means the scheme still watches but nothing follows from what it sees:

- the population, the network, conduct, sensing and records are unchanged;
- no record carries points (scores stay at the base, so no appeal is filed);
- no list takes anyone in (so nobody is shamed and no spill-over follows);
- every service grants every request (no sanction and no perk);
- adaptive conduct therefore perceives no enforcement, penalty or reward.

Every decision draws from its own named stream, so both runs draw the same candidate acts;
adaptive conduct thins them against bounds taken from the scenario as written in both runs.
An act the counterfactual keeps and the run with sanctions rejects is suppressed; the reverse
(praise that a reward brings, protests that grievance brings) is induced. Both are counted per
day, conduct and (kind, group) cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scsim.scenario.schema import ScenarioModel

if TYPE_CHECKING:
    from scsim.results.model import Results
    from scsim.sim import Sim

SWITCHED_OFF = ("points", "list entries", "service rules (sanctions and perks)", "spill-over",
                "shaming")


def switch_sanctions_off(sc: ScenarioModel) -> ScenarioModel:
    """The scenario with no consequence attached to a record (see the module docstring)."""
    lists = {name: cfg.model_copy(update={"conduct": [],
                                          "score_below": None if cfg.type == "red"
                                          else float("-inf"),
                                          "score_at_least": None if cfg.type == "black"
                                          else float("inf")})
             for name, cfg in sc.lists.items()}
    services = {name: svc.model_copy(update={"rules": []}) for name, svc in sc.services.items()}
    scoring = sc.scoring.model_copy(update={"points": {}})
    return sc.model_copy(update={"scoring": scoring, "lists": lists, "services": services,
                                 "spillover": None, "shaming": None})


class ConductCells:
    """Acts per (day, conduct, cell): the finest grain both runs are compared on."""

    def __init__(self, sim: Sim):
        self.cell = sim.pop.cell
        self.acts = np.zeros((sim.days, len(sim.sc.conduct), len(sim.pop.cell_labels)),
                             np.int64)

    def add(self, day: int, acts: list[tuple[int, np.ndarray]],
            cells: dict[int, np.ndarray] | None = None) -> None:
        """Count the day's acts; `cells`: the actors' cells of some batches, by index."""
        row = self.acts[day]
        cells = cells or {}
        for i, (ci, ids) in enumerate(acts):
            at = cells.get(i)
            row[ci] += np.bincount(self.cell[ids] if at is None else at, minlength=row.shape[1])


def attach(results: Results, sim: Sim, pair: Sim) -> None:
    """Add the comparison with the counterfactual to the results of `sim`."""
    act, cf = sim.conduct_cells.acts, pair.conduct_cells.acts
    suppressed = np.clip(cf - act, 0, None)
    induced = np.clip(act - cf, 0, None)
    t = results.tables
    days, n_cond = act.shape[0], act.shape[1]
    n_cells = act.shape[2]
    per = {"acts_counterfactual": cf, "acts_suppressed": suppressed, "acts_induced": induced}
    for name, arr in per.items():
        t["daily"][name] = arr.sum(axis=(1, 2))
        t["daily_by_group"][name] = arr.sum(axis=1).reshape(days * n_cells)
        t["daily_by_conduct"][name] = arr.sum(axis=2).reshape(days * n_cond)
    cf_protests = pair.tally.by_cell[:, pair.tally.index["protests"]].sum(axis=1)
    t["daily"]["protests_counterfactual"] = np.rint(cf_protests).astype(np.int64)
    cats = np.array([c.category for c in sim.sc.conduct.values()])
    by_cat = {c: int(suppressed[:, cats == c].sum()) for c in sorted(set(cats))}
    induced_cat = {c: int(induced[:, cats == c].sum()) for c in sorted(set(cats))}
    results.summary["counterfactual"] = {
        "switched_off": list(SWITCHED_OFF),
        "acts": int(act.sum()), "acts_counterfactual": int(cf.sum()),
        "acts_suppressed": int(suppressed.sum()), "acts_induced": int(induced.sum()),
        "suppressed_by_category": {k: v for k, v in by_cat.items() if v},
        "induced_by_category": {k: v for k, v in induced_cat.items() if v},
        "protests": int(t["daily"]["protests"].sum()),
        "protests_counterfactual": int(cf_protests.sum()),
    }


def suppressed_frame(results: Results) -> pd.DataFrame:
    """Suppressed and induced acts per conduct over the whole run."""
    c = results.to_df("daily_by_conduct")
    return c.groupby(["conduct", "category"], as_index=False)[
        ["acts_true", "acts_counterfactual", "acts_suppressed", "acts_induced"]].sum()
