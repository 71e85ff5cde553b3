"""The calibrated national-lists preset against its published ratios, on seeds the fit never
saw, with the wall time of each run. Not a test (no assertion): figures for a note.

    PYTHONPATH=src python benchmarks/calibration_check.py --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import math
import time

from scsim.calibrate import targets as T
from scsim.calibrate.inert import switch_off
from scsim.scenario import load_scenario
from scsim.sim import Sim


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--individuals", type=int)
    args = ap.parse_args()
    sc = load_scenario("national-lists").model
    cal = sc.calibration
    n = args.individuals or cal.individuals
    scale = cal.national_individuals / n
    for seed in args.seeds:
        t0 = time.perf_counter()
        res = Sim("national-lists", individuals=n, days=cal.days, seed=seed,
                  sets=switch_off(sc)).run()
        wall = time.perf_counter() - t0
        cells = []
        for name, t in cal.targets.items():
            got = T.evaluate(res, t.expr, 1.0 if T.is_ratio(t.expr) else scale)
            a = T.counts(res, t.expr)
            sd = math.sqrt(sum(1 / x for x in a))
            cells.append(f"{name} {got:.4g} ({got / t.value - 1:+.1%}, sd {sd:.1%})")
        print(f"seed {seed}, {n:,} individuals, {wall:.1f} s: " + "; ".join(cells))


if __name__ == "__main__":
    main()
