"""Helpers that turn query results into chart series."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scsim.analysis.metrics.base import Chart, Series

if TYPE_CHECKING:
    from scsim.analysis.source import RunData


def daily_chart(run: RunData, key: str, title: str, data: str | pd.DataFrame,
                names: dict[str, str],
                *, fmt: str = "num", y_label: str = "", rolling: int = 1,
                cumulative: bool = False, note: str = "", fill: float | None = 0.0) -> Chart:
    """A line over days from `data`, a query or a frame with `day` and the columns named.

    Days without a row count as `fill` (0: the query counts things); None leaves gaps (rates).
    """
    df = (run.df(data) if isinstance(data, str) else data).sort_values("day")
    days = np.arange(run.days)
    df = df.set_index("day").reindex(days)
    series = []
    for col, label in names.items():
        v = df[col].astype(float)
        if fill is not None:
            v = v.fillna(fill)
        if cumulative:
            v = v.fillna(0).cumsum()
        elif rolling > 1:
            v = v.rolling(rolling, min_periods=1).mean()
        series.append(Series(label, _clean(v)))
    if rolling > 1 and not cumulative:
        title = f"{title} ({rolling}-day average)"
    return Chart(key=key, title=title, kind="line", x=days.tolist(), series=series,
                 x_label="day", y_label=y_label, fmt=fmt, note=note)


def bar_chart(df: pd.DataFrame, key: str, title: str, x: str, names: dict[str, str], *,
              fmt: str = "num", y_label: str = "", horizontal: bool | None = None,
              stacked: bool = False, marks: list[tuple[float, str]] | None = None,
              note: str = "") -> Chart:
    cats = [str(v) for v in df[x]]
    if horizontal is None:
        horizontal = len(cats) > 6 or max((len(c) for c in cats), default=0) > 12
    return Chart(key=key, title=title, kind="bar", x=cats,
                 series=[Series(label, _clean(df[col].astype(float)))
                         for col, label in names.items()],
                 y_label=y_label, fmt=fmt, horizontal=horizontal, stacked=stacked,
                 marks=marks or [], note=note)


def _clean(v: pd.Series) -> list[float | None]:
    return [None if not np.isfinite(x) else float(x) for x in v.to_numpy(dtype=float)]


def cell_label(kind: str, group: str) -> str:
    return f"{kind}: {group}"
