"""Joint punishment of people through firms: a service rule with `via = "legal_rep_of"`
matches a person who is the legal representative of at least one firm on the rule's list
(the SPC's consumption bans on the legal representative of a defaulting company, say).

The person's own record plays no part: the sanction follows the firm's listing, and it is
wrongful exactly when every such listing of the person's firms rests on wrong records.
Counted in `spillover_sanctions` (daily tables) and in the `spillover` table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scsim.engine.ids import runs_of
from scsim.mechanisms import Mechanism
from scsim.network.csr import expand


class JointPunishment(Mechanism):
    name = "joint_punishment"

    def __init__(self, sim):
        super().__init__(sim)
        pop = sim.pop
        rep = pop.attrs["company"]["legal_rep"].astype(np.int64)
        order = np.argsort(rep, kind="stable")
        self.rep_sorted = rep[order]  # individual ids, sorted
        self.firm = order.astype(np.int64) + pop.offsets["company"]  # firm of each entry
        self.people = np.zeros(pop.counts["individual"], bool)  # ever sanctioned through one
        self.log: list[dict[str, np.ndarray]] = []

    def firms_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ids, firm) for every firm each entity is legal representative of."""
        owner, pos = expand(*runs_of(self.rep_sorted, ids))
        return owner, self.firm[pos]

    def rep_of(self, ids: np.ndarray) -> np.ndarray:
        """Legal representatives of those of `ids` that are companies."""
        pop = self.sim.pop
        local = ids - pop.offsets["company"]
        local = local[(local >= 0) & (local < pop.counts["company"])]
        rep = pop.attrs["company"]["legal_rep"][local].astype(np.int64)
        return rep[rep >= 0]

    def firm_listed(self, li: int, ids: np.ndarray, truth: bool) -> np.ndarray:
        """Whether each entity represents a firm on list li (on true records, if truth)."""
        owner, firms = self.firms_of(ids)
        if firms.size == 0:
            return np.zeros(ids.size, bool)
        ls = self.sim.state.lists[li]
        on = ls.listed(firms)
        if truth:
            on &= ~ls.wrongful(firms)
        return np.bincount(owner, weights=on, minlength=ids.size) > 0

    def record(self, day: int, service: int, lists: np.ndarray, ids: np.ndarray,
               wrongful: np.ndarray) -> None:
        if ids.size == 0:
            return
        self.sim.tally.add("spillover_sanctions", ids)
        self.people[ids - self.sim.pop.offsets["individual"]] = True
        self.log.append({"day": np.full(ids.size, day, np.int32),
                         "service": np.full(ids.size, service, np.int16),
                         "list": lists.astype(np.int16), "person": ids,
                         "wrongful": wrongful.astype(bool)})

    def tables(self) -> dict[str, pd.DataFrame]:
        cols = ("day", "service", "list", "person", "wrongful")
        if not self.log:
            return {"spillover": pd.DataFrame({
                "day": pd.Series(dtype="int32"), "service": pd.Series(dtype=object),
                "list": pd.Series(dtype=object), "sanctions": pd.Series(dtype="int64"),
                "sanctions_wrongful": pd.Series(dtype="int64"),
                "people": pd.Series(dtype="int64")})}
        df = pd.DataFrame({c: np.concatenate([e[c] for e in self.log]) for c in cols})
        out = (df.groupby(["day", "service", "list"], sort=True)
               .agg(sanctions=("person", "size"), sanctions_wrongful=("wrongful", "sum"),
                    people=("person", "nunique")).reset_index())
        out["service"] = np.array(list(self.sim.sc.services), dtype=object)[out["service"]]
        out["list"] = np.array(list(self.sim.sc.lists), dtype=object)[out["list"]]
        out["sanctions_wrongful"] = out["sanctions_wrongful"].astype(np.int64)
        return {"spillover": out}

    def summary(self) -> dict[str, Any]:
        t = self.tables()["spillover"]
        sc = self.sim.sc
        via_lists = sorted({list(sc.lists).index(r.list) for s in sc.services.values()
                            for r in s.rules if r.via is not None})
        exposed = np.zeros(0, np.int64)
        for li in via_lists:  # people whose firm is on such a list at the end of the run
            on = self.firm[self.sim.state.lists[li].listed(self.firm)]
            exposed = np.union1d(exposed, self.rep_sorted[np.isin(self.firm, on)])
        return {"sanctions": int(t["sanctions"].sum()),
                "sanctions_wrongful": int(t["sanctions_wrongful"].sum()),
                "people_sanctioned": int(self.people.sum()),
                "legal_reps_of_listed_firms_final": int(exposed[exposed >= 0].size)}
