"""Scenario tables of the society layer: [network], [spillover.*], [shaming], [adapt.*].

Every table is off when absent: a scenario that names none of them runs exactly as before
(no network is built, no draw is taken). `docs/society.md` explains each mechanism.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from scsim.scenario.schema import ScenarioModel


class Strict(BaseModel):  # as in schema.py (kept apart to avoid a circular import)
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(ge=0.0)]
Elasticity = Annotated[float, Field(ge=0.0, le=100.0)]
HalfLife = Annotated[float, Field(gt=0.0, le=30000.0)]

# --- the social network -----------------------------------------------------------------


class Households(Strict):
    """Households of individuals: a single adult or a couple, and children living with them."""

    enabled: bool = True
    couple_share: Prob = 0.65  # share of adults (20+) who live in a couple
    child_max_age: Annotated[int, Field(ge=16, le=40)] = 24  # oldest age counted as a child
    child_with_parents: Prob = 0.85  # share of 16..child_max_age who live with parents
    parent_gap: tuple[Annotated[int, Field(ge=14, le=60)],
                      Annotated[int, Field(ge=14, le=60)]] = (20, 42)  # parent's age - child's

    @model_validator(mode="after")
    def _gap(self) -> Households:
        if self.parent_gap[0] > self.parent_gap[1]:
            raise ValueError("parent_gap: lower bound is above upper bound")
        return self


class Friends(Strict):
    """Friendship ties: a ring lattice in homophilous blocks, rewired to reach `clustering`.

    homophily_* is the Coleman index: a group's share of ties inside itself is
    h + (1 - h) * (its share of the population); 0 is random mixing, 1 full segregation.
    """

    enabled: bool = True
    mean_degree: Annotated[float, Field(ge=0.0, le=200.0)] = 8.0
    clustering: Prob = 0.2  # target mean local clustering coefficient
    homophily_region: Prob = 0.8
    homophily_group: Prob = 0.6

    @model_validator(mode="after")
    def _reachable(self) -> Friends:
        k = self.mean_degree
        most = 3 * (k - 2) / (4 * (k - 1)) if k > 2 else 0.0  # a ring lattice's clustering
        if self.clustering > most:
            raise ValueError(f"clustering {self.clustering:g} is above {most:.3g}, the most a "
                             f"ring of mean degree {k:g} reaches (raise mean_degree)")
        return self


class Work(Strict):
    """Employment: individuals of working age employed by companies, and company executives."""

    enabled: bool = True
    employment: Prob = 0.6  # share of individuals aged 18..64 employed by a company
    same_region: Prob = 0.9  # share of employees who work for a company in their own region
    size_weight: dict[Literal["micro", "small", "medium", "large"], Positive] = {
        "micro": 1.0, "small": 8.0, "medium": 60.0, "large": 400.0}  # relative workforce
    executives: dict[Literal["micro", "small", "medium", "large"],
                     Annotated[int, Field(ge=0, le=50)]] = {
        "micro": 0, "small": 1, "medium": 3, "large": 6}  # besides the legal representative


class NetworkCfg(Strict):
    """The social network, built once after the population (CSR arrays, int32 indices).

    A layer is built when its table is present and `enabled`."""

    households: Households | None = None
    friends: Friends | None = None
    work: Work | None = None

    def on(self, layer: str) -> bool:
        cfg = getattr(self, layer)
        return cfg is not None and cfg.enabled


# --- spill-over -------------------------------------------------------------------------

Via = Literal["household", "parents", "children", "spouse", "friends", "employer",
              "led_companies", "leaders"]
SpillAction = Literal["deny", "restrict", "surcharge", "delay"]


class Spillover(Strict):
    """A sanction that lands on an entity for the listing of an entity linked to it.

    `via` names whose listing counts, seen from the entity that is sanctioned: its parents,
    its friends, its employer, the companies it leads ... Two forms, either or both:
    `services` (its requests to these services get `action`) and `points` (its score changes
    by `points` when a linked entity enters one of `lists`).
    """

    description: str = ""
    enabled: bool = True
    via: Via
    lists: Annotated[list[str], Field(min_length=1)]
    services: list[str] = []
    action: SpillAction = "deny"
    points: Annotated[float, Field(ge=-30000, le=0)] = 0.0

    @model_validator(mode="after")
    def _some_form(self) -> Spillover:
        if not self.services and self.points == 0:
            raise ValueError("give services (with action) or points (below 0), or both")
        return self


# --- public shaming ---------------------------------------------------------------------


class Shaming(Strict):
    """What publishing a listed entity does (lists with `shamed = true`).

    Publication channels: `screens` (seen across the entity's region), `online` (seen
    nationally) and `dial_tone` (heard by its ties when they call it).
    """

    enabled: bool = True
    screens: Positive = 0.0  # regional publicity per shamed entity per 1000 residents
    online: Positive = 0.0  # national publicity per shamed entity per 1000 residents
    dial_tone: bool = False  # ties hear it: their perceived surveillance jumps by tie_seen
    tie_seen: Prob = 0.0
    tie_cut: Prob = 0.0  # a friend cuts the tie with this probability
    tie_weaken: Prob = 0.0  # else the tie's strength falls by this share
    legitimacy_drop: Prob = 0.0  # friends' legitimacy falls by this share (tie-weighted)


# --- adaptive conduct -------------------------------------------------------------------


class Perception(Strict):
    """Perceived surveillance and enforcement: a per-entity level in [0, 1], fed by the
    consequences the entity meets or sees, fading with `half_life_days`."""

    own_record: Prob = 0.2  # jump on a record with negative points naming the entity
    own_sanction: Prob = 0.1  # jump on a service sanction against the entity
    tie_listed: Prob = 0.1  # jump when a tie (friend, household) enters a black list
    half_life_days: HalfLife = 365.0


class Deterrence(Strict):
    """Rate of a sanctioned act x exp(-elasticity * perceived * penalty)."""

    elasticity: Elasticity = 2.0
    points_scale: Annotated[float, Field(gt=0)] = 100.0  # penalty = -points / scale
    list_penalty: Positive = 1.0  # added when a record of the act puts one on a black list
    conduct: list[str] | None = None  # default: every act with negative points or a listing


class Chilling(Strict):
    """Rate of speech and worship x exp(-elasticity * perceived), scored or not."""

    elasticity: Elasticity = 1.0
    categories: list[Literal["harm", "financial", "civic", "political", "religious",
                             "prosocial"]] = ["political", "religious"]


class Loyalty(Strict):
    """Performative loyalty: rate of rewarded praise x exp(elasticity * perceived * reward)."""

    elasticity: Elasticity = 20.0
    points_scale: Annotated[float, Field(gt=0)] = 100.0  # reward = points / scale
    conduct: list[str] | None = None  # default: political acts with positive points


class Grievance(Strict):
    """Epstein (2002): G = H (1 - L); P = 1 - exp(-k C / A); active if G - R P > T.

    L starts at the loyalty attribute; C is `cops` times the coverage of the protest act's
    source, scaled by the region's urban share; A is 1 + the tie-weighted active friends and
    household members. Active entities protest (acts of `conduct`) with `protest_prob` a day.
    """

    conduct: str = "protest"
    threshold: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.1  # T
    k: Positive = 2.3  # Epstein's constant: P = 0.9 when C = A = 1
    cops: Positive = 1.0
    activation_per_year: Annotated[float, Field(ge=0.0, le=3650.0)] = 12.0
    protest_prob: Prob = 0.2  # daily probability that an active entity protests
    wrongful_seen: Prob = 0.05  # legitimacy share lost per wrongful sanction seen on a tie
    rightful_seen: Prob = 0.01  # legitimacy share regained per rightful sanction seen


class AdaptCfg(Strict):
    """Adaptive conduct. Each mechanism is on when its table is present (and `enabled`)."""

    enabled: bool = False
    perception: Perception | None = None  # None: the defaults of Perception
    deterrence: Deterrence | None = None
    chilling: Chilling | None = None
    loyalty: Loyalty | None = None
    grievance: Grievance | None = None

    @model_validator(mode="after")
    def _on_when_named(self) -> AdaptCfg:
        # Naming a mechanism switches adaptation on unless `enabled` is given explicitly.
        named = any(getattr(self, m) is not None for m in MECHANISMS)
        if named and "enabled" not in self.model_fields_set:
            object.__setattr__(self, "enabled", True)
        return self

    def on(self, mechanism: str) -> bool:
        return self.enabled and getattr(self, mechanism) is not None


MECHANISMS = ("deterrence", "chilling", "loyalty", "grievance")


def society_problems(sc: ScenarioModel) -> list[tuple[str, str]]:
    """Names that point nowhere in the society tables."""
    out: list[tuple[str, str]] = []

    def unknown(path: str, name: str, table, what: str) -> None:
        keys = list(table)
        out.append((path, f"unknown {what} {name!r} (expected one of: "
                    f"{', '.join(keys) if keys else 'none defined'})"))

    for sname, rule in (sc.spillover or {}).items():
        path = f"spillover.{sname}"
        for i, lname in enumerate(rule.lists):
            if lname not in sc.lists:
                unknown(f"{path}.lists[{i}]", lname, sc.lists, "list")
            elif sc.lists[lname].type != "black":
                out.append((f"{path}.lists[{i}]", f"{lname!r} is a red list: spill-over "
                            "follows black lists only"))
        for i, svc in enumerate(rule.services):
            if svc not in sc.services:
                unknown(f"{path}.services[{i}]", svc, sc.services, "service")
        if rule.enabled and sc.network is None:
            out.append((f"{path}.via", "spill-over needs a [network] table"))
        elif rule.enabled:
            layer = LAYER_OF_VIA[rule.via]
            if not sc.network.on(layer):
                out.append((f"{path}.via", f"{rule.via!r} needs [network.{layer}]"))
    a = sc.adapt
    for mech in ("deterrence", "loyalty"):
        cfg = getattr(a, mech)
        for i, cname in enumerate((cfg.conduct or []) if cfg is not None else []):
            if cname not in sc.conduct:
                unknown(f"adapt.{mech}.conduct[{i}]", cname, sc.conduct, "conduct")
    if a.grievance is not None:
        g = a.grievance
        if g.conduct not in sc.conduct:
            unknown("adapt.grievance.conduct", g.conduct, sc.conduct, "conduct")
        elif "individual" not in sc.conduct[g.conduct].kinds:
            out.append(("adapt.grievance.conduct", f"{g.conduct!r} is not done by individuals"))
    return out


LAYER_OF_VIA = {"household": "households", "parents": "households", "children": "households",
                "spouse": "households", "friends": "friends", "employer": "work",
                "led_companies": "work", "leaders": "work"}
