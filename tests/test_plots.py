"""Plot functions for notebooks: a matplotlib Figure per metric or chart, no pyplot state."""

from __future__ import annotations

import sys

import pytest

from conftest import need
from scsim.analysis.plots import charts, plot, plot_chart
from scsim.sim import Sim


@pytest.fixture(autouse=True)
def _matplotlib():
    need("matplotlib")  # the viz extra: skipped here when absent, a failure in CI


@pytest.fixture(scope="module")
def res(tiny):
    return Sim(tiny, days=40, individuals=1500).run()


@pytest.fixture(scope="module")
def tiny():
    from pathlib import Path

    return Path(__file__).parent / "data" / "tiny.toml"


def test_a_metric_is_one_figure_with_one_axes_per_chart(res):
    from matplotlib.figure import Figure

    for metric in ("wrongful", "disparity", "restoration"):
        fig = res.plot(metric)
        assert isinstance(fig, Figure)
        specs = charts(res, metric)
        assert len(fig.axes) == len(specs) > 0
        titles = [ax.get_title(loc="left") for ax in fig.axes]
        assert titles == [c.title for c in specs]
        for ax, c in zip(fig.axes, specs, strict=True):
            drawn = len(ax.lines) if c.kind == "line" else len(ax.patches)
            assert drawn >= len(c.series)  # every series is on the axes


def test_one_chart_and_no_pyplot(res):
    fig = plot(res, "disparity.ratios")
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Sanction rate relative to the least-sanctioned group"
    assert any(line.get_linestyle() == "--" for line in ax.lines)  # the four-fifths line
    spec = next(c for c in charts(res, "disparity") if c.key == "disparity.ratios")
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx(sorted(v for v in spec.series[0].values if v is not None))
    assert "matplotlib.pyplot" not in sys.modules or not __import__(
        "matplotlib.pyplot").pyplot.get_fignums()
    assert plot_chart(spec).axes


def test_bad_names(res):
    with pytest.raises(KeyError, match="no metric"):
        plot(res, "nope")
    with pytest.raises(KeyError, match="no chart"):
        plot(res, "wrongful.nope")
    with pytest.raises(ValueError, match="not in this run"):
        plot(res, "chilling")
