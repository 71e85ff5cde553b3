"""The dashboard's knobs and how each becomes scenario overrides (`--set KEY=VALUE` lines).

A knob applies to whatever the chosen preset has: the surveillance knob scales every source's
coverage, the face-recognition knob sets the misattribution of camera sources, the threshold
knob moves the first score blacklist, the sharing knob sets the unified platform's sharing
rate, the spill-over switch turns the preset's spill-over rules on or off, and the deterrence
and chilling knobs set those mechanisms' elasticities. A knob that cannot apply to the chosen
preset (no camera source, no spill-over rule ...) is shown switched off with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scsim.scenario.schema import ScenarioModel

CAMERA = re.compile(r"cctv|camera|facial|face", re.IGNORECASE)


@dataclass(frozen=True)
class Knob:
    key: str
    label: str
    kind: str  # "int", "float", "bool"
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.01
    help: str = ""


KNOBS: tuple[Knob, ...] = (
    Knob("individuals", "Population (individuals)", "int", 1_000, 300_000, 1_000,
         "individuals in the synthetic population; companies and others keep the preset's"),
    Knob("days", "Days", "int", 10, 730, 10),
    Knob("seed", "Seed", "int", 0, 999, 1),
    Knob("coverage", "Surveillance coverage (x preset)", "float", 0.0, 3.0, 0.05,
         "multiplies every source's share of acts seen (capped at 1)"),
    Knob("face_error", "Face-recognition error", "float", 0.0, 0.2, 0.001,
         "share of camera sightings recorded against the wrong person"),
    Knob("sharing", "Sharing rate", "float", 0.0, 1.0, 0.05,
         "share of a department's records (and listings) other departments see"),
    Knob("threshold", "Blacklist threshold (score below)", "float", 0.0, 1300.0, 10.0,
         "score under which the first score blacklist lists an entity"),
    Knob("appeal_rate", "Appeals filed (share of negative records)", "float", 0.0, 1.0, 0.01),
    Knob("appeal_success", "Appeal upheld if the record is wrong", "float", 0.0, 1.0, 0.01),
    Knob("spillover", "Spill-over onto relatives and employees", "bool"),
    Knob("deterrence", "Deterrence (elasticity)", "float", 0.0, 5.0, 0.1,
         "how much sanctioned conduct falls with perceived detection x penalty"),
    Knob("chilling", "Chilling of speech and worship (elasticity)", "float", 0.0, 5.0, 0.1,
         "how much speech and worship fall with perceived surveillance"),
)
BY_KEY = {k.key: k for k in KNOBS}


def cameras(sc: ScenarioModel) -> list[str]:
    return [n for n, s in sc.sources.items() if CAMERA.search(f"{n} {s.description}")]


def score_blacklist(sc: ScenarioModel) -> str | None:
    return next((n for n, lst in sc.lists.items()
                 if lst.type == "black" and lst.score_below is not None), None)


def unavailable(sc: ScenarioModel) -> dict[str, str]:
    """Knob key -> why it does nothing for this scenario (absent: the knob is live)."""
    why: dict[str, str] = {}
    if not cameras(sc):
        why["face_error"] = "this preset has no camera source"
    if score_blacklist(sc) is None:
        why["threshold"] = "this preset has no score blacklist"
    if not any(p != 0 for p in sc.scoring.points.values()):
        why["appeal_rate"] = why["appeal_success"] = "this preset scores no record to appeal"
    if not sc.spillover:
        why["spillover"] = "this preset has no spill-over rule (try points-city-society)"
    return why


def _elasticity(sc: ScenarioModel, mechanism: str) -> float:
    cfg = getattr(sc.adapt, mechanism, None) if sc.adapt.enabled else None
    return float(cfg.elasticity) if cfg is not None else 0.0


def defaults(sc: ScenarioModel) -> dict[str, Any]:
    """The knobs' values that leave the scenario as it is."""
    bl = score_blacklist(sc)
    cams = cameras(sc)
    ap = sc.restoration.appeals
    return {
        "individuals": min(sc.population.individuals, 10_000),
        "days": min(sc.run.days, 365),
        "seed": sc.run.seed,
        "coverage": 1.0,
        "face_error": sc.sources[cams[0]].misattribution if cams else 0.0,
        "sharing": sc.platform.sharing if sc.platform is not None else 1.0,
        "threshold": sc.lists[bl].score_below if bl else 0.0,
        "appeal_rate": ap.file_prob,
        "appeal_success": ap.success_if_wrong,
        "spillover": any(r.enabled for r in (sc.spillover or {}).values()),
        "deterrence": _elasticity(sc, "deterrence"),
        "chilling": _elasticity(sc, "chilling"),
    }


def overrides(sc: ScenarioModel, values: dict[str, Any]) -> dict[str, Any]:
    """Keyword overrides for `Sim` (individuals, days, seed, sets) from the knobs' values.

    Knobs left at their defaults add nothing, so an untouched dashboard runs the preset."""
    base = defaults(sc)
    off = unavailable(sc)
    changed = {k: v for k, v in values.items()
               if k in BY_KEY and k not in off and v != base[k]}
    sets: list[str] = []
    if "coverage" in changed:
        for name, src in sc.sources.items():
            sets.append(f"sources.{name}.coverage={min(1.0, src.coverage * changed['coverage'])!r}")
    if "face_error" in changed:
        sets += [f"sources.{n}.misattribution={float(changed['face_error'])!r}"
                 for n in cameras(sc)]
    if "threshold" in changed:
        sets.append(f"lists.{score_blacklist(sc)}.score_below={float(changed['threshold'])!r}")
    if "appeal_rate" in changed:
        sets.append(f"restoration.appeals.file_prob={float(changed['appeal_rate'])!r}")
    if "appeal_success" in changed:
        sets.append(f"restoration.appeals.success_if_wrong={float(changed['appeal_success'])!r}")
    if "sharing" in changed:
        sets.append(f"platform.sharing={float(changed['sharing'])!r}")
    if "spillover" in changed:
        on = "true" if changed["spillover"] else "false"
        sets += [f"spillover.{n}.enabled={on}" for n in sc.spillover or {}]
    for k in ("deterrence", "chilling"):
        if k in changed:
            sets += ["adapt.enabled=true", f"adapt.{k}.elasticity={float(changed[k])!r}"]
    return {"individuals": int(values.get("individuals", base["individuals"])),
            "days": int(values.get("days", base["days"])),
            "seed": int(values.get("seed", base["seed"])), "sets": sets}
