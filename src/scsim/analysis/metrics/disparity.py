"""Disparate impact: sanction rates between groups, raw and for equal true conduct.

The four-fifths rule (US EEOC, 29 CFR 1607.4(D)) marks a selection rate below 4/5 of the
most favoured group's. Applied here to an adverse outcome: groups are marked when the lower
sanction rate is below 4/5 of the higher (higher / lower above 1.25).

"For equal true conduct": individuals are grouped into strata by their true acts over the
run (entities.acts: every act, seen or not, right or wrong record), and each group's share
sanctioned is standardised to the whole population's mix of strata (direct standardisation).
A ratio that survives standardisation is not explained by how much people act.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scsim.analysis.metrics.base import Metric, Table, add_figure, metric, needs_columns
from scsim.analysis.metrics.series import bar_chart, cell_label, daily_chart
from scsim.analysis.source import RunData

FOUR_FIFTHS = 1.25  # higher / lower rate above this fails the four-fifths rule
STRATUM_ACTS = 5  # width of an acts stratum
STRATA = 10  # strata 0..9 of width 5, and 10 for 50 acts or more

GROUP_RATES = """
with g as (select "group", sum(sanctions)::double / nullif(sum(requests), 0) as rate
           from daily_by_group where kind = 'individual' group by "group"
           having sum(requests) > 0)
"""

STANDARDISED = f"""
with e as (select "group", least(floor(acts / {STRATUM_ACTS}), {STRATA})::int as stratum,
                  (sanctions > 0)::int as hit
           from entities where kind = 'individual'),
w as (select stratum, count(*)::double / sum(count(*)) over () as w from e group by stratum),
r as (select "group", stratum, avg(hit) as rate from e group by all),
s as (select "group", sum(r.rate * w.w) / sum(w.w) as rate from r join w using (stratum)
      group by "group")
"""


@metric("disparity", "Disparate impact",
        "Are some groups sanctioned more often than others, and for the same conduct?",
        needs=needs_columns(("daily_by_group", ("kind", "group", "requests", "sanctions",
                                                 "entities"))))
def disparity(run: RunData, m: Metric) -> None:
    cells = run.df(
        'select kind::varchar as kind, "group", max(entities) as entities, '
        "sum(requests) as requests, sum(sanctions) as sanctions, "
        "sum(sanctions)::double / nullif(sum(requests), 0) as rate "
        "from daily_by_group group by all having sum(requests) > 0 order by kind, \"group\"")
    n_ind = int((cells["kind"] == "individual").sum())
    if n_ind >= 2:
        ind = cells[cells["kind"] == "individual"]
        hi, lo = ind.loc[ind["rate"].idxmax(), "group"], ind.loc[ind["rate"].idxmin(), "group"]
        add_figure(run, m, "max_ratio",
                   "highest ratio of sanction rates (per request) between groups of "
                   "individuals, higher / lower",
                   GROUP_RATES + "select max(rate) / nullif(min(rate), 0) from g",
                   fmt="ratio", note=f"{hi} vs {lo}")
    if n_ind >= 2 and run.has("entities", "acts", "sanctions", "group", "kind"):
        add_figure(run, m, "max_ratio_equal_conduct",
                   "the same ratio for equal true conduct (share sanctioned, standardised "
                   "on true acts)",
                   STANDARDISED + "select max(rate) / nullif(min(rate), 0) from s", fmt="ratio")
    cells["cell"] = [cell_label(k, g) for k, g in zip(cells["kind"], cells["group"], strict=True)]
    lowest = cells.groupby("kind")["rate"].transform(lambda r: r[r > 0].min())
    cells["ratio"] = cells["rate"] / lowest
    cells["four_fifths"] = cells["ratio"] > FOUR_FIFTHS
    cells["per_1000"] = 1000 * cells["rate"]
    m.charts.append(bar_chart(cells, "disparity.rates", "Sanctions per 1,000 requests by group",
                              "cell", {"per_1000": "sanctions per 1,000 requests"},
                              y_label="per 1,000 requests"))
    multi = cells[cells.groupby("kind")["group"].transform("size") > 1]
    if len(multi):
        m.charts.append(bar_chart(
            multi, "disparity.ratios", "Sanction rate relative to the least-sanctioned group",
            "cell", {"ratio": "rate / lowest rate of the same kind"}, fmt="ratio",
            marks=[(FOUR_FIFTHS, "four-fifths rule (1.25)")],
            note="above the line: the four-fifths rule marks disparate impact"))
    table = cells[["kind", "group", "entities", "requests", "sanctions", "per_1000", "ratio",
                   "four_fifths"]].rename(columns={"per_1000": "per 1,000 requests",
                                                   "ratio": "ratio to lowest",
                                                   "four_fifths": "four-fifths rule"})
    m.tables.append(Table("disparity.table", "Sanction rates by group", table,
                          {"entities": "int", "requests": "int", "sanctions": "int",
                           "per 1,000 requests": "num", "ratio to lowest": "ratio"},
                          flag_column="four-fifths rule"))
    if n_ind >= 2 and run.has("entities", "acts", "sanctions", "group", "kind"):
        _equal_conduct(run, m)
        _daily_by_group(run, m)


def _equal_conduct(run: RunData, m: Metric) -> None:
    df = run.df(f"""
        select "group", least(floor(acts / {STRATUM_ACTS}), {STRATA})::int as stratum,
               count(*) as n, avg((sanctions > 0)::int) as share
        from entities where kind = 'individual' group by all order by stratum, "group" """)
    groups = sorted(df["group"].unique())
    wide = df.pivot(index="stratum", columns="group", values="share").reindex(
        range(STRATA + 1))
    counts = df.pivot(index="stratum", columns="group", values="n").reindex(range(STRATA + 1))
    keep = counts.fillna(0).sum(axis=1) > 0
    wide, counts = wide[keep], counts[keep]
    labels = [f"{s * STRATUM_ACTS}+" if s == STRATA else
              f"{s * STRATUM_ACTS}-{s * STRATUM_ACTS + STRATUM_ACTS - 1}" for s in wide.index]
    frame = pd.DataFrame({"stratum": labels, **{g: wide[g].to_numpy() for g in groups}})
    m.charts.append(bar_chart(frame, "disparity.equal_conduct",
                              "Share of individuals sanctioned, by true acts over the run",
                              "stratum", {g: g for g in groups}, fmt="pct", horizontal=False,
                              y_label="sanctioned at least once",
                              note="true acts over the run (every act, seen or not), in strata "
                                   "of 5: groups compared at equal activity"))
    std = run.df(STANDARDISED + 'select "group", rate from s order by "group"')
    raw = run.df('select "group", count(*) as individuals, avg((sanctions > 0)::int) as raw '
                 "from entities where kind = 'individual' group by all")
    t = raw.merge(std, on="group").rename(columns={"raw": "share sanctioned",
                                                   "rate": "standardised share"})
    lo = t["standardised share"][t["standardised share"] > 0].min()
    t["ratio to lowest"] = t["standardised share"] / lo if np.isfinite(lo) else np.nan
    t["four-fifths rule"] = t["ratio to lowest"] > FOUR_FIFTHS
    m.tables.append(Table("disparity.equal_conduct", "Individuals: for equal true conduct", t,
                          {"individuals": "int", "share sanctioned": "pct",
                           "standardised share": "pct", "ratio to lowest": "ratio"},
                          flag_column="four-fifths rule",
                          note="shares of individuals with at least one sanction, standardised "
                               "to the whole population's distribution of true acts"))


def _daily_by_group(run: RunData, m: Metric) -> None:
    df = run.df("""select day, "group", sum(sanctions)::double / nullif(sum(requests), 0) * 1000
                   as r from daily_by_group where kind = 'individual' group by all""")
    wide = df.pivot(index="day", columns="group", values="r").reset_index()
    groups = [c for c in wide.columns if c != "day"]
    m.charts.append(daily_chart(run, "disparity.daily", "Individuals: sanctions per 1,000 "
                                "requests by group", wide, {g: g for g in groups}, rolling=7,
                                y_label="per 1,000 requests", fill=None))
