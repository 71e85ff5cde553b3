"""Epstein (2002) civil violence, model 1, as Mesa 3.3.1's example runs it, compiled with numba.

`run_epstein(params, steps, seed)` returns per-step citizen counts; `EpsteinSim` exposes the
agent arrays for inspection. See docs/epstein.md.
"""

from scsim.epstein.params import EpsteinParamError, EpsteinParams
from scsim.epstein.sim import COUNTS_DTYPE, EpsteinSim, run_epstein

__all__ = ["COUNTS_DTYPE", "EpsteinParamError", "EpsteinParams", "EpsteinSim", "run_epstein"]
