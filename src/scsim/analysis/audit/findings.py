"""A finding of the audit: what, where (the rule's key path), how serious, on what basis."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("high", "medium", "low")  # high: exit status 1


@dataclass(frozen=True)
class Finding:
    severity: str  # one of SEVERITIES
    check: str  # the check that found it (protected-conduct, context, ...)
    rule: str  # key path of the rule in the scenario, e.g. scoring.points.protest
    message: str
    basis: str = ""  # the legal principle it fails


@dataclass
class AuditReport:
    scenario: str
    origin: str
    findings: list[Finding] = field(default_factory=list)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITIES.index(f.severity), f.check,
                                                    f.rule))

    def counts(self) -> dict[str, int]:
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    @property
    def has_highest(self) -> bool:
        return any(f.severity == SEVERITIES[0] for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "origin": self.origin, "counts": self.counts(),
                "exit_status": 1 if self.has_highest else 0,
                "findings": [asdict(f) for f in self.sorted()]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self, width: int = 100) -> str:
        import textwrap

        c = self.counts()
        head = (f"audit of {self.scenario} ({self.origin}): {len(self.findings)} findings: "
                + ", ".join(f"{c[s]} {s}" for s in SEVERITIES))
        lines = [head]
        for f in self.sorted():
            lines.append(f"{f.severity.upper():<7} {f.check:<18} {f.rule}")
            body = f.message + (f" [{f.basis}]" if f.basis else "")
            lines += textwrap.wrap(body, width=width, initial_indent=" " * 8,
                                   subsequent_indent=" " * 8)
        if not self.findings:
            lines.append("no findings")
        return "\n".join(lines)
