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
    p.add_argument("--counterfactual", action="store_true",
                   help="also run the same seed with sanctions off (no points, listings, "
                        "service rules, spill-over or shaming) and count the acts they "
                        "suppressed or induced")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.engine import compile_ahead
    from scsim.sim import Sim

    if args.explain:
        print(Sim.explain())
        return 0
    sim = Sim(args.scenario, progress=not args.quiet, **scenario_overrides(args))
    compile_ahead.start(args.scenario)  # valid input: a cold cache is compiled on two cores
    if args.checkpoint_every is not None:
        from scsim.checkpoint import run_with_checkpoints
        from scsim.errors import ScsimInputError

        if not args.out:
            raise ScsimInputError("--checkpoint-every: needs --out (checkpoints are kept "
                                  "next to the results folder)")
        res = run_with_checkpoints(sim, args.out, args.checkpoint_every, force=args.force)
    else:
        res = sim.run(out=args.out, force=args.force, counterfactual=args.counterfactual)
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
    return "\n".join(lines + organization_lines(s.get("organizations", {}))
                     + society_lines(s))


def organization_lines(o: dict) -> list[str]:
    """Firms listed by ownership, cascades and spill-over (scsim.orgs), when there are any."""
    lines = []
    firms = o.get("listed", {}).get("company", {})
    if firms:
        parts = ", ".join(f"{g} {v['ever_blacklisted']:,} of {v['entities']:,}"
                          for g, v in firms.items())
        lines.append(f"  firms blacklisted: {parts}")
    if "cascades" in o:
        c = o["cascades"]
        lines.append(f"  cascades: {c['cascades']:,}, {c['firms_hit']:,} firms hit, "
                     f"{c['firms_listed_through_cascades']:,} listed because someone else "
                     "did not pay")
    if "joint_punishment" in o:
        j = o["joint_punishment"]
        lines.append(f"  people sanctioned through their firms: {j['people_sanctioned']:,} "
                     f"({j['sanctions']:,} sanctions)")
    return lines


def society_lines(s: dict) -> list[str]:
    """Headline of the society layer and the counterfactual, when present."""
    out = []
    soc = s.get("society", {})
    sp = soc.get("spillover")
    if sp:
        out.append(f"  spill-over: {sp['sanctions']:,} sanctions for another's record "
                   f"({sp['share_of_service_sanctions']:.1%} of service sanctions) on "
                   f"{sp['entities']:,} entities")
    if soc.get("shaming", {}).get("shamed"):
        out.append(f"  shaming: {soc['shaming']['shamed']:,} published, "
                   f"{soc['shaming']['ties_cut']:,} ties cut")
    pr = soc.get("protests")
    if pr:
        out.append(f"  protests: {pr['acts']:,} acts, peak {pr['protesters_peak']:,} "
                   f"protesters on day {pr['peak_day']}, {pr['arrests']:,} arrests")
    cf = s.get("counterfactual")
    if cf:
        cats = ", ".join(f"{k} {v:,}" for k, v in cf["suppressed_by_category"].items())
        out.append(f"  counterfactual (sanctions off): {cf['acts_suppressed']:,} acts "
                   f"suppressed ({cats or 'none'}), {cf['acts_induced']:,} induced")
    return out
