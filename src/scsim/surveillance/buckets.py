"""Draw, for each of many items, another member of its own group, uniformly and vectorised.

Items (entity ids local to one kind) are sorted by group label once; a draw picks an offset
into the item's group, skipping the item itself when asked. Used for namesakes (same name)
and for face false matches (same demographic group and sex, or the whole gallery).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counting import counting_order
from scsim.engine.ids import unique


class Buckets:
    def __init__(self, labels: np.ndarray, member: np.ndarray | None = None):
        """`labels`: a non-negative integer group per item; `member`: items that can be drawn."""
        n = labels.shape[0]
        self.member = np.ones(n, bool) if member is None else member.astype(bool)
        n_labels = int(labels.max()) + 1 if n else 1
        key = np.where(self.member, labels, n_labels).astype(np.int64)
        # The smallest integer types that hold them: these arrays are per entity (labels,
        # order, rank) or per label (count, start), and a name can be a label.
        self.labels = labels.astype(np.min_scalar_type(n_labels), copy=False)
        self.order, _, counts = counting_order(key, n_labels + 1)  # = a stable argsort
        small = np.int32 if n < 2**31 else np.int64
        self.count = counts[:n_labels].astype(small)
        self.start = np.concatenate(([0], np.cumsum(counts)[:-1]))[:n_labels].astype(small)
        self.rank = np.empty(n, np.int32)
        self.rank[self.order] = np.arange(n, dtype=np.int32)
        self.members = int(self.count.sum())

    def draw(self, items: np.ndarray, u: np.ndarray, *, same: np.ndarray | bool = True,
             exclude_self: bool = True) -> np.ndarray:
        """A member of each item's group (`same` true) or of all members; -1 where none.

        `u` are uniforms on [0, 1), one per item. With `exclude_self` the item is never drawn.
        """
        same = np.broadcast_to(np.asarray(same, bool), items.shape)
        lab = self.labels[items]
        start = np.where(same, self.start[lab], 0)
        size = np.where(same, self.count[lab], self.members)
        inside = self.member[items] if exclude_self else np.zeros(items.shape, bool)
        size = size - inside
        ok = size > 0
        j = np.minimum((u * np.maximum(size, 1)).astype(np.int64), np.maximum(size - 1, 0))
        j += inside & (j >= self.rank[items] - start)
        pos = np.where(ok, start + j, 0)
        return np.where(ok, self.order[np.minimum(pos, self.order.size - 1)], -1).astype(
            np.int64)


def other_of_kind(pop, actors: np.ndarray, kinds: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A uniformly drawn entity of the same kind, never the actor itself."""
    from scsim.population.attributes import KINDS

    out = np.empty_like(actors)
    for code in unique(kinds):
        m = kinds == code
        kind = KINDS[int(code)]
        n, off = pop.counts[kind], pop.offsets[kind]
        if n < 2:
            out[m] = actors[m]
            continue
        pick = np.minimum((u[m] * (n - 1)).astype(np.int64), n - 2)  # n-1 others
        local = actors[m] - off
        out[m] = off + pick + (pick >= local)
    return out
