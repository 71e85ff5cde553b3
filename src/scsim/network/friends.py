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

import math

import numpy as np

from scsim.network.csr import CSR, expand
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
                  rng: np.random.Generator) -> CSR:
    n = region.size
    if n < 2 or cfg.mean_degree == 0:
        return CSR.empty(n)
    n_reg, n_grp = int(region.max()) + 1, int(group.max()) + 1
    half = cfg.mean_degree / 2
    m = math.floor(half) + (rng.random(n) < half - math.floor(half))
    own_reg = rng.random(n) < cfg.homophily_region
    own_grp = rng.random(n) < cfg.homophily_group
    block = (np.where(own_reg, region, n_reg).astype(np.int64) * (n_grp + 1)
             + np.where(own_grp, group, n_grp))
    order = np.lexsort((rng.random(n), block))  # random order within each block
    b_sorted = block[order]
    del block
    size = np.bincount(b_sorted)
    start = np.cumsum(size) - size
    pos = np.arange(n) - start[b_sorted]
    # Forward ring ties: sorted position j to j+1 .. j+m (mod the block's size).
    m_sorted = m[order].astype(np.int64)
    src_j, step = expand(np.ones(n, np.int64), m_sorted)  # step = 1 .. m
    bs = b_sorted[src_j]
    dst_j = start[bs] + (pos[src_j] + step) % size[bs]
    src, dst = order[src_j], order[dst_j]
    del src_j, step, bs, dst_j
    # Rewiring: the far end moves to a homophilous random partner.
    p = rewire_prob(cfg)
    moved = np.flatnonzero(rng.random(src.size) < p)
    k = moved.size
    template = rng.integers(0, n, k)
    who = src[moved]
    r = np.where(rng.random(k) < cfg.homophily_region, region[who], region[template])
    g = np.where(rng.random(k) < cfg.homophily_group, group[who], group[template])
    cell = r.astype(np.int64) * n_grp + g
    by_cell = np.argsort(region.astype(np.int64) * n_grp + group, kind="stable")
    cell_size = np.bincount(region.astype(np.int64) * n_grp + group, minlength=n_reg * n_grp)
    cell_start = np.cumsum(cell_size) - cell_size
    cnt = cell_size[cell]
    pick = cell_start[cell] + np.minimum((rng.random(k) * cnt).astype(np.int64),
                                         np.maximum(cnt - 1, 0))
    dst[moved] = np.where(cnt > 0, by_cell[np.minimum(pick, n - 1)], template)
    return CSR.from_edges(n, src, dst, symmetric=True)
