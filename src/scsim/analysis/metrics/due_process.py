"""Due process: appeals filed and upheld, and wrongful listings that no appeal corrected."""

from __future__ import annotations

from scsim.analysis.facts import black_lists
from scsim.analysis.metrics.base import Metric, add_figure, metric, needs_columns
from scsim.analysis.metrics.series import bar_chart, cell_label, daily_chart
from scsim.analysis.source import RunData


@metric("due_process", "Due process",
        "Can a wrongly recorded person get it corrected, and how often is it?",
        needs=needs_columns(("daily", ("appeals_filed", "appeals_upheld", "records_wrongful"))))
def due_process(run: RunData, m: Metric) -> None:
    add_figure(run, m, "appeals_filed", "appeals filed", "select sum(appeals_filed) from daily",
               fmt="int", better="")
    add_figure(run, m, "appeals_upheld", "appeals upheld",
               "select sum(appeals_upheld) from daily", fmt="int", better="higher")
    add_figure(run, m, "upheld_share", "share of appeals upheld",
               "select sum(appeals_upheld)::double / nullif(sum(appeals_filed), 0) from daily",
               fmt="pct", better="")
    add_figure(run, m, "upheld_per_wrong_record", "upheld appeals per wrong record (appeals "
               "of right records count too: it can pass 100 %)",
               "select sum(appeals_upheld)::double / nullif(sum(records_wrongful), 0) from daily",
               fmt="pct", better="higher")
    if run.has("list_events", "event", "reason", "wrongful"):
        add_figure(run, m, "uncorrected_share",
                   "of the wrongful listings that ended, the share not ended by an appeal",
                   "select count(*) filter (where reason <> 'appeal')::double / "
                   "nullif(count(*), 0) from list_events where event = 'exit' and wrongful",
                   fmt="pct", note="served their term, repaired or recovered instead")
        add_figure(run, m, "wrongful_exits", "wrongful listings that ended",
                   "select count(*) from list_events where event = 'exit' and wrongful",
                   fmt="int", better="")
    blacks = [b for b in black_lists(run) if run.has("entities", f"{b}_wrongful")]
    if blacks and run.has("entities", "denials_wrongful"):
        any_wrong = " or ".join(f'"{b}_wrongful"' for b in blacks)
        sampled = run.summary.get("entities_table", {}).get("sampled", False)
        add_figure(run, m, "wrongly_listed_at_end", "entities wrongfully on a black list at "
                   "the end" + (" (in the entities sample)" if sampled else ""),
                   f"select count(*) filter (where {any_wrong}) from entities", fmt="int")
        add_figure(run, m, "wrongly_denied_uncorrected", "entities wrongly denied a service "
                   "and still wrongfully listed at the end",
                   f"select count(*) filter (where denials_wrongful > 0 and ({any_wrong})) "
                   "from entities", fmt="int")
    m.charts.append(daily_chart(run, "due_process.daily", "Appeals per day",
                                "select day, appeals_filed, appeals_upheld, records_wrongful "
                                "from daily", {"appeals_filed": "filed",
                                               "appeals_upheld": "upheld",
                                               "records_wrongful": "wrong records"},
                                rolling=7))
    if run.has("list_events", "event", "reason", "wrongful"):
        df = run.df("select reason, count(*) as n from list_events where event = 'exit' and "
                    "wrongful group by reason order by n desc")
        if blacks and run.has("entities", "kind"):
            open_ = run.scalar("select count(*) from entities where " +
                               " or ".join(f'"{b}_wrongful"' for b in blacks))
            if open_:
                df.loc[len(df)] = ["still listed at the end", open_]
        if len(df):
            m.charts.append(bar_chart(df, "due_process.wrongful_exits",
                                      "How wrongful listings ended", "reason",
                                      {"n": "wrongful listings"}, fmt="int", horizontal=True))
    if run.has("daily_by_group", "appeals_filed", "appeals_upheld", "records_wrongful"):
        g = run.df('select kind::varchar as kind, "group", sum(appeals_filed) as filed, '
                   "sum(appeals_upheld) as upheld, sum(records_wrongful) as wrong "
                   "from daily_by_group group by all having sum(records) > 0 "
                   "order by kind, \"group\"")
        g["cell"] = [cell_label(k, gr) for k, gr in zip(g["kind"], g["group"], strict=True)]
        m.charts.append(bar_chart(g, "due_process.by_group", "Appeals and wrong records by group",
                                  "cell", {"wrong": "wrong records", "filed": "appeals filed",
                                           "upheld": "appeals upheld"}, fmt="int"))
