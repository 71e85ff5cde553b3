"""Households: a single adult or a couple, and the children who live with them.

Built in three vectorised passes over individuals of one stratum (region x group):
couples pair women and men of similar age rank; every other adult is a single; young
individuals join a household whose head is `parent_gap` years older. Stored as a partition:
household of each individual, members grouped by household (adults first), adults per
household. About 10 bytes per individual. Whether an individual is a child at home is not
stored: it is not among its household's first `adults` members.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scsim.engine.counting import counting_order
from scsim.network.csr import expand
from scsim.scenario.society import Households as HouseholdsCfg

MAX_AGE = 256  # ages are uint8


@dataclass
class Households:
    of: np.ndarray  # int32 household of each individual
    ptr: np.ndarray  # int32 start of each household in `members`, households + 1
    members: np.ndarray  # int32 individuals grouped by household, adults first
    adults: np.ndarray  # uint8 adults per household (1 or 2)

    @property
    def count(self) -> int:
        return int(self.adults.size)

    def slices(self, rel: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, count) in `members` of each individual's relatives of one kind."""
        h = self.of[ids]
        start, end = self.ptr[h].astype(np.int64), self.ptr[h + 1].astype(np.int64)
        split = start + self.adults[h]
        is_child = self.is_child(ids, start, split)
        if rel == "household":
            return start, end - start
        if rel == "parents":  # the adults, for a child
            return start, np.where(is_child, split - start, 0)
        if rel == "children":  # the children, for an adult
            return split, np.where(is_child, 0, end - split)
        if rel == "spouse":  # the other adult, for an adult of a couple
            return start, np.where(~is_child & (self.adults[h] == 2), 2, 0)
        raise KeyError(rel)

    def is_child(self, ids: np.ndarray, start: np.ndarray, split: np.ndarray) -> np.ndarray:
        """Whether each individual lives with its parents: not one of the adults, who come
        first among their household's members, at [start, split)."""
        adult = self.members[start] == ids
        second = split - start == 2
        adult[second] |= self.members[start[second] + 1] == ids[second]
        return ~adult

    @property
    def children(self) -> int:
        """Individuals who live with their parents."""
        return int(self.members.size - self.adults.sum(dtype=np.int64))

    def pairs(self, rel: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ids, relative) for every relative of each individual (never itself)."""
        start, count = self.slices(rel, ids)
        which, pos = expand(start, count)
        rel_ids = self.members[pos].astype(np.int64)
        keep = rel_ids != ids[which]
        return which[keep], rel_ids[keep]

    def nbytes(self) -> int:
        return int(self.of.nbytes + self.ptr.nbytes + self.members.nbytes + self.adults.nbytes)


def _ranked(ids: np.ndarray, stratum: np.ndarray, age: np.ndarray,
            n_strata: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ids sorted by (stratum, age), and stratum starts/counts in that order. Ties keep id
    order: individuals are drawn independently, so ids are exchangeable and id order within
    an age is as random as the random sort key it replaces (and costs a counting sort)."""
    order, _, size = counting_order(stratum[ids].astype(np.int64) * MAX_AGE + age[ids],
                                    n_strata * MAX_AGE)
    ids = ids[order]
    counts = size.reshape(n_strata, MAX_AGE).sum(axis=1)
    starts = np.cumsum(counts) - counts
    return ids, starts, counts


def _couples(women: np.ndarray, men: np.ndarray, stratum: np.ndarray, age: np.ndarray,
             n_strata: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair women and men of one stratum by age quantile (the smaller side picks)."""
    w, ws, wc = _ranked(women, stratum, age, n_strata)
    m, ms, mc = _ranked(men, stratum, age, n_strata)
    out_a, out_b = [], []
    for small, ss, sc, big, bs, bc, mine in ((w, ws, wc, m, ms, mc, wc <= mc),
                                             (m, ms, mc, w, ws, wc, mc < wc)):
        s = stratum[small]
        pick = mine[s] & (sc[s] > 0)
        rank = np.arange(small.size) - ss[s]
        partner = bs[s] + (rank * bc[s]) // np.maximum(sc[s], 1)
        out_a.append(small[pick])
        out_b.append(big[partner[pick]])
    return np.concatenate(out_a), np.concatenate(out_b)


def build_households(age: np.ndarray, sex: np.ndarray, stratum: np.ndarray, n_strata: int,
                     cfg: HouseholdsCfg, rng: np.random.Generator) -> Households:
    n = age.size
    age = age.astype(np.int64)
    u_child, u_couple, u_pick = (rng.random(n) for _ in range(3))
    child = (age <= cfg.child_max_age) & (u_child < cfg.child_with_parents)
    seeks = ~child & (age >= 20) & (u_couple < cfg.couple_share)
    a, b = _couples(np.flatnonzero(seeks & (sex == 0)), np.flatnonzero(seeks & (sex == 1)),
                    stratum, age, n_strata)
    # Units: couples first, then every other non-child as a single.
    unit = np.full(n, -1, np.int64)
    unit[a] = unit[b] = np.arange(a.size)
    singles = np.flatnonzero(~child & (unit < 0))
    unit[singles] = a.size + np.arange(singles.size)
    n_units = a.size + singles.size
    head_age = np.empty(n_units, np.int64)
    head_age[: a.size] = (age[a] + age[b]) // 2
    head_age[a.size:] = age[singles]
    head_stratum = np.concatenate([stratum[a], stratum[singles]]).astype(np.int64)
    # Children join a unit of their stratum whose head is parent_gap years older.
    # Units by (stratum, head age), counted: the units with key below v start at at[v].
    by_key, at, size = counting_order(head_stratum * MAX_AGE + head_age, n_strata * MAX_AGE)
    kids = np.flatnonzero(child)
    base = stratum[kids].astype(np.int64) * MAX_AGE
    lo = at[base + np.minimum(age[kids] + cfg.parent_gap[0], MAX_AGE - 1)]
    top = base + np.minimum(age[kids] + cfg.parent_gap[1], MAX_AGE - 1)
    hi = at[top] + size[top]
    found = hi > lo
    pick = lo + np.minimum((u_pick[kids] * (hi - lo)).astype(np.int64), hi - lo - 1)
    unit[kids[found]] = by_key[pick[found]]
    orphans = kids[~found]  # no one old enough in the stratum: lives alone
    unit[orphans] = n_units + np.arange(orphans.size)
    child[orphans] = False
    n_units += orphans.size
    members, _, _ = counting_order(unit * 2 + child, 2 * n_units)  # by unit, adults first
    sizes = np.bincount(unit, minlength=n_units)
    ptr = np.zeros(n_units + 1, np.int32)
    np.cumsum(sizes, out=ptr[1:])
    adults = np.bincount(unit[~child], minlength=n_units).astype(np.uint8)
    return Households(of=unit.astype(np.int32), ptr=ptr, members=members, adults=adults)
