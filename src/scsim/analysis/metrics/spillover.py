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
    if run.has("spillover", "sanctions", "sanctions_wrongful"):
        add_figure(run, m, "wrongful", "spill-over sanctions resting on a wrong record",
                   "select coalesce(sum(sanctions_wrongful), 0) from spillover", fmt="int")
    if run.has("entities", "spillover_sanctions", "kind"):
        add_figure(run, m, "people", "individuals sanctioned for someone else's record",
                   "select count(*) filter (where spillover_sanctions > 0) from entities "
                   "where kind = 'individual'", fmt="int")
    total = run.scalar("select " + " + ".join(f'coalesce(sum("{c}"), 0)' for c in cols)
                       + " from daily")
    if not total:
        m.notes.append("Nothing spilled over in this run (no rule or mechanism of the scenario "
                       "reaches third parties).")
        return
    sums = run.df("select " + ", ".join(f'sum("{c}") as "{c}"' for c in cols) + " from daily")
    cols = [c for c in cols if (sums[c].iloc[0] or 0) > 0]  # the mechanisms that acted
    names = {c: c.replace("_", " ") for c in cols}
    sel = ", ".join(f'"{c}"' for c in cols)
    m.charts.append(daily_chart(run, "spillover.daily", "Spill-over, cumulative",
                                f"select day, {sel} from daily", names, cumulative=True,
                                fmt="int", y_label="count since day 0"))
    if run.has("daily_spillover", "rule", "form", "sanctions", "wrongful"):
        df = run.df("select rule || ' (' || form || ')' as rule, sum(sanctions) as s, "
                    "sum(wrongful) as w from daily_spillover group by all "
                    "having sum(sanctions) > 0 order by s desc")
        if len(df):
            m.charts.append(bar_chart(df, "spillover.by_rule", "Spill-over sanctions by rule",
                                      "rule", {"s": "sanctions", "w": "wrongful"}, fmt="int",
                                      horizontal=True))
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
        rates = ", ".join(f'1000.0 * sum("{c}") / max(entities) as "{c}"' for c in by_group)
        df = run.df(f'select kind::varchar as kind, "group", {rates} from daily_by_group '
                    "group by all having max(entities) > 0 order by kind, \"group\"")
        df = df[df[by_group].sum(axis=1) > 0]
        if len(df):
            df["cell"] = [cell_label(k, g) for k, g in zip(df["kind"], df["group"],
                                                           strict=True)]
            m.charts.append(bar_chart(df, "spillover.by_group", "Spill-over per 1,000 entities, "
                                      "by group", "cell",
                                      {c: c.replace("_", " ") for c in by_group},
                                      horizontal=True, y_label="per 1,000 entities over the run"))
