"""Chilling: acts not done because of the scheme, against the counterfactual without it.

Read from any `*suppressed*` / `*chill*` column the run has (the adaptive-conduct mechanisms
write them); runs without such a mechanism show the section as "not in this run".
"""

from __future__ import annotations

from scsim.analysis.facts import CATEGORIES
from scsim.analysis.metrics.base import Metric, add_figure, metric
from scsim.analysis.metrics.series import bar_chart, daily_chart
from scsim.analysis.source import RunData

FRAGMENTS = ("suppressed", "chill")


def _needs(run: RunData) -> str:
    if run.columns_like("daily", *FRAGMENTS) or run.columns_like("daily_by_conduct", *FRAGMENTS):
        return ""
    return "no suppressed-acts column: no adaptive conduct in this run"


@metric("chilling", "Chilling", "Which acts did people stop doing for fear of the score?",
        needs=_needs)
def chilling(run: RunData, m: Metric) -> None:
    table = "daily_by_conduct" if run.columns_like("daily_by_conduct", *FRAGMENTS) else "daily"
    col = run.columns_like(table, *FRAGMENTS)[0]
    # The counterfactual acts (same seed, no sanctions) when the run has them; else done +
    # suppressed, which ignores acts the scheme induced.
    cf = ("acts_counterfactual" if run.has(table, "acts_counterfactual")
          else f'"{col}" + acts_true')
    add_figure(run, m, "suppressed", "acts suppressed against the counterfactual",
               f'select sum("{col}") from {table}', fmt="int")
    add_figure(run, m, "suppressed_share", "share of the counterfactual acts that were suppressed",
               f'select sum("{col}")::double / nullif(sum({cf}), 0) from {table}', fmt="pct")
    if run.has(table, "acts_induced"):
        add_figure(run, m, "induced", "acts induced by the scheme (e.g. performative praise)",
                   f"select sum(acts_induced) from {table}", fmt="int")
    if table == "daily_by_conduct":
        for cat in ("political", "religious"):
            add_figure(run, m, f"suppressed_share_{cat}",
                       f"share of counterfactual {cat} acts suppressed",
                       f'select sum("{col}")::double / nullif(sum({cf}), 0) '
                       f"from daily_by_conduct where category = '{cat}'", fmt="pct")
        induced = ", sum(acts_induced) as induced" if run.has(table, "acts_induced") else ""
        df = run.df(f'select category, sum("{col}") as suppressed, sum({cf}) as cf{induced} '
                    "from daily_by_conduct group by category")
        order = {c: i for i, c in enumerate(CATEGORIES)}
        df = df.sort_values("category", key=lambda s: s.map(order).fillna(99))
        df["share"] = df["suppressed"] / df["cf"]
        m.charts.append(bar_chart(df, "chilling.by_category",
                                  "Share of counterfactual acts suppressed, by category",
                                  "category", {"share": "suppressed"}, fmt="pct",
                                  horizontal=False))
        per = run.df(f'select conduct, category, sum("{col}") as suppressed{induced} '
                     "from daily_by_conduct group by all order by suppressed desc limit 12")
        per = per[per.drop(columns=["conduct", "category"]).sum(axis=1) > 0]
        if len(per):
            per["label"] = [f"{c} ({k})" for c, k in zip(per["conduct"], per["category"],
                                                         strict=True)]
            names = {"suppressed": "suppressed"} | ({"induced": "induced"} if induced else {})
            m.charts.append(bar_chart(per, "chilling.by_conduct",
                                      "Acts suppressed and induced, by conduct", "label", names,
                                      fmt="int", horizontal=True))
    per_day = run.df(f'select day, sum("{col}") as s from {table} group by day')
    m.charts.append(daily_chart(run, "chilling.daily", "Acts suppressed per day", per_day,
                                {"s": "suppressed acts"}, rolling=7))
