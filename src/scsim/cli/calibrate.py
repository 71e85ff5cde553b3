"""`scsim calibrate PRESET --target NAME=VALUE ... --fit KEY=LO:HI ...`: fit rates to published
aggregates and print (or write) the fitted values with the targets they came from."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser(
        "calibrate", help="fit chosen rates so that a run hits published aggregates",
        description="Fit rates (--fit) so that a sampled run reproduces published figures "
        "(--target). A target is NAME=VALUE, NAME an expression such as "
        "'denials:flight/denials:high_speed_rail' or an alias (flight_to_rail_denials, "
        "restorations_to_listings, new_listings). Ratios are scale-free; a single count is "
        "scaled from the sample to --national. Without --target/--fit, the preset's "
        "[calibration] table gives them.")
    p.add_argument("scenario", help="a preset name or a TOML file")
    p.add_argument("--target", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--fit", action="append", default=[], metavar="KEY=LO:HI",
                   help="a rate to fit, within bounds, e.g. services.flight.demand=0.1:50")
    p.add_argument("--individuals", type=int, help="sample size of each run")
    p.add_argument("--days", type=int, help="days of each run")
    p.add_argument("--seed", type=int, help="seed of every run (common random numbers)")
    p.add_argument("--national", type=int, help="national population, to scale counts up")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--tol", type=float, default=0.01, help="relative tolerance (default 1 %%)")
    p.add_argument("--max-evals", type=int, default=30, help="runs at most (default 30)")
    p.add_argument("--write", metavar="FILE.toml",
                   help="write a scenario that extends the input with the fitted values")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from scsim.calibrate import FitParam, Target, calibrate
    from scsim.calibrate.report import calibration_toml, parse_fit, parse_target
    from scsim.errors import ScsimInputError
    from scsim.scenario import load_scenario

    sc = load_scenario(args.scenario).model
    stored = sc.calibration
    targets = [parse_target(t) for t in args.target]
    params = [parse_fit(f) for f in args.fit]
    if stored is not None:
        if not targets:
            targets = [Target(n, t.value, t.source) for n, t in stored.targets.items()]
        if not params:  # refit the stored rates within a factor 100 of their values
            params = [FitParam(k, v / 100, v * 100) for k, v in stored.fitted.items()]
    if not targets or not params:
        raise ScsimInputError(f"{args.scenario}: give --target and --fit (this scenario has "
                              "no [calibration] table to take them from)")
    individuals = args.individuals or (stored.individuals if stored else
                                       sc.population.individuals)
    days = args.days or (stored.days if stored else sc.run.days)
    seed = args.seed if args.seed is not None else (stored.seed if stored else sc.run.seed)
    national = args.national or (stored.national_individuals if stored else None)

    def show(row: dict) -> None:
        fits = ", ".join(f"{k}={v:.4g}" for k, v in row["params"].items())
        print(f"  run {show.n}: {fits} -> max error {row['max_rel_error']:.1%}",
              file=sys.stderr)
        show.n += 1

    show.n = 1
    from scsim.engine import compile_ahead

    compile_ahead.start(args.scenario)  # valid input: a cold cache is compiled on two cores
    res = calibrate(args.scenario, targets, params, individuals=individuals, days=days,
                    seed=seed, national=national, sets=args.sets, tol=args.tol,
                    max_evals=args.max_evals, on_eval=show)
    print(f"{'target':<28} {'published':>12} {'model':>12} {'error':>8}")
    for t in targets:
        got = res.achieved[t.name]
        print(f"{t.name:<28} {t.value:>12.4g} {got:>12.4g} {got / t.value - 1:>8.1%}")
    print(f"{'fitted':<28} value   ({res.evaluations} runs, "
          f"{'converged' if res.converged else 'NOT converged'})")
    for k, v in res.fitted.items():
        print(f"  {k} = {v:.6g}")
    command = "scsim calibrate " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else ""
    block = calibration_toml(targets, res, individuals=individuals, days=days, seed=seed,
                             national=national, command=command)
    if args.write:
        from pathlib import Path

        from scsim.calibrate.report import variant_toml

        Path(args.write).write_text(variant_toml(args.scenario, res, block), "utf-8")
        print(f"written: {args.write}")
    else:
        print("\n" + block, end="")
    return 0 if res.converged else 1
