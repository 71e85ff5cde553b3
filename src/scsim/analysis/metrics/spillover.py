"""Spill-over: sanctions for someone else's record (a firm's listing reaching its legal
representative, relatives, employees) and credit cascades between firms. Read from any
`*spillover*` or `*cascade*` column of `daily`, and the `spillover` table where present."""

from __future__ import annotations

from scsim.analysis.metrics.base import Metric, add_figure, metric
from scsim.analysis.metrics.series import bar_chart, cell_label, daily_chart
from scsim.analysis.source import RunData

FRAGMENTS = ("spillover", "spill_over", "cascade")


def _needs(run: RunData) -> str:
    return "" if run.columns_like("daily", *FRAGMENTS) else "no spill-over column in daily"


@metric("spillover", "Spill-over", "Who is sanctioned for someone else's record?", needs=_needs)
def spillover(run: RunData, m: Metric) -> None:
    cols = run.columns_like("daily", *FRAGMENTS)
    for col in cols:
        add_figure(run, m, col, col.replace("_", " "), f'select sum("{col}") from daily',
                   fmt="int")
    main = next((c for c in cols if "sanction" in c), None)
    if main and "sanctions" in run.columns("daily"):
        add_figure(run, m, "share", f"{main.replace('_', ' ')} per sanction",
                   f'select sum("{main}")::double / nullif(sum(sanctions), 0) from daily',
                   fmt="pct")
    if run.has("spillover", "sanctions", "sanctions_wrongful"):
        add_figure(run, m, "wrongful", "spill-over sanctions resting on a wrong record",
                   "select coalesce(sum(sanctions_wrongful), 0) from spillover", fmt="int")
    total = run.scalar("select " + " + ".join(f'coalesce(sum("{c}"), 0)' for c in cols)
                       + " from daily")
    if not total:
        m.notes.append("Nothing spilled over in this run (no rule or mechanism of the scenario "
                       "reaches third parties).")
        return
    names = {c: c.replace("_", " ") for c in cols}
    sel = ", ".join(f'"{c}"' for c in cols)
    m.charts.append(daily_chart(run, "spillover.daily", "Spill-over, cumulative",
                                f"select day, {sel} from daily", names, cumulative=True,
                                fmt="int", y_label="count since day 0"))
    if run.has("spillover", "service", "list", "sanctions", "sanctions_wrongful"):
        df = run.df("select service || ' (' || list || ')' as rule, sum(sanctions) as s, "
                    "sum(sanctions_wrongful) as w from spillover group by all "
                    "having sum(sanctions) > 0 order by s desc")
        if len(df):
            m.charts.append(bar_chart(df, "spillover.by_service",
                                      "Spill-over sanctions by service (and the firm's list)",
                                      "rule", {"s": "sanctions", "w": "wrongful"}, fmt="int",
                                      horizontal=True))
    by_group = [c for c in cols if c in run.columns("daily_by_group")]
    if by_group:
        sums = ", ".join(f'sum("{c}") as "{c}"' for c in by_group)
        df = run.df(f'select kind::varchar as kind, "group", {sums} from daily_by_group '
                    "group by all order by kind, \"group\"")
        df = df[df[by_group].sum(axis=1) > 0]
        if len(df):
            df["cell"] = [cell_label(k, g) for k, g in zip(df["kind"], df["group"],
                                                           strict=True)]
            m.charts.append(bar_chart(df, "spillover.by_group", "Spill-over by group", "cell",
                                      {c: c.replace("_", " ") for c in by_group}, fmt="int",
                                      horizontal=True))
