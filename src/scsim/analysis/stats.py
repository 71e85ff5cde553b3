"""Means and 95 % confidence intervals over replicates (Student t; Welch for differences).

Small and exact enough for a report: the t quantiles come from a table (df 1 to 30) and an
approximation above, so that scsim needs no SciPy at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t975(df: float) -> float:
    """Two-sided 95 % Student t quantile (error below 0.002 for df > 30)."""
    if df < 1:
        return math.inf
    if df <= 30:
        return T975[int(math.floor(df)) - 1]
    return 1.96 + 2.5 / df


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
