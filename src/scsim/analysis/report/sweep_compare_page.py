"""The HTML page of `scsim compare SWEEP1 SWEEP2 --html`: one table per matching design point,
each outcome's mean [± 95 % half-width] in both, and the difference with its Welch interval."""

from __future__ import annotations

import json
from html import escape

from scsim.analysis.format import fmt_diff, fmt_value
from scsim.analysis.report import html
from scsim.analysis.report.sweep_page import HEADLINE
from scsim.analysis.sweep_compare import PointRow, SweepComparison, _ci, point_title


def render_sweep_compare(cmp: SweepComparison) -> str:
    """The comparison of two sweeps as HTML text."""
    a, b = (x.label for x in cmp.arms)
    title = f"scsim compare: {a} vs {b}"
    meta = [f"{x.label}: {x.path} ({len(x.points)} points, {len(x.values)} runs)"
            for x in cmp.arms]
    note = (f"Per design point with the same inputs: means over the replicates ± the half-width "
            f"of their 95 % confidence interval, and {b} − {a} ± its Welch 95 % half-width.")
    body, nav = [], []
    for i, r in enumerate(cmp.rows):
        body.append(_point(r, i, a, b))
        nav.append((f"p-{i}", point_title(r).split(" (")[0]))
    if cmp.unmatched:
        items = "".join(f"<li>{escape(u)}</li>" for u in cmp.unmatched)
        body.append(f'<section id="unmatched"><h2>Not matched</h2><ul>{items}</ul></section>')
    return html.page(title, html.header(title, note, meta), nav[:30], "\n".join(body), {})


def _point(r: PointRow, i: int, a: str, b: str) -> str:
    order = sorted(r.outcomes, key=lambda o: (o.outcome not in HEADLINE,
                                             list(HEADLINE).index(o.outcome)
                                             if o.outcome in HEADLINE else 0))
    rows = []
    for o in order:
        cls = ""
        if o.diff and o.diff_ci is not None and abs(o.diff) > o.diff_ci:
            cls = ' class="flag"'
        rows.append(f'<tr{cls} data-outcome="{escape(o.outcome)}" '
                    f"data-values='{escape(json.dumps(o.means))}' "
                    f"data-diff='{escape(json.dumps(o.diff))}'>"
                    f"<td>{escape(HEADLINE.get(o.outcome, o.outcome))}</td>"
                    f'<td class="num">{escape(_ci(o.means[0], o.cis[0], fmt_value))}</td>'
                    f'<td class="num">{escape(_ci(o.means[1], o.cis[1], fmt_value))}</td>'
                    f'<td class="num">{escape(_ci(o.diff, o.diff_ci, fmt_diff))}</td></tr>')
    head = (f"<tr><th>outcome</th><th class='num'>{escape(a)}</th><th class='num'>{escape(b)}"
            f"</th><th class='num'>{escape(b)} − {escape(a)}</th></tr>")
    return (f'<section id="p-{i}"><h2>{escape(point_title(r))}</h2><p class="q">Highlighted: '
            f"the interval of the difference excludes zero.</p><div class=\"table-wrap\"><table>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div></section>")
