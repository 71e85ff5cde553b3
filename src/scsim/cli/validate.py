"""`scsim validate SCENARIO`: check a scenario file; print what is wrong, or "ok"."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check a scenario file; print problems or 'ok'")
    p.add_argument("scenario", help="a preset name or a TOML file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.memory import check_fits
    from scsim.scenario import load_scenario

    sc = load_scenario(args.scenario)
    check_fits(sc.model, sc.origin)
    print("ok")
    return 0
