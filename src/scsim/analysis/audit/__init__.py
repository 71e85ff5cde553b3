"""`scsim audit`: reads a scenario (no run) and lists the rules that fail design principles.

Each finding names the rule (its key path), a severity (high, medium, low) and the
principle: GDPR Art. 9 (special categories), EU AI Act Art. 5(1)(c) (social scoring:
unrelated context, disproportion), fair hearing, spill-over, restoration.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scsim.analysis.audit.checks import CHECKS
from scsim.analysis.audit.findings import SEVERITIES, AuditReport, Finding

if TYPE_CHECKING:
    from scsim.scenario import Scenario

__all__ = ["SEVERITIES", "AuditReport", "Finding", "audit", "audit_scenario"]


def audit_scenario(scenario: Scenario) -> AuditReport:
    sc = scenario.model
    dump = sc.model_dump(mode="json")
    report = AuditReport(scenario=sc.meta.name, origin=scenario.origin)
    seen = set()
    for check in CHECKS:
        for f in check(sc, dump):
            if f not in seen:
                seen.add(f)
                report.findings.append(f)
    return report


def audit(spec: str | Path, sets: list[str] | None = None) -> AuditReport:
    """Audit a preset name, a TOML file or a results folder (its scenario.toml)."""
    from scsim.scenario import load_scenario

    path = Path(spec)
    if path.is_dir() and (path / "scenario.toml").is_file():
        path = path / "scenario.toml"
        spec = path
    return audit_scenario(load_scenario(spec, sets=sets))
