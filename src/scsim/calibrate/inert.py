"""Conduct that cannot change anything but its own act counts: zero points for every kind it
scores, on no list's trigger. Switching it off leaves every other draw as it was (one random
stream per decision), so calibration runs can drop it to run faster."""

from __future__ import annotations

from scsim.scenario.schema import ScenarioModel


def inert_conducts(sc: ScenarioModel) -> list[str]:
    """Conduct whose removal changes no other draw; none when appeals could be filed, because
    the appeals stream draws one number per landed record of any conduct."""
    any_points = any(p != 0 for p in sc.scoring.points.values()) and sc.scoring.kinds
    if any_points and sc.restoration.appeals.file_prob > 0:
        return []
    triggers = {c for lst in sc.lists.values() for c in lst.conduct}
    out = []
    for name, c in sc.conduct.items():
        scored = sc.scoring.points.get(name, 0) != 0 and set(c.kinds) & set(sc.scoring.kinds)
        if not scored and name not in triggers:
            out.append(name)
    return out


def switch_off(sc: ScenarioModel) -> list[str]:
    """`--set` lines that zero the inert conduct's rates."""
    return [f"conduct.{name}.rate=0" for name in inert_conducts(sc)]
