"""A scenario as an EMA Workbench model: uncertainties, levers and outcomes by key path.

    >>> from scsim.sweep.ema import scenario_model
    >>> model = scenario_model("points-city",
    ...     uncertainties={"sources.traffic_cctv.misattribution": (0.0, 0.05)},
    ...     levers={"restoration.appeals.file_prob": (0.0, 0.5)},
    ...     outcomes=["sanctions_wrongful_denials"], daily=["denials_wrongful"],
    ...     replications=5, days=180)
    >>> from ema_workbench import perform_experiments
    >>> experiments, outcomes = perform_experiments(model, scenarios=20, policies=4)

Install with `pip install 'scsim[ema]'`. A parameter is a (lo, hi) pair of numbers (a
RealParameter, or an IntegerParameter when both are whole) or a list of values (a
CategoricalParameter). Scalar outcomes are the summary figures of a run, named as in a
sweep's outcomes table (with replications: their mean, see `aggregate`); `daily` names
columns of the daily table (ArrayOutcomes named `daily_<column>`). Replication r uses the
same seed in every experiment (common random numbers); with one replication every
experiment uses the base seed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from scsim.errors import ScsimInputError
from scsim.sweep.factors import Factor, name_columns, toml_value
from scsim.sweep.plan import RunTask, replicate_seed

DEFAULT_OUTCOMES = ("sanctions_wrongful_denials", "sanctions_denials", "acts_wrongful",
                    "lists_wrongful_entries")


class ScenarioFunction:
    """The callable EMA runs: keyword arguments by key path (and `seed`) -> outcomes.

    A plain class (not a closure) so that EMA's multiprocessing evaluator can pickle it."""

    def __init__(self, raw: dict[str, Any], origin: str, fixed: list[str], seed: int,
                 days: int | None, individuals: int | None, scale: float | None,
                 outcomes: list[str], daily: list[str]):
        self.raw, self.origin, self.fixed, self.seed = raw, origin, fixed, seed
        self.days, self.individuals, self.scale = days, individuals, scale
        self.outcomes, self.daily = outcomes, daily

    def __call__(self, **kwargs: Any) -> dict[str, Any]:
        from scsim.sweep.worker import execute

        seed = int(kwargs.pop("seed", self.seed))
        sets = [*self.fixed, *(f"{k}={toml_value(_plain(v))}" for k, v in kwargs.items())]
        out = execute(RunTask(run_id=0, seed=seed, sets=tuple(sets), raw=self.raw,
                              origin=self.origin, days=self.days,
                              individuals=self.individuals, scale=self.scale,
                              tables=("daily",) if self.daily else ()))
        result: dict[str, Any] = {o: out.outcomes[o] for o in self.outcomes}
        for col in self.daily:
            result[f"daily_{col}"] = out.tables["daily"][col].to_numpy()
        return result


def scenario_model(scenario: str | Path, *, uncertainties: dict[str, Any],
                   levers: dict[str, Any] | None = None,
                   outcomes: list[str] | tuple[str, ...] = DEFAULT_OUTCOMES,
                   daily: list[str] | tuple[str, ...] = (), replications: int = 1,
                   name: str = "scsim", seed: int | None = None, days: int | None = None,
                   individuals: int | None = None, scale: float | None = None,
                   sets: list[str] | None = None,
                   aggregate: Callable[[list[float]], float] | None = np.mean):
    """An `ema_workbench.Model` (a `ReplicatorModel` when replications > 1).

    With replications, each scalar outcome is `aggregate` of the replications (the mean by
    default; None keeps one value per replication), and a daily outcome has one row per
    replication."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import ema_workbench as ew
        except ImportError:
            raise ScsimInputError("the EMA Workbench adapter needs ema_workbench: "
                                  "pip install 'scsim[ema]'") from None
    from scsim.scenario.load import apply_overrides, read_raw, validate
    levers = dict(levers or {})
    if replications < 1:
        raise ScsimInputError(f"replications: expected >= 1, got {replications}")
    clash = set(uncertainties) & set(levers)
    if clash:
        raise ScsimInputError(f"{sorted(clash)[0]}: both an uncertainty and a lever")
    raw, origin = read_raw(scenario)
    fixed = list(sets or [])
    base = validate(apply_overrides(raw, origin, days=days, seed=seed, individuals=individuals,
                                    scale=scale, sets=fixed), origin)
    base_seed = base.model.run.seed
    factors = name_columns([_factor(path, spec) for path, spec in
                            [*uncertainties.items(), *levers.items()]])
    for f in factors:  # every key path takes both ends of its range (or every level)
        values = f.levels if f.levels is not None else (_num(f, f.lo), _num(f, f.hi))
        for v in values:
            validate(apply_overrides(raw, origin, days=days, individuals=individuals,
                                     scale=scale, sets=[*fixed, f"{f.path}={toml_value(v)}"]),
                     origin)
    known = sorted(_probe_outcomes(raw, origin, fixed))
    for o in outcomes:
        if o not in known:
            raise ScsimInputError(f"outcome {o!r}: unknown (expected one of: "
                                  f"{', '.join(known)})")
    from scsim.engine.tally import CELL_COUNTERS

    for col in daily:
        if col not in (*CELL_COUNTERS, "blacklisted", "redlisted", "mean_score"):
            raise ScsimInputError(f"daily outcome {col!r}: not a column of the daily table")
    fn = ScenarioFunction(raw, origin, fixed, base_seed, days, individuals, scale,
                          list(outcomes), list(daily))
    cls = ew.ReplicatorModel if replications > 1 else ew.Model
    model = cls(name, function=fn)
    params = [_parameter(ew, f) for f in factors]
    model.uncertainties = params[:len(uncertainties)]
    model.levers = params[len(uncertainties):]
    if replications > 1 and aggregate is None:  # one value per replication
        scalars = [ew.ArrayOutcome(o) for o in outcomes]
    elif replications > 1:
        scalars = [ew.ScalarOutcome(o, function=aggregate) for o in outcomes]
    else:
        scalars = [ew.ScalarOutcome(o) for o in outcomes]
    model.outcomes = scalars + [ew.ArrayOutcome(f"daily_{c}") for c in daily]
    if replications > 1:
        model.replications = [{"seed": replicate_seed(base_seed, r)}
                              for r in range(replications)]
    return model


def _probe_outcomes(raw: dict[str, Any], origin: str, fixed: list[str]) -> list[str]:
    """The outcome names a run of this scenario gives (one day of a small population)."""
    from scsim.scenario.load import apply_overrides, validate
    from scsim.sim import Sim
    from scsim.sweep.worker import flatten_summary

    small = apply_overrides(raw, origin, days=1, individuals=100, sets=fixed)
    return list(flatten_summary(Sim(validate(small, origin)).run().summary))


def _factor(path: str, spec: Any) -> Factor:
    if isinstance(spec, tuple) and len(spec) == 2 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in spec):
        lo, hi = spec
        if not lo < hi:
            raise ScsimInputError(f"{path}: range (lo, hi) needs lo < hi, got {spec}")
        return Factor(path=path, lo=float(lo), hi=float(hi),
                      integer=isinstance(lo, int) and isinstance(hi, int))
    if isinstance(spec, list | tuple) and len(spec) >= 1:
        return Factor(path=path, levels=tuple(spec))
    raise ScsimInputError(f"{path}: expected (lo, hi) or a list of values, got {spec!r}")


def _num(f: Factor, x: float | None) -> float | int:
    assert x is not None
    return int(x) if f.integer else x


def _parameter(ew, f: Factor):
    if f.levels is not None:
        return ew.CategoricalParameter(f.column, list(f.levels), variable_name=f.path)
    if f.integer:
        return ew.IntegerParameter(f.column, int(f.lo), int(f.hi), variable_name=f.path)
    return ew.RealParameter(f.column, f.lo, f.hi, variable_name=f.path)


def _plain(v: Any) -> Any:
    """NumPy scalars (as EMA passes them) to Python values, for TOML."""
    return v.item() if isinstance(v, np.generic) else v
