"""The comparison page: headline differences, every figure side by side, the charts of all
arms drawn together, each arm's audit and the scenario keys that differ."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from scsim.analysis.compare import Comparison
from scsim.analysis.format import fmt_diff, fmt_value
from scsim.analysis.headline import HEADLINES
from scsim.analysis.metrics import ordered_keys
from scsim.analysis.metrics.base import REGISTRY, Chart, Series
from scsim.analysis.report import html, run_audit


def render_compare(cmp: Comparison) -> str:
    labels = [a.label for a in cmp.arms]
    title = "scsim compare: " + " vs ".join(labels)
    meta = [f"{a.label}: {a.path}" + (f" ({len(a.runs)} replicates)" if len(a.runs) > 1 else "")
            for a in cmp.arms]
    charts: dict[str, Any] = {}
    body = [_headline(cmp), _figures(cmp)]
    nav = [("headline", "Headline differences"), ("figures", "All figures")]
    for key in ordered_keys():
        d = REGISTRY[key]
        merged = merge_charts(cmp, key)
        if merged:
            figs = "".join(html.chart_figure(c, charts) for c in merged)
            body.append(f'<section id="c-{key}" data-metric="{key}"><h2>{escape(d.title)}</h2>'
                        f'<p class="q">{escape(d.question)}</p><div class="charts">{figs}</div>'
                        "</section>")
            nav.append((f"c-{key}", d.title))
    body.append(_audits(cmp))
    body.append(_scenario_diff(cmp))
    nav += [("audit", "Audit"), ("scenario", "Scenario differences")]
    note = ("Differences are each arm minus the first. Where an arm holds replicates, values "
            "are means with 95 % confidence intervals, and charts show its first replicate.")
    return html.page(title, html.header(title, note, meta), nav, "\n".join(body), charts)


TITLES = {
    "wrongful.one_in_n": "1 in N sanctions rested on a wrong record",
    "disparity.max_ratio": "ratio of sanction rates between groups of individuals",
    "punished.harmless_share": "share of points deducted for conduct that harms no one",
    "access.travel_denials": "travel denials",
    "restoration.median_days": "median time on a black list",
    "due_process.uncorrected_share": "wrongful listings that ended without an appeal",
}


def _headline(cmp: Comparison) -> str:
    cards = []
    for key, text, _ in HEADLINES:
        r = cmp.row(key)
        if r is None:
            continue
        text = TITLES.get(key, text)
        vs = "".join(f'<span class="who">{escape(a.label)}</span><span>'
                     f"{escape(_ci(m, c, r.fmt))}</span>"
                     for a, m, c in zip(cmp.arms, r.means, r.cis, strict=True))
        diffs = "; ".join(_diff_html(r, i) for i in range(1, len(cmp.arms)))
        cards.append(f'<div class="card" data-figure="{escape(key)}" '
                     f"data-values='{escape(json.dumps(r.means))}'>"
                     f'<div class="text">{escape(text)}</div><div class="vs">{vs}</div>'
                     f'<div class="diff">difference: {diffs}</div></div>')
    return (f'<section id="headline"><h2>Headline differences</h2><p class="q">The headline '
            f'figures of each arm, and how far each lies from the first.</p>'
            f'<div class="cards">{"".join(cards)}</div></section>')


def _diff_html(r, i: int) -> str:
    """A difference with its factor, green when it goes the less harmful way."""
    d, a, b = r.diffs[i], r.means[0], r.means[i]
    text = _ci(d, r.diff_cis[i], r.fmt, diff=True)
    if a and b and a > 0 and b > 0:
        text += f" (×{b / a:.3g})"
    cls = ""
    if d and r.better:
        cls = "pos" if (d < 0) == (r.better == "lower") else "neg"
    return f'<span class="{cls}">{escape(text)}</span>' if cls else escape(text)


def _ci(v: float | None, ci: float | None, fmt: str, diff: bool = False) -> str:
    s = fmt_diff(v, fmt) if diff else fmt_value(v, fmt)
    if ci is not None and v is not None:
        s += " ± " + fmt_diff(ci, fmt).lstrip("+−±")
    return s


def _figures(cmp: Comparison) -> str:
    head = ("<tr><th>figure</th>" + "".join(f'<th class="num">{escape(a.label)}</th>'
                                            for a in cmp.arms)
            + "".join(f'<th class="num">{escape(a.label)} − {escape(cmp.arms[0].label)}</th>'
                      for a in cmp.arms[1:]) + "</tr>")
    rows = []
    current = None
    for r in cmp.rows:
        if r.metric != current:
            current = r.metric
            title = REGISTRY[r.metric].title if r.metric in REGISTRY else r.metric
            rows.append(f'<tr><td colspan="{2 * len(cmp.arms)}"><strong>{escape(title)}'
                        "</strong></td></tr>")
        cells = "".join(f'<td class="num">{escape(_ci(m, c, r.fmt))}</td>'
                        for m, c in zip(r.means, r.cis, strict=True))
        cells += "".join(f'<td class="num">{escape(_ci(d, c, r.fmt, diff=True))}</td>'
                         for d, c in zip(r.diffs[1:], r.diff_cis[1:], strict=True))
        rows.append(f'<tr data-figure="{escape(r.key)}" '
                    f"data-diffs='{escape(json.dumps(r.diffs[1:]))}'>"
                    f"<td>{escape(r.label)}</td>{cells}</tr>")
    return (f'<section id="figures"><h2>All figures</h2><p class="q">Every figure of every '
            f"metric, side by side.</p><table>{head}{''.join(rows)}</table></section>")


def merge_charts(cmp: Comparison, metric: str) -> list[Chart]:
    """Each chart of a metric with the series of every arm (first replicate) together."""
    per_arm: list[dict[str, Chart]] = []
    order: list[str] = []
    for a in cmp.arms:
        m = next((m for m in a.metrics[0] if m.key == metric), None)
        charts = {c.key: c for c in (m.charts if m and not m.absent else [])}
        per_arm.append(charts)
        order += [k for k in charts if k not in order]
    out = []
    for key in order:
        present = [(a, cs[key]) for a, cs in zip(cmp.arms, per_arm, strict=True) if key in cs]
        first = present[0][1]
        single = all(len(c.series) == 1 for _, c in present)
        if first.kind == "line":
            xs = max((c.x for _, c in present), key=len)
        else:
            xs = []
            for _, c in present:
                xs += [x for x in c.x if x not in xs]
        series = []
        for a, c in present:
            for s in c.series:
                if s.name == "equality" and series and any(t.name == "equality" for t in series):
                    continue
                by_x = dict(zip(c.x, s.values, strict=True))
                name = a.label if single else (s.name if s.name == "equality"
                                               else f"{a.label}: {s.name}")
                series.append(Series(name, [by_x.get(x) for x in xs]))
        out.append(Chart(key=f"cmp.{key}", title=first.title, kind=first.kind, x=list(xs),
                         series=series, x_label=first.x_label, y_label=first.y_label,
                         fmt=first.fmt, x_fmt=first.x_fmt, horizontal=first.horizontal,
                         stacked=False, marks=first.marks, note=first.note))
    return out


def _audits(cmp: Comparison) -> str:
    parts = []
    for a in cmp.arms:
        rep = run_audit(a.runs[0])
        if rep is None:
            parts.append(f"<h3>{escape(a.label)}</h3><p>scenario not readable</p>")
            continue
        c = rep.counts()
        rows = "".join(
            f'<tr><td><span class="badge {f.severity}">{f.severity}</span></td>'
            f"<td><code>{escape(f.rule)}</code></td><td>{escape(f.message)}</td></tr>"
            for f in rep.sorted())
        summary = ", ".join(f"{n} {s}" for s, n in c.items())
        parts.append(f"<details><summary>{escape(a.label)}: {len(rep.findings)} findings "
                     f"({summary})</summary><table>{rows}</table></details>")
    return (f'<section id="audit"><h2>Audit of each design</h2><p class="q">What '
            f"<code>scsim audit</code> finds in each arm's scenario.</p>{''.join(parts)}"
            "</section>")


def _flatten(node: Any, path: str = "") -> dict[str, str]:
    if isinstance(node, dict):
        out: dict[str, str] = {}
        for k, v in node.items():
            out.update(_flatten(v, f"{path}.{k}" if path else str(k)))
        return out
    return {path: json.dumps(node, ensure_ascii=False)}


def _scenario_diff(cmp: Comparison) -> str:
    flats = []
    for a in cmp.arms:
        raw = dict(a.runs[0].scenario_raw)
        raw.pop("meta", None)
        flats.append(_flatten(raw))
    keys = sorted(set().union(*flats))
    differ = [k for k in keys if len({f.get(k, "—") for f in flats}) > 1]
    head = "<tr><th>key</th>" + "".join(f"<th>{escape(a.label)}</th>" for a in cmp.arms) + "</tr>"
    rows = "".join("<tr><td><code>" + escape(k) + "</code></td>" + "".join(
        f"<td>{escape(f.get(k, '—'))}</td>" for f in flats) + "</tr>" for k in differ[:400])
    more = f"<p class='note-list'>and {len(differ) - 400} more</p>" if len(differ) > 400 else ""
    body = f"<table>{head}{rows}</table>{more}" if differ else "<p>The scenarios are the same.</p>"
    return (f'<section id="scenario"><h2>Scenario differences</h2><p class="q">'
            f"{len(differ)} keys of the resolved scenarios differ (meta left out).</p>"
            f"{body}</section>")
