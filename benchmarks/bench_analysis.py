"""Benchmark: harm metrics, the report and a comparison on two results folders.

    scsim run points-city --individuals 1000000 --out runs/pc-1m
    scsim run rule-of-law --individuals 1000000 --out runs/rl-1m
    python benchmarks/bench_analysis.py runs/pc-1m runs/rl-1m

Prints seconds per stage. Goal (not asserted): a report of a 1,000,000-individual run in
under 10 s on a laptop core.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(a: str, b: str) -> None:
    from scsim.analysis.compare import compare
    from scsim.analysis.metrics import compute_all
    from scsim.analysis.report import render_report
    from scsim.analysis.report.compare_page import render_compare
    from scsim.analysis.source import RunData

    run = RunData.from_folder(Path(a))
    t0 = time.perf_counter()
    metrics = compute_all(run)
    t1 = time.perf_counter()
    page = render_report(run, metrics=metrics)
    t2 = time.perf_counter()
    cmp = compare([a, b])
    text = render_compare(cmp)
    t3 = time.perf_counter()
    print(f"metrics {t1 - t0:.2f} s, report {t2 - t1:.2f} s ({len(page) / 1e3:.0f} kB), "
          f"compare with its page {t3 - t2:.2f} s ({len(text) / 1e3:.0f} kB)")
    cmp.close()
    run.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
