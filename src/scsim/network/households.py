"""Households: a single adult or a couple, and the children who live with them.

Built in three vectorised passes over individuals of one stratum (region x group):
couples pair women and men of similar age rank; every other adult is a single; young
individuals join a household whose head is `parent_gap` years older.

Stored as a ring per household: the next member of one's household (adults first, then the
children, then back to the first adult) and two flags, whether one is the household's first
member and whether one is a child living at home, packed together in ceil(log2 n) + 2 bits
(3.6 bytes per individual at 1e8: engine/packed.py). The partition it replaced (household
of each individual, members grouped by household, their starts and the adults of each) took
about 10.4; households are small (1.7 members on average), so walking the ring costs no
more than reading a slice, and the relatives come out in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from scsim.engine.counting import counting_order
from scsim.engine.packed import PackedInts, packed_at
from scsim.engine.serial_twin import SERIAL_BELOW_WALKS, serial_twin
from scsim.scenario.society import Households as HouseholdsCfg
from scsim.threaded_random import threaded_random

MAX_AGE = 256  # ages are uint8
HEAD = np.uint8(1)  # the household's first member (an adult)
CHILD = np.uint8(2)  # a child living with its parents
RELATIONS = ("household", "parents", "children", "spouse")


@numba.njit(cache=True, nogil=True, inline="always")
def next_member(ring, bits, e):
    """The member after e in its household's ring (for kernels)."""
    return packed_at(ring, bits, e) >> 2


@numba.njit(cache=True, nogil=True, inline="always")
def _flags(ring, bits, e):
    return packed_at(ring, bits, e) & 3


@numba.njit(cache=True, nogil=True, inline="always")
def _head(e, ring, bits):
    h = e
    while not _flags(ring, bits, h) & HEAD:
        h = next_member(ring, bits, h)
    return h


@numba.njit(cache=True, nogil=True, inline="always")
def _wanted(rel, e, m, e_child, m_child, couple):
    """Whether member m of e's household is e's relative of kind rel (0 household,
    1 parents, 2 children, 3 spouse)."""
    if m == e:
        return False
    if rel == 0:
        return True
    if rel == 1:
        return e_child and not m_child
    if rel == 2:
        return not e_child and m_child
    return not e_child and not m_child and couple


@numba.njit(cache=True, nogil=True, parallel=True)
def _relatives(rel, ids, ring, bits, count_only, at, out_which, out_rel):
    """Count (count_only) or write each id's relatives, in ring order from the head: the
    order of the members in the partition this replaced. Ids on all threads, each writing
    at its own offset `at`."""
    counts = np.zeros(ids.size, np.int64)
    for i in numba.prange(ids.size):
        e = ids[i]
        h = _head(e, ring, bits)
        e_child = (_flags(ring, bits, e) & CHILD) != 0
        second = next_member(ring, bits, h)
        couple = second != h and not _flags(ring, bits, second) & CHILD
        m = h
        k = 0
        while True:
            if _wanted(rel, e, m, e_child, (_flags(ring, bits, m) & CHILD) != 0, couple):
                if not count_only:
                    out_which[at[i] + k] = i
                    out_rel[at[i] + k] = m
                k += 1
            m = next_member(ring, bits, m)
            if m == h:
                break
        counts[i] = k
    return counts


_relatives_serial = serial_twin(_relatives)


@numba.njit(cache=True, nogil=True)
def _ring(members, ptr, child, ring):
    """The ring and flags of a partition (members grouped by household, adults first), as
    4 next + flags, into `ring`."""
    for h in range(ptr.size - 1):
        a, b = ptr[h], ptr[h + 1]
        for j in range(a, b):
            ring[members[j]] = 4 * (members[j + 1] if j + 1 < b else members[a]) \
                + (HEAD if j == a else 0)
    for i in range(members.size):
        if child[i]:
            ring[i] |= CHILD


@numba.njit(cache=True, parallel=True)
def _count_flag(ring, bits, n, flag):
    total = 0
    for e in numba.prange(n):
        total += 1 if _flags(ring, bits, e) & flag else 0
    return total


@numba.njit(cache=True)
def _heads(ring, bits, n, count):
    out = np.empty(count, np.int64)
    k = 0
    for e in range(n):
        if _flags(ring, bits, e) & HEAD:
            out[k] = e
            k += 1
    return out


@dataclass
class Households:
    ring: PackedInts  # 4 x the next member of each individual's household + HEAD | CHILD

    @property
    def count(self) -> int:
        return int(_count_flag(self.ring.words, self.ring.bits, len(self.ring), HEAD))

    @property
    def children(self) -> int:
        """Individuals who live with their parents."""
        return int(_count_flag(self.ring.words, self.ring.bits, len(self.ring), CHILD))

    def heads(self) -> np.ndarray:
        return _heads(self.ring.words, self.ring.bits, len(self.ring), self.count)

    @property
    def couples(self) -> int:
        """Households of two adults: the member after the head is an adult."""
        heads = self.heads()
        second = self.ring[heads] >> 2
        return int(np.count_nonzero((second != heads) & ~self.is_child(second)))

    def is_child(self, ids: np.ndarray) -> np.ndarray:
        return (self.ring[ids] & CHILD).astype(bool)

    def kernel_parts(self) -> tuple[np.ndarray, int]:
        """(words, bits) for `next_member` in kernels."""
        return self.ring.words, self.ring.bits

    def pairs(self, rel: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ids, relative) for every relative of each individual (never itself),
        ids in order and each one's relatives in household order."""
        code = RELATIONS.index(rel)
        ids = np.ascontiguousarray(ids, np.int64)
        none = np.empty(0, np.int64)
        ring, bits = self.kernel_parts()
        relatives = _relatives if ids.size >= SERIAL_BELOW_WALKS else _relatives_serial
        counts = relatives(code, ids, ring, bits, True, none, none, none)
        at = np.zeros(ids.size, np.int64)
        np.cumsum(counts[:-1], out=at[1:])
        total = int(counts.sum())
        which, rel_ids = np.empty(total, np.int64), np.empty(total, np.int64)
        relatives(code, ids, ring, bits, False, at, which, rel_ids)
        return which, rel_ids

    def partition(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(members grouped by household, adults first; household starts; adults per
        household): the layout this ring replaced, for tests and tables."""
        heads = self.heads()
        which, rel = self.pairs("household", heads)
        others = np.bincount(which, minlength=heads.size)
        ptr = np.zeros(heads.size + 1, np.int64)
        np.cumsum(others + 1, out=ptr[1:])
        members = np.empty(int(ptr[-1]), np.int64)
        members[ptr[:-1]] = heads
        first = np.cumsum(others) - others  # each head's first pair
        members[ptr[which] + 1 + np.arange(which.size) - first[which]] = rel
        adults = np.add.reduceat((~self.is_child(members)).astype(np.uint8), ptr[:-1])
        return members, ptr, adults.astype(np.uint8)

    def nbytes(self) -> int:
        return self.ring.nbytes


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
    """Pair women and men of one stratum by age quantile (the smaller side picks): the
    strata where women pick, then those where men do."""
    w, ws, wc = _ranked(women, stratum, age, n_strata)
    m, ms, mc = _ranked(men, stratum, age, n_strata)
    women_pick, men_pick = wc <= mc, mc < wc
    # Written once, where they end: this virtual machine pays for every fresh page (a pair
    # of arrays a side, then their concatenation: 0.43 s at 1e7 against 0.35).
    total = int(wc[women_pick].sum() + mc[men_pick].sum())
    a, b = np.empty(total, np.int64), np.empty(total, np.int64)
    k = _pair(w, ws, wc, m, ms, mc, women_pick, stratum, a, b, 0)
    _pair(m, ms, mc, w, ws, wc, men_pick, stratum, a, b, k)
    return a, b


@numba.njit(cache=True, nogil=True)
def _pair(small, ss, sc, big, bs, bc, mine, stratum, out_a, out_b, k):
    """For the side that picks in each stratum (`mine`), each of its members (ranked by age,
    strata in order) and the member of the other side at the same age quantile, written
    from out_a[k], out_b[k] on; returns the next k. One pass (NumPy took a dozen over the
    population's couples, 5.8 s at 1e8)."""
    for i in range(small.size):
        s = stratum[small[i]]
        if mine[s] and sc[s] > 0:
            out_a[k] = small[i]
            out_b[k] = big[bs[s] + ((i - ss[s]) * bc[s]) // max(sc[s], 1)]
            k += 1
    return k


@numba.njit(cache=True, nogil=True)
def _members(unit, child, n_units):
    """(members int32, ptr int64): individuals grouped by unit, adults first, each part in
    id order (what a stable counting sort by unit * 2 + child gives), without that sort's
    three counters per label: 29 bytes an individual at 1e8."""
    ptr = np.zeros(n_units + 1, np.int64)
    for i in range(unit.size):
        ptr[unit[i] + 1] += 1
    for u in range(n_units):
        ptr[u + 1] += ptr[u]
    fill = ptr[:-1].copy()
    members = np.empty(unit.size, np.int32)
    for kids in (False, True):
        for i in range(unit.size):
            if child[i] == kids:
                members[fill[unit[i]]] = i
                fill[unit[i]] += 1
    return members, ptr


def build_households(age: np.ndarray, sex: np.ndarray, stratum: np.ndarray, n_strata: int,
                     cfg: HouseholdsCfg, rng: np.random.Generator) -> Households:
    """Temporaries are kept small and short-lived: at 1e8 the builder touched 9.6 GiB of
    them (serially, at the virtual machine's first-touch cost) to keep 0.5 GiB."""
    n = age.size
    # The uniforms are drawn in their old order (child, couple, pick), each used at once.
    child = (age <= cfg.child_max_age) & (threaded_random(rng, n) < cfg.child_with_parents)
    seeks = ~child & (age >= 20)
    seeks &= threaded_random(rng, n) < cfg.couple_share
    a, b = _couples(np.flatnonzero(seeks & (sex == 0)), np.flatnonzero(seeks & (sex == 1)),
                    stratum, age, n_strata)
    del seeks
    # Units: couples first, then every other non-child as a single.
    unit = np.full(n, -1, np.int32 if n < 2**31 else np.int64)
    unit[a] = unit[b] = np.arange(a.size)
    singles = np.flatnonzero(~child & (unit < 0))
    unit[singles] = a.size + np.arange(singles.size)
    n_units = a.size + singles.size
    # Children join a unit of their stratum whose head is parent_gap years older.
    # Units by (stratum, head age), counted: the units with key below v start at at[v].
    key = np.empty(n_units, np.int64)
    key[: a.size] = (age[a].astype(np.int64) + age[b]) // 2
    key[a.size:] = age[singles]
    key[: a.size] += stratum[a].astype(np.int64) * MAX_AGE
    key[a.size:] += stratum[singles].astype(np.int64) * MAX_AGE
    del a, b, singles
    by_key, at, size = counting_order(key, n_strata * MAX_AGE)
    del key
    kids = np.flatnonzero(child)
    u_pick = threaded_random(rng, n)[kids]
    base = stratum[kids].astype(np.int64) * MAX_AGE
    kid_age = age[kids].astype(np.int64)
    lo = at[base + np.minimum(kid_age + cfg.parent_gap[0], MAX_AGE - 1)]
    top = base + np.minimum(kid_age + cfg.parent_gap[1], MAX_AGE - 1)
    del base, kid_age
    hi = at[top] + size[top]
    del top
    found = hi > lo
    pick = lo + np.minimum((u_pick * (hi - lo)).astype(np.int64), hi - lo - 1)
    del u_pick
    unit[kids[found]] = by_key[pick[found]]
    del by_key, pick
    orphans = kids[~found]  # no one old enough in the stratum: lives alone
    unit[orphans] = n_units + np.arange(orphans.size)
    child[orphans] = False
    n_units += orphans.size
    members, ptr = _members(unit, child, n_units)
    del unit
    ring = np.empty(n, np.uint32 if 4 * n < 2**32 else np.int64)
    _ring(members, ptr, child, ring)
    del members, ptr
    return Households(PackedInts(ring, 4 * n))
