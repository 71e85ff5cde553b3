"""Analysis of runs: harm metrics from the result tables, the HTML report, comparison of
runs, the design audit of a scenario and plots for notebooks.

    >>> from scsim.analysis import RunData, compute_all, audit
    >>> run = RunData.open("runs/pc")           # a results folder (or a Results object)
    >>> [f.key for m in compute_all(run) for f in m.figures]
"""

from __future__ import annotations

from typing import Any

__all__ = ["RunData", "compute_all", "audit", "write_report", "compare", "plot"]


def __getattr__(name: str) -> Any:
    # Lazy: importing scsim.analysis pulls in nothing heavy until a function is used.
    if name == "RunData":
        from scsim.analysis.source import RunData

        return RunData
    if name == "compute_all":
        from scsim.analysis.metrics import compute_all

        return compute_all
    if name == "audit":
        from scsim.analysis.audit import audit

        return audit
    if name == "write_report":
        from scsim.analysis.report import write_report

        return write_report
    if name == "compare":
        from scsim.analysis.compare import compare

        return compare
    if name == "plot":
        from scsim.analysis.plots import plot

        return plot
    raise AttributeError(f"module 'scsim.analysis' has no attribute {name!r}")
