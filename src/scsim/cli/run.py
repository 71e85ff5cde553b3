"""`scsim run SCENARIO --out DIR`: run a scenario and write its results folder."""

from __future__ import annotations

import argparse

from scsim.cli.options import add_scenario_options, scenario_overrides


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="run a scenario and write a results folder",
                       description="Run a scenario (preset or TOML file) day by day.")
    add_scenario_options(p)
    p.add_argument("--out", help="results folder (written atomically); omit to print only")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it is not a scsim results folder")
    p.add_argument("--explain", action="store_true",
                   help="print the daily loop's steps in order and exit")
    p.add_argument("--checkpoint-every", type=int, metavar="DAYS",
                   help="save the run every DAYS days (with --out); `scsim resume DIR` "
                   "continues a run that was stopped")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.sim import Sim

    if args.explain:
        print(Sim.explain())
        return 0
    sim = Sim(args.scenario, progress=not args.quiet, **scenario_overrides(args))
    if args.checkpoint_every is not None:
        from scsim.checkpoint import run_with_checkpoints
        from scsim.errors import ScsimInputError

        if not args.out:
            raise ScsimInputError("--checkpoint-every: needs --out (checkpoints are kept "
                                  "next to the results folder)")
        res = run_with_checkpoints(sim, args.out, args.checkpoint_every, force=args.force)
    else:
        res = sim.run(out=args.out, force=args.force)
    if not args.quiet:
        print(headline(res.summary))
        if args.out:
            print(f"results: {args.out}  (try: scsim query {args.out} "
                  "\"select * from daily order by day desc limit 5\")")
    return 0


def headline(s: dict) -> str:
    pop = s["population"]
    n = sum(pop.values())
    a, sa, li, sc = s["acts"], s["sanctions"], s["lists"], s["score"]
    share = (f"1 in {sa['all'] / sa['wrongful']:,.0f}" if sa["wrongful"] else "none")
    lines = [
        f"{s['scenario']}: {n:,} entities, {s['days']} days, seed {s['seed']}, "
        f"{s['wall_seconds']:.1f} s",
        f"  acts {a['true']:,} true, {a['recorded']:,} recorded correctly, "
        f"{a['wrongful']:,} wrong records",
        f"  lists: {li['blacklisted_final']:,} blacklisted and {li['redlisted_final']:,} "
        f"redlisted at the end; {li['entries']:,} entries ({li['wrongful_entries']:,} wrongful),"
        f" {li['restorations']:,} restorations",
        f"  services: {sa['requests']:,} requests, {sa['denials']:,} denied "
        f"({sa['wrongful_denials']:,} wrongly); sanctions on a wrong record: {share}",
    ]
    if sc["mean_final"] is not None:
        lines.append(f"  score: mean {sc['mean_final']:.1f}, 5th pct {sc['p05_final']:.0f}, "
                     f"95th pct {sc['p95_final']:.0f}")
    return "\n".join(lines)
