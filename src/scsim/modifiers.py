"""Rate modifiers, compiled once per scenario and evaluated only on candidate entities.

Event-driven draws need two things from a modifier: its value for a few candidate entities,
and an upper bound over all entities (to thin a Poisson stream drawn at the bound rate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scsim.engine.candidates import keep_accepted, keep_thinned, open_decisions, sorted_candidates
from scsim.engine.eligible import Eligible
from scsim.engine.factor_kernels import SERIAL, mul_between, mul_table
from scsim.engine.serial_twin import SERIAL_BELOW
from scsim.engine.take import take
from scsim.population.attributes import attribute, code_scale
from scsim.population.generate import Population
from scsim.scenario.schema import Modifier

Factor = Callable[[np.ndarray], np.ndarray]  # local ids -> multiplier (float64)
_NO_IDS = np.empty(0, np.int64)


@dataclass
class Kernel:
    """A modifier evaluated by a Numba kernel: multiplies probabilities in place."""

    fn: Callable
    values: np.ndarray
    args: tuple

    def mul(self, p: np.ndarray, local: np.ndarray | slice, fresh: bool = False,
            div: float = 1.0) -> None:
        """p *= factor (p = factor when `fresh`: p is not read), then p /= div."""
        fn = self.fn if p.size >= SERIAL_BELOW else SERIAL.get(self.fn, self.fn)
        if isinstance(local, slice):
            fn(p, self.values, _NO_IDS, local.start or 0, *self.args, fresh, div)
        else:
            fn(p, self.values, np.ascontiguousarray(local, np.int64), 0, *self.args, fresh, div)

    def __call__(self, local: np.ndarray) -> np.ndarray:
        p = np.ones(local.shape[0])
        self.mul(p, local)
        return p


@dataclass
class ExtraFactor:
    """A further factor of a rate that is dear to evaluate (adaptive conduct): its values on
    local ids, at most `bound`, and optionally `today()`, bounds of every value it can take
    today, so that the candidates whose fate those bounds settle skip it."""

    values: Factor
    bound: float
    today: Callable[[], tuple[float, float]] | None = None
    # Optional: the kept candidates' global ids from (local, u, p, sure_below, open_below,
    # offset) in one pass, the same decisions as `_thin_by_extra`'s separate ones.
    thin: Callable[..., np.ndarray] | None = None


@dataclass
class CompiledRate:
    """The rate of something (an act, a request) for one entity kind, with its modifiers."""

    kind: str
    base_per_day: float
    factors: list[Kernel]
    bound: float  # the largest product of factors any entity can reach
    # The only entities with a non-zero rate, when a filter (only, between) leaves fewer
    # than half: candidates are drawn among them instead of thinned away.
    eligible: Eligible | None = None
    key: tuple = ()  # (kind, modifiers): rates with equal keys have proportional factors


    @property
    def max_per_day(self) -> float:
        return self.base_per_day * self.bound

    def is_eligible(self, local: np.ndarray) -> np.ndarray:
        """Which local ids pass the rate's filters (all, when it keeps no eligible list)."""
        if self.eligible is None:
            return np.ones(local.shape[0], bool)
        return self.eligible.contains(local)

    def accept_prob(self, local: np.ndarray | slice, n: int | None = None) -> np.ndarray:
        """Probability to keep each candidate drawn at the bound rate (thinning). `local` may
        be a slice of `n` local ids (a contiguous block: no gather of the attributes)."""
        n = local.shape[0] if n is None else n
        div = self.bound if self.bound > 0 else 1.0
        if not self.factors:
            return np.full(n, 1.0 / div)
        # The product in factor order, then / bound: the first factor writes, the last
        # divides (the same operations as a fill with ones, a pass per factor and a divide).
        p = np.empty(n)
        last = len(self.factors) - 1
        for j, f in enumerate(self.factors):
            f.mul(p, local, fresh=j == 0, div=div if j == last else 1.0)
        return p


def _mul_elastic(p, values, local, start, e, lo, w, fresh=False, div=1.0) -> None:
    """exp(e * ((v - lo) / w - 0.5)), in place after the gather (on all threads). NumPy, not
    Numba, for the rest: its SIMD exp (float32 for unit attributes) is twice as fast as a
    scalar exp in a loop."""
    v = values[start:start + p.size] if local.size != p.size else take(values, local)
    # 16-bit codes of a unit attribute: float32, as the floats they stand for were.
    x = np.subtract(v, lo, dtype=np.float32) if v.dtype == np.uint16 else np.subtract(v, lo)
    if x.dtype.kind == "f":
        np.divide(x, w, out=x)
    else:
        x = x / w
    x -= 0.5
    x *= e
    np.exp(x, out=x)
    if fresh:
        p[:] = x
    else:
        p *= x
    if div != 1.0:
        p /= div


def compile_rate(pop: Population, kind: str, per_year: float,
                 modifiers: list[Modifier]) -> CompiledRate:
    factors: list[Kernel] = []
    bound = 1.0
    filters = [m for m in modifiers if m.only is not None or m.between is not None]
    eligible = _eligible(pop, kind, filters) if filters else None
    if eligible is not None:
        modifiers = [m for m in modifiers if m not in filters]
    for m in modifiers:
        values = pop.attrs[kind][m.attribute]
        if m.only is not None or m.factors is not None:
            labels = pop.labels[(kind, m.attribute)]
            table = np.zeros(len(labels)) if m.only is not None else np.ones(len(labels))
            if m.only is not None:
                table[[labels.index(x) for x in m.only]] = 1.0
            else:
                for lab, f in (m.factors or {}).items():
                    table[labels.index(lab)] = f
            factors.append(Kernel(mul_table, values, (table,)))
            bound *= float(table.max()) if table.size else 0.0
        elif m.elasticity is not None:
            e = float(m.elasticity)
            a = attribute(kind, m.attribute)
            lo, hi = (x * code_scale(a, values) for x in a.span)
            if values.dtype == np.uint8:
                # A byte-coded attribute has 256 values at most: look the factor up.
                v = np.arange(256, dtype=np.float64)
                table = np.exp(e * ((v - lo) / (hi - lo) - 0.5))
                factors.append(Kernel(mul_table, values, (table,)))
            elif values.dtype == np.uint16:
                # 65,536 codes: the factor of each, computed as _mul_elastic computes it (so
                # the same to the bit), looked up in one parallel gather (256 KiB, in cache).
                table = np.ones(1 << 16)
                _mul_elastic(table, np.arange(1 << 16, dtype=np.uint16), _NO_IDS, 0, e, lo,
                             hi - lo)
                factors.append(Kernel(mul_table, values, (table.astype(np.float32),)))
            else:
                factors.append(Kernel(_mul_elastic, values, (e, lo, hi - lo)))
            bound *= float(np.exp(abs(e) * 0.5))
        elif m.between is not None:
            scale = code_scale(attribute(kind, m.attribute), values)
            lo, hi = (x * scale for x in m.between)
            factors.append(Kernel(mul_between, values, (float(lo), float(hi))))
    key = (kind, tuple(m.model_dump_json() for m in modifiers), eligible is not None)
    return CompiledRate(kind=kind, base_per_day=per_year / 365.0, factors=factors, bound=bound,
                        eligible=eligible, key=key)


def _eligible(pop: Population, kind: str, filters: list[Modifier]) -> Eligible | None:
    """Local ids passing every filter, if they are fewer than half of the kind (else None).

    One bitset per distinct filter (engine/eligible.py), shared by the rates that use it."""
    key = ("eligible", kind, tuple(sorted(m.model_dump_json() for m in filters)))
    if key in pop.derived:
        return pop.derived[key]
    out = _eligible_ids(pop, kind, filters)
    pop.derived[key] = out
    return out


def _eligible_ids(pop: Population, kind: str, filters: list[Modifier]) -> Eligible | None:
    n = pop.counts[kind]
    if n == 0:
        return None
    mask = np.ones(n, bool)
    for m in filters:
        values = pop.attrs[kind][m.attribute]
        if m.only is not None:
            labels = pop.labels[(kind, m.attribute)]
            table = np.zeros(len(labels), bool)
            table[[labels.index(x) for x in m.only]] = True
            mask &= table[values]
        else:
            scale = code_scale(attribute(kind, m.attribute), values)
            lo, hi = (x * scale for x in m.between)
            mask &= (values >= lo) & (values <= hi)
    if mask.sum() >= n // 2:
        return None
    return Eligible(mask)


def draw_events(rate: CompiledRate, pop: Population, rng: np.random.Generator,
                extra: ExtraFactor | None = None) -> np.ndarray:
    """Global ids of the entities with an event today, one id per event.

    Draws the number of events at the bound rate over the whole kind, picks candidates
    uniformly, and keeps each with probability (its rate / bound rate). The result is a
    Poisson process with each entity's own rate, at a cost that grows with the events.
    `extra` is an optional further factor (adaptive conduct).
    """
    n = pop.counts[rate.kind] if rate.eligible is None else rate.eligible.size
    lam = n * rate.max_per_day * (extra.bound if extra is not None else 1.0)
    if n == 0 or lam <= 0:
        return np.empty(0, np.int64)
    k = int(rng.poisson(lam))
    local, u = sorted_candidates(rng, n, k)  # ascending: later gathers walk memory in order
    if rate.eligible is not None:
        local = rate.eligible.take(local)
    p = rate.accept_prob(local)
    if extra is not None:
        return _thin_by_extra(extra, local, u, p, pop.offsets[rate.kind])
    return keep_accepted(local, u, p, pop.offsets[rate.kind])


def _thin_by_extra(extra: ExtraFactor, local: np.ndarray, u: np.ndarray, p: np.ndarray,
                   offset: int) -> np.ndarray:
    """Global ids of the candidates kept when p is multiplied by extra / bound, with the
    decisions that multiplying every candidate's p would give."""
    if extra.today is None:
        live = np.flatnonzero(u < p)  # extra / bound <= 1: u < p extra / bound only there
        local, u, p = local[live], u[live], p[live]
        return keep_accepted(local, u, p * (extra.values(local) / extra.bound), offset)
    # Between today's bounds lo <= extra <= hi, a candidate with u < p lo / bound is kept and
    # one with u >= p hi / bound dropped whatever its own value: it is evaluated for the
    # rest alone (the margins cover rounding, far below them).
    lo, hi = extra.today()
    sure_below = lo / extra.bound * (1 - 1e-9)
    open_below = hi / extra.bound * (1 + 1e-9)
    if extra.thin is not None:
        return extra.thin(local, u, p, sure_below, open_below, offset)
    open_ = open_decisions(u, p, sure_below, open_below)
    p_open = take(p, open_) * (extra.values(take(local, open_)) / extra.bound)
    return keep_thinned(local, u, p, sure_below, open_, p_open, offset)
