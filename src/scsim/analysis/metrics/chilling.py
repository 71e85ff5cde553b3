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
    by_conduct = run.columns_like("daily_by_conduct", *FRAGMENTS)
    daily = run.columns_like("daily", *FRAGMENTS)
    if by_conduct:
        col = by_conduct[0]
        add_figure(run, m, "suppressed", "acts suppressed against the counterfactual",
                   f'select sum("{col}") from daily_by_conduct', fmt="int")
        add_figure(run, m, "suppressed_share",
                   "share of the counterfactual acts that were suppressed",
                   f'select sum("{col}")::double / nullif(sum("{col}") + sum(acts_true), 0) '
                   "from daily_by_conduct", fmt="pct")
        for cat in ("political", "religious"):
            add_figure(run, m, f"suppressed_share_{cat}",
                       f"share of counterfactual {cat} acts suppressed",
                       f'select sum("{col}")::double / nullif(sum("{col}") + sum(acts_true), 0)'
                       f" from daily_by_conduct where category = '{cat}'", fmt="pct")
        df = run.df(f'select category, sum("{col}") as suppressed, sum(acts_true) as done '
                    "from daily_by_conduct group by category")
        order = {c: i for i, c in enumerate(CATEGORIES)}
        df = df.sort_values("category", key=lambda s: s.map(order).fillna(99))
        df["share"] = df["suppressed"] / (df["suppressed"] + df["done"])
        m.charts.append(bar_chart(df, "chilling.by_category",
                                  "Share of counterfactual acts suppressed, by category",
                                  "category", {"share": "suppressed"}, fmt="pct",
                                  horizontal=False))
        per_day = run.df(f'select day, sum("{col}") as s from daily_by_conduct group by day')
        m.charts.append(daily_chart(run, "chilling.daily", "Acts suppressed per day", per_day,
                                    {"s": "suppressed acts"}, rolling=7))
    elif daily:
        col = daily[0]
        add_figure(run, m, "suppressed", "acts suppressed against the counterfactual",
                   f'select sum("{col}") from daily', fmt="int")
        add_figure(run, m, "suppressed_share",
                   "share of the counterfactual acts that were suppressed",
                   f'select sum("{col}")::double / nullif(sum("{col}") + sum(acts_true), 0) '
                   "from daily", fmt="pct")
        m.charts.append(daily_chart(run, "chilling.daily", "Acts suppressed per day",
                                    f'select day, "{col}" as s from daily',
                                    {"s": "suppressed acts"}, rolling=7))
