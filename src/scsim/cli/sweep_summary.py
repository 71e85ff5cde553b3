"""`scsim sweep-summary DIR`: replicate means and 95 % intervals per design point."""

from __future__ import annotations

import argparse

DEFAULT_OUTCOMES = ("sanctions_wrongful_denials", "sanctions_denials", "acts_wrongful",
                    "lists_wrongful_entries")


def add_parser(sub) -> None:
    p = sub.add_parser("sweep-summary",
                       help="print a sweep's outcomes per design point with 95 %% intervals")
    p.add_argument("folder", help="sweep folder written by `scsim sweep --out`")
    p.add_argument("--outcome", action="append", default=[],
                   help="an outcome (column of the outcomes table); repeatable "
                   f"(default: {', '.join(DEFAULT_OUTCOMES)})")
    p.add_argument("--interval", choices=["ci", "replicates"], default="ci",
                   help="ci: 95 %% confidence interval of the mean (default); replicates: "
                   "2.5 %% to 97.5 %% of the runs")
    p.add_argument("--sobol", metavar="OUTCOME",
                   help="print Sobol indices of this outcome instead (a --design sobol sweep)")
    p.add_argument("--csv", action="store_true", help="print CSV (every column)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from scsim.sweep.load import load_sweep
    from scsim.sweep.stats import interval_text

    sw = load_sweep(args.folder)
    if args.sobol:
        from scsim.sweep.sensitivity import sobol_indices

        df = sobol_indices(sw, args.sobol)
        print(df.to_csv(index=False) if args.csv else df.to_string(index=False, float_format=
                                                                     lambda x: f"{x:.3f}"))
        return 0
    outcomes = args.outcome or list(DEFAULT_OUTCOMES)
    bands = pd.concat([sw.bands(o) for o in outcomes], ignore_index=True)
    if args.csv:
        print(bands.to_csv(index=False), end="")
        return 0
    lo, hi = ("ci_lo", "ci_hi") if args.interval == "ci" else ("q025", "q975")
    wide = bands.pivot(index=["point", *sw.factors], columns="outcome", values="mean")
    for o in outcomes:
        rows = bands[bands["outcome"] == o].set_index("point")
        wide[o] = [interval_text(rows.at[p, "mean"], rows.at[p, lo], rows.at[p, hi])
                   for p in wide.index.get_level_values("point")]
    n = int(bands["n"].max())
    what = "95 % CI of the mean" if args.interval == "ci" else "2.5 % to 97.5 % of the runs"
    print(f"{sw.path}: {len(sw.experiments)} runs, {n} replicates per point; mean [{what}]")
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50,
                           "display.width", 200):
        print(wide[outcomes].reset_index().to_string(index=False))
    return 0
