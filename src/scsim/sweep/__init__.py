"""Sweeps: replicates and parameter designs over a scenario, on local processes or Ray.

    >>> from scsim.sweep import make_plan, run_sweep, load_sweep
    >>> plan = make_plan("points-city", sets=["restoration.appeals.file_prob=0.05,0.5"],
    ...                  replicates=10)
    >>> run_sweep(plan, "runs/appeals", workers=2)
    >>> load_sweep("runs/appeals").bands("sanctions_wrongful_denials")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["make_plan", "run_sweep", "load_sweep", "is_sweep_folder", "SweepResults"]

if TYPE_CHECKING:
    from scsim.sweep.driver import make_plan, run_sweep
    from scsim.sweep.load import SweepResults, load_sweep
    from scsim.sweep.store import is_sweep_folder

_WHERE = {"make_plan": "driver", "run_sweep": "driver", "load_sweep": "load",
          "SweepResults": "load", "is_sweep_folder": "store"}


def __getattr__(name: str) -> Any:
    # Lazy, so that importing scsim.sweep pulls in neither pandas nor DuckDB.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"scsim.sweep.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'scsim.sweep' has no attribute {name!r}")
