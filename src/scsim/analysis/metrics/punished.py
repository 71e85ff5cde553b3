"""What is punished: points, records and listings by conduct category.

A score mixes every category, so a single sanction cannot be traced to one category from
the tables; the section shows what feeds the score (points deducted by category), what puts
entities on lists (entries by cause) and, per service, which categories its rules rest on.
"""

from __future__ import annotations

import pandas as pd

from scsim.analysis.facts import CATEGORIES, HARMLESS_CATEGORIES, conduct_rows
from scsim.analysis.metrics.base import Metric, Table, add_figure, metric, needs_columns
from scsim.analysis.metrics.series import bar_chart, daily_chart
from scsim.analysis.source import RunData, sql_values

HARMLESS = ", ".join(f"'{c}'" for c in HARMLESS_CATEGORIES)


@metric("punished", "What is punished",
        "Which conduct costs points and lists entities: harm, or speech, worship and habits?",
        needs=needs_columns(("daily_by_conduct", ("conduct", "category", "points", "records"))))
def punished(run: RunData, m: Metric) -> None:
    add_figure(run, m, "harmless_share",
               "share of points deducted for conduct that harms no one (civic, political, "
               "religious, health)",
               "select coalesce(sum(-points) filter (where points < 0 and category in "
               f"({HARMLESS})), 0) / nullif(sum(-points) filter (where points < 0), 0) "
               "from daily_by_conduct",
               fmt="pct")
    add_figure(run, m, "political_religious_share",
               "share of points deducted for political or religious conduct",
               "select coalesce(sum(-points) filter (where points < 0 and category in "
               "('political', 'religious')), 0) / "
               "nullif(sum(-points) filter (where points < 0), 0) from daily_by_conduct",
               fmt="pct")
    add_figure(run, m, "points_deducted", "points deducted",
               "select sum(-points) filter (where points < 0) from daily_by_conduct", fmt="int",
               better="")
    add_figure(run, m, "political_awarded_share",
               "share of points awarded for political conduct (e.g. praising the government)",
               "select coalesce(sum(points) filter (where points > 0 and category = 'political')"
               ", 0) / nullif(sum(points) filter (where points > 0), 0) from daily_by_conduct",
               fmt="pct")

    cat = run.df("select category, sum(-points) filter (where points < 0) as deducted, "
                 "sum(points) filter (where points > 0) as awarded, "
                 "sum(records) filter (where points < 0) as neg_records "
                 "from daily_by_conduct group by category")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    cat = cat.sort_values("category", key=lambda s: s.map(order).fillna(99)).fillna(0)
    m.charts.append(bar_chart(cat, "punished.by_category", "Points by conduct category",
                              "category", {"deducted": "points deducted",
                                           "awarded": "points awarded"}, fmt="int",
                              horizontal=False))
    per = run.df("select conduct, category, sum(-points) as deducted, sum(records) as records "
                 "from daily_by_conduct where points < 0 group by all "
                 "order by deducted desc limit 15")
    if len(per):
        per["label"] = [f"{c} ({k})" for c, k in zip(per["conduct"], per["category"],
                                                     strict=True)]
        m.charts.append(bar_chart(per, "punished.by_conduct", "Points deducted by conduct",
                                  "label", {"deducted": "points deducted"}, fmt="int",
                                  horizontal=True))
    daily = run.df("select day, category, sum(-points) as d from daily_by_conduct "
                   "where points < 0 group by all")
    if len(daily):
        wide = daily.pivot(index="day", columns="category", values="d").reset_index()
        cats = [c for c in CATEGORIES if c in wide.columns]
        m.charts.append(daily_chart(run, "punished.daily", "Points deducted per day by category",
                                    wide, {c: c for c in cats}, rolling=7, fmt="int"))
    _list_entries(run, m)
    _services(run, m)


def _list_entries(run: RunData, m: Metric) -> None:
    if not run.has("list_events", "list", "event", "reason"):
        return
    trig = []
    cats = {c: k for c, k, *_ in conduct_rows(run)}
    for name, lst in run.scenario_raw.get("lists", {}).items():
        found = sorted({cats.get(c, "?") for c in lst.get("conduct", [])})
        trig.append((name, lst.get("type", ""), ", ".join(found) or "-"))
    lt = sql_values("lt", ["list", "type", "categories"], trig)
    df = run.df(f"""select case when reason = 'score' then 'score (every scored category)'
                           else 'conduct: ' || categories end as cause, count(*) as entries
                    from list_events join {lt} using (list)
                    where event = 'entry' and type = 'black' group by all order by entries desc""")
    if len(df):
        m.charts.append(bar_chart(df, "punished.list_entries", "Black-list entries by cause",
                                  "cause", {"entries": "entries"}, fmt="int", horizontal=True))


def _services(run: RunData, m: Metric) -> None:
    """Per service: sanctions and the categories its sanction rules can rest on."""
    raw = run.scenario_raw
    from scsim.scenario.schema import SANCTIONS

    rows = conduct_rows(run)
    negative = sorted({k for _, k, _, _, p in rows if p < 0})
    cats = {c: k for c, k, *_ in rows}
    lists = raw.get("lists", {})
    out = []
    for sname, svc in raw.get("services", {}).items():
        found: set[str] = set()
        for r in svc.get("rules", []):
            if r.get("action") not in SANCTIONS:
                continue
            lst = lists.get(r.get("list"), {}) if r.get("list") else None
            if lst is not None and lst.get("type") == "black":
                found |= {cats.get(c, "?") for c in lst.get("conduct", [])}
                if lst.get("score_below") is not None:
                    found |= set(negative)
            elif lst is None:
                found |= set(negative)
        out.append((sname, ", ".join(sorted(found)) or "-"))
    if not out or not run.has("daily_by_service", "sanctions"):
        return
    df = run.df("select service, sum(requests) as requests, sum(sanctions) as sanctions "
                "from daily_by_service group by service")
    df = df.merge(pd.DataFrame(out, columns=["service", "sanctions can rest on"]), on="service")
    df = df.sort_values(["sanctions", "service"], ascending=[False, True])
    m.tables.append(Table("punished.services", "Services: sanctions and what they rest on", df,
                          {"requests": "int", "sanctions": "int"},
                          note="categories whose records can trigger the service's sanction "
                               "rules (through a list or a tier)"))
