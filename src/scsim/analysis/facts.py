"""Scenario facts the metrics join on: which source and category a conduct has, which
context a service serves, which lists are black. Read from the run's resolved scenario.toml
(the raw table, so a scenario from a newer scsim with extra keys still reads)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scsim.analysis.source import RunData

HARMLESS_CATEGORIES = ("civic", "political", "religious", "health")  # harms no one else
CATEGORIES = ("harm", "financial", "civic", "political", "religious", "health", "prosocial",
              "environmental")
TRAVEL_CONTEXTS = ("transport",)
EDUCATION_CONTEXTS = ("education",)


def conduct_rows(run: RunData) -> list[tuple[str, str, str, str, float]]:
    """(conduct, category, source, department, points)."""
    raw = run.scenario_raw
    sources: dict[str, Any] = raw.get("sources", {})
    points: dict[str, Any] = raw.get("scoring", {}).get("points", {})
    out = []
    for name, c in raw.get("conduct", {}).items():
        src = c.get("source", "")
        out.append((name, c.get("category", ""), src,
                    sources.get(src, {}).get("department", ""), float(points.get(name, 0.0))))
    return out


def service_rows(run: RunData) -> list[tuple[str, str, str]]:
    """(service, context, department)."""
    return [(name, s.get("context", "") or "", s.get("department", "") or "")
            for name, s in run.scenario_raw.get("services", {}).items()]


def list_rows(run: RunData) -> list[tuple[str, str, str]]:
    """(list, type, repair condition)."""
    out = []
    for name, lst in run.scenario_raw.get("lists", {}).items():
        repair = lst.get("repair") or {}
        out.append((name, lst.get("type", ""), repair.get("condition", "")))
    return out


def black_lists(run: RunData) -> list[str]:
    return [name for name, kind, _ in list_rows(run) if kind == "black"]
