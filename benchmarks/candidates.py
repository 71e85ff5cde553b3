"""The day's candidate draws of a scenario, recorded and replayed at a larger size.

    python benchmarks/candidates.py --record-at 1e6 --days 280 300 --scale 10 --rounds 5

Runs the scenario at --record-at entities up to the last day given, noting the (entities,
candidates) of every call of `sorted_candidates` (behave's acts and the demand's requests)
on the days in that range; then replays those calls with both numbers times --scale and
prints the milliseconds a day each round. Candidates per call grow in proportion to the
entities, so this is the draws' share of a day at the larger size without running it: at
1e7 late in the year about 1,100 calls and 1.94 million candidates a day. Run it from two
work trees (PYTHONPATH) to compare two versions of the kernel on the same calls.
"""

from __future__ import annotations

import argparse
import time

import scsim.engine.demand as demand
import scsim.modifiers as modifiers
from scsim.allocator import keep_freed_memory
from scsim.engine.candidates import sorted_candidates
from scsim.rng import Streams
from scsim.scenario import load_scenario
from scsim.sim import Sim


def record(scenario: str, entities: float, first: int, last: int) -> list[tuple[int, int]]:
    calls: list[tuple[int, int]] = []
    on = [False]

    def noted(rng, n, k):
        if on[0]:
            calls.append((n, k))
        return sorted_candidates(rng, n, k)

    modifiers.sorted_candidates = demand.sorted_candidates = noted
    base = load_scenario(scenario).model.population
    total = base.individuals + base.companies + base.governments + base.organizations
    sim = Sim(scenario, days=last, seed=0, scale=entities / total)
    sim.build()
    for day in range(last):
        on[0] = day >= first
        sim.step_day(day)
    modifiers.sorted_candidates = demand.sorted_candidates = sorted_candidates
    return calls


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="reference")
    p.add_argument("--record-at", type=float, default=1e6)
    p.add_argument("--days", type=int, nargs=2, default=(280, 300), metavar=("FIRST", "END"))
    p.add_argument("--scale", type=float, default=10.0)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    keep_freed_memory()  # as the scsim command does
    first, end = args.days
    calls = [(int(n * args.scale), int(k * args.scale))
             for n, k in record(args.scenario, args.record_at, first, end)]
    days = end - first
    print(f"{len(calls) / days:.0f} calls and {sum(k for _, k in calls) / days:,.0f} "
          f"candidates a day at {args.record_at * args.scale:.0e} entities")
    streams = Streams(1)
    for i, (n, k) in enumerate(calls[:50]):  # warm: compiled, pages touched
        sorted_candidates(streams.get("warm", i), n, k)
    for r in range(args.rounds):
        t = time.perf_counter()
        for i, (n, k) in enumerate(calls):
            sorted_candidates(streams.get("replay", i), n, k)
        print(f"round {r + 1}: {(time.perf_counter() - t) / days * 1e3:.2f} ms a day")


if __name__ == "__main__":
    main()
