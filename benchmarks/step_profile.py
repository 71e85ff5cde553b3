"""Time of each step of the daily loop, over a whole run (ms a day).

    python benchmarks/step_profile.py --entities 1e7 --days 365 --scenario reference

Wraps each step's `step` method with a timer, runs days 0 and 1 untimed (first calls compile
nothing, but fill caches), then times every later day; prints build, per-step ms a day, and
the time to build the results.
"""

from __future__ import annotations

import argparse
import collections
import time

from scsim.results.build import build_results
from scsim.scenario import load_scenario
from scsim.sim import Sim


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entities", type=float, default=1e6)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--scenario", default="reference")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    base = load_scenario(args.scenario).model.population  # scaled as `scsim bench` does
    total = base.individuals + base.companies + base.governments + base.organizations
    t = time.perf_counter()
    sim = Sim(args.scenario, days=args.days, seed=args.seed, scale=args.entities / total)
    sim.build()
    print(f"build {time.perf_counter() - t:.1f} s, {sim.pop.n:,} entities")
    spent: collections.Counter[str] = collections.Counter()
    for s in sim.steps:
        def timed(day, step=s.step, name=s.name):
            t0 = time.perf_counter()
            step(day)
            spent[name] += time.perf_counter() - t0
        s.step = timed
    sim.step_day(0)
    sim.step_day(1)
    spent.clear()
    t = time.perf_counter()
    for day in range(2, args.days):
        sim.step_day(day)
    timed_days = args.days - 2
    print(f"days {time.perf_counter() - t:.1f} s")
    for name, sec in spent.most_common():
        print(f"{name:10s} {sec / timed_days * 1000:7.1f} ms a day")
    t = time.perf_counter()
    build_results(sim, wall_seconds=0)
    print(f"results {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
