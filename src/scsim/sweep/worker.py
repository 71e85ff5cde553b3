"""One run of a sweep, in whatever process or node a backend gives it.

The worker builds its scenario from the task (no file is read), runs it in memory and hands
back the outcomes and tables; the sweep's driver alone writes them, so that a worker killed
mid-run leaves nothing behind and a run is never written twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scsim.sweep.plan import RunTask

# Summary figures that are not outcomes of the model (they describe the run itself).
NOT_OUTCOMES = {"scsim_version", "scenario", "origin", "seed", "days", "wall_seconds",
                "population", "entities_table"}


@dataclass
class RunOutput:
    run_id: int
    outcomes: dict[str, float | int | None]  # flattened summary figures
    tables: dict[str, pd.DataFrame]
    wall_seconds: float


def flatten_summary(summary: dict[str, Any]) -> dict[str, float | int | None]:
    """`{"sanctions": {"wrongful_denials": 3}}` -> `{"sanctions_wrongful_denials": 3}`."""
    out: dict[str, float | int | None] = {}
    for section, value in summary.items():
        if section in NOT_OUTCOMES:
            continue
        if isinstance(value, dict):
            for key, v in value.items():
                if v is None or (isinstance(v, int | float) and not isinstance(v, bool)):
                    out[f"{section}_{key}"] = v
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[section] = value
    return out


def execute(task: RunTask) -> RunOutput:
    """Run one task; raises whatever the run raises (the driver records it as failed)."""
    from scsim.scenario.load import apply_overrides, validate
    from scsim.sim import Sim

    t0 = time.perf_counter()
    raw = apply_overrides(task.raw, task.origin, days=task.days, seed=task.seed,
                          individuals=task.individuals, scale=task.scale, sets=list(task.sets))
    res = Sim(validate(raw, task.origin)).run()
    tables = {}
    for name in task.tables:
        df = res.tables[name].copy()
        df.insert(0, "run_id", pd.Series(task.run_id, index=df.index, dtype="int64"))
        tables[name] = df
    return RunOutput(run_id=task.run_id, outcomes=flatten_summary(res.summary), tables=tables,
                     wall_seconds=time.perf_counter() - t0)
