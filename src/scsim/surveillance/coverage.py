"""Which acts a source sees: coverage (by urban/rural and region, or from camera density)
times detection, capped at 1."""

from __future__ import annotations

import math

import numpy as np

from scsim.engine.ids import unique
from scsim.population.attributes import KINDS
from scsim.population.generate import Population
from scsim.scenario.schema import SensingSource


def base_coverage(src: SensingSource) -> float:
    """Coverage before urban and region factors: given, or from camera density."""
    if src.cameras_per_1000 is not None:
        return 1.0 - math.exp(-src.cameras_per_1000 * src.camera_reach)
    return src.coverage


class Coverage:
    """Probability that the source sees an act, per actor."""

    def __init__(self, src: SensingSource, pop: Population, regions: int):
        self.pop = pop
        self.p = base_coverage(src) * src.detection
        self.urban = None
        if src.urban_factor:
            self.urban = np.array([src.urban_factor.get(k, 1.0) for k in ("rural", "urban")])
        self.region = None
        if src.region_factor:
            self.region = np.ones(regions)
            for key, f in src.region_factor.items():
                self.region[int(key)] = f

    @property
    def uniform(self) -> bool:
        return self.urban is None and self.region is None

    def of(self, actors: np.ndarray) -> float | np.ndarray:
        if self.uniform:
            return self.p
        pop = self.pop
        p = np.full(actors.size, self.p)
        kinds = pop.kind[actors]
        for code in unique(kinds):
            kind = KINDS[int(code)]
            m = kinds == code
            local = actors[m] - pop.offsets[kind]
            attrs = pop.attrs[kind]
            if self.urban is not None and "urban" in attrs:
                p[m] *= self.urban[attrs["urban"][local]]
            if self.region is not None:
                p[m] *= self.region[attrs["region"][local]]
        return np.minimum(p, 1.0)
