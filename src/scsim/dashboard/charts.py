"""The dashboard's charts: Bokeh figures over a run's result tables, a pinned run beside.

Each chart keeps named ColumnDataSources ("<chart>-current", "<chart>-pinned") whose data is
replaced when a run finishes, so the page updates in place (and a test can read the data).
The analysis package's report charts can replace these once it lands; the tables are the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, Legend
from bokeh.plotting import figure

CURRENT, PINNED = "#c0392b", "#7f8c8d"
SERIES = {  # chart -> (title, y label, daily column(s), smoothing window)
    "listed": ("On a blacklist", "entities", ["blacklisted"], 1),
    "sanctions": ("Sanctions a day (7-day mean)", "sanctions", ["sanctions"], 7),
    "wrongful": ("Sanctions resting on a wrong record (7-day mean)", "sanctions",
                 ["sanctions_wrongful"], 7),
    "wrong_records": ("Wrong records a day (7-day mean)", "records", ["records_wrongful"], 7),
}


def _line_data(res: Any, col: str, window: int) -> dict[str, list]:
    if res is None:
        return {"day": [], "value": []}
    d = res.to_df("daily")
    y = d[col].astype(float)
    if window > 1:
        y = y.rolling(window, min_periods=1).mean()
    return {"day": d["day"].tolist(), "value": y.round(3).tolist()}


def group_rates(res: Any) -> pd.DataFrame:
    """Sanctions and wrongful sanctions per 1,000 individuals of each group, over the run."""
    g = res.to_df("daily_by_group")
    g = g[g["kind"] == "individual"]
    agg = g.groupby("group", observed=True).agg(
        entities=("entities", "first"), sanctions=("sanctions", "sum"),
        wrongful=("sanctions_wrongful", "sum"))
    n = agg["entities"].where(agg["entities"] > 0, np.nan)
    return pd.DataFrame({"sanctions": 1000 * agg["sanctions"] / n,
                         "wrongful": 1000 * agg["wrongful"] / n}).fillna(0.0)


class Charts:
    """The figures and their sources; `update` draws a run and the pinned one."""

    def __init__(self) -> None:
        self.sources: dict[str, ColumnDataSource] = {}
        self.figures: dict[str, Any] = {}
        for key, (title, ylabel, _, _) in SERIES.items():
            fig = figure(title=title, height=230, sizing_mode="stretch_width",
                         x_axis_label="day", y_axis_label=ylabel, name=f"chart-{key}",
                         tools="pan,box_zoom,reset,save", toolbar_location="right")
            items = []
            for which, color, dash in (("pinned", PINNED, "dashed"),
                                       ("current", CURRENT, "solid")):
                src = ColumnDataSource({"day": [], "value": []}, name=f"{key}-{which}")
                r = fig.line("day", "value", source=src, line_width=2.2, color=color,
                             line_dash=dash)
                items.append((f"{which} run", [r]))
                self.sources[f"{key}-{which}"] = src
            fig.add_layout(Legend(items=items, orientation="horizontal",
                                  label_text_font_size="9pt", border_line_alpha=0,
                                  margin=0, padding=2), "above")
            fig.add_tools(HoverTool(tooltips=[("day", "@day"), ("value", "@value{0,0.0}")]))
            _style(fig)
            self.figures[key] = fig
        self.groups = ColumnDataSource({"group": [], "current": [], "pinned": [],
                                        "current_wrongful": [], "pinned_wrongful": []},
                                       name="groups-bars")
        fig = figure(title="Sanctions per 1,000 individuals, by group (hatched: on a wrong "
                     "record)", height=260, sizing_mode="stretch_width", x_range=[],
                     name="chart-groups", tools="save", toolbar_location="right")
        fig.vbar(x={"field": "group", "transform": _dodge(-0.18, fig)}, top="current",
                 width=0.32, source=self.groups, color=CURRENT, legend_label="current run")
        fig.vbar(x={"field": "group", "transform": _dodge(0.18, fig)}, top="pinned",
                 width=0.32, source=self.groups, color=PINNED, legend_label="pinned run")
        fig.vbar(x={"field": "group", "transform": _dodge(-0.18, fig)},
                 top="current_wrongful", width=0.32, source=self.groups, fill_alpha=0,
                 line_color="white", hatch_pattern="/", hatch_color="white")
        fig.vbar(x={"field": "group", "transform": _dodge(0.18, fig)}, top="pinned_wrongful",
                 width=0.32, source=self.groups, fill_alpha=0, line_color="white",
                 hatch_pattern="/", hatch_color="white")
        fig.y_range.start = 0
        fig.legend.location = "top_right"
        fig.legend.label_text_font_size = "9pt"
        _style(fig)
        self.figures["groups"] = fig

    def update(self, current: Any, pinned: Any) -> None:
        for key, (_, _, cols, window) in SERIES.items():
            self.sources[f"{key}-current"].data = _line_data(current, cols[0], window)
            self.sources[f"{key}-pinned"].data = _line_data(pinned, cols[0], window)
        frames = {w: group_rates(r) for w, r in (("current", current), ("pinned", pinned))
                  if r is not None}
        groups = sorted(set().union(*(f.index for f in frames.values()))) if frames else []
        data: dict[str, list] = {"group": groups}
        for which in ("current", "pinned"):
            f = frames.get(which)
            for col, name in (("sanctions", which), ("wrongful", f"{which}_wrongful")):
                data[name] = [float(f[col].get(g, 0.0)) if f is not None else 0.0
                              for g in groups]
        self.figures["groups"].x_range.factors = groups
        self.groups.data = data


def _dodge(value: float, fig: Any) -> Any:
    from bokeh.transform import dodge

    return dodge("group", value, range=fig.x_range).transform


def _style(fig: Any) -> None:
    fig.title.text_font_size = "11pt"
    fig.title.text_color = "#2c3e50"
    fig.outline_line_color = None
    fig.grid.grid_line_alpha = 0.4
    fig.toolbar.logo = None


HEADLINE_ROWS = (  # label, summary path, format
    ("entities", ("population",), "pop"),
    ("acts (true)", ("acts", "true"), "n"),
    ("wrong records", ("acts", "wrongful"), "n"),
    ("list entries", ("lists", "entries"), "n"),
    ("wrongful list entries", ("lists", "wrongful_entries"), "n"),
    ("listed at the end", ("lists", "blacklisted_final"), "n"),
    ("restorations", ("lists", "restorations"), "n"),
    ("denials", ("sanctions", "denials"), "n"),
    ("wrongful denials", ("sanctions", "wrongful_denials"), "n"),
    ("sanctions", ("sanctions", "all"), "n"),
    ("sanctions on a wrong record", ("sanctions", "wrongful"), "n"),
    ("perks", ("sanctions", "perks"), "n"),
    ("appeals upheld", ("appeals", "upheld"), "n"),
    ("mean score at the end", ("score", "mean_final"), "f"),
)


def headline(current: Any, pinned: Any) -> pd.DataFrame:
    """The summary figures side by side (rows: figures; columns: current, pinned)."""
    out: dict[str, list[str]] = {}
    for which, res in (("current run", current), ("pinned run", pinned)):
        if res is None:
            continue
        col = []
        for _, path, fmt in HEADLINE_ROWS:
            v: Any = res.summary
            for p in path:
                v = v[p]
            if fmt == "pop":
                v = sum(v.values())
            col.append("-" if v is None else (f"{v:,.1f}" if fmt == "f" else f"{int(v):,}"))
        out[which] = col
    return pd.DataFrame(out, index=[r[0] for r in HEADLINE_ROWS])
