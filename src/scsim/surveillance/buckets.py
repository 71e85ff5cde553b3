"""Draw, for each of many items, another member of its own group, uniformly and vectorised.

Items (entity ids local to one kind) are sorted by group label once; a draw picks an offset
into the item's group, skipping the item itself when asked. Used for namesakes when names
are numbered and stored (a pool of names larger than half the population: names.py); face
galleries draw by rejection instead (gallery.py). `other_of_kind` draws any other entity.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counting import counting_order
from scsim.engine.ids import unique
from scsim.engine.plain_loops import writable_like


@numba.njit(cache=True, nogil=True)
def _draw(items, u, same, exclude_self, labels, start, order, member, members):
    out = np.empty(items.size, np.int64)
    for i in range(items.size):
        it = items[i]
        if same[i]:
            lab = labels[it]
            s, size = start[lab], start[lab + 1] - start[lab]
        else:
            s, size = 0, members
        inside = exclude_self and member[it]
        k = size - 1 if inside else size
        if k <= 0:
            out[i] = -1
            continue
        pick = order[s + min(np.int64(u[i] * k), k - 1)]
        if inside and pick == it:  # the item itself: take the slot left over, the last
            pick = order[s + k]
        out[i] = pick
    return out


class Buckets:
    def __init__(self, labels: np.ndarray, member: np.ndarray | None = None):
        """`labels`: a non-negative integer group per item; `member`: items that can be drawn."""
        n = labels.shape[0]
        self.member = np.ones(n, bool) if member is None else member.astype(bool)
        n_labels = int(labels.max()) + 1 if n else 1
        key = np.where(self.member, labels, n_labels).astype(np.int64)
        # The smallest integer types that hold them: these arrays are per entity (labels,
        # order) or per label (start), and a name can be a label. Members come first in
        # `order`, by label; start[label + 1] - start[label] is a label's count.
        self.labels = labels.astype(np.min_scalar_type(n_labels), copy=False)
        self.order, start, counts = counting_order(key, n_labels + 1)  # = a stable argsort
        self.start = start.astype(np.int32 if n < 2**31 else np.int64)
        self.members = int(counts[:n_labels].sum())

    @property
    def count(self) -> np.ndarray:
        """Members per label (computed on each call: for tests and tables, not hot paths)."""
        return np.diff(self.start)

    def label_of(self, items: np.ndarray) -> np.ndarray:
        return self.labels[items]

    def draw(self, items: np.ndarray, u: np.ndarray, *, same: np.ndarray | bool = True,
             exclude_self: bool = True) -> np.ndarray:
        """A member of each item's group (`same` true) or of all members; -1 where none.

        `u` are uniforms on [0, 1), one per item. With `exclude_self` the item is never
        drawn: u picks among the other members, the item's own slot standing for the last.
        """
        items = np.ascontiguousarray(items, np.int64)
        same = writable_like(same, bool, items.shape)
        return _draw(items, np.ascontiguousarray(u, np.float64), same, exclude_self,
                     self.labels, self.start, self.order, self.member, self.members)


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
