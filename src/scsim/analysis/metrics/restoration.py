"""Restoration: how long entities stay on black lists and how they get off.

Time on a list is a survival time: listings still open when the run ends are censored, so
the median and 90th percentile come from the Kaplan-Meier estimate, computed in SQL from
list_events (the k-th exit of an entity from a list ends its k-th entry).
"""

from __future__ import annotations

import numpy as np

from scsim.analysis.facts import black_lists
from scsim.analysis.metrics.base import Chart, Metric, Series, add_figure, metric, needs_columns
from scsim.analysis.metrics.series import bar_chart, daily_chart
from scsim.analysis.source import RunData


def spells_sql(lists: list[str]) -> str:
    """CTEs ending in `spells(list, d, ended)`: one row per listing, d its days on the list."""
    names = ", ".join("'" + n.replace("'", "''") + "'" for n in lists) or "null"
    return f"""with e as (select entity, list, day,
                      row_number() over (partition by entity, list order by day) as k
               from list_events where event = 'entry' and list in ({names})),
    x as (select entity, list, days_listed,
                 row_number() over (partition by entity, list order by day) as k
          from list_events where event = 'exit'),
    spells as (select e.list, coalesce(x.days_listed, (select count(*) from daily) - e.day) as d,
                      x.entity is not null as ended
               from e left join x using (entity, list, k))"""


def km_sql(lists: list[str], quantile: float) -> str:
    """Kaplan-Meier: the first time at which the share still listed falls to 1 - quantile."""
    return spells_sql(lists) + f""",
    t as (select d, count(*) filter (where ended) as ev, count(*) as n from spells group by d),
    r as (select d, ev, sum(n) over (order by d desc) as at_risk from t),
    s as (select d, exp(sum(ln(greatest(1 - ev / at_risk, 1e-300))) over (order by d)) as surv
          from r)
    select min(d) from s where surv <= {1 - quantile:g}"""


@metric("restoration", "Restoration",
        "How long do entities stay on a black list, and does everyone get off?",
        needs=needs_columns(("list_events", ("day", "entity", "list", "event", "reason",
                                              "days_listed"))))
def restoration(run: RunData, m: Metric) -> None:
    blacks = black_lists(run)
    if not blacks:
        m.absent = "not in this run (no black list)"
        return
    add_figure(run, m, "median_days", "median days on a black list (Kaplan-Meier)",
               km_sql(blacks, 0.5), fmt="days",
               note="empty when more than half are still listed at the end")
    add_figure(run, m, "p90_days", "90th percentile of days on a black list",
               km_sql(blacks, 0.9), fmt="days")
    add_figure(run, m, "still_listed_share", "share of black listings still open at the end",
               spells_sql(blacks) + " select avg((not ended)::int) from spells", fmt="pct")
    add_figure(run, m, "entries", "black-list entries",
               spells_sql(blacks) + " select count(*) from spells", fmt="int", better="")
    add_figure(run, m, "repaired_share", "share of ended black listings ended by a repair "
               "(credit restoration)",
               "select avg((reason = 'repair')::int) from list_events where event = 'exit' and "
               f"list in ({', '.join(repr(b) for b in blacks)})", fmt="pct", better="")
    for b in blacks:
        add_figure(run, m, f"median_days_{b}", f"median days on {b}", km_sql([b], 0.5),
                   fmt="days")
    m.charts.append(_survival(run, blacks))
    ex = run.df("select list, reason, count(*) as n from list_events where event = 'exit' "
                "group by all order by list, reason")
    if len(ex):
        wide = ex.pivot(index="list", columns="reason", values="n").fillna(0).reset_index()
        reasons = [c for c in wide.columns if c != "list"]
        m.charts.append(bar_chart(wide, "restoration.exits", "How listings ended", "list",
                                  {r: r for r in reasons}, fmt="int", horizontal=True,
                                  stacked=True))
    if run.has("daily", "blacklisted", "redlisted"):
        m.charts.append(daily_chart(run, "restoration.stock", "Entities on lists",
                                    "select day, blacklisted, redlisted from daily",
                                    {"blacklisted": "on a black list",
                                     "redlisted": "on a red list"}, fmt="int"))


def _survival(run: RunData, blacks: list[str]) -> Chart:
    """Share still listed after d days, per black list (Kaplan-Meier step function)."""
    df = run.df(spells_sql(blacks) + """,
        t as (select list, d, count(*) filter (where ended) as ev, count(*) as n
              from spells group by all),
        r as (select list, d, ev, sum(n) over (partition by list order by d desc) as at_risk
              from t)
        select list, d, exp(sum(ln(greatest(1 - ev / at_risk, 1e-300)))
                            over (partition by list order by d)) as surv from r""")
    days = np.arange(run.days + 1)
    series = []
    for b in blacks:
        sub = df[df["list"] == b].set_index("d")["surv"]
        if sub.empty:
            continue
        s = sub.reindex(days).ffill().fillna(1.0)
        s[days > sub.index.max()] = np.nan  # no estimate past the longest spell
        series.append(Series(b, [None if np.isnan(v) else float(v) for v in s.to_numpy()]))
    return Chart(key="restoration.survival", title="Share still listed after a number of days",
                 kind="line", x=days.tolist(), series=series, x_label="days on the list",
                 y_label="still listed", fmt="pct",
                 note="Kaplan-Meier estimate; listings open at the end are censored")
