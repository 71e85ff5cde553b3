"""Figures for notebooks: the report's charts drawn with matplotlib.

Each function returns a `matplotlib.figure.Figure` built without pyplot (no global state,
no window, no `show()`); a notebook displays it, `fig.savefig(...)` writes it.

    >>> from scsim.analysis.plots import plot
    >>> fig = plot("runs/pc", "disparity")            # every chart of a metric
    >>> fig = plot(res, "restoration.survival")       # one chart (a `Results` works too)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from scsim.analysis.metrics.base import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7f7f7f",
          "#000000"]


def _figure(**kw: Any) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the installation
        from scsim.errors import ScsimInputError

        raise ScsimInputError("plots need matplotlib: pip install 'scsim[viz]'") from None
    return Figure(**kw)


def _formatter(fmt: str):
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    if fmt == "pct":
        return PercentFormatter(xmax=1.0, decimals=None)
    if fmt == "ratio":
        return FuncFormatter(lambda v, _: f"{v:g}×")
    return FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")


def draw_chart(chart: Chart, ax: Axes) -> Axes:
    """Draw one chart onto a matplotlib Axes."""
    visible = [s for s in chart.series]
    if chart.kind == "line":
        x = np.asarray(chart.x, dtype=float)
        for i, s in enumerate(visible):
            y = np.array([np.nan if v is None else v for v in s.values], dtype=float)
            ax.plot(x, y, color=COLORS[i % len(COLORS)], lw=1.6, label=s.name)
        ax.set_xlabel(chart.x_label)
        ax.set_ylabel(chart.y_label)
        ax.yaxis.set_major_formatter(_formatter(chart.fmt))
        if chart.x_fmt == "pct":
            ax.xaxis.set_major_formatter(_formatter("pct"))
        for y, label in chart.marks:
            ax.axhline(y, color="#b3261e", ls="--", lw=1.2, label=label)
    else:
        _bars(chart, ax)
    ax.set_title(chart.title, fontsize=11, loc="left")
    ax.grid(True, axis="x" if chart.horizontal and chart.kind == "bar" else "y", color="#e6e9ee")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(chart.series) > 1 or chart.marks:
        ax.legend(fontsize=8, frameon=False)
    return ax


def _bars(chart: Chart, ax: Axes) -> None:
    n, k = len(chart.x), len(chart.series)
    pos = np.arange(n)
    width = 0.8 if chart.stacked else 0.8 / max(k, 1)
    base = np.zeros(n)
    for i, s in enumerate(chart.series):
        v = np.array([0.0 if x is None else x for x in s.values], dtype=float)
        off = 0.0 if chart.stacked else (i - (k - 1) / 2) * width
        kw = dict(color=COLORS[i % len(COLORS)], label=s.name)
        if chart.horizontal:
            ax.barh(pos + off, v, height=width, left=base if chart.stacked else None, **kw)
        else:
            ax.bar(pos + off, v, width=width, bottom=base if chart.stacked else None, **kw)
        if chart.stacked:
            base = base + v
    if chart.horizontal:
        ax.set_yticks(pos, chart.x, fontsize=8)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(_formatter(chart.fmt))
        ax.set_xlabel(chart.y_label)
        for y, label in chart.marks:
            ax.axvline(y, color="#b3261e", ls="--", lw=1.2, label=label)
    else:
        ax.set_xticks(pos, chart.x, fontsize=8, rotation=30 if n > 6 else 0,
                      ha="right" if n > 6 else "center")
        ax.yaxis.set_major_formatter(_formatter(chart.fmt))
        ax.set_ylabel(chart.y_label)
        for y, label in chart.marks:
            ax.axhline(y, color="#b3261e", ls="--", lw=1.2, label=label)


def plot_chart(chart: Chart) -> Figure:
    """One chart as a figure of its own."""
    fig = _figure(figsize=(7.5, 4.2 if chart.kind == "line" or not chart.horizontal
                           else max(3.0, 0.3 * len(chart.x) + 1.2)), layout="constrained")
    draw_chart(chart, fig.add_subplot())
    return fig


def plot(source: Any, what: str) -> Figure:
    """A metric's charts (`what` = "disparity") or one chart ("disparity.ratios").

    `source`: a results folder, a `Results` (from `Sim.run()`) or a `RunData`.
    """
    from scsim.analysis.metrics import REGISTRY, compute
    from scsim.analysis.source import RunData

    metric = what.split(".")[0]
    if metric not in REGISTRY:
        raise KeyError(f"no metric {metric!r}; metrics: {', '.join(REGISTRY)}")
    m = compute(RunData.open(source), metric)
    if m.absent:
        raise ValueError(f"{metric}: {m.absent}")
    if "." in what:
        chart = next((c for c in m.charts if c.key == what), None)
        if chart is None:
            raise KeyError(f"no chart {what!r}; charts: {', '.join(c.key for c in m.charts)}")
        return plot_chart(chart)
    cols = 2 if len(m.charts) > 1 else 1
    rows = -(-len(m.charts) // cols)
    fig = _figure(figsize=(6.5 * cols, 4.2 * rows), layout="constrained")
    for i, c in enumerate(m.charts):
        draw_chart(c, fig.add_subplot(rows, cols, i + 1))
    fig.suptitle(m.title, fontsize=13, x=0.01, ha="left")
    return fig


def charts(source: Any, metric: str) -> list[Chart]:
    """The chart specs of a metric (to draw with another library)."""
    from scsim.analysis.metrics import compute
    from scsim.analysis.source import RunData

    return compute(RunData.open(source), metric).charts
