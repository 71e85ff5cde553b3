"""Running a sweep: plan it, check every design point, hand the runs to a backend, merge.

    >>> plan = make_plan("points-city", sets=["sources.traffic_cctv.misattribution=0.01,0.05"],
    ...                  replicates=10, days=180)
    >>> report = run_sweep(plan, "runs/sweep", workers=2)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scsim.errors import ScsimInputError
from scsim.sweep.events import Event
from scsim.sweep.factors import parse_sets
from scsim.sweep.plan import TABLES, SweepPlan
from scsim.sweep.store import SweepFolder

BACKENDS = ("local", "ray")


@dataclass
class SweepReport:
    path: Path
    runs: int
    skipped: int = 0  # finished by an earlier invocation
    done: int = 0
    failed: int = 0
    retried: int = 0
    wall_seconds: float = 0.0
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.skipped + self.done == self.runs

    def line(self) -> str:
        rate = self.done / self.wall_seconds if self.wall_seconds > 0 else 0.0
        before = f", {self.skipped} from before" if self.skipped else ""
        return (f"sweep: {self.skipped + self.done}/{self.runs} runs{before} "
                f"({self.failed} failed, {self.retried} retried) in {self.wall_seconds:.1f} s, "
                f"{rate:.2f} runs/s")


def make_plan(scenario: str | Path, *, sets: list[str] | None = None, replicates: int = 1,
              design: str = "factorial", samples: int | None = None, seed: int | None = None,
              days: int | None = None, individuals: int | None = None,
              scale: float | None = None, tables: tuple[str, ...] = ("daily",),
              common_seeds: bool = False) -> SweepPlan:
    """Parse the factors, draw the design, and validate the scenario at every design point."""
    from scsim.scenario.load import read_raw

    if replicates < 1:
        raise ScsimInputError(f"--replicates: expected a whole number >= 1, got {replicates}")
    bad = [t for t in tables if t not in TABLES]
    if bad or not tables:
        raise ScsimInputError(f"--tables {','.join(tables)}: expected some of "
                              f"{', '.join(TABLES)}")
    raw, origin = read_raw(scenario)
    factors, fixed = parse_sets(list(sets or []))
    base_seed = seed
    if base_seed is None:
        base = _validated(raw, origin, fixed, days, None, individuals, scale)
        base_seed = base.model.run.seed
    plan = SweepPlan(raw=raw, origin=origin, factors=factors, fixed=fixed, design=design,
                     samples=samples, replicates=replicates, base_seed=base_seed, days=days,
                     individuals=individuals, scale=scale, tables=tuple(tables),
                     common_seeds=common_seeds)
    check_points(plan)
    return plan


def _validated(raw, origin, sets, days, seed, individuals, scale):
    from scsim.scenario.load import apply_overrides, validate

    return validate(apply_overrides(raw, origin, days=days, seed=seed, individuals=individuals,
                                    scale=scale, sets=sets), origin)


def check_points(plan: SweepPlan) -> None:
    """Every design point is a valid scenario that fits in memory; nothing is written before."""
    from scsim.memory import check_fits

    for point in range(len(plan.points)):
        sc = _validated(plan.raw, plan.origin, plan.point_sets(point), plan.days,
                        plan.base_seed, plan.individuals, plan.scale)
        if point == 0:
            check_fits(sc.model, sc.origin, plan.scale)


def base_scenario_toml(plan: SweepPlan) -> str:
    return _validated(plan.raw, plan.origin, plan.fixed, plan.days, plan.base_seed,
                      plan.individuals, plan.scale).to_toml()


def run_sweep(plan: SweepPlan, out: str | Path, *, backend: str = "local",
              workers: int | None = None, address: str | None = None, retries: int = 2,
              force: bool = False, progress: bool = False,
              on_event: Callable[[Event], None] | None = None) -> SweepReport:
    """Run the runs not yet in `out`, write each atomically, and merge when all are there."""
    from scsim.sweep.progress import SweepProgress

    if backend not in BACKENDS:
        raise ScsimInputError(f"--backend {backend!r}: expected one of {', '.join(BACKENDS)}")
    if workers is not None and workers < 1:
        raise ScsimInputError(f"--workers: expected a whole number >= 1, got {workers}")
    if retries < 0:
        raise ScsimInputError(f"--retries: expected a whole number >= 0, got {retries}")
    if address and backend != "ray":
        raise ScsimInputError("--address: only with --backend ray")
    t0 = time.perf_counter()
    folder = SweepFolder(out)
    finished = folder.prepare(plan, base_scenario_toml(plan), force=force)
    report = SweepReport(path=folder.path, runs=plan.n_runs, skipped=len(finished))
    todo = [plan.task(r) for r in range(plan.n_runs) if r not in finished]
    bar = SweepProgress(plan.n_runs, skipped=len(finished), enabled=progress)
    for r in sorted(finished):
        if on_event:
            on_event(Event("skipped", r))

    def emit(ev: Event) -> None:
        if ev.kind == "done":
            folder.write_run(ev.output, ev.attempts)
            report.done += 1
        elif ev.kind == "retry":
            report.retried += 1
        elif ev.kind == "failed":
            report.failed += 1
            report.errors[ev.run_id] = ev.error or ""
        bar.update(done=report.done, failed=report.failed, retried=report.retried,
                   force=ev.kind != "started")
        if on_event:
            on_event(ev)

    try:
        if todo:
            pool = _pool(backend, workers, address, retries, len(todo))
            pool.run(todo, emit)
    finally:
        bar.close()
        report.wall_seconds = time.perf_counter() - t0
    if report.complete:
        folder.merge(plan)
    return report


def _pool(backend: str, workers: int | None, address: str | None, retries: int, n: int):
    if backend == "ray":
        from scsim.sweep.ray_backend import RayPool

        return RayPool(workers=workers, address=address, retries=retries)
    from scsim.sweep.local import LocalPool, default_workers

    return LocalPool(workers=min(workers or default_workers(), n), retries=retries)
