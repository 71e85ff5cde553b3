"""`scsim report SWEEPDIR`: the design of a sweep, the replicate bands of its outcomes per
design point and daily band charts, as one self-contained HTML page (the run report's CSS and
chart script; no CDN)."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scsim.analysis.format import fmt_value
from scsim.analysis.metrics.base import Chart, Series
from scsim.analysis.report import html, write_page

if TYPE_CHECKING:
    from scsim.sweep.load import SweepResults

# Outcomes shown first (those the sweep holds), with their names in words.
HEADLINE = {
    "sanctions_wrongful_denials": "wrongful denials",
    "sanctions_denials": "denials",
    "sanctions_wrongful": "sanctions resting on a wrong record",
    "lists_blacklisted_final": "on a black list at the end",
    "lists_entries": "list entries",
    "lists_wrongful_entries": "wrongful list entries",
    "acts_wrongful": "wrong records",
    "appeals_upheld": "appeals upheld",
}
DAILY = {"blacklisted": "on a black list", "denials": "denials",
         "denials_wrongful": "wrongful denials"}
PER_CHART = 6  # design points drawn together in one band chart


def point_label(sw: SweepResults, point: int) -> str:
    row = sw.tables["points"].set_index("point").loc[point]
    parts = [f"{f}={_num(row[f])}" for f in sw.factors]
    return f"point {point}" + (f" ({', '.join(parts)})" if parts else "")


def cell(mean: float, lo: float, hi: float, attrs: str) -> str:
    """A mean with its 95 % interval, the exact values in data attributes."""
    text = fmt_value(mean, "num")
    if not math.isnan(lo):
        text += f" [{fmt_value(lo, 'num')}, {fmt_value(hi, 'num')}]"
    data = " ".join(f'data-{k}="{escape(_repr(v))}"' for k, v in
                    (("mean", mean), ("lo", lo), ("hi", hi)))
    return f'<td class="num" {attrs} {data}>{escape(text)}</td>'


def render_sweep(sw: SweepResults) -> str:
    """The sweep report as HTML text."""
    m = sw.manifest
    name = str(m.get("raw", {}).get("meta", {}).get("name", sw.path.name))
    title = f"scsim sweep report: {name}"
    n_points = len(sw.tables["points"])
    meta = [f"{n_points} design points", f"{m.get('replicates')} replicates each",
            f"{m.get('design')} design", f"{m.get('days')} days", f"base seed {m.get('base_seed')}",
            "common seeds" if m.get("common_seeds") else "", f"scsim {m.get('scsim_version')}"]
    sub = ("Each design point was run with several seeds. Values are the mean over the "
           "replicates with its 95 % confidence interval [low, high] (Student t).")
    charts: dict[str, Any] = {}
    body = [design_section(sw), outcomes_section(sw), daily_section(sw, charts)]
    nav = [("design", "Design"), ("outcomes", "Outcomes"), ("daily", "Daily bands")]
    return html.page(title, html.header(title, sub, meta), nav, "\n".join(body), charts,
                     note=html.SWEEP_NOTE)


def write_sweep_report(sw: SweepResults, out: str | Path | None = None) -> Path:
    """Write the sweep report; by default `report.html` inside the sweep folder."""
    path = Path(out) if out is not None else sw.path / "report.html"
    write_page(path, render_sweep(sw))
    return path


def design_section(sw: SweepResults) -> str:
    ex = sw.experiments
    head = "".join(f"<th>{escape(c)}</th>" for c in ["point", *sw.factors, "replicates", "seeds"])
    rows = []
    for p, g in ex.groupby("point", sort=True):
        first = g.iloc[0]
        cells = "".join(f'<td class="num">{escape(_num(first[f]))}</td>' for f in sw.factors)
        seeds = ", ".join(str(s) for s in g["seed"])
        rows.append(f'<tr data-point="{int(p)}"><td class="num">{int(p)}</td>{cells}'
                    f'<td class="num">{len(g)}</td><td><code>{escape(seeds)}</code></td></tr>')
    paths = "".join(f"<li><code>{escape(f['column'])}</code> = <code>{escape(f['path'])}</code>"
                    "</li>" for f in sw.manifest.get("factors", []))
    fixed = sw.manifest.get("fixed") or []
    fixed_html = ("<p class='note-list'>Set in every run: " + escape(", ".join(map(str, fixed)))
                  + "</p>" if fixed else "")
    return (f'<section id="design"><h2>Design</h2><p class="q">The inputs varied, and the '
            f"runs of each design point.</p><ul class='note-list'>{paths}</ul>{fixed_html}"
            f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>'
            f'{"".join(rows)}</tbody></table></div></section>')


def outcome_order(sw: SweepResults) -> list[str]:
    known = list(dict.fromkeys(sw.tables["outcome_bands"]["outcome"]))
    return [o for o in HEADLINE if o in known] + [o for o in known if o not in HEADLINE]


def outcomes_section(sw: SweepResults) -> str:
    b = sw.tables["outcome_bands"].set_index(["point", "outcome"])
    points = sorted(sw.tables["points"]["point"].tolist())
    order = outcome_order(sw)
    head = "<th>design point</th>" + "".join(
        f"<th class='num'>{escape(HEADLINE.get(o, o))}<div class='detail'>{escape(o)}</div></th>"
        for o in order if o in HEADLINE)
    rows = []
    for p in points:
        cells = "".join(_band_cell(b, p, o) for o in order if o in HEADLINE)
        rows.append(f"<tr><td>{escape(point_label(sw, p))}</td>{cells}</tr>")
    rest = [o for o in order if o not in HEADLINE]
    all_head = "<th>outcome</th>" + "".join(f"<th class='num'>point {p}</th>" for p in points)
    all_rows = "".join(f"<tr><td><code>{escape(o)}</code></td>"
                       + "".join(_band_cell(b, p, o) for p in points) + "</tr>" for o in rest)
    return (f'<section id="outcomes"><h2>Outcomes</h2><p class="q">What the scheme did at each '
            f"design point: mean over the replicates [95 % confidence interval].</p>"
            f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>'
            f'{"".join(rows)}</tbody></table></div><details><summary>Every other outcome'
            f'</summary><div class="table-wrap"><table><thead><tr>{all_head}</tr></thead><tbody>'
            f"{all_rows}</tbody></table></div></details></section>")


def daily_section(sw: SweepResults, charts: dict[str, Any]) -> str:
    if "daily_bands" not in sw.tables:
        return ('<section id="daily"><h2>Daily bands</h2><p class="q">The sweep kept no daily '
                "table (<code>--tables</code>).</p></section>")
    db = sw.tables["daily_bands"]
    points = sorted(sw.tables["points"]["point"].tolist())
    figs = []
    for col, words in DAILY.items():
        d = db[db["outcome"] == col]
        if d.empty:
            continue
        days = sorted(d["day"].unique().tolist())
        for start in range(0, len(points), PER_CHART):
            chunk = points[start:start + PER_CHART]
            series = []
            for p in chunk:
                s = d[d["point"] == p].set_index("day").reindex(days)
                series.append(Series(point_label(sw, p), s["mean"].tolist(),
                                     lo=s["ci_lo"].tolist(), hi=s["ci_hi"].tolist()))
            part = f" (points {chunk[0]}–{chunk[-1]})" if len(points) > PER_CHART else ""
            chart = Chart(key=f"sweep.{col}.{start}", title=f"{words} per day{part}",
                          kind="line", x=days, series=series, x_label="day", y_label=col,
                          note="Line: mean over the replicates; shaded: its 95 % confidence "
                               "interval.")
            figs.append(html.chart_figure(chart, charts))
    return (f'<section id="daily"><h2>Daily bands</h2><p class="q">How the scheme unfolded, '
            f'day by day, at each design point.</p><div class="charts">{"".join(figs)}</div>'
            "</section>")


def _band_cell(b: Any, p: int, o: str) -> str:
    try:
        r = b.loc[(p, o)]
    except KeyError:
        return "<td></td>"
    return cell(float(r["mean"]), float(r["ci_lo"]), float(r["ci_hi"]),
                f'data-point="{p}" data-outcome="{escape(o)}"')


def _repr(v: float) -> str:
    return "" if math.isnan(v) else repr(v)


def _num(v: Any) -> str:
    if hasattr(v, "item"):
        v = v.item()
    return f"{v:g}" if isinstance(v, float) else str(v)
