"""`scsim report DIR`: one self-contained HTML file with every metric of a run.

No CDN and no chart library to fetch: the charts are SVG drawn by a small script embedded in
the page (assets/charts.js), so the file opens offline and stays small (tens of kB plus the
data). A dependency such as Plotly would add megabytes of JavaScript to every report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scsim.analysis.report import html

if TYPE_CHECKING:
    from scsim.analysis.audit import AuditReport
    from scsim.analysis.metrics import Metric
    from scsim.analysis.source import RunData

REPORT_NAME = "report.html"


def run_audit(run: RunData) -> AuditReport | None:
    from scsim.analysis.audit import audit_scenario
    from scsim.scenario import Scenario

    sc = run.scenario
    if sc is None:
        return None
    return audit_scenario(Scenario(model=sc, origin=f"{run.label}/scenario.toml"))


def render_report(source: Any, label: str | None = None,
                  metrics: list[Metric] | None = None) -> str:
    """The report of one run (a results folder, a `Results` or a `RunData`) as HTML text."""
    from scsim.analysis.headline import headlines
    from scsim.analysis.metrics import compute_all
    from scsim.analysis.source import RunData

    run = RunData.open(source, label)
    if metrics is None:
        metrics = compute_all(run)
    s = run.summary
    pop = s.get("population", {})
    meta = [f"seed {s.get('seed')}", f"{s.get('days')} days",
            ", ".join(f"{v:,} {k}" for k, v in pop.items() if v),
            f"scsim {s.get('scsim_version', '?')}",
            f"run took {s['wall_seconds']:.1f} s" if "wall_seconds" in s else "",
            "entities table sampled" if s.get("entities_table", {}).get("sampled") else ""]
    name = str(s.get("scenario", run.label))
    desc = str(run.scenario_raw.get("meta", {}).get("description", ""))
    charts: dict[str, Any] = {}
    body = [html.headline_section(headlines(metrics))]
    body += [html.metric_section(m, charts) for m in metrics]
    body.append(html.audit_section(run_audit(run)))
    body.append(html.scenario_section(run.scenario_raw, run.scenario_toml))
    nav = [("headline", "Headline")] + [(f"m-{m.key}", m.title) for m in metrics
                                        if not m.absent]
    nav += [("audit", "Audit"), ("scenario", "Scenario")]
    return html.page(f"scsim report: {name}", html.header(f"scsim report: {name}", desc, meta),
                     nav, "\n".join(body), charts)


def write_report(source: Any, out: str | Path | None = None,
                 metrics: list[Metric] | None = None) -> Path:
    """Write the report; by default `report.html` inside the results folder."""
    from scsim.analysis.source import RunData

    run = RunData.open(source)
    if out is None:
        if run.path is None:
            raise ValueError("an in-memory run has no folder: give `out`")
        out = run.path / REPORT_NAME
    out = Path(out)
    write_page(out, render_report(run, metrics=metrics))
    return out


def write_page(out: Path, text: str) -> None:
    """Write an HTML file whole (a temporary sibling, renamed), or refuse the path clearly."""
    from scsim.errors import ScsimInputError

    if out.is_dir():
        raise ScsimInputError(f"--out {out}: is a folder; give a file name such as report.html")
    if not out.resolve().parent.is_dir():
        raise ScsimInputError(f"--out {out}: folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, "utf-8")
        tmp.replace(out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ScsimInputError(f"--out {out}: cannot write ({err.strerror})") from None
