"""A face gallery: who is enrolled, and a uniform draw of an enrolled individual, from the
searcher's own demographic (group and sex) or from the whole gallery, never the searcher.

No sorted copy of the population is kept (that was 5 bytes per individual): a draw from a
demographic with at least n/8 members is made by rejection (a uniform individual, kept if
it qualifies: under 8 tries on average); only the members of the smaller demographics are
listed, by label, where rejection would take long (and all members, when those are all).
Every try reads the counter-based generator at (key, item x 2^32 + try): draws do not depend
on threads.
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import uniform
from scsim.engine.counting import counting_order
from scsim.engine.plain_loops import writable_like
from scsim.engine.take import take

LISTED_BELOW = 1 / 8  # demographics under this share of individuals are listed
_ALL = np.empty(0, np.bool_)


@numba.njit(cache=True, nogil=True)
def _draw(items, same, key, group, sex, member, count, listed_start, listed, whole):
    n = group.size
    out = np.empty(items.size, np.int64)
    for j in range(items.size):
        it = items[j]
        lab = 2 * np.int64(group[it]) + sex[it]
        self_in = 1 if member.size == 0 or member[it] else 0
        avail = (count[lab] if same[j] else whole) - self_in
        if avail <= 0:
            out[j] = -1
            continue
        base = np.uint64(j) << np.uint64(32)
        if same[j] and listed_start[lab + 1] > listed_start[lab]:  # a listed demographic
            s = listed_start[lab]
            k = min(np.int64(uniform(key, base) * avail), avail - 1)
            pick = listed[s + k]
            if self_in and pick == it:  # the searcher's slot stands for the last one
                pick = listed[s + avail]
            out[j] = pick
            continue
        if not same[j] and member.size == 0:  # everyone enrolled: one draw among the others
            k = min(np.int64(uniform(key, base) * (n - 1)), n - 2)
            out[j] = k + (1 if k >= it else 0)
            continue
        if not same[j] and listed.size == whole:  # every member is listed: draw among them
            k = min(np.int64(uniform(key, base) * avail), avail - 1)
            pick = listed[k]
            if self_in and pick == it:
                pick = listed[avail]
            out[j] = pick
            continue
        t = np.uint64(0)
        while True:  # rejection: uniform individuals until one qualifies
            c = min(np.int64(uniform(key, base + t) * n), n - 1)
            t += np.uint64(1)
            if c == it or (member.size and not member[c]):
                continue
            if same[j] and 2 * np.int64(group[c]) + sex[c] != lab:
                continue
            out[j] = c
            break
    return out


class Gallery:
    def __init__(self, group: np.ndarray, sex: np.ndarray, member: np.ndarray | None = None):
        """`group`, `sex`: per individual; `member`: enrolled individuals (None: everyone)."""
        self.group, self.sex = group, sex
        self.member = _ALL if member is None else member.astype(bool)
        n = group.size
        n_labels = 2 * (int(group.max()) + 1 if n else 1)
        label = 2 * group.astype(np.int64) + sex
        enrolled = label if member is None else label[self.member]
        self.count = np.bincount(enrolled, minlength=n_labels)  # members per demographic
        self.members = int(self.count.sum())
        # Members of the demographics with few members, by label (a stable counting sort).
        small = self.count < LISTED_BELOW * n
        keep = small[label] if member is None else small[label] & self.member
        ids = np.flatnonzero(keep)
        order, start, size = counting_order(label[ids], n_labels)
        self.listed = ids[order].astype(np.int32 if n < 2**31 else np.int64)
        self.listed_start = np.append(start, ids.size)
        del label

    def enrolled(self, local: np.ndarray) -> np.ndarray:
        return np.ones(local.shape, bool) if self.member.size == 0 else take(self.member, local)

    def draw(self, items: np.ndarray, same: np.ndarray, key: np.uint64) -> np.ndarray:
        """An enrolled individual other than each item: of its demographic where `same`,
        else of the whole gallery; -1 where there is none."""
        items = np.ascontiguousarray(items, np.int64)
        same = writable_like(same, bool, items.shape)
        return _draw(items, same, key, self.group, self.sex, self.member, self.count,
                     self.listed_start, self.listed, self.members)
