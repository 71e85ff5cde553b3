"""`scsim report DIR`: write one self-contained HTML report of a results folder."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write an offline HTML report of a results folder",
                       description="Write one self-contained HTML file (works offline) with "
                       "the harm metrics of a run, interactive charts, a headline panel, the "
                       "scenario's parameters and the audit of its design.")
    p.add_argument("folder", help="results folder written by `scsim run --out`")
    p.add_argument("--out", help="HTML file to write (default: FOLDER/report.html)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scsim.analysis.headline import headlines
    from scsim.analysis.metrics import compute_all
    from scsim.analysis.report import write_report
    from scsim.analysis.source import RunData

    run_data = RunData.from_folder(Path(args.folder))
    try:
        metrics = compute_all(run_data)
        out = write_report(run_data, args.out, metrics=metrics)
        for h in headlines(metrics):
            print(f"  {h.big:>14}  {h.text}")
    finally:
        run_data.close()
    print(f"report: {out}")
    return 0
