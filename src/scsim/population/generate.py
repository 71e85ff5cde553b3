"""Synthetic population: struct of arrays for the four kinds of entity.

Entities get global ids laid out by kind (individuals first, then companies, governments,
organizations), so a kind is a contiguous id range and per-kind attributes are arrays indexed
by ``id - offset``. Nothing here reads records of real people: every attribute is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scsim.engine.take import take
from scsim.population.attributes import KINDS, attribute, unit_codes
from scsim.population.kinds import KindCodes
from scsim.rng import Streams
from scsim.scenario.schema import ScenarioModel, category_labels
from scsim.threaded_random import threaded_random

COMPANY_SIZES = {"micro": 0.6, "small": 0.3, "medium": 0.08, "large": 0.02}
# Which attribute labels the by-group tables use for each kind.
GROUP_ATTRIBUTE = {"individual": "group", "company": "ownership", "government": "level",
                   "organization": "org_type"}

CELL_COUNT_PIECE = 1 << 22  # entities counted at a time


@dataclass
class Population:
    counts: dict[str, int]
    offsets: dict[str, int]
    kind: KindCodes  # code into KINDS of each entity, from its id (population/kinds.py)
    cell: np.ndarray  # uint8 (uint16 past 256 cells) index into cell_labels, per entity
    cell_labels: list[tuple[str, str]]
    attrs: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    labels: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # Structures derived from the attributes and shared by whoever needs the same one (the
    # eligible ids of a filter, a face gallery): several users often ask alike. Keyed by
    # their recipe.
    derived: dict[tuple, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return self.kind.size

    def ids(self, kind: str) -> range:
        return range(self.offsets[kind], self.offsets[kind] + self.counts[kind])

    def cell_counts(self) -> np.ndarray:
        """Entities in each cell (int64). np.bincount on the whole uint8 array would copy it
        as int64 first: 8 bytes an entity, 0.8 GB at 1e8 while the results are built."""
        out = np.zeros(len(self.cell_labels), np.int64)
        for a in range(0, self.cell.size, CELL_COUNT_PIECE):
            out += np.bincount(self.cell[a:a + CELL_COUNT_PIECE], minlength=out.size)
        return out

    def nbytes(self) -> int:
        total = self.cell.nbytes
        for arrays in self.attrs.values():
            total += sum(a.nbytes for a in arrays.values())
        return total


def _codes(u: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """Number of thresholds `cum` at or below each uniform `u`, as uint8 (searchsorted,
    side="right"), by one comparison per threshold: faster than a binary search for the
    few categories a population attribute has."""
    out = np.zeros(u.shape[0], np.uint8)
    for c in np.asarray(cum, u.dtype):
        out += u >= c
    return out


def _choice(rng: np.random.Generator, shares: list[float], n: int) -> np.ndarray:
    """Codes 0..k-1 with the given shares, as uint8 (float32 uniforms: shares to 2**-24)."""
    cum = np.cumsum(np.asarray(shares, dtype=np.float64))
    cum /= cum[-1]
    return _codes(threaded_random(rng, n, np.float32), cum[:-1])


def _region(rng: np.random.Generator, regions: int, n: int) -> np.ndarray:
    # Region sizes fall off like a city-size distribution (Zipf, exponent 0.8).
    weights = 1.0 / np.arange(1, regions + 1) ** 0.8
    cum = np.cumsum(weights / weights.sum())[:-1]
    u = threaded_random(rng, n, np.float32)
    if regions > 32:  # many regions: a binary search beats one pass per threshold
        return np.searchsorted(cum.astype(np.float32), u, side="right").astype(np.uint16)
    return _codes(u, cum).astype(np.uint16)


def _beta(rng: np.random.Generator, a: float, b: float, n: int) -> np.ndarray:
    """Beta(a, b) as float32: X / (X + Y) with float32 gammas, faster than `rng.beta`.
    Shapes below 1 keep `rng.beta` (a tiny float32 gamma can underflow to zero)."""
    if min(a, b) < 1.0:
        return rng.beta(a, b, n).astype(np.float32)
    x = rng.standard_gamma(a, n, dtype=np.float32)
    y = rng.standard_gamma(b, n, dtype=np.float32)
    y += x
    x /= y
    return x


def _beta_mean(rng: np.random.Generator, mean: list[float] | float, n: int,
               codes: np.ndarray | None = None, concentration: float = 4.0) -> np.ndarray:
    """Beta draws with the given mean; `codes` (per entity) pick the mean from a list."""
    if codes is None:
        m = float(np.clip(mean, 0.01, 0.99))
        return _beta(rng, m * concentration, (1 - m) * concentration, n)
    out = np.empty(n, np.float32)
    for g, m in enumerate(np.clip(mean, 0.01, 0.99)):
        sel = codes == g
        out[sel] = _beta(rng, m * concentration, (1 - m) * concentration, int(sel.sum()))
    return out


def _individuals(sc: ScenarioModel, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    p = sc.population
    groups = list(p.groups.values())
    group = _choice(rng, [g.share for g in groups], n)
    u = lambda: threaded_random(rng, n, np.float32)  # noqa: E731
    # Lookups by code go through `take` (all threads, codes not widened to an index).
    below = lambda values: (  # noqa: E731
        u() < take(np.asarray(values, dtype=np.float32), group)).view(np.uint8)
    sex = (u() >= np.float32(p.female_share)).view(np.uint8)  # 0 female, 1 male
    age = _beta(rng, 1.3, 1.8, n)
    age *= 75
    age = np.minimum(np.floor(age, out=age), 74).astype(np.uint8)  # a float32 beta can be 1
    age += 16
    urban = below([g.urban for g in groups])
    religious = below([g.religious for g in groups])
    profession = _choice(rng, list(p.professions.values()), n)
    # Income: a latent normal shifted by urban residence and the group's shift, cut into
    # deciles of the whole population (quantiles estimated on a sample to stay O(n)).
    shift = (0.6 * np.arange(2)[None, :]
             + 0.35 * np.asarray([g.income_shift for g in groups])[:, None])
    latent = rng.standard_normal(n, dtype=np.float32)
    latent += take(shift.astype(np.float32).ravel(),
                   group.astype(np.intp if len(groups) > 127 else np.uint8) * 2 + urban)
    sample = latent[:: max(1, n // 200_000)]
    cuts = np.quantile(sample, np.linspace(0.1, 0.9, 9)) if n else np.zeros(9)
    income = _codes(latent, np.nextafter(cuts.astype(np.float32), np.float32(np.inf)))
    del latent
    loyalty = _beta_mean(rng, [g.loyalty_mean for g in groups], n, codes=group)
    risk = u()
    # Epstein's hardship H ~ U(0,1), tilted towards the poor so that H and income correlate.
    hardship = u()
    hardship += take(((9 - np.arange(10)) / 9.0).astype(np.float32), income)
    hardship *= np.float32(0.5)
    return {"group": group, "sex": sex, "age": age, "region": _region(rng, p.regions, n),
            "urban": urban, "religious": religious, "profession": profession,
            "income_decile": income, "loyalty": unit_codes(loyalty),
            "risk_aversion": unit_codes(risk), "hardship": unit_codes(hardship)}


def _opted_in(sc: ScenarioModel, n: int, streams: Streams) -> np.ndarray:
    """Who joined an opt-in scheme: everyone unless opt_in_share < 1, drawn from a stream of
    its own so that the other attributes keep their draws."""
    share = sc.population.opt_in_share
    if share >= 1.0:
        return np.ones(n, np.uint8)
    return (threaded_random(streams.get("population:opt_in"), n) < share).astype(np.uint8)


def _companies(sc: ScenarioModel, n: int, rng: np.random.Generator,
               n_individuals: int) -> dict[str, np.ndarray]:
    p = sc.population
    own = [p.ownership.get(k, 0.0) for k in attribute("company", "ownership").labels]
    legal_rep = (rng.integers(0, n_individuals, n).astype(np.int32) if n_individuals
                 else np.full(n, -1, np.int32))
    return {"ownership": _choice(rng, own, n),
            "size": _choice(rng, list(COMPANY_SIZES.values()), n),
            "sector": _choice(rng, list(p.sectors.values()), n),
            "region": _region(rng, p.regions, n),
            "legal_rep": legal_rep}


def _governments(sc: ScenarioModel, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    p = sc.population
    levels = [p.government_levels.get(k, 0.0) for k in attribute("government", "level").labels]
    return {"level": _choice(rng, levels, n),
            "fiscal_stress": _beta_mean(rng, p.fiscal_stress_mean, n),
            "region": _region(rng, p.regions, n)}


def _organizations(sc: ScenarioModel, n: int,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    p = sc.population
    types = [p.org_types.get(k, 0.0) for k in attribute("organization", "org_type").labels]
    return {"org_type": _choice(rng, types, n), "region": _region(rng, p.regions, n)}


def generate_population(sc: ScenarioModel, streams: Streams) -> Population:
    counts = {k: sc.population.count(k) for k in KINDS}
    offsets, start = {}, 0
    for k in KINDS:
        offsets[k] = start
        start += counts[k]
    kind = KindCodes([counts[k] for k in KINDS])
    n_cells = sum(len(category_labels(sc, k, GROUP_ATTRIBUTE[k])) for k in KINDS)
    cell = np.empty(start, np.uint8 if n_cells <= 256 else np.uint16)  # a byte when it fits
    attrs: dict[str, dict[str, np.ndarray]] = {}
    labels: dict[tuple[str, str], list[str]] = {}
    cell_labels: list[tuple[str, str]] = []
    for k in KINDS:
        rng = streams.get(f"population:{k}")
        n = counts[k]
        if k == "individual":
            attrs[k] = _individuals(sc, n, rng)
            attrs[k]["opted_in"] = _opted_in(sc, n, streams)
        elif k == "company":
            attrs[k] = _companies(sc, n, rng, counts["individual"])
        elif k == "government":
            attrs[k] = _governments(sc, n, rng)
        else:
            attrs[k] = _organizations(sc, n, rng)
        for name in attrs[k]:
            labs = category_labels(sc, k, name) if attribute(k, name) else None
            if labs is not None:
                labels[(k, name)] = labs
        lo, hi = offsets[k], offsets[k] + n
        group_labels = labels[(k, GROUP_ATTRIBUTE[k])]
        cell[lo:hi] = len(cell_labels) + attrs[k][GROUP_ATTRIBUTE[k]]
        cell_labels += [(k, g) for g in group_labels]
    return Population(counts=counts, offsets=offsets, kind=kind, cell=cell,
                      cell_labels=cell_labels, attrs=attrs, labels=labels)
