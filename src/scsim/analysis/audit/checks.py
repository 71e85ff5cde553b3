"""The audit's checks: each reads the scenario and returns findings naming the rule.

Add a check: a function `(sc, dump) -> list[Finding]` appended to CHECKS. `sc` is the
validated scenario, `dump` the same as a plain dict (keys added by other mechanisms
included, for the generic spill-over check).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from scsim.analysis.audit.contexts import (
    ADJUDICATING,
    ART9_WORDS,
    BASIC_NEEDS,
    HARMLESS_CATEGORIES,
    HEALTH_WORD,
    PROTECTED_CATEGORIES,
    record_contexts,
    service_context,
)
from scsim.analysis.audit.findings import Finding
from scsim.scenario.schema import SANCTIONS, ScenarioModel

ART9 = "GDPR Art. 9(1)"
ART5_I = "EU AI Act Art. 5(1)(c)(i)"
ART5_II = "EU AI Act Art. 5(1)(c)(ii)"
FAIR_HEARING = "ECHR Art. 6; EU Charter Art. 47"
WEAK_APPEAL = 0.5  # appeals that correct fewer wrong records than this are reported (low)


# -- what a sanction rule rests on -----------------------------------------------------
def scored_negative(sc: ScenarioModel, kinds: set[str]) -> list[str]:
    """Conduct whose records lower the score of entities of these kinds."""
    scored = set(sc.scoring.kinds) & kinds
    return [c for c, p in sc.scoring.points.items()
            if p < 0 and c in sc.conduct and scored & set(sc.conduct[c].kinds)]


def rated_negative(sc: ScenarioModel, rating: str | None, kinds: set[str]) -> list[str]:
    """Conduct whose records lower a rating (organizations' ratings) of these kinds."""
    ratings = getattr(sc, "ratings", {}) or {}
    if rating not in ratings or not kinds & set(ratings[rating].kinds):
        return []
    return [c for c, p in ratings[rating].points.items()
            if p < 0 and c in sc.conduct and kinds & set(sc.conduct[c].kinds)]


def rule_triggers(sc: ScenarioModel, service: str, i: int) -> tuple[str, list[str]]:
    """(the rule's condition in words, the conduct whose records can make it apply)."""
    svc = sc.services[service]
    r = svc.rules[i]
    kinds = set(svc.kinds)
    if r.list is not None:
        lst = sc.lists[r.list]
        via = getattr(r, "via", None)
        # via: the list is the firm's (joint punishment): its records are the firm's
        kinds = set(lst.kinds) if via else kinds & set(lst.kinds)
        found = [c for c in lst.conduct if kinds & set(sc.conduct[c].kinds)]
        if lst.type == "black" and lst.score_below is not None:
            found += [c for c in scored_negative(sc, kinds) if c not in found]
        if lst.type == "black" and getattr(lst, "rating_below", None) is not None:
            found += [c for c in rated_negative(sc, lst.rating, kinds) if c not in found]
        where = f"on list {r.list}" + (f" (through the {via} firm)" if via else "")
        return where, found
    if r.tier_below is not None:
        return f"in a tier below {r.tier_below}", scored_negative(sc, kinds)
    if getattr(r, "rating_below", None) is not None:
        return (f"rated below {r.rating_below} on {r.rating}",
                rated_negative(sc, r.rating, kinds))
    return "in a high tier or grade", []


def sanction_rules(sc: ScenarioModel):
    """(service, rule index, rule) for every rule whose action is a sanction."""
    for sname, svc in sc.services.items():
        for i, r in enumerate(svc.rules):
            if r.action in SANCTIONS:
                yield sname, i, r


def _names(items: list[str], limit: int = 6) -> str:
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


# -- checks ----------------------------------------------------------------------------
def protected_conduct(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """Scores (or lists on) religion, political opinion and other GDPR Art. 9 categories."""
    out = []
    for cname, c in sc.conduct.items():
        dept = sc.sources[c.source].department
        reasons = []
        if c.category in PROTECTED_CATEGORIES:
            reasons.append(f"{c.category} conduct ({PROTECTED_CATEGORIES[c.category]})")
        if c.category != "health" and (HEALTH_WORD in dept or HEALTH_WORD in c.source):
            reasons.append(f"data concerning health (source {c.source})")
        text = f"{cname} {c.description}".lower()
        reasons += [f"{what} (the conduct's name or description says '{word}')"
                    for word, what in ART9_WORDS.items() if word in text]
        if not reasons:
            continue
        pts = sc.scoring.points.get(cname, 0)
        if pts:
            out.append(Finding("high", "protected-conduct", f"scoring.points.{cname}",
                               f"scores {'; '.join(reasons)}: {cname} moves the score by "
                               f"{pts:+g} points per record", ART9))
        for rname, rating in (getattr(sc, "ratings", {}) or {}).items():
            rp = rating.points.get(cname, 0)
            if rp:
                out.append(Finding("high", "protected-conduct",
                                   f"ratings.{rname}.points.{cname}",
                                   f"rates {'; '.join(reasons)}: {cname} moves the {rname} "
                                   f"rating by {rp:+g} points per record", ART9))
        for lname, lst in sc.lists.items():
            if cname in lst.conduct:
                out.append(Finding("high", "protected-conduct", f"lists.{lname}.conduct",
                                   f"a record of {cname} ({'; '.join(reasons)}) puts an "
                                   f"entity on the {lst.type} list {lname}", ART9))
    return out


def harmless_conduct(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """Deductions for conduct that harms no one, and deductions out of proportion to harm."""
    out = []
    harm = sorted(((abs(p), c) for c, p in sc.scoring.points.items()
                   if p < 0 and c in sc.conduct and sc.conduct[c].harms_others), reverse=True)
    for cname, p in sc.scoring.points.items():
        c = sc.conduct.get(cname)
        if c is None or p >= 0 or c.harms_others:
            continue
        worse = next(((v, h) for v, h in harm if v <= abs(p)), None)
        reach = _acts_to_blacklist(sc, cname, abs(p))
        if worse is not None:
            out.append(Finding(
                "medium", "disproportion", f"scoring.points.{cname}",
                f"{cname} ({c.category}, harms no one) costs {abs(p):g} points, as much as or "
                f"more than {worse[1]} (harms others, {worse[0]:g} points){reach}", ART5_II))
        elif c.category not in PROTECTED_CATEGORIES:
            out.append(Finding("medium", "harmless-conduct", f"scoring.points.{cname}",
                               f"scores {cname} ({c.category}), conduct that harms no one "
                               f"({p:+g} points){reach}", ART5_II))
    return out


def _acts_to_blacklist(sc: ScenarioModel, cname: str, pts: float) -> str:
    kinds = set(sc.conduct[cname].kinds) & set(sc.scoring.kinds)
    best = None
    for lname, lst in sc.lists.items():
        if lst.type == "black" and lst.score_below is not None and kinds & set(lst.kinds):
            n = max(1, math.ceil((sc.scoring.base - lst.score_below) / pts + 1e-9))
            if best is None or n < best[0]:
                best = (n, lname)
    return f"; {best[0]} recorded acts put an entity on {best[1]}" if best else ""


def context(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """Sanctions in a context unrelated to where their records came from."""
    out = []
    for sname, i, r in sanction_rules(sc):
        svc = sc.services[sname]
        ctx = service_context(svc.context, svc.department)
        cond, triggers = rule_triggers(sc, sname, i)
        by_source: dict[str, list[str]] = {}
        for cname in triggers:
            c = sc.conduct[cname]
            dept = sc.sources[c.source].department
            if ctx not in record_contexts(dept, c.category):
                by_source.setdefault(f"{c.source} ({dept})", []).append(cname)
        if not by_source:
            continue
        depts = {sc.sources[sc.conduct[c].source].department for cs in by_source.values()
                 for c in cs}
        conducts = [c for cs in by_source.values() for c in cs]
        where = f"{_names(list(by_source), 4)}: {_names(conducts, 4)}"
        first_src, first = next(iter(by_source.items()))
        example = (f"e.g. a record of {first[0]} from {first_src.split(' ')[0]} can {r.action} "
                   f"{sname}")
        if depts <= ADJUDICATING:
            out.append(Finding("medium", "context", f"services.{sname}.rules[{i}]",
                               f"{r.action} {sname} ({ctx}) {cond} rests on court records from "
                               f"another context ({where}): acceptable only as a court's order "
                               "in the individual case, after a hearing", ART5_I))
        else:
            out.append(Finding("high", "context", f"services.{sname}.rules[{i}]",
                               f"{r.action} {sname} ({ctx}) {cond} rests on records from "
                               f"unrelated contexts: {where}; {example}", ART5_I))
    return out


def basic_needs(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """A basic need (education, health, housing, welfare) refused for harmless conduct."""
    out = []
    for sname, i, r in sanction_rules(sc):
        svc = sc.services[sname]
        ctx = service_context(svc.context, svc.department)
        if ctx not in BASIC_NEEDS or r.action not in ("deny", "restrict"):
            continue
        cond, triggers = rule_triggers(sc, sname, i)
        harmless = [f"{c} ({sc.conduct[c].category})" for c in triggers
                    if sc.conduct[c].category in HARMLESS_CATEGORIES
                    or not sc.conduct[c].harms_others]
        if harmless:
            out.append(Finding("high", "disproportion", f"services.{sname}.rules[{i}]",
                               f"{r.action} {sname} ({ctx}, a basic need) {cond} can rest on "
                               f"conduct that harms no one: {_names(harmless)}", ART5_II))
    for lname, lst in sc.lists.items():
        harmless = [c for c in lst.conduct if sc.conduct[c].category in HARMLESS_CATEGORIES]
        if lst.type == "black" and harmless:
            out.append(Finding("high", "disproportion", f"lists.{lname}.conduct",
                               f"one record of {_names(harmless)} (harms no one) puts an entity "
                               f"on the black list {lname}", ART5_II))
    return out


def appeals(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """Sanctions with no (effective) appeal."""
    out = []
    ap = sc.restoration.appeals
    has_sanctions = any(True for _ in sanction_rules(sc))
    if ap.file_prob == 0 or ap.success_if_wrong == 0:
        why = ("no record is ever appealed (file_prob = 0)" if ap.file_prob == 0 else
               "an appeal never succeeds, even against a wrong record (success_if_wrong = 0)")
        text = (f"sanctions with no appeal: {why}" if has_sanctions else
                f"no appeal: {why} (no rule sanctions yet, so nothing rests on it)")
        out.append(Finding("high" if has_sanctions else "low", "no-appeal",
                           "restoration.appeals", text, FAIR_HEARING))
    elif ap.file_prob * ap.success_if_wrong < WEAK_APPEAL:
        share = ap.file_prob * ap.success_if_wrong
        out.append(Finding("low", "weak-appeal", "restoration.appeals",
                           f"appeals correct at most {100 * share:.3g} % of wrong records "
                           f"(file_prob {ap.file_prob:g} x success_if_wrong "
                           f"{ap.success_if_wrong:g})", FAIR_HEARING))
    for lname, lst in sc.lists.items():
        if lst.type == "black" and lst.score_below is not None and not lst.exit_on_recovery:
            out.append(Finding("medium", "no-appeal", f"lists.{lname}.exit_on_recovery",
                               f"an upheld appeal restores the score but does not end a "
                               f"listing on {lname} (exit_on_recovery = false)", FAIR_HEARING))
    return out


SPILLOVER_WORDS = ("spillover", "spill_over", "legal_rep")


def spillover(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """Any switched-on setting whose key (or text value, as `via = "legal_rep_of"`) names
    spill-over: found by name, so that mechanisms added later are caught too."""
    out = []

    def hit(here: str, value: Any, how: str) -> None:
        out.append(Finding("high", "spillover", here,
                           "sanctions spill over onto third parties (relatives, employees, "
                           "legal representatives) who did not act: "
                           f"{here} = {_short(value)} (found by the {how})",
                           "EU AI Act Art. 5(1)(c); personal responsibility"))

    def walk(node: Any, path: str) -> None:
        items = (node.items() if isinstance(node, dict) else
                 ((f"[{i}]", v) for i, v in enumerate(node)) if isinstance(node, list) else ())
        for key, value in items:
            here = (f"{path}{key}" if key.startswith("[") else
                    f"{path}.{key}" if path else str(key))
            named = any(w in str(key).lower() for w in SPILLOVER_WORDS)
            if named and isinstance(value, dict) and value and all(
                    isinstance(v, dict) for v in value.values()):
                for name, rule in value.items():  # a table of rules: one finding each
                    if _switched_on(rule):
                        hit(f"{here}.{name}", _describe(rule), "table's name")
            elif named and _switched_on(value):
                hit(here, value, "key's name")
            elif (isinstance(value, str) and key not in ("description", "condition")
                  and any(w in value.lower() for w in SPILLOVER_WORDS)):
                hit(here, value, "value")
            elif not named:
                walk(value, here)

    walk(dump, "")
    return out


def _switched_on(value: Any) -> bool:
    if isinstance(value, dict):
        if value.get("enabled") is False:
            return False
        return any(_switched_on(v) for k, v in value.items() if k != "description")
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, list | str):
        return len(value) > 0
    return False


def _describe(rule: dict[str, Any]) -> str:
    return str(rule.get("description") or {k: v for k, v in rule.items() if k != "description"})


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def restoration(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    """Black lists left with no stated condition, or with no way off at all."""
    out = []
    for lname, lst in sc.lists.items():
        if lst.type != "black":
            continue
        rep = lst.repair
        if rep is not None and rep.daily_prob > 0 and not rep.condition.strip():
            out.append(Finding("medium", "restoration", f"lists.{lname}.repair.condition",
                               f"restoration from {lname} without a stated condition: what "
                               "the entity must do to be restored is not said",
                               "legal certainty; EU Charter Art. 41 (good administration)"))
        stuck = (lst.duration_days is None and (rep is None or rep.daily_prob == 0)
                 and not (lst.score_below is not None and lst.exit_on_recovery))
        if stuck:
            out.append(Finding("high", "restoration", f"lists.{lname}",
                               f"no way off {lname}: no duration, no repair channel, no exit on "
                               "recovery (only an upheld appeal ends a listing)",
                               "proportionality; EU Charter Art. 49(3)"))
    return out


def shaming(sc: ScenarioModel, dump: dict[str, Any]) -> list[Finding]:
    return [Finding("medium", "shaming", f"lists.{lname}.shamed",
                    f"names on {lname} are published (public shaming)",
                    "GDPR Art. 5(1)(c); ECHR Art. 8")
            for lname, lst in sc.lists.items() if lst.shamed]


CHECKS: list[Callable[[ScenarioModel, dict[str, Any]], list[Finding]]] = [
    protected_conduct, harmless_conduct, context, basic_needs, appeals, spillover,
    restoration, shaming,
]
