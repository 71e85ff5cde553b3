"""Wrong records and the decisions that rest on them, per day, service, group and kind."""

from __future__ import annotations

from scsim.analysis.facts import conduct_rows
from scsim.analysis.metrics.base import Metric, Table, add_figure, metric, needs_columns
from scsim.analysis.metrics.series import bar_chart, cell_label, daily_chart
from scsim.analysis.source import RunData, sql_values

DAILY = ("records", "records_wrongful", "sanctions", "sanctions_wrongful", "denials_wrongful",
         "list_entries", "list_entries_wrongful")


@metric("wrongful", "Wrong records, wrongful sanctions",
        "How many records name the wrong entity, and how many sanctions rest on them?",
        needs=needs_columns(("daily", DAILY)))
def wrongful(run: RunData, m: Metric) -> None:
    add_figure(run, m, "one_in_n", "1 in N sanctions rested on a wrong record",
               "select sum(sanctions)::double / nullif(sum(sanctions_wrongful), 0) from daily",
               fmt="one_in", better="higher",
               note="a sanction is wrongful when the true records would not have produced it")
    add_figure(run, m, "sanctions_wrongful", "wrongful sanctions",
               "select sum(sanctions_wrongful) from daily", fmt="int")
    add_figure(run, m, "sanctions_wrongful_share", "share of sanctions that were wrongful",
               "select sum(sanctions_wrongful)::double / nullif(sum(sanctions), 0) from daily",
               fmt="pct")
    add_figure(run, m, "denials_wrongful", "wrongful denials of a service",
               "select sum(denials_wrongful) from daily", fmt="int")
    add_figure(run, m, "records_wrongful", "wrong records",
               "select sum(records_wrongful) from daily", fmt="int")
    add_figure(run, m, "records_wrongful_share", "share of records that name the wrong entity",
               "select sum(records_wrongful)::double / nullif(sum(records), 0) from daily",
               fmt="pct")
    add_figure(run, m, "listings_wrongful", "wrongful list entries",
               "select sum(list_entries_wrongful) from daily", fmt="int")
    if run.has("daily", "perks_wrongful"):
        add_figure(run, m, "perks_wrongful", "perks given on a wrong record",
                   "select sum(perks_wrongful) from daily", fmt="int", better="")

    m.charts.append(daily_chart(
        run, "wrongful.cumulative", "Wrongful decisions, cumulative",
        "select day, sanctions_wrongful, denials_wrongful, list_entries_wrongful from daily",
        {"sanctions_wrongful": "wrongful sanctions", "denials_wrongful": "wrongful denials",
         "list_entries_wrongful": "wrongful list entries"}, fmt="int", cumulative=True,
        y_label="count since day 0"))
    _by_source(run, m)
    if run.has("daily_by_service", "sanctions_wrongful"):
        df = run.df("select service, sum(sanctions) as sanctions, sum(sanctions_wrongful) as "
                    "wrongful, sum(denials_wrongful) as denials_wrongful from daily_by_service "
                    "group by service order by wrongful desc, sanctions desc, service")
        df = df[df["wrongful"] > 0]
        if len(df):
            m.charts.append(bar_chart(df, "wrongful.by_service",
                                      "Wrongful sanctions by service", "service",
                                      {"wrongful": "wrongful sanctions",
                                       "denials_wrongful": "of which denials"}, fmt="int"))
    if run.has("daily_by_group", "records_wrongful", "sanctions_wrongful", "entities"):
        df = run.df(
            "select kind::varchar as kind, \"group\", max(entities) as entities, "
            "sum(records) as records, sum(records_wrongful) as records_wrongful, "
            "sum(sanctions) as sanctions, sum(sanctions_wrongful) as sanctions_wrongful "
            "from daily_by_group group by all having max(entities) > 0 order by kind, \"group\"")
        df["cell"] = [cell_label(k, g) for k, g in zip(df["kind"], df["group"], strict=True)]
        df["rec_rate"] = 1000 * df["records_wrongful"] / df["entities"]
        df["sanc_rate"] = 1000 * df["sanctions_wrongful"] / df["entities"]
        m.charts.append(bar_chart(df, "wrongful.by_group",
                                  "Wrong records and wrongful sanctions per 1,000 entities",
                                  "cell", {"rec_rate": "wrong records",
                                           "sanc_rate": "wrongful sanctions"},
                                  y_label="per 1,000 entities over the run"))
        kinds = run.df(
            "select kind::varchar as kind, sum(entities) filter (where day = 0) as entities, "
            "sum(records_wrongful) as records_wrongful, sum(sanctions) as sanctions, "
            "sum(sanctions_wrongful) as sanctions_wrongful from daily_by_group group by all "
            "having sum(entities) > 0 order by kind")
        kinds = kinds.rename(columns={"records_wrongful": "wrong records",
                                      "sanctions_wrongful": "wrongful sanctions"})
        m.tables.append(Table("wrongful.by_kind", "By entity kind", kinds,
                              {c: "int" for c in kinds.columns if c != "kind"}))


def _by_source(run: RunData, m: Metric) -> None:
    """Wrong records by cause (where the run's sensing says) and by source."""
    if run.has("wrongful_by_cause", "cause", "kind", "group", "records_wrongful",
               "sanctions_wrongful", "denials_wrongful", "list_entries_wrongful"):
        _causes(run, m)
    else:
        causes = [c for c in run.columns("daily") if c.startswith("records_wrongful_")]
        if causes:
            sums = ", ".join(f"sum({c}) as {c}" for c in causes)
            df = run.df(f"select {sums} from daily").T.reset_index()
            df.columns = ["cause", "records"]
            df["cause"] = df["cause"].str.removeprefix("records_wrongful_")
            m.charts.append(bar_chart(df, "wrongful.by_cause", "Wrong records by cause",
                                      "cause", {"records": "wrong records"}, fmt="int"))
        else:
            m.notes.append("This run's tables do not split wrong records by cause; they are "
                           "shown by the source that made them.")
    if run.has("records_by_source", "day", "source", "wrong"):
        df = run.df("select day, source, sum(wrong) as n from records_by_source group by all")
    elif run.has("daily_by_conduct", "records_wrongful") and conduct_rows(run):
        cs = sql_values("cs", ["conduct", "source"], [(c, s) for c, _, s, _, _ in
                                                      conduct_rows(run)])
        df = run.df(f"select day, source, sum(records_wrongful) as n from daily_by_conduct "
                    f"join {cs} using (conduct) group by all")
    else:
        return
    totals = df.groupby("source")["n"].sum().sort_values(ascending=False)
    top = [s for s in totals.index if totals[s] > 0][:6]
    if not top:
        return
    wide = df[df["source"].isin(top)].pivot_table(index="day", columns="source", values="n",
                                                  aggfunc="sum").reset_index()
    m.charts.append(daily_chart(run, "wrongful.by_source", "Wrong records per day by source",
                                wide, {s: s for s in top}, rolling=7,
                                note="records that name an entity other than the actor "
                                     "(the six sources with the most)"))


def _causes(run: RunData, m: Metric) -> None:
    """The surveillance tables: wrong records and wrongful decisions by cause and group."""
    df = run.df("select cause, sum(records_wrongful) as records, "
                "sum(sanctions_wrongful) as sanctions, sum(denials_wrongful) as denials, "
                "sum(list_entries_wrongful) as listings from wrongful_by_cause group by cause "
                "order by records desc, cause")
    df = df[df[["records", "sanctions", "denials", "listings"]].sum(axis=1) > 0]
    if df.empty:
        return
    m.charts.append(bar_chart(df, "wrongful.by_cause", "Wrong records by cause", "cause",
                              {"records": "wrong records"}, fmt="int", horizontal=True))
    m.charts.append(bar_chart(df, "wrongful.decisions_by_cause",
                              "Wrongful decisions by the cause of their wrong record", "cause",
                              {"sanctions": "sanctions", "denials": "denials",
                               "listings": "list entries"}, fmt="int", horizontal=True))
    m.tables.append(Table("wrongful.causes", "Wrongful, by cause of the wrong record", df,
                          {c: "int" for c in ("records", "sanctions", "denials", "listings")}))
    g = run.df("""select w.kind::varchar as kind, w."group", w.cause,
                         sum(w.records_wrongful) as n, max(e.entities) as entities
                  from wrongful_by_cause w join (select kind::varchar as kind, "group",
                       max(entities) as entities from daily_by_group group by all) e
                  on w.kind::varchar = e.kind and w."group" = e."group"
                  group by all having max(e.entities) > 0""")
    g = g[g["n"] > 0]
    if g.empty:
        return
    g["rate"] = 1000 * g["n"] / g["entities"]
    g["cell"] = [cell_label(k, gr) for k, gr in zip(g["kind"], g["group"], strict=True)]
    wide = g.pivot_table(index="cell", columns="cause", values="rate", aggfunc="sum")
    wide = wide.fillna(0).reset_index()
    causes = [c for c in df["cause"] if c in wide.columns]
    m.charts.append(bar_chart(wide, "wrongful.cause_by_group",
                              "Wrong records per 1,000 entities, by group and cause", "cell",
                              {c: c for c in causes}, horizontal=True, stacked=True,
                              y_label="per 1,000 entities over the run"))
