"""Harm metrics computed from a run's result tables, one module per concept.

Add a metric: write `fn(run, m)` in a module here, decorate it with `@metric(key, title,
question, needs=...)`, import the module below and name it in ORDER (the order of the
report's sections); the report, `compare` and the plots pick it up.
"""

from __future__ import annotations

from scsim.analysis.metrics import (  # noqa: F401  (registers the metrics)
    access,
    chilling,
    disparity,
    due_process,
    punished,
    restoration,
    spillover,
    wrongful,
)
from scsim.analysis.metrics.base import REGISTRY, Chart, Figure, Metric, Table, compute

__all__ = ["ORDER", "REGISTRY", "Chart", "Figure", "Metric", "Table", "compute", "compute_all"]

ORDER = ("wrongful", "disparity", "punished", "chilling", "access", "due_process",
         "restoration", "spillover")


def ordered_keys() -> list[str]:
    return [k for k in ORDER if k in REGISTRY] + [k for k in REGISTRY if k not in ORDER]


def compute_all(run, keys: list[str] | None = None) -> list[Metric]:
    """Every registered metric (or those named) for one run, in report order."""
    return [compute(run, k) for k in (keys or ordered_keys())]
