"""Harm metrics computed from a run's result tables, one module per concept.

Add a metric: write `fn(run, m)` in a module here, decorate it with `@metric(key, title,
question, needs=...)` and import the module below; the report, `compare` and the plots pick
it up. The import order is the order of the report's sections.
"""

from __future__ import annotations

from scsim.analysis.metrics import (  # noqa: F401  (registers the metrics)
    wrongful,
    disparity,
    punished,
    chilling,
    access,
    due_process,
    restoration,
    spillover,
)
from scsim.analysis.metrics.base import REGISTRY, Chart, Figure, Metric, Table, compute

__all__ = ["REGISTRY", "Chart", "Figure", "Metric", "Table", "compute", "compute_all"]


def compute_all(run, keys: list[str] | None = None) -> list[Metric]:
    """Every registered metric (or those named) for one run, in report order."""
    return [compute(run, k) for k in (keys or list(REGISTRY))]
