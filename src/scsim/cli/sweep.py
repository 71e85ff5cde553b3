"""`scsim sweep SCENARIO --set KEY=v1,v2 --replicates K --out DIR`: many runs, one database."""

from __future__ import annotations

import argparse

from scsim.cli.options import add_scenario_options


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sweep", help="run a scenario over a parameter design with replicates",
        description="Run a scenario many times: every design point of the factors given with "
        "--set KEY.PATH=v1,v2,... (levels) or KEY.PATH=LO:HI (a range, for lhs and sobol), "
        "each --replicates times with its own seed. A --set with one value applies to every "
        "run. Results: OUT/sweep.duckdb (tables experiments, outcomes, daily, outcome_bands, "
        "daily_bands). Run the same command again to finish an interrupted sweep.")
    add_scenario_options(p)
    p.add_argument("--replicates", type=int, default=1, help="runs per design point")
    p.add_argument("--design", default="factorial", choices=["factorial", "lhs", "sobol"],
                   help="factorial (default): every combination of the levels; lhs: Latin "
                   "hypercube; sobol: Saltelli design for Sobol indices (needs SALib)")
    p.add_argument("--samples", type=int,
                   help="design points for lhs (default 20), base samples for sobol "
                   "(a power of 2, default 16; runs (factors + 2) x samples points)")
    p.add_argument("--common-seeds", action="store_true",
                   help="replicate r uses the same seed at every design point (common random "
                   "numbers: sharper comparisons between points)")
    p.add_argument("--out", required=True, help="sweep folder")
    p.add_argument("--workers", type=int, help="parallel runs (default: the CPUs available)")
    p.add_argument("--backend", default="local", choices=["local", "ray"],
                   help="local processes (default) or Ray (pip install 'scsim[ray]')")
    p.add_argument("--address", help="Ray cluster address (default: start a local Ray)")
    p.add_argument("--tables", default="daily",
                   help="per-run tables to keep, comma-separated (default: daily; also "
                   "daily_by_group, daily_by_conduct, daily_by_service, list_events)")
    p.add_argument("--retries", type=int, default=2,
                   help="times a run is retried when its worker dies (default 2)")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it holds something else (a different sweep)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from scsim.sweep.driver import make_plan, run_sweep

    tables = tuple(t.strip() for t in args.tables.split(",") if t.strip())
    plan = make_plan(args.scenario, sets=args.sets, replicates=args.replicates,
                     design=args.design, samples=args.samples, seed=args.seed, days=args.days,
                     individuals=args.individuals, scale=args.scale, tables=tables,
                     common_seeds=args.common_seeds)
    from scsim.engine import compile_ahead

    compile_ahead.start(args.scenario)  # a valid plan: a cold cache compiled on two cores
    report = run_sweep(plan, args.out, backend=args.backend, workers=args.workers,
                       address=args.address, retries=args.retries, force=args.force,
                       progress=not args.quiet)
    if report.errors:
        for run_id, err in sorted(report.errors.items())[:3]:
            print(f"run {run_id} failed: {err.strip()}", file=sys.stderr)
        print(f"scsim: {report.failed} runs failed; the finished runs are kept in {args.out}: "
              "run the same command again to retry the others", file=sys.stderr)
        return 1
    if not args.quiet:
        print(report.line())
        print(f"results: {args.out}  (try: scsim sweep-summary {args.out})")
    return 0
