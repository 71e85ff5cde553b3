"""The social network: households, friends, co-workers, company leaders, as CSR arrays.

`build_network` draws it once after the population from its own named streams; `Network`
answers "who is linked to these entities, and how" for a batch of ids at a time. Ids are the
global entity ids of the population (individuals first, then companies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scsim.network.csr import CSR
from scsim.network.friends import build_friends
from scsim.network.households import Households, build_households
from scsim.network.packed_csr import PackedCSR
from scsim.network.strength import FULL, TieStrength
from scsim.network.work import Work, build_work
from scsim.population.generate import Population
from scsim.rng import Streams
from scsim.scenario.society import NetworkCfg

# The relation seen from the other end: whose sanction a listing of an entity can cause.
REVERSE = {"household": "household", "parents": "children", "children": "parents",
           "spouse": "spouse", "friends": "friends", "employer": "employees",
           "employees": "employer", "led_companies": "leaders", "leaders": "led_companies"}


@dataclass
class Network:
    n_ind: int
    n_comp: int
    off_comp: int
    legal_rep: np.ndarray  # int32 per company (an individual id), from the population
    households: Households | None = None
    friends: PackedCSR | None = None
    work: Work | None = None
    strength: TieStrength | None = None  # of friendship ties; allocated by shaming

    def weaken_ties(self) -> TieStrength:
        """Per-tie strength (255 intact, 0 cut), allocated on first use."""
        if self.strength is None:
            self.strength = TieStrength(self.friends.nnz if self.friends is not None else 0)
        return self.strength

    def friend_pairs(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(index into ids, friend, tie position) over intact ties of individuals in ids."""
        if self.friends is None:
            e = np.empty(0, np.int64)
            return e, e, e
        sel = np.flatnonzero(ids < self.n_ind)
        which, other, pos = self.friends.pairs(ids[sel])
        if self.strength is not None:
            live = self.strength.get(pos) > 0
            which, other, pos = which[live], other[live], pos[live]
        return sel[which], other, pos

    def pairs(self, via: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ids, linked entity) for every entity linked to ids by `via`."""
        ids = np.asarray(ids, np.int64)
        empty = (np.empty(0, np.int64), np.empty(0, np.int64))
        ind = np.flatnonzero(ids < self.n_ind)
        comp = np.flatnonzero((ids >= self.off_comp) & (ids < self.off_comp + self.n_comp))
        if via == "friends":
            which, other, _ = self.friend_pairs(ids)
            return which, other
        if via in ("household", "parents", "children", "spouse"):
            if self.households is None:
                return empty
            which, other = self.households.pairs(via, ids[ind])
            return ind[which], other
        if self.work is None:
            return empty
        if via == "employer":
            emp = self.work.employer_of(ids[ind])
            has = emp >= 0
            return ind[has], emp[has] + self.off_comp
        if via == "led_companies":
            which, c = self.work.led(ids[ind])
            return ind[which], c + self.off_comp
        local = ids[comp] - self.off_comp
        if via == "leaders":
            which, who = self.work.leaders(local, self.legal_rep)
            return comp[which], who
        if via == "employees":
            which, who, _ = self.work.staff.pairs(local)
            return comp[which], who
        raise KeyError(via)

    def ties(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(index into ids, tie, weight in [0, 1]): intact friends and household members."""
        which, other, pos = self.friend_pairs(ids)
        w = (np.ones(which.size) if self.strength is None
             else self.strength.get(pos).astype(np.float64) / FULL)
        hw, ho = self.pairs("household", ids)
        return (np.concatenate([which, hw]), np.concatenate([other, ho]),
                np.concatenate([w, np.ones(hw.size)]))

    def nbytes(self) -> int:
        total = 0
        for part in (self.households, self.friends, self.work):
            if part is not None:
                total += part.nbytes()
        return total + (self.strength.nbytes if self.strength is not None else 0)


def build_network(pop: Population, cfg: NetworkCfg, streams: Streams) -> Network:
    ind = pop.attrs["individual"]
    n_ind = pop.counts["individual"]
    comp = pop.attrs["company"]
    net = Network(n_ind=n_ind, n_comp=pop.counts["company"], off_comp=pop.offsets["company"],
                  legal_rep=comp["legal_rep"])
    if n_ind == 0:
        return net
    n_grp = len(pop.labels[("individual", "group")])
    if cfg.on("households"):
        # int32 and dropped after: 8 bytes an individual alive through the friends' build,
        # the build's peak, cost 0.8 GiB at 1e8.
        stratum = ind["region"].astype(np.int32) * n_grp + ind["group"]
        net.households = build_households(ind["age"], ind["sex"], stratum,
                                          int(stratum.max()) + 1, cfg.households,
                                          streams.get("network:households"))
        del stratum
    if cfg.on("friends"):
        net.friends = build_friends(ind["region"], ind["group"], cfg.friends,
                                    streams.get("network:friends"))
    if cfg.on("work"):
        net.work = build_work(ind["age"], ind["region"], comp["region"], comp["size"],
                              comp["legal_rep"], cfg.work, streams.get("network:work"))
    return net


__all__ = ["CSR", "FULL", "Network", "REVERSE", "TieStrength", "build_network"]
