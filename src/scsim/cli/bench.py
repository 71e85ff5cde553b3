"""`scsim bench`: time and memory of the reference scenario at a chosen size."""

from __future__ import annotations

import argparse
import json


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="benchmark the engine on the reference scenario",
                       description="Runs the reference preset (points-city with every landed "
                       "mechanism on), scaled to --entities, and prints wall time, agent-days/s "
                       "and memory.")
    p.add_argument("--entities", type=float, default=1e6, help="entities (default 1e6)")
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scenario", default="reference",
                   help="preset or TOML file (default: reference, every mechanism on)")
    p.add_argument("--cold", action="store_true",
                   help="no warm-up run first: the timing then includes compiling the kernels "
                   "Numba's cache lacks (up to about 40 s on a fresh install)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.bench.engine import run_bench
    from scsim.errors import ScsimInputError

    if args.entities < 1 or args.days < 1:
        raise ScsimInputError("bench: --entities and --days must be at least 1")
    if not args.cold:  # its warm-up compiles: on two cores when the cache is cold
        from scsim.engine import compile_ahead
        from scsim.scenario import load_scenario

        load_scenario(args.scenario)  # a scenario that does not load starts no helper
        compile_ahead.start(args.scenario)
    res = run_bench(int(args.entities), args.days, args.seed, args.scenario,
                    warmup=not args.cold)
    print(json.dumps(res.as_dict(), indent=2) if args.json else res.lines())
    return 0
