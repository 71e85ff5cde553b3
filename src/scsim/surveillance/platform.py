"""Department silos and the unified platform: who sees which record, and when.

A record lands in the silo of its source's department. Every other department (the platform
that keeps the score among them) sees it only if it is shared: one uniform u per record,
shared with department X when u < sharing(from, X), after delay_days(from, X). One u per
record makes sharing nested: raising a rate only adds what others see. A shared copy is
joined to the receiving databases by identity, and with probability `join_error` lands on a
wrong entity of the same kind (cause `identity_join`): a new wrong record.

Who acts on what: the score is the platform's, so only records shared with the platform move
it. A list belongs to a department (`department`, default the department of its triggering
conduct's sources, or the platform for score lists); it enters on records visible to that
department. A service acts on a listing only when the listing is visible to the service's
department: its own or the platform's lists at once, another department's when that listing
is shared (one uniform per listing, the same rates and delays). Without `[platform]` one
platform sees every record at once, as in the core model.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import key_from, uniforms, uniforms_at
from scsim.engine.decide_kernel import listing_uniforms
from scsim.engine.records import WRONG_CAUSES, RecordBatch
from scsim.scenario.surveillance import PLATFORM, departments
from scsim.surveillance.buckets import other_of_kind
from scsim.surveillance.routes import Route

JOIN = np.uint8(WRONG_CAUSES.index("identity_join"))


def list_owner(sc, lname: str) -> str:
    cfg = sc.lists[lname]
    if cfg.department is not None:
        return cfg.department
    if cfg.score_below is not None or cfg.score_at_least is not None or not cfg.conduct:
        return PLATFORM
    owners = {sc.sources[sc.conduct[c].source].department for c in cfg.conduct}
    return owners.pop() if len(owners) == 1 else PLATFORM


class Platform:
    def __init__(self, sim):
        self.sim = sim
        sc = sim.sc
        cfg = sc.platform
        self.on = cfg is not None
        if cfg is None:
            return
        self.depts = departments(sc)
        idx = {d: i for i, d in enumerate(self.depts)}
        n_d = len(self.depts)
        self.share = np.full((n_d, n_d), cfg.sharing)
        self.delay = np.full((n_d, n_d), cfg.delay_days, np.int64)
        for a, row in cfg.pairs.items():
            for b, pair in row.items():
                if pair.sharing is not None:
                    self.share[idx[a], idx[b]] = pair.sharing
                if pair.delay_days is not None:
                    self.delay[idx[a], idx[b]] = pair.delay_days
        np.fill_diagonal(self.share, 1.0)
        np.fill_diagonal(self.delay, 0)
        self.owners = [list_owner(sc, name) for name in sc.lists]
        self.owner_idx = [idx[o] for o in self.owners]
        self.consumers = sorted({0, *self.owner_idx})
        src_dept = np.array([idx[s.department] for s in sc.sources.values()], np.int64)
        self.routes = {x: Route(src_dept, self.share[:, x], self.delay[:, x], x)
                       for x in self.consumers}
        # Listing visibility per (service, list): None = always, else (rate, delay).
        self.listing_rule: list[list[tuple[float, int] | None]] = []
        for svc in sc.services.values():
            s = idx[svc.department]
            self.listing_rule.append([None if o in (0, s) else (float(self.share[o, s]),
                                                                int(self.delay[o, s]))
                                      for o in self.owner_idx])
        # Whether a listing is shared is decided by a uniform that is a pure function of
        # (list key, entity, day of entry): nothing is stored per entity, and a new listing
        # of the same entity gets a new number. Key 0: the platform's own list (no draw).
        self.listing_key = np.array(
            [key_from(sim.streams.get(f"platform:listing:{li}")) if o != 0 else 0
             for li, o in enumerate(self.owner_idx)], np.uint64)

    # -- records -----------------------------------------------------------------------
    def distribute(self, day: int, landed: RecordBatch) -> tuple[dict[str, RecordBatch],
                                                                  RecordBatch]:
        """Today's records per consumer department, and the wrong copies joins created."""
        sim = self.sim
        today = {x: [] for x in self.consumers}
        for x in self.consumers:
            cols = sim.calendar.pop(day, f"platform:{x}")
            if cols is not None:
                today[x].append(RecordBatch(**cols))
        joins = RecordBatch.concat([])
        n = landed.size
        if n:
            rng = sim.streams.get("platform:share", day)
            k_share, k_join, k_pick = (key_from(rng) for _ in range(3))
            u = uniforms(k_share, n)
            # Joins go wrong for few records (0.2 %): their positions and new entities only.
            join_at = np.flatnonzero(uniforms(k_join, n) < sim.sc.platform.join_error)
            ent = landed.entity[join_at]
            join_to = other_of_kind(sim.pop, ent, sim.pop.kind[ent],
                                    uniforms_at(k_pick, join_at))
            # A join that lands on the actor after all makes a right copy.
            join_cause = np.where(join_to == landed.actor[join_at], 0, JOIN).astype(np.uint8)
            crossed = np.zeros(join_at.size, bool)
            for x in self.consumers:
                now, later, wait = self.routes[x].copies(landed, u, join_at, join_to,
                                                         join_cause, crossed)
                if now.size:
                    today[x].append(now)
                if later.size:
                    sim.calendar.schedule(day + wait, f"platform:{x}", **later.columns())
            if crossed.any():
                joins = landed.take(join_at[crossed])
                joins.entity = join_to[crossed]
                joins.cause = join_cause[crossed]
        by_owner = {self.depts[x]: RecordBatch.concat(b) for x, b in today.items()}
        return by_owner, joins

    def for_list(self, li: int, landed: RecordBatch | None) -> RecordBatch | None:
        """The records a list's owner sees today (all of `landed` without a platform)."""
        if not self.on or landed is None:
            return landed
        return self.sim.today.by_owner.get(self.owners[li], RecordBatch.concat([]))

    # -- listings ----------------------------------------------------------------------
    def sees_listing(self, si: int, li: int, ids: np.ndarray, day: int) -> np.ndarray | None:
        """Which listings of list `li` service `si` sees (None: all of them)."""
        if not self.on:
            return None
        rule = self.listing_rule[si][li]
        if rule is None:
            return None
        rate, delay = rule
        since = self.sim.state.lists[li].entry_day(ids)
        u = listing_uniforms(self.listing_key[li], np.asarray(ids, np.int64), since)
        return (u < rate) & (day - since.astype(np.int64) >= delay)
