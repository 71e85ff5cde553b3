"""Which acts a source sees: coverage (by urban/rural and region, or from camera density)
times detection, capped at 1."""

from __future__ import annotations

import math

import numba
import numpy as np

from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin
from scsim.population.attributes import KINDS
from scsim.population.generate import Population
from scsim.scenario.schema import SensingSource


def base_coverage(src: SensingSource) -> float:
    """Coverage before urban and region factors: given, or from camera density."""
    if src.cameras_per_1000 is not None:
        return 1.0 - math.exp(-src.cameras_per_1000 * src.camera_reach)
    return src.coverage


_NO_U8 = np.empty(0, np.uint8)
_NO_U16 = np.empty(0, np.uint16)
_NO_F64 = np.empty(0, np.float64)


@numba.njit(cache=True, parallel=True)
def _coverage(actors, starts, p0, urban_f, urbans, region_f, regions):
    """p0 times the actor's urban factor (kinds with an `urban` attribute) and its region's
    factor, capped at 1; the kind of a global id is the id range it falls in (`starts`).
    On all threads: each actor's answer is its own."""
    out = np.empty(actors.size)
    for i in numba.prange(actors.size):
        a = actors[i]
        k = 0
        while a >= starts[k + 1]:
            k += 1
        local = a - starts[k]
        p = p0
        if urban_f.size and urbans[k].size:
            p *= urban_f[urbans[k][local]]
        if region_f.size:
            p *= region_f[regions[k][local]]
        out[i] = min(p, 1.0)
    return out


_coverage_serial = serial_twin(_coverage)


class Coverage:
    """Probability that the source sees an act, per actor."""

    def __init__(self, src: SensingSource, pop: Population, regions: int):
        self.p = base_coverage(src) * src.detection
        # Per kind (global ids in [starts[k], starts[k + 1])): its urban and region codes.
        self.starts = np.array([pop.offsets[k] for k in KINDS] + [pop.n], np.int64)
        self.urbans = tuple(pop.attrs[k].get("urban", _NO_U8) for k in KINDS)
        self.regions = tuple(pop.attrs[k].get("region", _NO_U16) for k in KINDS)
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
        actors = np.ascontiguousarray(actors, np.int64)
        cover = _coverage if actors.size >= SERIAL_BELOW else _coverage_serial
        return cover(actors, self.starts, self.p,
                         _NO_F64 if self.urban is None else self.urban, self.urbans,
                         _NO_F64 if self.region is None else self.region, self.regions)
