"""HTML building blocks of the report and of the comparison page.

Every string from a run (names, descriptions, SQL) is escaped here; chart data goes into a
JSON block that the embedded script (assets/charts.js) draws, so the page works offline.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import Any

import pandas as pd

from scsim.analysis.format import fmt_value
from scsim.analysis.headline import Headline
from scsim.analysis.metrics.base import Chart, Figure, Metric, Table


def asset(name: str) -> str:
    return resources.files("scsim.analysis.report").joinpath("assets", name).read_text("utf-8")


RUN_NOTE = ('Each figure shows the SQL it comes from; run it with '
            '<code>scsim query DIR "SQL"</code>.')
SWEEP_NOTE = ("Figures are means over replicates with 95 % intervals, from the sweep's "
              "<code>outcomes</code> and <code>daily</code> tables.")


def page(title: str, header: str, nav: list[tuple[str, str]], body: str,
         charts: dict[str, Any], note: str = RUN_NOTE) -> str:
    data = json.dumps(charts, separators=(",", ":"), allow_nan=False)
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    links = "".join(f'<a href="#{escape(i)}">{escape(t)}</a>' for i, t in nav)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="scsim">
<title>{escape(title)}</title>
<style>
{asset("report.css")}
</style>
</head>
<body>
{header}
<nav class="toc" aria-label="sections"><div class="wrap">{links}</div></nav>
<main class="wrap">
{body}
</main>
<footer class="wrap">Made by scsim from synthetic data only: every person, company and act in
this report was drawn at random. {note}</footer>
<script type="application/json" id="scsim-charts">{data}</script>
<script>
{asset("charts.js")}
</script>
</body>
</html>
"""


def header(title: str, subtitle: str, meta: list[str]) -> str:
    spans = "".join(f"<span>{escape(m)}</span>" for m in meta if m)
    return (f'<header class="top"><div class="wrap"><h1>{escape(title)}</h1>'
            f'<p class="sub">{escape(subtitle)}</p><p class="meta">{spans}</p></div></header>')


def headline_section(items: list[Headline]) -> str:
    cards = []
    for h in items:
        value = "" if h.value is None else repr(h.value)
        cards.append(
            f'<div class="card{" alarm" if h.alarm else ""}" data-figure="{escape(h.key)}" '
            f'data-value="{escape(value)}"><div class="big">{escape(h.big)}</div>'
            f'<div class="text">{escape(h.text)}</div>'
            f'<div class="detail">{escape(h.detail)}</div></div>')
    return (f'<section id="headline"><h2>Headline</h2><p class="q">What the scheme did, and to '
            f'whom, in a few numbers.</p><div class="cards">{"".join(cards)}</div></section>')


def figures_table(figures: list[Figure]) -> str:
    rows = []
    for f in figures:
        value = "" if f.value is None else repr(f.value)
        note = f'<div class="detail">{escape(f.note)}</div>' if f.note else ""
        rows.append(
            f'<tr data-figure="{escape(f.key)}" data-value="{escape(value)}">'
            f"<td>{escape(f.label)}{note}</td>"
            f'<td class="num">{escape(fmt_value(f.value, f.fmt))}</td>'
            f"<td><details><summary>SQL</summary><pre>{escape(f.sql)}</pre></details></td></tr>")
    return f'<table class="figures">{"".join(rows)}</table>' if rows else ""


def chart_figure(chart: Chart, charts: dict[str, Any]) -> str:
    charts[chart.key] = chart.to_json()
    note = f'<p class="note">{escape(chart.note)}</p>' if chart.note else ""
    return (f'<figure class="chart" data-chart="{escape(chart.key)}">'
            f"<figcaption>{escape(chart.title)}</figcaption><div class=\"plot\"></div>{note}"
            "</figure>")


def table_html(t: Table) -> str:
    df = t.frame
    head = "".join(f'<th class="{_align(df[c])}">{escape(str(c))}</th>' for c in df.columns)
    rows = []
    for _, r in df.iterrows():
        flag = bool(t.flag_column and bool(r[t.flag_column]))
        cells = "".join(f'<td class="{_align(df[c])}">{_cell(r[c], t.fmts.get(c))}</td>'
                        for c in df.columns)
        cls = ' class="flag"' if flag else ""
        rows.append(f"<tr{cls}>{cells}</tr>")
    note = f'<p class="note-list">{escape(t.note)}</p>' if t.note else ""
    return (f'<h3>{escape(t.title)}</h3><div class="table-wrap"><table><thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>{note}')


def _align(col: pd.Series) -> str:
    return "num" if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(
        col) else ""


def _cell(v: Any, fmt: str | None) -> str:
    if isinstance(v, bool) or (hasattr(v, "dtype") and str(getattr(v, "dtype", "")) == "bool"):
        return '<span class="badge yes">yes</span>' if v else "no"
    if fmt is not None:
        try:
            return escape(fmt_value(None if pd.isna(v) else float(v), fmt))
        except (TypeError, ValueError):
            pass
    if isinstance(v, float):
        return escape(fmt_value(None if pd.isna(v) else v, "num"))
    return escape(str(v))


def metric_section(m: Metric, charts: dict[str, Any]) -> str:
    sid = f"m-{m.key}"
    if m.absent:
        return (f'<section id="{sid}" class="absent" data-metric="{escape(m.key)}">'
                f'<h2>{escape(m.title)}</h2><p class="q">{escape(m.absent)}</p></section>')
    figs = "".join(chart_figure(c, charts) for c in m.charts)
    tables = "".join(table_html(t) for t in m.tables)
    notes = "".join(f"<li>{escape(n)}</li>" for n in m.notes if n)
    return (f'<section id="{sid}" data-metric="{escape(m.key)}"><h2>{escape(m.title)}</h2>'
            f'<p class="q">{escape(m.question)}</p>{figures_table(m.figures)}'
            f'<div class="charts">{figs}</div>{tables}'
            f'{f"<ul class=note-list>{notes}</ul>" if notes else ""}</section>')


def audit_section(report: Any) -> str:
    if report is None:
        return ('<section id="audit"><h2>Audit</h2><p class="q">The scenario of this run could '
                "not be read by this version of scsim; run <code>scsim audit</code> on the "
                "scenario file.</p></section>")
    c = report.counts()
    rows = "".join(
        f'<tr data-severity="{f.severity}"><td><span class="badge {f.severity}">{f.severity}'
        f"</span></td><td>{escape(f.check)}</td><td><code>{escape(f.rule)}</code></td>"
        f'<td>{escape(f.message)}<div class="detail">{escape(f.basis)}</div></td></tr>'
        for f in report.sorted())
    summary = ", ".join(f"{n} {s}" for s, n in c.items())
    table = (f"<table><thead><tr><th>severity</th><th>check</th><th>rule</th><th>finding</th>"
             f"</tr></thead><tbody>{rows}</tbody></table>" if rows else "<p>No findings.</p>")
    return (f'<section id="audit"><h2>Audit of the design</h2><p class="q">Rules that score '
            f"protected conduct, sanction out of context or out of proportion, lack an appeal, "
            f"spill over onto others or restore without a stated condition "
            f"({len(report.findings)} findings: {summary}).</p>{table}</section>")


def scenario_section(raw: dict[str, Any], toml_text: str) -> str:
    parts = []
    pop = raw.get("population", {})
    run = raw.get("run", {})
    rows = [("days", run.get("days")), ("seed", run.get("seed"))] + [
        (k, pop.get(k)) for k in ("individuals", "companies", "governments", "organizations")]
    parts.append(_kv("Run and population", rows))
    groups = pop.get("groups", {})
    if groups:
        parts.append(_grid("Groups of individuals", ["group", "share", "urban", "religious",
                                                     "loyalty_mean", "income_shift"],
                           [[g, *(v.get(k) for k in ("share", "urban", "religious",
                                                     "loyalty_mean", "income_shift"))]
                            for g, v in groups.items()]))
    parts.append(_grid("Sources", ["source", "department", "coverage", "misattribution",
                                   "latency_days"],
                       [[n, s.get("department"), s.get("coverage"), s.get("misattribution"),
                         s.get("latency_days")] for n, s in raw.get("sources", {}).items()]))
    pts = raw.get("scoring", {}).get("points", {})
    parts.append(_grid("Conduct and points", ["conduct", "category", "rate / year", "source",
                                              "points"],
                       [[n, c.get("category"), c.get("rate"), c.get("source"),
                         pts.get(n, "")] for n, c in raw.get("conduct", {}).items()]))
    parts.append(_grid("Lists", ["list", "type", "entry", "duration", "repair", "shamed"],
                       [[n, lst.get("type"), _entry(lst), lst.get("duration_days", "none"),
                         _repair(lst.get("repair")), lst.get("shamed", False)]
                        for n, lst in raw.get("lists", {}).items()]))
    parts.append(_grid("Services", ["service", "context", "demand / year", "rules"],
                       [[n, s.get("context", ""), s.get("demand"), _rules(s.get("rules", []))]
                        for n, s in raw.get("services", {}).items()]))
    rest = raw.get("restoration", {})
    ap = rest.get("appeals", {})
    parts.append(_kv("Restoration", [("record expiry (days)",
                                      rest.get("record_expiry_days", "never"))]
                     + [(f"appeals: {k}", v) for k, v in ap.items()]))
    return (f'<section id="scenario"><h2>Scenario parameters</h2><p class="q">'
            f"{escape(str(raw.get('meta', {}).get('description', '')))}</p>"
            f'<div class="params">{"".join(parts)}</div>'
            f"<details><summary>scenario.toml (resolved: defaults, overrides and extends "
            f'applied)</summary><pre class="toml">{escape(toml_text)}</pre></details></section>')


def _kv(title: str, rows: list[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><td>{escape(str(k))}</td><td class=\"num\">{escape(_show(v))}</td></tr>"
                   for k, v in rows)
    return f"<div><h3>{escape(title)}</h3><table>{body}</table></div>"


def _grid(title: str, cols: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{escape(_show(v))}</td>" for v in r) + "</tr>"
                   for r in rows)
    return f"<div><h3>{escape(title)}</h3><table><tr>{head}</tr>{body}</table></div>"


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _entry(lst: dict[str, Any]) -> str:
    out = []
    if lst.get("score_below") is not None:
        out.append(f"score < {lst['score_below']:g}")
    if lst.get("score_at_least") is not None:
        out.append(f"score ≥ {lst['score_at_least']:g}")
    if lst.get("conduct"):
        out.append("record of " + ", ".join(lst["conduct"]))
    return "; ".join(out)


def _repair(rep: dict[str, Any] | None) -> str:
    if not rep:
        return "none"
    cond = rep.get("condition") or "no stated condition"
    return f"after {rep.get('min_days', 0)} days, {rep.get('daily_prob', 0):g}/day: {cond}"


def _rules(rules: list[dict[str, Any]]) -> str:
    out = []
    for r in rules:
        if r.get("list"):
            cond = f"on {r['list']}"
        elif r.get("tier_below"):
            cond = f"tier < {r['tier_below']}"
        else:
            cond = f"tier ≥ {r.get('tier_at_least')}"
        out.append(f"{cond} → {r.get('action')}")
    return "; ".join(out) or "none (everyone granted)"
