"""Spill-over: sanctions for someone else's record (relatives, employees, a company's legal
representative). Read from any `*spillover*` column the run has."""

from __future__ import annotations

from scsim.analysis.metrics.base import Metric, add_figure, metric
from scsim.analysis.metrics.series import bar_chart, cell_label, daily_chart
from scsim.analysis.source import RunData

FRAGMENTS = ("spillover", "spill_over")


def _needs(run: RunData) -> str:
    return "" if run.columns_like("daily", *FRAGMENTS) else "no spill-over column in daily"


@metric("spillover", "Spill-over", "Who is sanctioned for someone else's record?", needs=_needs)
def spillover(run: RunData, m: Metric) -> None:
    cols = run.columns_like("daily", *FRAGMENTS)
    for col in cols:
        add_figure(run, m, col, col.replace("_", " "), f'select sum("{col}") from daily',
                   fmt="int")
    if "sanctions" in run.columns("daily"):
        main = next((c for c in cols if "sanction" in c), cols[0])
        add_figure(run, m, "share", f"{main.replace('_', ' ')} per sanction",
                   f'select sum("{main}")::double / nullif(sum(sanctions), 0) from daily',
                   fmt="pct")
    names = {c: c.replace("_", " ") for c in cols}
    sel = ", ".join(f'"{c}"' for c in cols)
    m.charts.append(daily_chart(run, "spillover.daily", "Spill-over per day",
                                f"select day, {sel} from daily", names, rolling=7))
    by_group = [c for c in cols if c in run.columns("daily_by_group")]
    if by_group:
        sums = ", ".join(f'sum("{c}") as "{c}"' for c in by_group)
        df = run.df(f'select kind::varchar as kind, "group", {sums} from daily_by_group '
                    "group by all order by kind, \"group\"")
        df["cell"] = [cell_label(k, g) for k, g in zip(df["kind"], df["group"], strict=True)]
        m.charts.append(bar_chart(df, "spillover.by_group", "Spill-over by group", "cell",
                                  {c: c.replace("_", " ") for c in by_group}, fmt="int"))
