"""Access to services: who is denied travel and school places, how unequal perks and
sanctions are (Gini across individuals), and grant rates by group."""

from __future__ import annotations

import numpy as np

from scsim.analysis.facts import EDUCATION_CONTEXTS, TRAVEL_CONTEXTS, service_rows
from scsim.analysis.metrics.base import Chart, Metric, Series, add_figure, metric, needs_columns
from scsim.analysis.metrics.series import bar_chart, cell_label, daily_chart
from scsim.analysis.source import RunData, sql_values

BASIC_NEEDS = ("education", "health", "housing", "welfare")


def gini_sql(column: str) -> str:
    """Gini coefficient of a per-entity count across individuals (0 equal, 1 one has all)."""
    return f"""with s as (select {column}::double as x,
                                 row_number() over (order by {column}) as i,
                                 count(*) over () as n
                          from entities where kind = 'individual')
               select 2 * sum(i * x) / nullif(max(n) * sum(x), 0) - (max(n) + 1.0) / max(n)
               from s"""


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@metric("access", "Access to services",
        "Who is refused trains, flights and school places, and how unequal are perks?",
        needs=needs_columns(("daily_by_service", ("service", "requests", "denials",
                                                   "sanctions"))))
def access(run: RunData, m: Metric) -> None:
    sv = sql_values("sv", ["service", "context"], [(s, c) for s, c, _ in service_rows(run)])
    join = f"from daily_by_service join {sv} using (service)"
    add_figure(run, m, "travel_denials", "travel denials (trains, flights, travel abroad ...)",
               f"select coalesce(sum(denials), 0) {join} "
               f"where context in ({_in(TRAVEL_CONTEXTS)})", fmt="int")
    add_figure(run, m, "school_refusals", "school places refused",
               f"select coalesce(sum(denials), 0) {join} "
               f"where context in ({_in(EDUCATION_CONTEXTS)})", fmt="int")
    add_figure(run, m, "basic_needs_sanctions",
               "sanctions on basic needs (education, health, housing, welfare)",
               f"select coalesce(sum(sanctions), 0) {join} where context in ({_in(BASIC_NEEDS)})",
               fmt="int")
    add_figure(run, m, "grant_share", "share of requests granted",
               "select sum(grants)::double / nullif(sum(requests), 0) from daily_by_service",
               fmt="pct", better="higher")
    if run.has("entities", "perks", "sanctions", "kind"):
        add_figure(run, m, "gini_perks", "Gini of perks across individuals", gini_sql("perks"),
                   note="0: everyone gets the same; 1: one person gets every perk", better="")
        add_figure(run, m, "gini_sanctions", "Gini of sanctions across individuals",
                   gini_sql("sanctions"), better="")
        add_figure(run, m, "sanctioned_share", "share of individuals sanctioned at least once",
                   "select avg((sanctions > 0)::int) from entities where kind = 'individual'",
                   fmt="pct")
    df = run.df("select service, sum(requests) as requests, sum(denials) as denials, "
                "sum(sanctions) - sum(denials) as other, sum(perks) as perks "
                "from daily_by_service group by service order by denials desc, other desc, "
                "service")
    df = df[(df["denials"] + df["other"]) > 0]
    if len(df):
        m.charts.append(bar_chart(df, "access.by_service", "Sanctions by service", "service",
                                  {"denials": "denied", "other": "restricted, surcharged or "
                                   "delayed"}, fmt="int", horizontal=True, stacked=True))
    daily = run.df(f"""select day,
        sum(denials) filter (where context in ({_in(TRAVEL_CONTEXTS)})) as travel,
        sum(denials) filter (where context in ({_in(EDUCATION_CONTEXTS)})) as school
        {join} group by day""")
    m.charts.append(daily_chart(run, "access.daily", "Travel denials and school places refused, "
                                "cumulative", daily, {"travel": "travel denials",
                                                      "school": "school places refused"},
                                fmt="int", cumulative=True, y_label="count since day 0"))
    if run.has("entities", "perks", "sanctions", "kind"):
        m.charts.append(_lorenz(run))
    if run.has("daily_by_group", "grants", "requests"):
        g = run.df('select kind::varchar as kind, "group", sum(grants)::double / '
                   "nullif(sum(requests), 0) as granted, sum(perks)::double / "
                   "nullif(sum(requests), 0) as perks from daily_by_group group by all "
                   "having sum(requests) > 0 order by kind, \"group\"")
        g["cell"] = [cell_label(k, gr) for k, gr in zip(g["kind"], g["group"], strict=True)]
        m.charts.append(bar_chart(g, "access.by_group", "Requests granted and perks, by group",
                                  "cell", {"granted": "granted as asked", "perks": "with a perk"},
                                  fmt="pct"))


def _lorenz(run: RunData) -> Chart:
    """Lorenz curves of perks and sanctions across individuals, at 101 points."""
    x = np.linspace(0, 1, 101)
    series = [Series("equality", x.tolist())]
    for col, label in (("perks", "perks"), ("sanctions", "sanctions")):
        v = np.sort(run.df(f"select {col} from entities where kind = 'individual'")[col]
                    .to_numpy(dtype=float))
        total = v.sum()
        if v.size == 0 or total == 0:
            continue
        cum = np.concatenate([[0.0], np.cumsum(v)]) / total
        idx = np.round(x * v.size).astype(int)
        series.append(Series(label, cum[idx].tolist()))
    return Chart(key="access.lorenz", title="Who gets the perks and the sanctions (Lorenz curves)",
                 kind="line", x=[round(float(v), 2) for v in x], series=series,
                 x_label="share of individuals, fewest first", y_label="cumulative share",
                 fmt="pct", x_fmt="pct",
                 note="the further below the diagonal, the more concentrated")
