"""`scsim audit SCENARIO`: list the rules of a scenario that fail design principles."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("audit", help="audit a scenario's rules (no run needed)",
                       description="Read a scenario (preset, TOML file or results folder) and "
                       "list the rules that score protected conduct, sanction out of context "
                       "or out of proportion, lack an appeal, spill over onto third parties "
                       "or restore without a stated condition. Exit status 1 when a finding "
                       "of the highest severity (high) exists.")
    p.add_argument("scenario", help="a preset name, a TOML file or a results folder")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key before auditing")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.analysis.audit import audit

    report = audit(args.scenario, sets=args.sets)
    print(report.to_json() if args.json else report.to_text())
    return 1 if report.has_highest else 0
