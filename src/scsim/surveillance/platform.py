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

import numba
import numpy as np

from scsim.engine.counter_rng import key_from, stream_uniforms
from scsim.engine.decide_kernel import listing_uniforms
from scsim.engine.records import WRONG_CAUSES, RecordBatch
from scsim.scenario.surveillance import PLATFORM, departments
from scsim.surveillance.buckets import other_of_kind

JOIN = np.uint8(WRONG_CAUSES.index("identity_join"))


@numba.njit(cache=True, nogil=True)
def _routes(dept, u, share, delay, x):
    """Records department x sees (positions, in landing order): at once (its own, and those
    shared without delay) and later (shared with a delay), and which were shared with it.
    One branch-free pass (every position is written, the count moves only for those
    taken): twice as fast as NumPy's dozen passes per department, and as a branching loop."""
    n = dept.size
    at_once = np.empty(n, np.int64)
    later = np.empty(n, np.int64)
    cross = np.empty(n, np.bool_)
    a = b = 0
    for i in range(n):
        d = dept[i]
        own = d == x
        shared = (not own) & (u[i] < share[d])
        wait = delay[d]
        cross[i] = shared
        at_once[a] = i
        a += own | (shared & (wait == 0))
        later[b] = i
        b += shared & (wait > 0)
    return at_once[:a], later[:b], cross


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
        # Department per source; records of no known source count as the platform's.
        self.src_dept = np.array([idx[s.department] for s in sc.sources.values()] + [0])
        self.owners = [list_owner(sc, name) for name in sc.lists]
        self.owner_idx = [idx[o] for o in self.owners]
        self.consumers = sorted({0, *self.owner_idx})
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
            u, u_join, u_pick = stream_uniforms(rng, n, 3)
            dept = self.src_dept[landed.source]
            join = u_join < sim.sc.platform.join_error
            joined = landed.entity.copy()
            if join.any():
                ent = landed.entity[join]
                joined[join] = other_of_kind(sim.pop, ent, sim.pop.kind[ent], u_pick[join])
            join_cause = np.where(joined == landed.actor, 0, JOIN).astype(np.uint8)
            crossed = np.zeros(n, bool)
            for x in self.consumers:
                share, delay = self.share[:, x].copy(), self.delay[:, x].copy()
                at_once, later, cross = _routes(dept, u, share, delay, x)
                crossed |= cross
                # One gather per destination (today, or the calendar), in landing order.
                for now, idx in ((True, at_once), (False, later)):
                    if idx.size == 0:
                        continue
                    copy = landed.take(idx)
                    moved = np.flatnonzero(cross[idx] & join[idx])
                    copy.entity[moved] = joined[idx[moved]]
                    copy.cause[moved] = join_cause[idx[moved]]
                    if now:
                        today[x].append(copy)
                    else:
                        sim.calendar.schedule(day + delay[dept[idx]], f"platform:{x}",
                                              **copy.columns())
            made = crossed & join
            if made.any():
                joins = landed.take(made)
                joins.entity = joined[made]
                joins.cause = join_cause[made]
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
