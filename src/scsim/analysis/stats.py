"""Means and 95 % confidence intervals over replicates (Student t; Welch for differences).

The t quantile is computed here (numerically) so that scsim needs no SciPy at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def t975(df: float) -> float:
    """Two-sided 95 % Student t quantile for any df >= 1 (fractional for Welch).

    The density is integrated numerically (trapezoid, step 5e-4, to 15 > t975(1) = 12.71):
    exact to about 1e-6, with no SciPy at run time.
    """
    if not df >= 1:
        return math.inf
    if df > 1e6:
        return 1.959963984540054
    x = np.linspace(0.0, 15.0, 30001)
    logc = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    dens = np.exp(logc - (df + 1) / 2 * np.log1p(x * x / df))
    cdf = 0.5 + np.concatenate([[0.0], np.cumsum((dens[1:] + dens[:-1]) / 2) * (x[1] - x[0])])
    return float(np.interp(0.975, cdf, x))


def clean(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v)]


def mean_ci(values: Sequence[float | None]) -> tuple[float | None, float | None]:
    """(mean, half-width of the 95 % CI); half-width None with fewer than two values."""
    v = clean(values)
    if not v:
        return None, None
    m = sum(v) / len(v)
    if len(v) < 2:
        return m, None
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))
    return m, t975(len(v) - 1) * sd / math.sqrt(len(v))


def diff_ci(a: Sequence[float | None], b: Sequence[float | None]
            ) -> tuple[float | None, float | None]:
    """(mean of b - mean of a, Welch 95 % half-width or None)."""
    va, vb = clean(a), clean(b)
    if not va or not vb:
        return None, None
    ma, mb = sum(va) / len(va), sum(vb) / len(vb)
    d = mb - ma
    if len(va) < 2 or len(vb) < 2:
        return d, None
    sa = sum((x - ma) ** 2 for x in va) / (len(va) - 1) / len(va)
    sb = sum((x - mb) ** 2 for x in vb) / (len(vb) - 1) / len(vb)
    se = math.sqrt(sa + sb)
    if se == 0:
        return d, 0.0
    df = (sa + sb) ** 2 / (sa ** 2 / (len(va) - 1) + sb ** 2 / (len(vb) - 1))
    return d, t975(df) * se
