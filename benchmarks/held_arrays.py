"""The arrays a run holds, largest first, in bytes per entity.

    python benchmarks/held_arrays.py 1e7 --days 365 [--scenario reference] [--top 40]

Builds the scenario scaled to about that many entities, steps its days, and walks every
NumPy array reachable from the simulation (as `scsim bench`'s "held" figure does, each
buffer once), printing each array's path, dtype and bytes per entity, then the totals by
path with list and day indices folded together.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict

import numpy as np

from scsim.allocator import keep_freed_memory
from scsim.bench.engine import REFERENCE
from scsim.scenario import load_scenario
from scsim.sim import Sim


def arrays(obj, path: str, seen: set[int], out: list, depth: int = 0) -> None:
    if id(obj) in seen or depth > 10:
        return
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        base = obj.base if isinstance(obj.base, np.ndarray) else obj
        if id(base) in seen and base is not obj:
            return
        seen.add(id(base))
        out.append((int(base.nbytes), path, str(obj.dtype)))
        return
    if isinstance(obj, dict):
        items = [(f"[{k!r}]", v) for k, v in obj.items()]
    elif isinstance(obj, (list, tuple, set)):
        items = [(f"[{i}]", v) for i, v in enumerate(obj)]
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("scsim"):
        items = [("." + k, v) for k, v in vars(obj).items()]
    else:
        return
    for k, v in items:
        arrays(v, path + k, seen, out, depth + 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("entities", type=float)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--scenario", default=REFERENCE)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args()
    keep_freed_memory()
    base = load_scenario(a.scenario).model.population
    total = base.individuals + base.companies + base.governments + base.organizations
    sim = Sim(a.scenario, days=a.days, seed=a.seed, scale=a.entities / total, sets=None)
    sim.build()
    for day in range(sim.days):
        sim.step_day(day)
    found: list = []
    arrays(sim, "sim", set(), found)
    n = sim.pop.n
    print(f"{n:,} entities, {a.days} days: {sum(b for b, _, _ in found) / n:.1f} bytes held "
          "per entity")
    for b, path, dtype in sorted(found, reverse=True)[: a.top]:
        print(f"{b / n:8.2f}  {path} {dtype}")
    folded: dict[tuple[str, str], int] = defaultdict(int)
    for b, path, dtype in found:
        folded[(re.sub(r"\[\d+\]", "[]", path), dtype)] += b
    print("\nby path, indices folded:")
    for (path, dtype), b in sorted(folded.items(), key=lambda x: -x[1])[: a.top]:
        print(f"{b / n:8.2f}  {path} {dtype}")


if __name__ == "__main__":
    main()
