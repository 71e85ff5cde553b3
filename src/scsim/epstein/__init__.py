"""Epstein (2002) civil violence, model 1, as Mesa 3.3.1's example runs it, compiled with numba.

`run_epstein(params, steps, seed)` returns per-step citizen counts; `EpsteinSim` exposes the
agent arrays for inspection. See docs/epstein.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scsim.epstein.params import EpsteinParamError, EpsteinParams

if TYPE_CHECKING:
    from scsim.epstein.sim import COUNTS_DTYPE, EpsteinSim, run_epstein

__all__ = ["COUNTS_DTYPE", "EpsteinParamError", "EpsteinParams", "EpsteinSim", "run_epstein"]


def __getattr__(name: str) -> Any:
    # Lazy: importing the parameters (the CLI does, for --help) must not load Numba.
    if name in ("COUNTS_DTYPE", "EpsteinSim", "run_epstein"):
        from scsim.epstein import sim

        return getattr(sim, name)
    raise AttributeError(f"module 'scsim.epstein' has no attribute {name!r}")
