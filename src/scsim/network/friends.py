"""Friendship ties: a Watts-Strogatz ring in homophilous blocks.

Each individual sits in a block: its region's (with probability homophily_region, else a
national block) crossed with its group's (with probability homophily_group, else a mixed
block), in random order. It ties to the next m individuals of its block's ring (m is
mean_degree / 2, rounded up or down at random so the mean is exact). Each tie is rewired
with probability p to a partner whose region is its own with probability homophily_region
(else that of a random individual) and likewise its group. Ring ties give clustering, and
rewiring lowers it as C(p) = C(0) (1 - p)^3 (Barrat and Weigt 2000), which sets p.

Expected degree: mean_degree. Every individual keeps its m forward ties; of its backward ring
ties a share 1 - p survives; rewired ties arrive at rate p mean_degree / 2 (Poisson).
A group's share of ties inside itself is h + (1 - h) w, w its share of the population.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import key_from
from scsim.network.csr import CSR
from scsim.network.friends_kernel import rewire, ring_ties
from scsim.network.packed_csr import PackedCSR
from scsim.scenario.society import Friends


def ring_clustering(k: float) -> float:
    """Clustering coefficient of a ring lattice of degree k (Watts and Strogatz 1998)."""
    return 3 * (k - 2) / (4 * (k - 1)) if k > 2 else 0.0


def rewire_prob(cfg: Friends) -> float:
    c0 = ring_clustering(cfg.mean_degree)
    if cfg.clustering <= 0 or c0 <= 0:
        return 1.0
    return 1.0 - (min(cfg.clustering, c0) / c0) ** (1 / 3)


def build_friends(region: np.ndarray, group: np.ndarray, cfg: Friends,
                  rng: np.random.Generator) -> PackedCSR:
    n = region.size
    if n < 2 or cfg.mean_degree == 0:
        return PackedCSR(CSR.empty(n), n)
    n_reg, n_grp = int(region.max()) + 1, int(group.max()) + 1
    keys = [key_from(rng) for _ in range(3)]  # blocks and m; order within blocks; rewiring
    src, dst = ring_ties(region, group, n_reg, n_grp, cfg.mean_degree / 2,
                         cfg.homophily_region, cfg.homophily_group, keys[0], keys[1])
    rewire(src, dst, region, group, n_grp, rewire_prob(cfg), cfg.homophily_region,
           cfg.homophily_group, keys[2])
    csr = CSR.from_edges(n, src, dst, symmetric=True)
    del src, dst  # before packing: the rows and their packed copy are the build's peak
    return PackedCSR(csr, n)
