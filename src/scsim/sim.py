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
from scsim.engine.rows import EntityRows
from scsim.engine.scorebook import ScoreBook
from scsim.engine.state import State
from scsim.engine.tally import Tally
from scsim.memory import check_fits
from scsim.population.attributes import KIND_CODE
from scsim.population.generate import generate_population
from scsim.rng import Streams
from scsim.scenario import Scenario, load_scenario
from scsim.side_by_side import Later
from scsim.steps import LOOP
from scsim.surveillance.platform import Platform
from scsim.surveillance.provenance import Provenance
from scsim.surveillance.sensing import start_namesakes


@dataclass
class Today:
    """What one day's steps hand each other; emptied at the start of every day."""

    acts: list[tuple[int, np.ndarray]] = field(default_factory=list)
    # index into `acts` -> each actor's cell, where the behave step has read it already
    act_cells: dict[int, np.ndarray] = field(default_factory=dict)
    landed: RecordBatch = field(default_factory=lambda: RecordBatch.concat([]))
    # With a [platform]: the records each department that owns a list (or the score) sees
    # today, by department name; `landed` is then the platform's share. None: all see all.
    by_owner: dict[str, RecordBatch] | None = None
    # Acts a credit cascade caused: index into `acts` -> cascade id per act (records keep it).
    origins: dict[int, np.ndarray] = field(default_factory=dict)
    sanctioned: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # ids, wrongful


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
                 progress: bool = False, sanctions_off: bool = False):
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
        self.scale = scale  # as given: the memory check suggests a --scale relative to none
        self.sc = scenario.model
        # The scenario as written; `sc` is what runs (the same unless sanctions are off:
        # then bounds of adaptive conduct still come from here, see scsim/counterfactual.py).
        self.factual_sc = self.sc
        self.sanctions_off = sanctions_off
        if sanctions_off:
            from scsim.counterfactual import switch_sanctions_off

            self.sc = switch_sanctions_off(self.sc)
        self.society = None
        self.namesakes = None  # the namesakes' index, begun in build() (surveillance/sensing.py)
        self.conduct_cells = None  # acts per (day, conduct, cell), for --counterfactual
        self.days = self.sc.run.days
        self.seed = self.sc.run.seed
        self.progress = progress
        self._built = False
        self.next_day = 0  # the first day not yet run (a resumed run starts there)
        self.wall_before = 0.0  # seconds spent before a checkpoint (see scsim.checkpoint)
        self.results = None  # the Results of the last run()

    @staticmethod
    def explain() -> str:
        """The daily loop, in order, one step a line."""
        return "\n".join(f"{i}. {s.name:<9} {s.purpose}" for i, s in enumerate(LOOP, 1))

    def build(self) -> None:
        check_fits(self.sc, self.scenario.origin, self.scale)
        sc = self.sc
        self.streams = Streams(self.seed)
        # Parts with streams of their own, begun beside the population (scsim/side_by_side.py).
        n = sum(sc.population.count(k) for k in KIND_CODE)
        rows_later = Later(EntityRows, n, sc.run.entities_table_max_rows,
                           self.streams.get("entities-sample"))
        self.namesakes = start_namesakes(sc, sc.population.count("individual"), self.streams)
        self.pop = generate_population(sc, self.streams)
        rows = rows_later.result()
        self.state = State.initial(self.pop.n, sc.scoring.base, len(sc.lists), rows)
        self.calendar = Calendar()
        self.records = RecordDesk(self.calendar)
        self.tally = Tally(self.days, self.pop.cell, len(self.pop.cell_labels),
                           list(sc.conduct), list(sc.services))
        scored_kind = np.zeros(len(KIND_CODE), bool)
        scored_kind[[KIND_CODE[k] for k in sc.scoring.kinds]] = True
        self.scores = ScoreBook(self.state, self.pop.cell, len(self.pop.cell_labels),
                                sc.scoring.min, sc.scoring.max, scored_kind, self.pop.kind)
        self.provenance = Provenance(self)
        self.platform = Platform(self)
        self.today = Today()
        from scsim.mechanisms import build_mechanisms

        self.mechanisms = build_mechanisms(self)
        self.steps = [cls(self) for cls in LOOP]
        self._after = {s.name: [m for m in self.mechanisms if s.name in m.after]
                       for s in self.steps}
        by_name = {s.name: s for s in self.steps}
        self.lists = by_name["list"]
        self.score_step = by_name["score"]
        self.sanction = by_name["sanction"]
        self.collect = by_name["collect"]
        from scsim.society import Society

        self.society = Society.create(self)
        self._built = True

    def step_day(self, day: int) -> None:
        """Run the nine steps of one day, in order."""
        self.today = Today()
        self.tally.day = day
        self.records.start_day(day)
        for m in self.mechanisms:
            m.start_day(day)
        for s in self.steps:
            s.step(day)
            for m in self._after[s.name]:
                m.after_step(s.name, day)

    def adapt_factor(self, conduct: int, kind: str) -> Any:
        """Hook for adaptive conduct: an ExtraFactor of the conduct's rate, or None."""
        return self.society.adapt_factor(conduct, kind) if self.society is not None else None

    def mechanism(self, name: str) -> Any:
        """The built mechanism of that name, or None when the scenario has none."""
        return next((m for m in self.mechanisms if m.name == name), None)

    def coverage_factor(self, conduct: int, actors: np.ndarray) -> np.ndarray | None:
        """Product of the mechanisms' coverage multipliers for these actors (None: all 1)."""
        out = None
        for m in self.mechanisms:
            f = m.coverage_factor(conduct, actors)
            if f is not None:
                out = f if out is None else out * f
        return out

    def entry_filter(self, day: int, li: int, ids: np.ndarray) -> np.ndarray | None:
        """Which of these entities enter list `li` (None: all of them)."""
        keep = None
        for m in self.mechanisms:
            k = m.entry_filter(day, li, ids)
            if k is not None:
                keep = k if keep is None else keep & k
        return keep

    def run(self, out: str | Path | None = None, *, force: bool = False,
            counterfactual: bool = False, on_day: Callable[[int, int], None] | None = None,
            on_day_end: Callable[[Sim], None] | None = None):
        """Run every day not yet run; return the results (and write them to `out` if given).

        `counterfactual=True` also runs the same scenario and seed with sanctions off and adds
        the acts it suppressed or induced to the results (scsim/counterfactual.py).
        `on_day(days_done, acts_done)` is called after each day (a dashboard's progress bar);
        an exception it raises stops the run there (how a run is cancelled).
        `on_day_end(sim)` is called after each day, with `sim.next_day` already advanced
        (checkpoints use it).
        """
        from scsim.results.build import build_results

        if out is not None:
            from scsim.results.writer import check_out

            check_out(Path(out), force=force)
        t0 = time.perf_counter()
        if not self._built:
            self.build()
        pair = None
        if counterfactual:
            from scsim.counterfactual import ConductCells

            self.conduct_cells = ConductCells(self)
            pair = Sim(self.scenario, progress=self.progress, sanctions_off=True)
            pair.build()
            pair.conduct_cells = ConductCells(pair)
        self._days(on_day, on_day_end)
        if pair is not None:
            pair._days()
        wall = self.wall_before + time.perf_counter() - t0
        results = build_results(self, wall_seconds=wall)
        if pair is not None:
            from scsim.counterfactual import attach

            attach(results, self, pair)
        if out is not None:
            from scsim.results.writer import write_results

            write_results(results, Path(out))
        self.results = results  # Sim.results.to_df(table) after a run
        return results

    def _days(self, on_day: Callable[[int, int], None] | None = None,
              on_day_end: Callable[[Sim], None] | None = None) -> None:
        from scsim.progress import Progress

        bar = Progress(self.days, enabled=self.progress)
        acts_done = 0
        for day in range(self.next_day, self.days):
            self.step_day(day)
            acts_done += sum(a.size for _, a in self.today.acts)
            bar.update(day + 1, acts_done)
            self.next_day = day + 1
            if on_day is not None:
                on_day(day + 1, acts_done)
            if on_day_end is not None:
                on_day_end(self)
        bar.close()
