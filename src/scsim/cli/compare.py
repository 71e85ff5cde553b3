"""`scsim compare DIR1 DIR2 [...]`: the metrics of several runs side by side."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("compare", help="compare the metrics of two or more results folders",
                       description="Every metric of each run side by side, with the "
                       "difference from the first. An argument may be a folder of results "
                       "folders (replicates): then means with 95 %% confidence intervals. "
                       "Two sweep folders: each outcome per matching design point, with the "
                       "difference of the means and its Welch 95 %% interval (the second may be "
                       "a results folder, set against every design point).")
    p.add_argument("folders", nargs="+", help="results folders (or folders of replicates)")
    p.add_argument("--labels", help="comma-separated names for the folders")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML page")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scsim.analysis.compare import compare
    from scsim.sweep.store import is_sweep_folder

    labels = [s.strip() for s in args.labels.split(",")] if args.labels else None
    if any(is_sweep_folder(f) for f in args.folders):
        return _sweeps(args, labels)
    cmp = compare(args.folders, labels)
    try:
        print(cmp.to_json() if args.json else cmp.to_text())
        if args.html:
            from scsim.analysis.report import write_page
            from scsim.analysis.report.compare_page import render_compare

            out = Path(args.html)
            write_page(out, render_compare(cmp))
            if not args.json:
                print(f"comparison: {out}")
    finally:
        cmp.close()
    return 0


def _sweeps(args: argparse.Namespace, labels: list[str] | None) -> int:
    from pathlib import Path

    from scsim.analysis.sweep_compare import compare_sweeps
    from scsim.errors import ScsimInputError

    if len(args.folders) != 2:
        raise ScsimInputError("compare: sweep folders are compared two at a time")
    cmp = compare_sweeps(args.folders[0], args.folders[1], labels)
    print(cmp.to_json() if args.json else cmp.to_text())
    if args.html:
        from scsim.analysis.report import write_page
        from scsim.analysis.report.sweep_compare_page import render_sweep_compare

        out = Path(args.html)
        write_page(out, render_sweep_compare(cmp))
        if not args.json:
            print(f"comparison: {out}")
    return 0
