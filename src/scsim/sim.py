"""`Sim`: build a run from a scenario, step through the days, hand back the results."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scsim.engine.calendar import Calendar
from scsim.engine.records import RecordBatch, RecordDesk
from scsim.engine.scorebook import ScoreBook
from scsim.engine.state import State
from scsim.engine.tally import Tally
from scsim.memory import check_fits
from scsim.population.attributes import KIND_CODE
from scsim.population.generate import generate_population
from scsim.rng import Streams
from scsim.scenario import Scenario, load_scenario
from scsim.steps import LOOP


@dataclass
class Today:
    """What one day's steps hand each other; emptied at the start of every day."""

    acts: list[tuple[int, np.ndarray]] = field(default_factory=list)
    landed: RecordBatch = field(default_factory=lambda: RecordBatch.concat([]))


class Sim:
    """One run of a scenario.

    >>> sim = Sim("points-city", individuals=20_000, days=60, seed=3)
    >>> res = sim.run()                      # in memory
    >>> res = sim.run(out="runs/pc")         # and written to a results folder
    """

    loop: tuple[str, ...] = tuple(s.name for s in LOOP)

    def __init__(self, scenario: str | Path | Scenario, *, days: int | None = None,
                 seed: int | None = None, individuals: int | None = None,
                 scale: float | None = None, sets: list[str] | None = None,
                 progress: bool = False):
        if isinstance(scenario, Scenario):
            if any(v is not None for v in (days, seed, individuals, scale, sets)):
                from scsim.scenario.load import apply_overrides, validate

                raw = scenario.model.model_dump(mode="json", exclude_none=True)
                scenario = validate(apply_overrides(raw, scenario.origin, days=days, seed=seed,
                                                    individuals=individuals, scale=scale,
                                                    sets=sets), scenario.origin)
        else:
            scenario = load_scenario(scenario, days=days, seed=seed, individuals=individuals,
                                     scale=scale, sets=sets)
        self.scenario = scenario
        self.sc = scenario.model
        self.days = self.sc.run.days
        self.seed = self.sc.run.seed
        self.progress = progress
        self._built = False
        self.next_day = 0  # the first day not yet run (a resumed run starts there)
        self.wall_before = 0.0  # seconds spent before a checkpoint (see scsim.checkpoint)

    @staticmethod
    def explain() -> str:
        """The daily loop, in order, one step a line."""
        return "\n".join(f"{i}. {s.name:<9} {s.purpose}" for i, s in enumerate(LOOP, 1))

    def build(self) -> None:
        check_fits(self.sc, self.scenario.origin)
        sc = self.sc
        self.streams = Streams(self.seed)
        self.pop = generate_population(sc, self.streams)
        self.state = State.initial(self.pop.n, sc.scoring.base, len(sc.lists))
        self.calendar = Calendar()
        self.records = RecordDesk(self.calendar)
        self.tally = Tally(self.days, self.pop.cell, len(self.pop.cell_labels),
                           list(sc.conduct), list(sc.services))
        scored_kind = np.zeros(len(KIND_CODE), bool)
        scored_kind[[KIND_CODE[k] for k in sc.scoring.kinds]] = True
        self.scores = ScoreBook(self.state, self.pop.cell, len(self.pop.cell_labels),
                                sc.scoring.min, sc.scoring.max, scored_kind, self.pop.kind)
        self.today = Today()
        self.steps = [cls(self) for cls in LOOP]
        by_name = {s.name: s for s in self.steps}
        self.lists = by_name["list"]
        self.score_step = by_name["score"]
        self.collect = by_name["collect"]
        self._built = True

    def adapt_factor(self, conduct: int, kind: str) -> Any:
        """Hook for adaptive conduct: (factor function on local ids, bound) or None."""
        return None

    def run(self, out: str | Path | None = None, *, force: bool = False,
            on_day_end: Callable[[Sim], None] | None = None):
        """Run every day not yet run; return the results (and write them to `out` if given).

        `on_day_end(sim)` is called after each day, with `sim.next_day` already advanced
        (checkpoints use it)."""
        from scsim.progress import Progress
        from scsim.results.build import build_results

        if out is not None:
            from scsim.results.writer import check_out

            check_out(Path(out), force=force)
        t0 = time.perf_counter()
        if not self._built:
            self.build()
        bar = Progress(self.days, enabled=self.progress)
        acts_done = 0
        for day in range(self.next_day, self.days):
            self.today = Today()
            self.tally.day = day
            self.records.start_day(day)
            for s in self.steps:
                s.step(day)
            acts_done += sum(a.size for _, a in self.today.acts)
            bar.update(day + 1, acts_done)
            self.next_day = day + 1
            if on_day_end is not None:
                on_day_end(self)
        bar.close()
        wall = self.wall_before + time.perf_counter() - t0
        results = build_results(self, wall_seconds=wall)
        if out is not None:
            from scsim.results.writer import write_results

            write_results(results, Path(out))
        return results
