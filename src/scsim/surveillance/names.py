"""Synthetic full names: how many namesakes each individual has.

Name ranks follow a continuous power law on [1, R): share(rank) ~ rank^-s, with R chosen so
that the most common name (rank 1) holds `top_share` of the population. Only the name's rank
is drawn (never a real name); individuals with the same rank are namesakes.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.ids import unique_inverse
from scsim.rng import Streams
from scsim.scenario.schema import Names
from scsim.surveillance.buckets import Buckets


def name_pool(cfg: Names) -> float:
    """R, the rank bound: the share of [1, 2) in [1, R) equals top_share."""
    a = 1.0 - cfg.exponent
    return float((1.0 + (2.0 ** a - 1.0) / cfg.top_share) ** (1.0 / a))


def draw_names(cfg: Names, n: int, streams: Streams) -> np.ndarray:
    """A name rank (0 = the most common) per individual, by inverse transform."""
    a = 1.0 - cfg.exponent
    top = name_pool(cfg) ** a - 1.0
    u = streams.get("population:names").random(n)
    rank = np.floor((1.0 + u * top) ** (1.0 / a)) - 1.0
    return rank.astype(np.int64)


def namesake_buckets(cfg: Names, n: int, streams: Streams) -> Buckets:
    """Individuals grouped by name (labels compacted to the names in use)."""
    rank = draw_names(cfg, n, streams)
    if name_pool(cfg) > 8 * n + 2**20:  # a pool far larger than the population: sort
        return Buckets(unique_inverse(rank)[1].reshape(-1))
    # Ranks below the pool bound: number the ranks in use by counting, not sorting (the
    # same labels as unique_inverse, in O(n + pool)).
    used = np.bincount(rank) > 0
    label = np.cumsum(used, dtype=np.int64) - 1
    return Buckets(label[rank])
