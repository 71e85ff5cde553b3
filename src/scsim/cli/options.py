"""Options shared by commands that load a scenario (run, validate, and later sweep ...)."""

from __future__ import annotations

import argparse
from typing import Any


def add_scenario_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="a preset name (see `scsim presets`) or a TOML file")
    p.add_argument("--days", type=int, help="days to simulate")
    p.add_argument("--seed", type=int, help="random seed")
    p.add_argument("--individuals", type=int, help="number of individuals")
    p.add_argument("--scale", type=float,
                   help="multiply every population count (individuals, companies ...)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override any scenario key, e.g. --set sources.cctv.coverage=0.5")


def scenario_overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {"days": args.days, "seed": args.seed, "individuals": args.individuals,
            "scale": args.scale, "sets": args.sets}
