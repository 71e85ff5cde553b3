"""Synthetic full names: how many namesakes each individual has.

Name ranks follow a continuous power law on [1, R): share(rank) ~ rank^-s, with R chosen so
that the most common name (rank 1) holds `top_share` of the population. Only the name's rank
is drawn (never a real name); individuals with the same rank are namesakes.

A rank is a pure function of (key, individual): the counter-based uniform at the individual's
id, by inverse transform. With a pool of names no larger than half the population, the rank
is not stored at all: `NameIndex` keeps the individuals sorted by rank and where each rank
starts (each packed in ceil(log2 n) bits: 3.4 bytes per individual and per name at 1e8,
engine/packed.py), and recomputes an individual's rank when asked.
With a larger pool (small populations), names in use are numbered and stored (`Buckets`).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from scsim.engine.counter_rng import key_from, uniform
from scsim.engine.counting import counting_order
from scsim.engine.ids import unique_inverse
from scsim.engine.packed import PackedInts, packed_at
from scsim.rng import Streams
from scsim.scenario.schema import Names
from scsim.surveillance.buckets import Buckets


def name_pool(cfg: Names) -> float:
    """R, the rank bound: the share of [1, 2) in [1, R) equals top_share."""
    a = 1.0 - cfg.exponent
    return float((1.0 + (2.0 ** a - 1.0) / cfg.top_share) ** (1.0 / a))


def _transform(cfg: Names) -> tuple[float, float, int]:
    """(top, 1 / a, number of ranks) of the inverse transform rank = (1 + u top)^(1/a) - 1."""
    a = 1.0 - cfg.exponent
    return name_pool(cfg) ** a - 1.0, 1.0 / a, int(math.ceil(name_pool(cfg)))


@numba.njit(cache=True, inline="always")
def _rank(key, i, top, inv_a, n_ranks):
    r = np.int64(np.floor((1.0 + uniform(key, np.uint64(i)) * top) ** inv_a)) - 1
    return min(max(r, 0), n_ranks - 1)


@numba.njit(cache=True, nogil=True, parallel=True)
def _ranks(key, ids, top, inv_a, n_ranks):
    out = np.empty(ids.size, np.int64)
    for j in numba.prange(ids.size):  # each rank its own: the same on any thread count
        out[j] = _rank(key, ids[j], top, inv_a, n_ranks)
    return out


@numba.njit(cache=True, nogil=True, parallel=True)
def _draw(items, u, key, top, inv_a, n_ranks, start, s_bits, order, o_bits):
    out = np.empty(items.size, np.int64)
    for j in numba.prange(items.size):
        r = _rank(key, items[j], top, inv_a, n_ranks)
        first = packed_at(start, s_bits, r)
        size = packed_at(start, s_bits, r + 1) - first
        out[j] = packed_at(order, o_bits, first + min(np.int64(u[j] * size), size - 1))
    return out


def draw_names(cfg: Names, ids: np.ndarray, key: np.uint64) -> np.ndarray:
    """A name rank (0 = the most common) for each individual id."""
    top, inv_a, n_ranks = _transform(cfg)
    return _ranks(key, np.ascontiguousarray(ids, np.int64), top, inv_a, n_ranks)


class NameIndex:
    """Individuals grouped by name rank, ranks recomputed from the key (not stored)."""

    def __init__(self, cfg: Names, n: int, key: np.uint64):
        self.key = key
        self.top, self.inv_a, self.n_ranks = _transform(cfg)
        ranks = draw_names(cfg, np.arange(n), key)
        order, start, size = counting_order(ranks, self.n_ranks)
        del ranks, size
        self.order = PackedInts(order, n)
        del order
        # rank r: order[start[r]:start[r + 1]]
        self.start = PackedInts(np.append(start, n), n + 1)

    @property
    def count(self) -> np.ndarray:
        """Holders of each rank (for tests and tables)."""
        return np.diff(self.start.to_array())

    def label_of(self, items: np.ndarray) -> np.ndarray:
        return _ranks(self.key, np.ascontiguousarray(items, np.int64), self.top, self.inv_a,
                      self.n_ranks)

    def draw(self, items: np.ndarray, u: np.ndarray, *, exclude_self: bool = False
             ) -> np.ndarray:
        """A holder of each item's name, uniformly (the item itself among them)."""
        if exclude_self:
            raise ValueError("NameIndex draws among all holders of a name")
        return _draw(np.ascontiguousarray(items, np.int64), np.ascontiguousarray(u, np.float64),
                     self.key, self.top, self.inv_a, self.n_ranks, self.start.words,
                     self.start.bits, self.order.words, self.order.bits)


def namesake_buckets(cfg: Names, n: int, streams: Streams) -> NameIndex | Buckets:
    """Individuals grouped by name: by rank when the pool is at most half the population,
    else by the names in use, numbered (unique_inverse) and stored."""
    key = key_from(streams.get("population:names"))
    if name_pool(cfg) <= n / 2:
        return NameIndex(cfg, n, key)
    return Buckets(unique_inverse(draw_names(cfg, np.arange(n), key))[1].reshape(-1))
