"""Sobol sensitivity indices of one outcome of a `--design sobol` sweep (SALib).

First-order (S1) and total (ST) indices per factor, with their 95 % bootstrap intervals,
computed on the mean over replicates at each design point. Factors are sampled on their
quantile scale (a range uniformly, levels with equal weight), so the indices are those of
that input distribution.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scsim.errors import ScsimInputError
from scsim.rng import stream_key
from scsim.sweep.design import sobol_problem
from scsim.sweep.factors import Factor
from scsim.sweep.load import SweepResults


def sobol_indices(sw: SweepResults, outcome: str, resamples: int = 200) -> pd.DataFrame:
    try:
        from SALib.analyze import sobol
    except ImportError:
        raise ScsimInputError("Sobol indices need SALib: pip install 'scsim[sensitivity]'") \
            from None
    m = sw.manifest
    if m["design"] != "sobol":
        raise ScsimInputError(f"{sw.path}: Sobol indices need a sweep run with --design sobol "
                              f"(this one is {m['design']})")
    bands = sw.bands(outcome).sort_values("point")
    y = bands["mean"].to_numpy(np.float64)
    factors = [Factor.from_json(f) for f in m["factors"]]
    si = sobol.analyze(sobol_problem(factors), y, calc_second_order=False,
                       num_resamples=resamples, print_to_console=False,
                       seed=int(stream_key(m["base_seed"], "sweep:sobol-bootstrap") % 2**32))
    return pd.DataFrame({"factor": [f.column for f in factors],
                         "path": [f.path for f in factors],
                         "S1": si["S1"], "S1_conf": si["S1_conf"],
                         "ST": si["ST"], "ST_conf": si["ST_conf"]})
