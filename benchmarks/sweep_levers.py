"""The sweep of the sweeps issue: points-city at 100,000 individuals, two levers, 10 replicates.

    PYTHONPATH=src python benchmarks/sweep_levers.py --out /tmp/sweep-levers --workers 2

200 runs (5 blacklist thresholds x 4 appeal success rates x 10 replicates) on the local
backend. Prints the wall time, runs per second, and the mean of wrongful denials per design
point with the 95 % confidence interval of the mean and the 2.5-97.5 % range of the runs.
Takes several minutes (each run is a few seconds on a free core). Run it again with the same
--out to finish it if it is stopped; the wall time is then that of the last invocation.
"""

from __future__ import annotations

import argparse

LEVERS = ["lists.blacklist.score_below=800,825,850,875,900",
          "restoration.appeals.success_if_wrong=0.1,0.3,0.6,0.9"]


def main() -> None:
    import os

    from scsim.sweep import load_sweep, make_plan, run_sweep

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/sweep-levers")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--replicates", type=int, default=10)
    args = ap.parse_args()
    plan = make_plan("points-city", sets=LEVERS, replicates=args.replicates)
    report = run_sweep(plan, args.out, workers=args.workers, progress=True)
    print(report.line(), f"(load average {os.getloadavg()[0]:.1f})")
    bands = load_sweep(args.out).bands("sanctions_wrongful_denials")
    cols = ["score_below", "success_if_wrong", "n", "mean", "ci_lo", "ci_hi", "q025", "q975"]
    print("wrongful denials per design point (one year):")
    print(bands[cols].to_string(index=False, float_format=lambda x: f"{x:.1f}"))


if __name__ == "__main__":
    main()
