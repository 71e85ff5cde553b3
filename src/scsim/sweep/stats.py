"""Replicate statistics: mean and 95 % intervals per design point, outcome and day.

Two intervals, because they answer different questions:
- `ci_lo`, `ci_hi`: the 95 % confidence interval of the mean over replicates (Student t),
  for comparing design points;
- `q025`, `q975`: the 2.5 % and 97.5 % quantiles of the replicates (linear interpolation),
  the band in which a single run falls, for showing what chance alone does.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Two-sided 95 % quantiles of Student's t, df = 1 .. 30.
_T975 = (12.7062047, 4.30265273, 3.18244631, 2.77644511, 2.57058184, 2.44691185, 2.36462425,
         2.30600414, 2.26215716, 2.22813885, 2.20098516, 2.17881283, 2.16036866, 2.14478669,
         2.13144955, 2.11990530, 2.10981558, 2.10092204, 2.09302405, 2.08596345, 2.07961384,
         2.07387307, 2.06865761, 2.06389856, 2.05953855, 2.05552944, 2.05183052, 2.04840714,
         2.04522964, 2.04227246)
_Z975 = 1.959963984540054


def t975(df: int | np.ndarray) -> np.ndarray:
    """The 97.5 % quantile of Student's t with `df` degrees of freedom (NaN for df < 1).

    Exact (table) up to 30, then the Cornish-Fisher series (error below 1e-6 beyond 30).
    """
    d = np.asarray(df, dtype=np.float64)
    out = np.full(d.shape, np.nan)
    table = np.asarray(_T975)
    small = (d >= 1) & (d <= 30)
    out[small] = table[d[small].astype(np.int64) - 1]
    big = d > 30
    z, n = _Z975, d[big]
    out[big] = (z + (z**3 + z) / (4 * n) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * n**2)
                + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * n**3)
                + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z)
                / (92160 * n**4))
    return out


def band_frame(long: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Group a long frame (keys..., outcome, value) into n, mean, sd and the two intervals."""
    g = long.groupby([*keys, "outcome"], sort=True, observed=True)["value"]
    out = g.agg(n="count", mean="mean", sd="std").reset_index()
    q = g.quantile([0.025, 0.975]).unstack()
    out["q025"] = q[0.025].to_numpy()
    out["q975"] = q[0.975].to_numpy()
    half = t975(out["n"].to_numpy() - 1) * out["sd"].to_numpy() / np.sqrt(out["n"].to_numpy())
    out["ci_lo"] = out["mean"] - half
    out["ci_hi"] = out["mean"] + half
    return out[[*keys, "outcome", "n", "mean", "sd", "ci_lo", "ci_hi", "q025", "q975"]]


def outcome_bands(outcomes: pd.DataFrame, experiments: pd.DataFrame) -> pd.DataFrame:
    """One row per (design point, outcome) over the replicates."""
    df = outcomes.merge(experiments[["run_id", "point"]], on="run_id")
    cols = [c for c in outcomes.columns if c != "run_id"]
    long = df.melt(id_vars=["point"], value_vars=cols, var_name="outcome", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce").astype(np.float64)
    return band_frame(long, ["point"])


def daily_bands(daily: pd.DataFrame, experiments: pd.DataFrame) -> pd.DataFrame:
    """One row per (design point, day, outcome) over the replicates."""
    df = daily.merge(experiments[["run_id", "point"]], on="run_id")
    cols = [c for c in daily.columns if c not in ("run_id", "day")]
    long = df.melt(id_vars=["point", "day"], value_vars=cols, var_name="outcome",
                   value_name="value")
    long["value"] = long["value"].astype(np.float64)
    return band_frame(long, ["point", "day"])


def interval_text(mean: float, lo: float, hi: float) -> str:
    if math.isnan(lo):
        return f"{mean:,.1f}"
    return f"{mean:,.1f} [{lo:,.1f}, {hi:,.1f}]"
