"""Scenario tables for organizations: ratings, inspections, differential enforcement, the
payment network with its credit cascades, and shocks.

Kept apart from `schema.py` (which imports these models for `ScenarioModel`), so this module
must not import `schema.py` at load time; the reference checks import it lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scsim.population.attributes import attribute

if TYPE_CHECKING:
    from scsim.scenario.schema import ScenarioModel

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Rate = Annotated[float, Field(ge=0.0)]
Factor = Annotated[float, Field(ge=0.0, le=1000.0)]
Days = Annotated[int, Field(ge=0, le=30000)]
Points = Annotated[float, Field(ge=-30000, le=30000)]
EntityKind = Literal["individual", "company", "government", "organization"]
Size = Literal["micro", "small", "medium", "large"]
Level = Literal["province", "city", "county", "department"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Grade(_Strict):
    name: str
    min: Points  # an entity has the highest grade whose min its rating points reach


class Review(_Strict):
    """A rating's own review (re-evaluation on request): like appeals, per rated record."""

    file_prob: Prob = 0.0
    success_if_wrong: Prob = 0.0
    success_if_right: Prob = 0.0
    days_to_decide: Days = 30


class Rating(_Strict):
    """A rating scale with its own ledger, such as the tax credit rating (A/B/C/D).

    Records of the conduct named in `points` change the ledger (clamped to [min, max]); the
    grade is the highest one whose `min` the ledger reaches, refreshed every
    `evaluate_every_days`. A true ledger (true records only) and an own ledger (without the
    records a credit cascade caused) run beside it.
    """

    description: str = ""
    kinds: list[EntityKind] = ["company"]
    base: Points = 100
    min: Points = 0
    max: Points = 100
    points: dict[str, Points] = {}
    grades: list[Grade]
    evaluate_every_days: Annotated[int, Field(ge=1, le=3650)] = 1
    expiry_days: Days | None = None  # None: as the scenario's records (conduct, restoration)
    review: Review | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Rating:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        if not self.min <= self.base <= self.max:
            raise ValueError(f"base ({self.base:g}) must lie within [min, max]")
        if not self.grades:
            raise ValueError("grades: give at least one grade")
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("grades: list them from the highest to the lowest min")
        if len({g.name for g in self.grades}) != len(self.grades):
            raise ValueError("grades: names must be unique")
        if not self.kinds:
            raise ValueError("kinds: name at least one kind of entity")
        return self


class Inspection(_Strict):
    """Inspections follow standing: a source's coverage is multiplied by a factor per list
    the actor is on and per grade it holds (more for the discredited, fewer for the redlisted).
    """

    description: str = ""
    sources: Annotated[list[str], Field(min_length=1)]
    lists: dict[str, Factor] = {}
    ratings: dict[str, dict[str, Factor]] = {}


class Enforcement(_Strict):
    """Differential enforcement by a categorical attribute of one kind of entity
    (ownership of companies, org_type of organizations ...).

    `detection` multiplies the coverage of the named sources (all when empty) for acts of
    entities with that label; `listing` is the chance that a listing due under the named lists
    (every black list when empty) is carried out. Labels not named keep 1.0.
    """

    description: str = ""
    kind: EntityKind
    attribute: str
    detection: dict[str, Factor] = {}
    listing: dict[str, Prob] = {}
    sources: list[str] = []
    lists: list[str] = []


class Cascade(_Strict):
    """How a payer's arrears spread to its suppliers along the payment ties."""

    enabled: bool = True
    hit_prob: Prob = 0.2  # a supplier paid late cannot absorb it
    effects: dict[str, Prob] = {}  # conduct a hit supplier commits, with its probability
    pass_on: str | None = None  # conduct by which a hit supplier pays its own suppliers late
    pass_on_prob: Prob = 0.0
    max_depth: Annotated[int, Field(ge=1, le=100)] = 5
    lag_days: Days = 0  # days from a late payment to the supplier's own late payments


class Payments(_Strict):
    """Supplier-customer ties among governments and companies (payer -> supplier)."""

    description: str = ""
    suppliers_per_government: Rate = 0.0  # mean number of supplier ties (Poisson)
    suppliers_per_company: dict[Size, Rate] = {}  # by the payer's size
    same_region: Prob = 0.7  # share of ties to a supplier in the payer's region
    arrears: list[str] = []  # conduct whose acts leave all of the payer's suppliers unpaid
    cascade: Cascade = Cascade()


class Shock(_Strict):
    """A fiscal shock to local governments on one day (a property crash, say)."""

    description: str = ""
    day: Days
    regions: list[Annotated[int, Field(ge=0)]] = []  # empty: every region
    levels: list[Level] = []  # empty: every level
    fiscal_stress: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0  # added, clipped to [0, 1]
    arrears: str | None = None  # conduct each hit government commits once on the day


def organization_problems(sc: ScenarioModel) -> list[tuple[str, str]]:
    """Names that point nowhere in the tables above and in the rules that use ratings."""
    from scsim.scenario.schema import category_labels

    out: list[tuple[str, str]] = []

    def unknown(path: str, name: str, table, what: str) -> None:
        keys = list(table)
        out.append((path, f"unknown {what} {name!r} (expected one of: "
                    f"{', '.join(keys) if keys else 'none defined'})"))

    def grade_ok(where: str, rating: str | None, key: str, grade: str | None) -> None:
        """A rule or list naming `rating` and a grade of it under `key`."""
        if rating is None or grade is None:
            return
        if rating not in sc.ratings:
            unknown(f"{where}.rating", rating, sc.ratings, "rating")
            return
        names = [g.name for g in sc.ratings[rating].grades]
        if grade not in names:
            unknown(f"{where}.{key}", grade, names, f"grade of {rating}")

    for rname, r in sc.ratings.items():
        for cname in r.points:
            if cname not in sc.conduct:
                unknown(f"ratings.{rname}.points.{cname}", cname, sc.conduct, "conduct")
    for lname, lst in sc.lists.items():
        for key in ("rating_below", "rating_at_least"):
            grade_ok(f"lists.{lname}", lst.rating, key, getattr(lst, key))
        if lst.rating in sc.ratings and not set(lst.kinds) <= set(sc.ratings[lst.rating].kinds):
            out.append((f"lists.{lname}.kinds", f"a list on rating {lst.rating!r} can only "
                        f"hold kinds it rates ({', '.join(sc.ratings[lst.rating].kinds)})"))
    for sname, s in sc.services.items():
        for i, rule in enumerate(s.rules):
            path = f"services.{sname}.rules[{i}]"
            for key in ("rating_below", "rating_at_least"):
                grade_ok(path, rule.rating, key, getattr(rule, key))
            if rule.via is not None:
                if "individual" not in s.kinds:
                    out.append((f"{path}.via", "via = 'legal_rep_of' sanctions people: the "
                                "service needs 'individual' among its kinds"))
                if rule.list in sc.lists and "company" not in sc.lists[rule.list].kinds:
                    out.append((f"{path}.list", f"list {rule.list!r} holds no companies, so "
                                "no legal representative can be reached through it"))
    for iname, insp in sc.inspections.items():
        path = f"inspections.{iname}"
        for i, src in enumerate(insp.sources):
            if src not in sc.sources:
                unknown(f"{path}.sources[{i}]", src, sc.sources, "source")
        for lname in insp.lists:
            if lname not in sc.lists:
                unknown(f"{path}.lists.{lname}", lname, sc.lists, "list")
        for rname, grades in insp.ratings.items():
            if rname not in sc.ratings:
                unknown(f"{path}.ratings.{rname}", rname, sc.ratings, "rating")
                continue
            names = [g.name for g in sc.ratings[rname].grades]
            for g in grades:
                if g not in names:
                    unknown(f"{path}.ratings.{rname}.{g}", g, names, f"grade of {rname}")
    for ename, e in sc.enforcement.items():
        path = f"enforcement.{ename}"
        a = attribute(e.kind, e.attribute)
        labels = category_labels(sc, e.kind, e.attribute) if a is not None else None
        if labels is None:
            out.append((f"{path}.attribute", f"{e.kind} entities have no categorical "
                        f"attribute {e.attribute!r}"))
        else:
            for key in ("detection", "listing"):
                for lab in getattr(e, key):
                    if lab not in labels:
                        unknown(f"{path}.{key}.{lab}", lab, labels, e.attribute)
        for i, src in enumerate(e.sources):
            if src not in sc.sources:
                unknown(f"{path}.sources[{i}]", src, sc.sources, "source")
        for i, lname in enumerate(e.lists):
            if lname not in sc.lists:
                unknown(f"{path}.lists[{i}]", lname, sc.lists, "list")
    if sc.payments is not None:
        out += _payment_problems(sc)
    for hname, h in sc.shocks.items():
        if h.arrears is not None:
            _conduct_of_kind(out, sc, f"shocks.{hname}.arrears", h.arrears, ("government",))
        for i, r in enumerate(h.regions):
            if r >= sc.population.regions:
                out.append((f"shocks.{hname}.regions[{i}]", f"region {r} does not exist "
                            f"(regions are 0 to {sc.population.regions - 1})"))
    return out


def _conduct_of_kind(out: list, sc: ScenarioModel, path: str, name: str,
                     kinds: tuple[str, ...]) -> None:
    if name not in sc.conduct:
        keys = list(sc.conduct)
        out.append((path, f"unknown conduct {name!r} (expected one of: "
                    f"{', '.join(keys) if keys else 'none defined'})"))
    elif not set(kinds) & set(sc.conduct[name].kinds):
        out.append((path, f"conduct {name!r} is not done by {' or '.join(kinds)} entities"))


def _payment_problems(sc: ScenarioModel) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    p = sc.payments
    for i, cname in enumerate(p.arrears):
        _conduct_of_kind(out, sc, f"payments.arrears[{i}]", cname, ("company", "government"))
    for cname in p.cascade.effects:
        _conduct_of_kind(out, sc, f"payments.cascade.effects.{cname}", cname, ("company",))
    if p.cascade.pass_on is not None:
        _conduct_of_kind(out, sc, "payments.cascade.pass_on", p.cascade.pass_on, ("company",))
    return out
