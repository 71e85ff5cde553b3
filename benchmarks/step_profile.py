"""Time of each step of the daily loop, over a whole run or its later days (ms a day).

    python benchmarks/step_profile.py --entities 1e7 --days 365 --scenario reference
    python benchmarks/step_profile.py --entities 1e7 --days 330 --from-day 300 --census
    NUMBA_NUM_THREADS=1 python benchmarks/step_profile.py ...   # the serial share, by difference

Wraps each step's `step` method with a timer, runs the days before --from-day (at least days
0 and 1: they fill caches) untimed, then times every later day; prints build, per-step ms a
day, and the time to build the results. --census also counts, per timed day, the events the
day's cost follows: candidate draws (acts and one-by-one requests, before thinning), acts,
requests decided one by one, records landing, individuals reconsidering protest.
"""

from __future__ import annotations

import argparse
import collections
import time

from scsim.allocator import keep_freed_memory
from scsim.results.build import build_results
from scsim.scenario import load_scenario
from scsim.sim import Sim


def _count_events(sim: Sim, events: collections.Counter) -> None:
    """Wrap the places where the day's events pass, to count them (this script only)."""
    import scsim.engine.demand as demand
    import scsim.modifiers as modifiers

    draw = modifiers.sorted_candidates

    def counted_draw(rng, n, k):
        events["candidates"] += k
        return draw(rng, n, k)

    modifiers.sorted_candidates = demand.sorted_candidates = counted_draw
    decide = sim.sanction.decide_both

    def counted_decide(si, ids):
        events["requests decided one by one"] += ids.size
        return decide(si, ids)

    sim.sanction.decide_both = counted_decide
    grievance = sim.society.grievance if sim.society is not None else None
    if grievance is not None:
        reconsider = grievance.decide

        def counted_reconsider(ids):
            events["reconsidering protest"] += ids.size
            return reconsider(ids)

        grievance.decide = counted_reconsider


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entities", type=float, default=1e6)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--from-day", type=int, default=2, help="first day timed (at least 2)")
    p.add_argument("--scenario", default="reference")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--census", action="store_true", help="count the events of timed days")
    args = p.parse_args()
    keep_freed_memory()  # as the scsim command does
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
    first = max(2, args.from_day)
    for day in range(first):
        sim.step_day(day)
    spent.clear()
    events: collections.Counter[str] = collections.Counter()
    if args.census:
        _count_events(sim, events)
    t = time.perf_counter()
    for day in range(first, args.days):
        sim.step_day(day)
        if args.census:
            events["acts"] += sum(ids.size for _, ids in sim.today.acts)
            events["records landing"] += sim.today.landed.size
    timed_days = max(args.days - first, 1)
    wall = time.perf_counter() - t
    print(f"days {first} to {args.days - 1}: {wall:.1f} s, {wall / timed_days * 1000:.1f} ms a day")
    for name, sec in spent.most_common():
        print(f"{name:10s} {sec / timed_days * 1000:7.1f} ms a day")
    for name, count in events.items():
        print(f"{name:30s} {count / timed_days:12,.0f} a day")
    if events:
        total_events = sum(events[k] for k in ("candidates", "requests decided one by one",
                                                "records landing", "reconsidering protest"))
        print(f"{wall / timed_days / max(total_events / timed_days, 1) * 1e9:.0f} ns an event "
              "(candidates, decided requests, landing records, reconsiderations)")
    t = time.perf_counter()
    build_results(sim, wall_seconds=0)
    print(f"results {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
