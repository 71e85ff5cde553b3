"""`scsim report DIR`: write one self-contained HTML report of a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write an offline HTML report of a results folder",
                       description="Write one self-contained HTML file (works offline) with "
                       "the harm metrics of a run, interactive charts, a headline panel, the "
                       "scenario's parameters and the audit of its design. Given a sweep folder "
                       "(`scsim sweep --out`): its design, the mean and 95 %% interval of each "
                       "outcome per design point, and daily band charts.")
    p.add_argument("folder", help="results folder (`scsim run --out`) or sweep folder "
                   "(`scsim sweep --out`)")
    p.add_argument("--out", help="HTML file to write (default: FOLDER/report.html)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    from scsim.analysis.headline import headlines
    from scsim.analysis.metrics import compute_all
    from scsim.analysis.report import write_report
    from scsim.analysis.source import RunData
    from scsim.errors import ScsimInputError
    from scsim.sweep.store import is_sweep_folder

    folder = Path(args.folder)
    if is_sweep_folder(folder):
        return _sweep(folder, args.out)
    if not (folder / "results.duckdb").is_file():
        why = "no results.duckdb nor sweep.json" if folder.is_dir() else "no such folder"
        raise ScsimInputError(f"{folder}: not a scsim results folder nor a sweep folder ({why})")
    run_data = RunData.from_folder(folder)
    try:
        metrics = compute_all(run_data)
        out = write_report(run_data, args.out, metrics=metrics)
        for h in headlines(metrics):
            print(f"  {h.big:>14}  {h.text}")
    finally:
        run_data.close()
    print(f"report: {out}")
    return 0


def _sweep(folder: Path, out: str | None) -> int:
    from scsim.analysis.report.sweep_page import write_sweep_report
    from scsim.sweep.load import load_sweep

    sw = load_sweep(folder)
    path = write_sweep_report(sw, out)
    print(f"sweep: {len(sw.tables['points'])} design points, "
          f"{len(sw.experiments)} runs")
    print(f"report: {path}")
    return 0
