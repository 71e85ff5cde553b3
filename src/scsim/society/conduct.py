"""Deterrence, chilling and performative loyalty as one multiplier per conduct.

For conduct c and an entity with perceived surveillance s in [0, 1], the rate is multiplied by
exp(a_c s), where a_c sums the mechanisms that apply to c:

- deterrence: -elasticity * penalty_c, penalty_c = -points_c / points_scale (+ list_penalty
  if a record of c puts one on a black list); acts with a penalty only;
- chilling: -elasticity for acts in its categories (speech, worship) that are not rewarded;
- loyalty: +elasticity * points_c / points_scale for rewarded praise.

Thinning needs a bound: exp(max(a_c, 0)). The bound comes from the scenario as written, also
in a run with sanctions off, so both runs draw the same candidate acts and a suppressed act
is one the run with sanctions rejected and the other kept (common random numbers).
"""

from __future__ import annotations

import math

import numpy as np

from scsim.modifiers import ExtraFactor
from scsim.scenario.schema import ScenarioModel


def coefficients(sc: ScenarioModel) -> np.ndarray:
    """a_c per conduct, from the scenario's points, lists and [adapt] mechanisms."""
    a = sc.adapt
    names = list(sc.conduct)
    pts = sc.scoring.points
    coef = np.zeros(len(names))
    listing = {c for lst in sc.lists.values() if lst.type == "black" for c in lst.conduct}
    if a.on("deterrence"):
        d = a.deterrence
        for i, c in enumerate(names):
            penalty = max(0.0, -pts.get(c, 0.0)) / d.points_scale
            penalty += d.list_penalty if c in listing else 0.0
            if d.conduct is None or c in d.conduct:
                coef[i] -= d.elasticity * penalty
    if a.on("loyalty"):
        lo = a.loyalty
        for i, c in enumerate(names):
            praise = (c in lo.conduct if lo.conduct is not None
                      else sc.conduct[c].category == "political")
            if praise and pts.get(c, 0.0) > 0:
                coef[i] += lo.elasticity * pts[c] / lo.points_scale
    if a.on("chilling"):
        ch = a.chilling
        loyal = set(a.loyalty.conduct or []) if a.on("loyalty") else set()
        for i, c in enumerate(names):
            if sc.conduct[c].category in ch.categories and pts.get(c, 0.0) <= 0 \
                    and c not in loyal:
                coef[i] -= ch.elasticity
    return coef


class ConductFactors:
    def __init__(self, sim, perception, factual: ScenarioModel):
        self.sim = sim
        self.perception = perception
        self.coef = coefficients(sim.sc)
        self.bound = np.exp(np.maximum(coefficients(factual), 0.0))

    def factor(self, conduct: int, kind: str) -> ExtraFactor | None:
        a, bound = float(self.coef[conduct]), float(self.bound[conduct])
        if a == 0.0 and bound == 1.0:
            return None  # untouched: the draws stay exactly those of a run without [adapt]
        sim, perception = self.sim, self.perception

        def factor(local: np.ndarray) -> np.ndarray:
            if a == 0.0:
                return np.ones(local.size)
            return perception.exp_value(a, local, kind, sim.tally.day)

        def today() -> tuple[float, float]:  # exp(a s) is monotone in s
            ends = [math.exp(a * s) for s in perception.value_range()]
            return min(ends), max(ends)

        def thin(local, u, p, sure_below, open_below, offset) -> np.ndarray:
            return perception.thin_exp(a, bound, kind, sim.tally.day, local, u, p, sure_below,
                                       open_below, offset)

        assert math.exp(max(a, 0.0)) <= bound * (1 + 1e-12), "factor above its bound"
        return ExtraFactor(factor, bound, today, thin)
