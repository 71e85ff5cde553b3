"""`scsim presets [show NAME]`: the scenarios shipped with scsim, with their sources."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("presets", help="list the shipped presets, or show one with its sources")
    p.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    p.add_argument("name", nargs="?", help="preset to show")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.errors import ScsimInputError
    from scsim.scenario import load_scenario, preset_names, preset_text

    if args.action == "show":
        if not args.name:
            raise ScsimInputError("presets show: name a preset (see `scsim presets`)")
        print(preset_text(args.name), end="")
        return 0
    names = preset_names()
    width = max(len(n) for n in names)
    for name in names:
        meta = load_scenario(name).model.meta
        print(f"{name:<{width}}  {meta.description}")
    return 0
