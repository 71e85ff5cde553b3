"""The fit: chosen rates, in log space, moved until every target is hit.

Every evaluation is one run with the same seed (common random numbers), so a target is a
smooth, nearly deterministic function of the rates and a quasi-Newton search converges in a
few runs: a finite-difference Jacobian first, Broyden updates after, steps capped and kept
within bounds. Residuals are log(model / target), so a 1 % miss weighs the same everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scsim.calibrate import targets as T
from scsim.errors import ScsimInputError


@dataclass
class Target:
    name: str  # an alias or the expression itself
    value: float
    source: str = ""

    @property
    def expr(self) -> str:
        return T.resolve(self.name)


@dataclass
class FitParam:
    key: str  # scenario key path, e.g. services.flight.demand
    lo: float
    hi: float
    start: float | None = None


@dataclass
class CalibrationResult:
    fitted: dict[str, float]
    achieved: dict[str, float]  # target name -> model value at the fitted rates
    counts: dict[str, list[float]]  # target name -> raw counts behind it
    evaluations: int
    converged: bool
    history: list[dict[str, Any]] = field(default_factory=list)

    def rel_error(self, targets: list[Target]) -> dict[str, float]:
        return {t.name: self.achieved[t.name] / t.value - 1 for t in targets}


def get_key(raw: dict[str, Any], key: str) -> Any:
    node: Any = raw
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def calibrate(scenario, targets: list[Target], params: list[FitParam], *,
              individuals: int, days: int, seed: int = 0, national: int | None = None,
              sets: list[str] | None = None, tol: float = 0.01, max_evals: int = 30,
              on_eval: Callable[[dict[str, Any]], None] | None = None) -> CalibrationResult:
    """Fit `params` so that runs of `scenario` hit `targets` within `tol` (relative)."""
    from scsim.calibrate.inert import switch_off
    from scsim.scenario import load_scenario
    from scsim.sim import Sim

    base = load_scenario(scenario, individuals=individuals, days=days, seed=seed,
                         sets=sets or [])
    for t in targets:
        T.check(t.expr, base.model)
        if not t.value > 0:
            raise ScsimInputError(f"target {t.name}: expected a value > 0, got {t.value}")
    named = {term.partition(":")[2].split(":")[0] for t in targets for term in T.terms(t.expr)}
    speed = [s for s in switch_off(base.model) if s.split(".")[1] not in named]
    if len(params) > len(targets):
        raise ScsimInputError(f"{len(params)} rates to fit from {len(targets)} targets: "
                              "give at least as many targets as --fit rates")
    raw = base.model.model_dump(mode="json", exclude_none=True)
    x0 = []
    for p in params:
        start = p.start if p.start is not None else get_key(raw, p.key)
        if not isinstance(start, int | float) or isinstance(start, bool):
            raise ScsimInputError(f"--fit {p.key}: not a number in this scenario")
        if not 0 < p.lo <= p.hi:
            raise ScsimInputError(f"--fit {p.key}: bounds must satisfy 0 < lo <= hi")
        x0.append(math.log(min(max(float(start), p.lo), p.hi)))
    lo = np.log([p.lo for p in params])
    hi = np.log([p.hi for p in params])
    scale = (national / individuals) if national else 1.0
    goal = np.log([t.value for t in targets])
    history: list[dict[str, Any]] = []

    def run(x: np.ndarray) -> tuple[np.ndarray, dict[str, float], dict[str, list[float]]]:
        fit_sets = [f"{p.key}={math.exp(v)!r}" for p, v in zip(params, x, strict=True)]
        res = Sim(base, sets=[*speed, *fit_sets]).run()
        vals = {t.name: T.evaluate(res, t.expr, 1.0 if T.is_ratio(t.expr) else scale)
                for t in targets}
        cnts = {t.name: T.counts(res, t.expr) for t in targets}
        r = np.array([math.log(v) if v > 0 and math.isfinite(v) else -30.0
                      for v in vals.values()]) - goal
        row = {"params": {p.key: math.exp(v) for p, v in zip(params, x, strict=True)},
               "values": vals, "max_rel_error": float(np.max(np.abs(np.expm1(r))))}
        history.append(row)
        if on_eval is not None:
            on_eval(row)
        return r, vals, cnts

    x = np.array(x0)
    r, vals, cnts = run(x)
    best = (float(np.max(np.abs(r))), x.copy(), r, vals, cnts)
    jac = None
    h = 0.1
    while len(history) < max_evals and best[0] > math.log1p(tol):
        if jac is None:  # forward differences, stepping inward at an upper bound
            jac = np.zeros((len(targets), len(params)))
            for j in range(len(params)):
                step = h if x[j] + h <= hi[j] else -h
                xj = x.copy()
                xj[j] += step
                rj, _, _ = run(xj)
                jac[:, j] = (rj - r) / step
        dx, *_ = np.linalg.lstsq(jac, -r, rcond=None)
        dx = np.clip(dx, -1.0, 1.0)  # at most a factor e per step
        x_new = np.clip(x + dx, lo, hi)
        r_new, vals_new, cnts_new = run(x_new)
        step = x_new - x
        if np.any(step):  # Broyden's update of the Jacobian
            jac += np.outer((r_new - r) - jac @ step, step) / float(step @ step)
        if np.max(np.abs(r_new)) < best[0]:
            best = (float(np.max(np.abs(r_new))), x_new.copy(), r_new, vals_new, cnts_new)
            x, r = x_new, r_new
        elif not np.any(step):
            break  # pinned at a bound: nothing left to try
        else:  # no progress: back to the best point, measure the Jacobian afresh there
            x, r = best[1].copy(), best[2]
            jac = None
    err, xb, _, vals, cnts = best
    return CalibrationResult(
        fitted={p.key: float(math.exp(v)) for p, v in zip(params, xb, strict=True)},
        achieved=vals, counts=cnts, evaluations=len(history),
        converged=err <= math.log1p(tol), history=history)
