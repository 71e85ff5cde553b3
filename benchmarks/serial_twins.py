"""Where each parallel kernel's serial twin stops paying: a run's calls replayed on both.

    python benchmarks/serial_twins.py --entities 1e6 --from-day 60 --days 100

Runs the reference (or --scenario) to --from-day untimed, then, for every kernel with a twin
(engine/serial_twin.py), takes every third call up to 60 per kernel and times the parallel
kernel and the twin on copies of its arguments (the best of three each). Prints per kernel:
the sizes seen (the length the call site compares with its threshold), the twin's time per
element, the largest size at which the twin won and the smallest at which the kernel won.
The thresholds in engine/serial_twin.py (SERIAL_BELOW, _READS, _WALKS) come from this table.
"""

from __future__ import annotations

import argparse
import collections
import copy
import sys
import time

import numpy as np

from scsim.allocator import keep_freed_memory
from scsim.engine.serial_twin import loaded_twins
from scsim.scenario import load_scenario
from scsim.sim import Sim

# The argument whose length the call site compares (the first one where not named here).
SIZE_ARG = {"_sorted_uniform": 4, "_seen_wrong": 4, "_flags": 1, "_uniforms": 1,
            "_uniforms_at": 1, "_bits_of": 1, "_select": 2, "_misflag": 1, "_runs_of": 1,
            "_relatives": 1, "decide_sightings": 1, "_relatives_listed": 1,
            "engine.packed._gather": 2}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=float, default=1e6)
    ap.add_argument("--from-day", type=int, default=60)
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--scenario", default="reference")
    a = ap.parse_args()
    keep_freed_memory()
    base = load_scenario(a.scenario).model.population
    total = base.individuals + base.companies + base.governments + base.organizations
    sim = Sim(a.scenario, days=max(a.days, 1), seed=0, scale=a.entities / total)
    sim.build()
    for day in range(a.from_day):
        sim.step_day(day)
    pairs = {}
    for _, kernel, twin in loaded_twins():
        pairs[id(kernel)] = pairs[id(twin)] = (kernel, twin)
    rows: dict[str, list] = collections.defaultdict(list)
    calls: collections.Counter = collections.Counter()

    def spy(f):
        def call(*args):
            kernel, twin = pairs[id(f)]
            key = f"{kernel.py_func.__module__.removeprefix('scsim.')}.{kernel.__name__}"
            calls[key] += 1
            if calls[key] % 3 == 0 and len(rows[key]) < 60:
                at = SIZE_ARG.get(key, SIZE_ARG.get(kernel.__name__, 0))
                size = args[at].size if isinstance(args[at], np.ndarray) else -1
                best = []
                for g in (kernel, twin):
                    times = []
                    for _ in range(3):
                        c = copy.deepcopy(args)
                        t = time.perf_counter()
                        g(*c)
                        times.append(time.perf_counter() - t)
                    best.append(min(times))
                rows[key].append((size, *best))
            return f(*args)
        return call

    patched = []
    for name, mod in list(sys.modules.items()):
        if name.startswith("scsim."):
            for attr, obj in list(vars(mod).items()):
                if id(obj) in pairs:
                    patched.append((mod, attr, obj))
                    setattr(mod, attr, spy(obj))
    try:
        for day in range(a.from_day, a.days):
            sim.step_day(day)
    finally:
        for mod, attr, obj in patched:
            setattr(mod, attr, obj)
    print(f"{a.scenario} at {a.entities:.0e} entities, days {a.from_day} to {a.days - 1}")
    print(f"{'kernel':44s} {'calls':>5s} {'sizes':>17s} {'twin ns/el':>10s} "
          f"{'twin won to':>11s} {'kernel won from':>15s}")
    for key in sorted(rows):
        r = np.array(rows[key])
        sizes = r[:, 0]
        twin_won, kernel_won = sizes[r[:, 2] <= r[:, 1]], sizes[r[:, 1] < r[:, 2]]
        big = sizes >= np.median(sizes)
        per = np.median(r[big, 2] / np.maximum(sizes[big], 1)) * 1e9
        print(f"{key:44s} {len(r):5d} {int(sizes.min()):8d}..{int(sizes.max()):<8d} "
              f"{per:10.1f} {int(twin_won.max()) if twin_won.size else -1:11d} "
              f"{int(kernel_won.min()) if kernel_won.size else -1:15d}")


if __name__ == "__main__":
    main()
