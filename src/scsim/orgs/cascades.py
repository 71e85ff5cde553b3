"""Credit cascades: a payer's arrears make its suppliers late on wages and taxes.

Every act of an `[payments] arrears` conduct by a payer with suppliers starts a cascade (the
act's own id). Each supplier is paid late; with `hit_prob` it cannot absorb it and then
commits each `effects` conduct with its probability (late wages, late tax ...) and, with
`pass_on_prob`, pays its own suppliers late in turn (`pass_on`), `lag_days` later, up to
`max_depth` links from the first payer. The supplier's acts are its TRUE conduct, sensed and
recorded like any other, but they carry the cascade id, so results can tell which listings
rest on someone else's non-payment:

- conduct listings: every true triggering record of the day was caused by a cascade;
- score listings: the score without the cascade's points would not have crossed the
  threshold (points are added at face value and taken back on expiry; the clamp and upheld
  appeals are not replayed, so near the bounds this is an approximation);
- grade listings: the rating's own ledger, kept without cascade records, would not list.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scsim.engine.state import ENTRY_REASONS
from scsim.mechanisms import Mechanism
from scsim.orgs.network import build_network
from scsim.population.attributes import KINDS

BY_SCORE, BY_CONDUCT, BY_RATING = (ENTRY_REASONS.index(r) for r in ("score", "conduct",
                                                                      "rating"))


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)


class Cascades(Mechanism):
    name = "cascades"
    after = ("behave", "score", "list", "restore")

    def __init__(self, sim):
        super().__init__(sim)
        sc, pop = sim.sc, sim.pop
        self.cfg = sc.payments
        self.net = build_network(sim, self.cfg)
        conducts = list(sc.conduct)
        casc = self.cfg.cascade
        self.arrears = np.array([conducts.index(c) for c in self.cfg.arrears], np.int64)
        self.effects = [(conducts.index(c), p) for c, p in casc.effects.items()]
        self.pass_on = conducts.index(casc.pass_on) if casc.pass_on else -1
        default = sc.restoration.record_expiry_days
        self.expiry = np.array([c.expiry_days if c.expiry_days is not None
                                else default if default is not None else -1
                                for c in sc.conduct.values()], np.int64)
        self.oc, self.nc = pop.offsets["company"], pop.counts["company"]
        self.induced_pts = np.zeros(self.nc, np.float64)  # score points from cascade records
        self.last_origin = np.full(self.nc, -1, np.int32)  # cascade of the latest such record
        self.next_id = 0
        self.events_seen = 0
        self.roots: list[dict[str, np.ndarray]] = []
        self.hits: list[dict[str, np.ndarray]] = []
        self.late: list[np.ndarray] = []  # cascade id per late payment (tie)
        self.acts: list[np.ndarray] = []  # cascade id per induced act
        self.listings: list[dict[str, np.ndarray]] = []
        self._tables: dict[str, pd.DataFrame] | None = None

    def after_step(self, step: str, day: int) -> None:
        if step == "behave":
            if self.cfg.cascade.enabled:
                self.spread(day)
        elif step == "score":
            self.track(day)
        else:
            self.attribute(day)

    # -- spreading -------------------------------------------------------------------------
    def spread(self, day: int) -> None:
        sim = self.sim
        casc = self.cfg.cascade
        shocks = sim.mechanism("shocks")
        tagged = shocks.tagged if shocks is not None else {}
        payers, shock = [], []
        for i, (ci, ids) in enumerate(sim.today.acts):
            if i in sim.today.origins or ci not in self.arrears:
                continue
            with_ties = ids[self.net.degree(ids) > 0]
            payers.append(with_ties)
            shock.append(np.full(with_ties.size, tagged.get(i, -1), np.int16))
        payer = _cat(payers, np.int64)
        cid = np.arange(self.next_id, self.next_id + payer.size, dtype=np.int64)
        self.next_id += payer.size
        if payer.size:
            self.roots.append({"cascade": cid, "day": np.full(payer.size, day, np.int16),
                               "origin": payer, "shock": _cat(shock, np.int16)})
        depth = np.zeros(payer.size, np.int64)
        due = sim.calendar.pop(day, "cascade:late")
        if due is not None:
            payer = np.concatenate([payer, due["payer"]])
            cid = np.concatenate([cid, due["cascade"]])
            depth = np.concatenate([depth, due["depth"]])
        induced: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
        rng = sim.streams.get("cascade", day)
        while payer.size:
            owner, sup = self.net.suppliers_of(payer)
            c, d, pay = cid[owner], depth[owner] + 1, payer[owner]
            keep = d <= casc.max_depth
            c, d, pay, sup = c[keep], d[keep], pay[keep], sup[keep]
            if sup.size == 0:
                break
            # Fixed draws per late payment: hit, pass on, then one per effect.
            u = rng.random((2 + len(self.effects), sup.size))
            hit = u[0] < casc.hit_prob
            self.late.append(c)
            self.hits.append({"cascade": c[hit], "day": np.full(int(hit.sum()), day, np.int16),
                              "depth": d[hit].astype(np.int16), "payer": pay[hit],
                              "entity": sup[hit]})
            for j, (ci, p) in enumerate(self.effects):
                m = hit & (u[2 + j] < p)
                induced.setdefault(ci, []).append((sup[m], c[m]))
            nxt = hit & (u[1] < casc.pass_on_prob) if self.pass_on >= 0 else hit & False
            if self.pass_on >= 0:
                induced.setdefault(self.pass_on, []).append((sup[nxt], c[nxt]))
            payer, cid, depth = sup[nxt], c[nxt], d[nxt]
            if casc.lag_days > 0:
                when = day + casc.lag_days
                if when < sim.days and payer.size:
                    sim.calendar.schedule(when, "cascade:late", payer=payer, cascade=cid,
                                          depth=depth)
                break
        for ci, parts in induced.items():
            ids = _cat([p[0] for p in parts], np.int64)
            origin = _cat([p[1] for p in parts], np.int32)
            if ids.size:
                self._add_acts(ci, ids, origin)

    def _add_acts(self, ci: int, ids: np.ndarray, origin: np.ndarray) -> None:
        sim = self.sim
        sim.today.acts.append((ci, ids))
        sim.today.origins[len(sim.today.acts) - 1] = origin
        sim.tally.add("acts_true", ids)
        sim.tally.add("cascade_acts", ids)
        sim.tally.add_conduct("acts_true", np.full(ids.size, ci))
        sim.state.bump("acts", ids)
        self.acts.append(origin)

    # -- which listings rest on cascades ---------------------------------------------------
    def track(self, day: int) -> None:
        """Remember, per firm, the cascade behind its latest true record and its points."""
        sim = self.sim
        landed = sim.today.landed
        if landed.size:
            m = (landed.origin >= 0) & ~landed.wrong
            e, ci, org = landed.entity[m], landed.conduct[m], landed.origin[m]
            self.last_origin[e - self.oc] = org
            pts = sim.score_step.points[ci]
            s = sim.scores.scored(e) & (pts != 0)
            if s.any():
                np.add.at(self.induced_pts, e[s] - self.oc, pts[s])
                when = day + self.expiry[ci[s]]
                due = (self.expiry[ci[s]] >= 0) & (when < sim.days)
                sim.calendar.schedule(when[due], "cascade:points", local=e[s][due] - self.oc,
                                      points=pts[s][due])
        ev = sim.calendar.pop(day, "cascade:points")
        if ev is not None:
            np.add.at(self.induced_pts, ev["local"], -ev["points"])

    def attribute(self, day: int) -> None:
        sim = self.sim
        events = sim.lists.events
        new, self.events_seen = events[self.events_seen:], len(events)
        for ev in new:
            if ev["event"].size == 0 or ev["event"][0] != 0:  # exits
                continue
            li = int(ev["list"][0])
            cfg = sim.lists.cfgs[li]
            ids = ev["entity"]
            ids = ids[(ids >= self.oc) & (ids < self.oc + self.nc)]
            if cfg.type != "black" or ids.size == 0:
                continue
            reason = int(ev["reason"][0])
            local = ids - self.oc
            origin = self.last_origin[local]
            if reason == BY_CONDUCT:
                through, origin = self._by_conduct(li, ids)
            elif reason == BY_SCORE:
                own = sim.state.score[ids] - self.induced_pts[local]
                through = (origin >= 0) & (own >= cfg.score_below)
            else:
                ratings = sim.mechanism("ratings")
                through = (origin >= 0) & ~ratings.listed_without_cascade(li, ids)
            if not through.any():
                continue
            sim.tally.add("cascade_listings", ids[through])
            n = int(through.sum())
            self.listings.append({"day": np.full(n, day, np.int16), "entity": ids[through],
                                  "list": np.full(n, li, np.int16),
                                  "cascade": origin[through].astype(np.int64),
                                  "reason": np.full(n, reason, np.uint8)})

    def _by_conduct(self, li: int, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entered on conduct today: through a cascade when every true trigger record of the
        day came from one (and at least one did)."""
        landed = self.sim.today.landed
        m = np.isin(landed.conduct, self.sim.lists.triggers[li]) & np.isin(landed.entity, ids)
        e, org, wrong = landed.entity[m], landed.origin[m], landed.wrong[m]
        pos = np.searchsorted(ids, e) if np.all(ids[:-1] <= ids[1:]) else None
        if pos is None:
            order = np.argsort(ids)
            pos = order[np.searchsorted(ids, e, sorter=order)]
        induced = np.zeros(ids.size, bool)
        own = np.zeros(ids.size, bool)
        origin = np.full(ids.size, -1, np.int64)
        t = ~wrong
        induced[pos[t & (org >= 0)]] = True
        own[pos[t & (org < 0)]] = True
        np.maximum.at(origin, pos[t & (org >= 0)], org[t & (org >= 0)])
        return induced & ~own, origin

    # -- results ---------------------------------------------------------------------------
    def _log(self, parts: list[dict[str, np.ndarray]], cols: dict[str, Any]) -> dict:
        return {c: _cat([p[c] for p in parts], t) for c, t in cols.items()}

    def tables(self) -> dict[str, pd.DataFrame]:
        if self._tables is None:
            self._tables = self._build_tables()
        return self._tables

    def _build_tables(self) -> dict[str, pd.DataFrame]:
        pop = self.sim.pop
        roots = self._log(self.roots, {"cascade": np.int64, "day": np.int32,
                                       "origin": np.int64, "shock": np.int16})
        hits = self._log(self.hits, {"cascade": np.int64, "day": np.int32, "depth": np.int32,
                                     "payer": np.int64, "entity": np.int64})
        lst = self._log(self.listings, {"day": np.int32, "entity": np.int64, "list": np.int16,
                                        "cascade": np.int64, "reason": np.uint8})
        n = self.next_id
        late = np.bincount(_cat(self.late, np.int64), minlength=n)
        acts = np.bincount(_cat(self.acts, np.int64), minlength=n)
        firms_hit = _distinct_per(hits["cascade"], hits["entity"], n)
        firms_listed = _distinct_per(lst["cascade"], lst["entity"], n)
        depth = np.zeros(n, np.int32)
        np.maximum.at(depth, hits["cascade"], hits["depth"])
        cid = roots["cascade"]
        origin = roots["origin"]
        group = np.array([g for _, g in pop.cell_labels], dtype=object)[pop.cell[origin]]
        region = np.empty(origin.size, np.int64)
        for kind in ("company", "government"):
            local = origin - pop.offsets[kind]
            m = (local >= 0) & (local < pop.counts[kind])
            region[m] = pop.attrs[kind]["region"][local[m]]
        shock_names = np.array(list(self.sim.sc.shocks) + [""], dtype=object)
        cascades = pd.DataFrame({
            "cascade": cid, "day": roots["day"], "origin": origin,
            "origin_kind": np.array(KINDS, dtype=object)[pop.kind[origin]],
            "origin_group": group, "region": region,
            "shock": shock_names[roots["shock"]],  # -1 is the last entry: ""
            "late_payments": late[cid], "firms_hit": firms_hit[cid], "depth": depth[cid],
            "induced_acts": acts[cid], "firms_listed": firms_listed[cid]})
        lists = np.array(list(self.sim.sc.lists), dtype=object)
        listings = pd.DataFrame({
            "day": lst["day"], "entity": lst["entity"], "list": lists[lst["list"]],
            "cascade": lst["cascade"],
            "reason": np.array(ENTRY_REASONS, dtype=object)[lst["reason"]]})
        payer, supplier = self.net.pairs()
        return {"cascades": cascades, "cascade_hits": pd.DataFrame(hits),
                "cascade_listings": listings,
                "payment_ties": pd.DataFrame({"payer": payer.astype(np.int64),
                                              "supplier": supplier.astype(np.int64)})}

    def summary(self) -> dict[str, Any]:
        t = self.tables()
        c, lst = t["cascades"], t["cascade_listings"]
        hit = c[c["firms_hit"] > 0]
        out = {"payment_ties": self.net.n_ties, "cascades": int(len(c)),
               "cascades_with_firms_hit": int(len(hit)),
               "firms_hit": int(t["cascade_hits"]["entity"].nunique()),
               "firms_listed_through_cascades": int(lst["entity"].nunique()),
               "largest_cascade_firms": int(c["firms_hit"].max()) if len(c) else 0,
               "mean_cascade_firms": float(hit["firms_hit"].mean()) if len(hit) else 0.0}
        for name in self.sim.sc.shocks:
            s = c[c["shock"] == name]
            listed = lst[lst["cascade"].isin(s["cascade"])]
            out[f"shock:{name}"] = {
                "cascades": int(len(s)), "firms_hit": int(s["firms_hit"].sum()),
                "largest_cascade_firms": int(s["firms_hit"].max()) if len(s) else 0,
                "firms_listed": int(listed["entity"].nunique())}
        return out


def _distinct_per(group: np.ndarray, item: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct items per group id (0..n-1)."""
    if group.size == 0:
        return np.zeros(n, np.int64)
    pairs = np.unique(np.stack([group, item]), axis=1)
    return np.bincount(pairs[0], minlength=n)
