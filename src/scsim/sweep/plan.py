"""A sweep's plan: the base scenario, the factors, the design points, and one task per run.

Run ids number the runs point by point, replicates innermost (run = point * replicates + r).
Each run's seed is a stable hash of (base seed, run id), so a run gives the same numbers on
any backend, with any number of workers, and when it is redone after a fault. With
`common_seeds`, the seed is a hash of (base seed, replicate) instead: replicate r of every
design point shares its random numbers (common random numbers), which sharpens comparisons
between design points.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from scsim.rng import stream_key
from scsim.sweep.design import design_points
from scsim.sweep.factors import Factor, toml_value

TABLES = ("daily", "daily_by_group", "daily_by_conduct", "daily_by_service", "list_events")


def run_seed(base_seed: int, run_id: int) -> int:
    """The seed of one run: a stable 63-bit hash of (base seed, run id)."""
    return stream_key(base_seed, f"sweep-run:{run_id}") % 2**63


def replicate_seed(base_seed: int, replicate: int) -> int:
    """With common seeds, replicate r has this seed at every design point."""
    return stream_key(base_seed, f"sweep-replicate:{replicate}") % 2**63


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run; no file paths, so it runs on any node."""

    run_id: int
    seed: int
    sets: tuple[str, ...]
    raw: dict[str, Any]
    origin: str
    days: int | None
    individuals: int | None
    scale: float | None
    tables: tuple[str, ...]


@dataclass
class SweepPlan:
    raw: dict[str, Any]  # the base scenario, `extends` resolved, before overrides
    origin: str
    factors: list[Factor]
    fixed: list[str]  # KEY=VALUE overrides applied to every run
    design: str
    samples: int | None
    replicates: int
    base_seed: int
    days: int | None = None
    individuals: int | None = None
    scale: float | None = None
    tables: tuple[str, ...] = ("daily",)
    common_seeds: bool = False  # replicate r has the same seed at every design point
    points: list[tuple[Any, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.points:
            self.points = design_points(self.factors, self.design, self.samples, self.base_seed)

    @property
    def n_runs(self) -> int:
        return len(self.points) * self.replicates

    def point_sets(self, point: int) -> list[str]:
        values = self.points[point]
        return [*self.fixed, *(f"{f.path}={toml_value(v)}"
                               for f, v in zip(self.factors, values, strict=True))]

    def seed(self, run_id: int) -> int:
        if self.common_seeds:
            return replicate_seed(self.base_seed, run_id % self.replicates)
        return run_seed(self.base_seed, run_id)

    def task(self, run_id: int) -> RunTask:
        return RunTask(run_id=run_id, seed=self.seed(run_id),
                       sets=tuple(self.point_sets(run_id // self.replicates)), raw=self.raw,
                       origin=self.origin, days=self.days, individuals=self.individuals,
                       scale=self.scale, tables=self.tables)

    def experiments(self) -> pd.DataFrame:
        """One row per run: run id, design point, replicate, seed and every varied input."""
        rows = []
        for run_id in range(self.n_runs):
            point, rep = divmod(run_id, self.replicates)
            row: dict[str, Any] = {"run_id": run_id, "point": point, "replicate": rep,
                                   "seed": self.seed(run_id)}
            for f, v in zip(self.factors, self.points[point], strict=True):
                row[f.column] = v if isinstance(v, bool | int | float | str) else toml_value(v)
            rows.append(row)
        df = pd.DataFrame(rows, columns=["run_id", "point", "replicate", "seed",
                                         *(f.column for f in self.factors)])
        return df.astype({"run_id": "int64", "point": "int64", "replicate": "int64",
                          "seed": "int64"})

    def manifest(self) -> dict[str, Any]:
        """What defines the sweep; a restart must match it exactly (see `fingerprint`)."""
        from scsim import __version__

        return {"scsim_version": __version__, "origin": self.origin, "raw": self.raw,
                "factors": [f.to_json() for f in self.factors], "fixed": self.fixed,
                "design": self.design, "samples": self.samples, "replicates": self.replicates,
                "base_seed": self.base_seed, "days": self.days, "individuals": self.individuals,
                "scale": self.scale, "tables": list(self.tables),
                "common_seeds": self.common_seeds,
                "points": [[toml_value(v) for v in p] for p in self.points]}

    def fingerprint(self) -> str:
        text = json.dumps(self.manifest(), sort_keys=True, default=str)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
