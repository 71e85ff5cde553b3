"""Perceived surveillance and enforcement: what adaptive conduct responds to.

Each entity holds a level in [0, 1] that jumps when it meets a consequence of the scheme
(a record with negative points, a sanction) or sees one among its ties (a tie listed, a
shaming call) and fades with a half-life. Fading is applied lazily, when a level is read or
changed, from the day it was last set: no work for entities nothing happens to. Published
shamings add a regional (screens) and a national (online) publicity level on top.

Only consequences feed it: in a run with sanctions off every level stays at 0.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from scsim.engine.bitcast import bits_float
from scsim.engine.ids import sum_by_value, unique
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin
from scsim.scenario.society import Perception as PerceptionCfg


class RegionOf:
    """Region of any entity by global id, read from the per-kind attribute arrays."""

    def __init__(self, pop):
        from scsim.population.attributes import KINDS

        self.starts = np.array([pop.offsets[k] for k in KINDS], np.int64)
        self.arrays = [pop.attrs[k].get("region", np.zeros(pop.counts[k], np.uint16))
                       for k in KINDS]

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, np.int64)
        kind = np.searchsorted(self.starts, ids, "right") - 1
        out = np.empty(ids.size, np.int64)
        for k in unique(kind):
            m = kind == k
            out[m] = self.arrays[k][ids[m] - self.starts[k]]
        return out

    def counts(self, n_regions: int) -> np.ndarray:
        return sum(np.bincount(a, minlength=n_regions) for a in self.arrays)


@numba.njit(cache=True, nogil=True, inline="always")
def float16_value(bits):
    """A non-negative float16, given as its bits (Numba has no float16 on the CPU), exactly.
    A normal one's exponent and mantissa move into a float64's bits (no call of `ldexp`,
    which cost 20 times as much: 2.3 against 0.1 ms for 1,000,000 values); a subnormal one
    is its mantissa times 2**-24."""
    e = np.uint64((bits >> 10) & 0x1F)
    m = np.uint64(bits & 0x3FF)
    normal = bits_float(((e + np.uint64(1023 - 15)) << np.uint64(52)) | (m << np.uint64(42)))
    return normal if e != 0 else np.float64(m) * 2.0**-24


@numba.njit(cache=True, nogil=True, inline="always")
def _exp_one(a, st, r, day, fade, pub_r, pub_n, at_zero):
    """exp(a s) for one entity: `st` its level-and-day word, `r` its region."""
    if st >> 16 == 0:
        return at_zero[r]
    own = float16_value(st >> 16) * fade[day - (st & 0xFFFF)]
    return np.exp(a * (1 - (1 - own) * (1 - pub_r[r]) * (1 - pub_n)))


@numba.njit(cache=True, nogil=True, parallel=True)
def _exp_value(a, local, offset, state, day, fade, region, pub_r, pub_n, at_zero):
    """exp(a s) for each entity, s its perceived surveillance (Perception.value, fused:
    one read of each entity's level, day and region, no temporaries). `at_zero` holds the
    answer by region for the many entities whose own level is 0, `fade` the fading factor
    by age in days. On all threads: each entity's answer is its own, whoever computes it."""
    out = np.empty(local.size)
    for i in numba.prange(local.size):
        out[i] = _exp_one(a, state[local[i] + offset], region[local[i]], day, fade, pub_r,
                          pub_n, at_zero)
    return out


_exp_value_serial = serial_twin(_exp_value)


@numba.njit(cache=True, nogil=True, parallel=True)
def _thin_exp(local, u, p, sure_below, open_below, bound, a, offset, state, day, fade, region,
              pub_r, pub_n, at_zero, out_offset):
    """Global ids of the candidates kept with probability p exp(a s) / bound: the decisions
    of modifiers._thin_by_extra. A candidate with u < p sure_below is kept and one with
    u >= p open_below dropped without reading its level; the others compare u with
    p (exp(a s) / bound), the same products as the separate passes.

    The open candidates' level words and regions are gathered first, in a loop without
    branches: a level read behind an unpredictable branch waited for the memory alone
    (about 50 ns at 1e7 entities); gathered, many reads are in flight at once."""
    n = local.size
    idx = np.empty(n, np.int64)
    m = 0
    for i in range(n):  # the open positions, branch-free
        pi, ui = p[i], u[i]
        idx[m] = i
        m += (ui >= pi * sure_below) & (ui < pi) & (ui < pi * open_below)
    st = np.empty(m, np.uint32)
    rg = np.empty(m, np.int64)
    for j in numba.prange(m):
        k = local[idx[j]]
        st[j] = state[k + offset]
        rg[j] = region[k]
    keep = np.empty(n, np.bool_)
    for i in numba.prange(n):
        keep[i] = u[i] < p[i] * sure_below
    for j in numba.prange(m):
        i = idx[j]
        e = _exp_one(a, st[j], rg[j], day, fade, pub_r, pub_n, at_zero)
        keep[i] = u[i] < p[i] * (e / bound)
    out = np.empty(n, np.int64)
    c = 0
    for i in range(n):  # branch-free compaction, in candidate order
        out[c] = local[i] + out_offset
        c += keep[i]
    return out[:c]


_thin_exp_serial = serial_twin(_thin_exp)


@numba.njit(cache=True, nogil=True, parallel=True)
def _own(ids, state, day, fade):
    """Each entity's level as set (float16 bits, high half of its word) times the fading
    factor for its age (days since it was set, low half): one read of its word."""
    out = np.empty(ids.size)
    for j in numba.prange(ids.size):
        st = state[ids[j]]
        out[j] = float16_value(st >> 16) * fade[day - (st & 0xFFFF)]
    return out


_own_serial = serial_twin(_own)


def log_keep(size: np.ndarray) -> np.ndarray:
    """log(1 - size) for shares of the way to 1 (held below 1)."""
    return np.log1p(-np.minimum(size, 1 - 1e-9))


def log_keep_of(size: float) -> float:
    """`log_keep` of one size as NumPy's log1p gives it over an array (its vector loop: the
    same bits for every element), for a jump of one size: a pass of log1p over 300,000
    copies took 1 ms a day at 1e7."""
    return float(log_keep(np.full(64, size))[0])


class Perception:
    # Today's publicity, fading and answers at level 0, kept between the day's 25 or so
    # thinning calls (each asked for them afresh); class defaults for checkpoints of before.
    _changes = 0  # publicize and end_day: the shamings' counts moved
    _pub_key: tuple | None = None
    _pub: tuple = ()
    _at_zero: dict | None = None
    _fade_day = -1
    _fade_of: np.ndarray | None = None

    def __init__(self, pop, cfg: PerceptionCfg, n_regions: int):
        self.cfg = cfg
        # Per entity, one word: the level's float16 bits (high half) and the day it was set
        # (low half), so that reading an entity's level costs one memory access, not two.
        self.state = np.zeros(pop.n, np.uint32)
        self.rate = math.log(2) / cfg.half_life_days
        self.region = RegionOf(pop)
        residents = self.region.counts(n_regions).astype(np.float64)
        self.per_1000 = 1000.0 / np.maximum(residents, 1)
        self.per_1000_all = 1000.0 / max(pop.n, 1)
        self.shamed_region = np.zeros(n_regions)  # fading count of shamings per region
        self.shamed_all = 0.0
        self.screens = self.online = 0.0  # set by the shaming stage
        self.own_max = 0.0  # the highest level ever set: levels only fade after it is set

    def own(self, ids: np.ndarray, day: int) -> np.ndarray:
        """The entities' own level today, faded since it was set."""
        ids = np.ascontiguousarray(ids, np.int64)
        own = _own if ids.size >= SERIAL_BELOW else _own_serial
        return own(ids, self.state, day, self._fade(day))

    def _fade(self, day: int) -> np.ndarray:
        """The fading factor by age in days, 0 to `day`: NumPy's exp of the same products
        as per entity, so a lookup gives the same bits (read only: kept for the day)."""
        if day != self._fade_day or self._fade_of is None:
            self._fade_of = np.exp(-self.rate * np.arange(day + 1.0))
            self._fade_day = day
        return self._fade_of

    @property
    def level(self) -> np.ndarray:
        """Each entity's level when last set (float16; a copy, for tables and tests)."""
        return (self.state >> 16).astype(np.uint16).view(np.float16)

    def _publicity(self) -> tuple[np.ndarray, float]:
        """Today's publicity levels: by region (screens) and national (online); read only,
        kept until a shaming is published or a day ends."""
        key = (self._changes, self.screens, self.online)
        if key != self._pub_key:
            pub_r = 1 - np.exp(-self.screens * self.shamed_region * self.per_1000)
            pub_n = 1 - math.exp(-self.online * self.shamed_all * self.per_1000_all)
            self._pub, self._pub_key, self._at_zero = (pub_r, pub_n), key, {}
        return self._pub

    def value(self, ids: np.ndarray, day: int) -> np.ndarray:
        """Perceived surveillance in [0, 1]: own level combined with publicity."""
        pub_r, pub_n = self._publicity()
        keep = (1 - self.own(ids, day)) * (1 - pub_r[self.region(ids)]) * (1 - pub_n)
        return 1 - keep

    def _kernel_args(self, a: float, kind: str, day: int) -> tuple:
        """What the exp(a s) kernels read for entities of one kind on `day`: the kind's
        first id, levels, day, fading by age, regions, publicity and the answers at level 0."""
        from scsim.population.attributes import KINDS

        k = KINDS.index(kind)
        pub_r, pub_n = self._publicity()
        at_zero = self._at_zero.get(a)
        if at_zero is None:
            at_zero = self._at_zero[a] = np.exp(a * (1 - (1 - pub_r) * (1 - pub_n)))
        return (int(self.region.starts[k]), self.state, day, self._fade(day),
                self.region.arrays[k], pub_r, pub_n, at_zero)

    def exp_value(self, a: float, local: np.ndarray, kind: str, day: int) -> np.ndarray:
        """exp(a * value) for entities of one kind given by local ids (conduct's factor)."""
        local = np.ascontiguousarray(local, np.int64)
        exp_value = _exp_value if local.size >= SERIAL_BELOW else _exp_value_serial
        return exp_value(a, local,
                          *self._kernel_args(a, kind, day))

    def thin_exp(self, a: float, bound: float, kind: str, day: int, local: np.ndarray,
                 u: np.ndarray, p: np.ndarray, sure_below: float, open_below: float,
                 out_offset: int) -> np.ndarray:
        """Global ids of the candidates (local ids of one kind) kept when each one's p is
        multiplied by exp_value / bound: `_thin_by_extra`'s decisions, read in one pass."""
        local = np.ascontiguousarray(local, np.int64)
        # three parallel regions: three times the overhead of one
        thin = _thin_exp if local.size >= 3 * SERIAL_BELOW else _thin_exp_serial
        return thin(local, u, p, float(sure_below),
                         float(open_below), float(bound), a, *self._kernel_args(a, kind, day),
                         int(out_offset))

    def value_range(self) -> tuple[float, float]:
        """Bounds of every entity's perceived surveillance today: publicity alone at the
        least (own levels are >= 0); at the most, the highest own level ever set (levels only
        fade) with the most publicity."""
        pub_r, pub_n = self._publicity()
        lo = 1 - (1 - float(pub_r.min(initial=1.0))) * (1 - pub_n)
        hi = 1 - (1 - self.own_max) * (1 - float(pub_r.max(initial=0.0))) * (1 - pub_n)
        return lo, hi

    def jump(self, ids: np.ndarray, size: float | np.ndarray, day: int) -> None:
        """Each occurrence of an id moves its level a share `size` of the way to 1."""
        if ids.size == 0:
            return
        size = np.asarray(size, np.float64)
        if size.ndim == 0:  # one size for all (a record, a sanction): its log once
            if not size > 0:
                return
            logs = np.full(ids.shape, log_keep_of(float(size)))
        else:
            size = np.broadcast_to(size, ids.shape)
            if not np.any(size > 0):
                return
            logs = log_keep(size)
        uniq, summed = sum_by_value(ids, logs)
        new = 1 - (1 - self.own(uniq, day)) * np.exp(summed)
        stored = new.astype(np.float16)
        self.own_max = max(self.own_max, float(stored.max()))
        bits = stored.view(np.uint16).astype(np.uint32)
        self.state[uniq] = (bits << 16) | np.uint32(day)

    def publicize(self, ids: np.ndarray) -> None:
        self.shamed_region += np.bincount(self.region(ids), minlength=self.shamed_region.size)
        self.shamed_all += ids.size
        self._changes += 1

    def end_day(self) -> None:
        fade = math.exp(-self.rate)
        self.shamed_region *= fade
        self.shamed_all *= fade
        self._changes += 1

    def nbytes(self) -> int:
        return int(self.state.nbytes)
