"""The scenario schema: every table and key a scenario file may hold, with its range.

Unknown keys are refused (``extra="forbid"``) so that a typo never silently falls back to a
default. Cross-references (a conduct naming a source, a rule naming a tier) are checked in
``Scenario.check_references``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scsim.population.attributes import KINDS, attribute
from scsim.scenario.organizations import (
    Enforcement,
    Inspection,
    Payments,
    Rating,
    Shock,
    organization_problems,
)
from scsim.scenario.society import AdaptCfg, NetworkCfg, Shaming, Spillover, society_problems
from scsim.scenario.surveillance import (
    FaceCfg,
    Method,
    OnlineCfg,
    PlatformCfg,
    RegistryCfg,
    check_source,
    surveillance_problems,
)

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Rate = Annotated[float, Field(ge=0.0)]
Count = Annotated[int, Field(ge=0)]
Days = Annotated[int, Field(ge=0, le=30000)]  # int16 day counters: about 82 years at most
Points = Annotated[float, Field(ge=-30000, le=30000)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$", max_length=64)]

EntityKind = Literal["individual", "company", "government", "organization"]
Category = Literal["harm", "financial", "civic", "political", "religious", "prosocial",
                   "health", "environmental"]  # the last two: reward schemes (UK, Bologna)
SANCTIONS = ("deny", "restrict", "surcharge", "delay")
PERKS = ("discount", "priority", "waive_deposit", "free")
Action = Literal["deny", "restrict", "surcharge", "delay", "discount", "priority",
                 "waive_deposit", "free"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Source(Strict):
    """A published source a preset draws on."""

    title: str
    publisher: str = ""
    url: str = ""
    date: str = ""
    used_for: str = ""


class Meta(Strict):
    name: str = "unnamed"
    description: str = ""
    sources: list[Source] = []
    published: list[str] = Field(default_factory=list, description="figures taken from sources")
    assumed: list[str] = Field(default_factory=list, description="figures assumed by the authors")


class RunCfg(Strict):
    days: Annotated[int, Field(ge=1, le=30000)] = 365
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    entities_table_max_rows: Annotated[int, Field(ge=0)] = 2_000_000
    # Draw the requests of entities no rule can touch as one count per cell (exact, faster;
    # engine/demand.py). false: every request one by one (the reference path).
    aggregate_requests: bool = True


class Group(Strict):
    """A demographic group of individuals (for disparate-impact analysis)."""

    share: Prob
    urban: Prob = 0.6
    religious: Prob = 0.1
    loyalty_mean: Prob = 0.6
    income_shift: Annotated[float, Field(ge=-9, le=9)] = 0.0  # in deciles


class Names(Strict):
    """Synthetic full names (only drawn when a source matches records by name).

    Name shares fall off as a power of their rank: share(k) ~ k^-exponent, scaled so that the
    most common name has `top_share` of the population (Zhang Wei: 294,282 of about 1.4
    billion registered people, Ministry of Public Security name report for 2019).
    """

    top_share: Annotated[float, Field(gt=0.0, le=1.0)] = 2.1e-4
    exponent: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.5


class Population(Strict):
    individuals: Count = 100_000
    companies: Count = 0
    governments: Count = 0
    organizations: Count = 0
    regions: Annotated[int, Field(ge=1, le=65535)] = 10
    female_share: Prob = 0.49
    groups: dict[Name, Group] = {"majority": Group(share=1.0)}
    professions: dict[Name, Prob] = {
        "farmer": 0.2, "worker": 0.3, "service": 0.25, "professional": 0.15, "official": 0.1,
    }
    ownership: dict[Literal["private", "state", "foreign"], Prob] = {
        "private": 0.9, "state": 0.07, "foreign": 0.03,
    }
    sectors: dict[Name, Prob] = {
        "manufacturing": 0.3, "trade": 0.3, "construction": 0.15, "services": 0.25,
    }
    government_levels: dict[Literal["province", "city", "county", "department"], Prob] = {
        "province": 0.02, "city": 0.1, "county": 0.5, "department": 0.38,
    }
    fiscal_stress_mean: Prob = 0.3
    names: Names = Names()
    org_types: dict[Literal["charity", "religious", "association"], Prob] = {
        "charity": 0.4, "religious": 0.2, "association": 0.4,
    }
    # Opt-in schemes (an app one installs): the share of individuals who joined. 1.0 (the
    # default) is everyone and draws nothing; the attribute `opted_in` says who.
    opt_in_share: Prob = 1.0

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Population:
        for key in ("groups", "professions", "ownership", "sectors", "government_levels",
                    "org_types"):
            table = getattr(self, key)
            shares = [g.share if isinstance(g, Group) else g for g in table.values()]
            if not table:
                raise ValueError(f"{key}: needs at least one entry")
            if abs(sum(shares) - 1.0) > 1e-6:
                raise ValueError(f"{key}: shares must sum to 1 (they sum to {sum(shares):.6g})")
        return self

    def count(self, kind: str) -> int:
        return int(getattr(self, {"individual": "individuals", "company": "companies",
                                  "government": "governments",
                                  "organization": "organizations"}[kind]))


class Modifier(Strict):
    """Multiplies a rate by a function of one attribute. Exactly one of the four forms.

    - only: the rate is zero unless the attribute takes one of these labels (or values);
    - factors: a multiplier per label (labels not named keep 1.0);
    - elasticity: multiplier exp(elasticity * (x - 0.5)), x the attribute mapped onto [0, 1]
      (loyalty, hardship ... as they are; age and income_decile over their range);
    - between: the rate is zero unless lo <= attribute <= hi (integers: age, income_decile).
    """

    attribute: str
    only: list[str] | None = None
    factors: dict[str, Annotated[float, Field(ge=0)]] | None = None
    elasticity: Annotated[float, Field(ge=-20, le=20)] | None = None
    between: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Modifier:
        forms = [f for f in ("only", "factors", "elasticity", "between")
                 if getattr(self, f) is not None]
        if len(forms) != 1:
            raise ValueError("give exactly one of only, factors, elasticity, between "
                             f"(got {', '.join(forms) or 'none'})")
        if self.between is not None and self.between[0] > self.between[1]:
            raise ValueError("between: lower bound is above upper bound")
        return self


class Conduct(Strict):
    """One kind of act entities do, at a base rate per entity per year."""

    description: str = ""
    kinds: list[EntityKind]
    rate: Rate
    category: Category
    harms_others: bool | None = None  # default: true for harm and financial conduct
    source: str  # key into [sources]
    expiry_days: Days | None = None  # overrides restoration.record_expiry_days
    modifiers: list[Modifier] = []

    @model_validator(mode="after")
    def _defaults(self) -> Conduct:
        if self.harms_others is None:
            object.__setattr__(self, "harms_others", self.category in ("harm", "financial"))
        return self


class SensingSource(Strict):
    """Where records come from: coverage, detection, latency and how the actor is identified.

    An act is seen with probability coverage x detection (coverage scaled by `urban_factor`
    and `region_factor`, capped at 1; `cameras_per_1000` sets the coverage from a camera
    density instead: 1 - exp(-cameras_per_1000 x camera_reach)). `misattribution` is a
    method-free error kept for older scenarios; the method tables model errors by mechanism.
    """

    description: str = ""
    department: Name
    coverage: Prob = 1.0  # share of acts the source sees
    misattribution: Prob = 0.0  # share of seen acts recorded against the wrong entity
    latency_days: Days = 0  # days from act to the record reaching the platform
    method: Method = "registry"  # how the record names an entity
    detection: Prob = 1.0  # share of acts in view that are detected
    urban_factor: dict[Literal["rural", "urban"], Annotated[float, Field(ge=0)]] = {}
    region_factor: dict[str, Annotated[float, Field(ge=0)]] = {}  # region index -> multiplier
    cameras_per_1000: Rate | None = None  # camera density, for CCTV sources
    camera_reach: Annotated[float, Field(gt=0, le=10)] = 0.005  # coverage per camera per 1000
    registry: RegistryCfg | None = None
    face: FaceCfg | None = None
    online: OnlineCfg | None = None

    @model_validator(mode="after")
    def _method_tables(self) -> SensingSource:
        check_source(self)
        return self
    opted_in_only: bool = False  # sees only individuals who opted in (an app, a wallet)


class Tier(Strict):
    name: str
    min: Points  # an entity is in the highest tier whose min it reaches


class Scoring(Strict):
    kinds: list[EntityKind] = list(KINDS)  # type: ignore[assignment]
    base: Points = 1000
    min: Points = 600
    max: Points = 1300
    points: dict[str, Points] = {}  # conduct name -> points per recorded act
    tiers: list[Tier] = []

    @model_validator(mode="after")
    def _bounds(self) -> Scoring:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        if not self.min <= self.base <= self.max:
            raise ValueError(f"base ({self.base:g}) must lie within [min, max]")
        mins = [t.min for t in self.tiers]
        if mins != sorted(mins, reverse=True):
            raise ValueError("tiers: list them from the highest to the lowest min")
        if len({t.name for t in self.tiers}) != len(self.tiers):
            raise ValueError("tiers: names must be unique")
        return self


class Repair(Strict):
    """A credit-repair channel: after min_days on the list, leave with daily_prob each day."""

    min_days: Days = 0
    daily_prob: Prob = 0.0
    condition: str = ""  # what the entity must do (training, payment ...), for the audit
    restore_score: Points | None = None  # score raised to at least this on repair


class ListCfg(Strict):
    """A blacklist or redlist: who enters, for how long, and how they leave."""

    description: str = ""
    type: Literal["black", "red"]
    kinds: list[EntityKind] = ["individual"]
    score_below: Points | None = None  # black: enter when the score falls below
    score_at_least: Points | None = None  # red: enter when the score reaches
    conduct: list[str] = []  # a record of any of these puts the entity on the list
    duration_days: Days | None = None  # None: until an exit rule applies
    exit_on_recovery: bool = True  # score-based listings end when the score recovers
    repair: Repair | None = None
    shamed: bool = False  # names published (counted; issue "society" adds its effects)
    department: Name | None = None  # owner (default: the department of its triggers, or platform)
    # Entry on a grade of a rating ([ratings]): black lists on rating_below, red on
    # rating_at_least; exit when the grade recovers (exit_on_recovery).
    rating: str | None = None
    rating_below: str | None = None
    rating_at_least: str | None = None
    # Share of the list's kinds already on it when the run starts (a stock listed before
    # day 0, not counted as entries); 0 draws nothing. See steps/initial_lists.py.
    initial_share: Prob = 0.0

    @model_validator(mode="after")
    def _entry_rule(self) -> ListCfg:
        if self.type == "black" and self.score_at_least is not None:
            raise ValueError("a black list enters on score_below, not score_at_least")
        if self.type == "red" and self.score_below is not None:
            raise ValueError("a red list enters on score_at_least, not score_below")
        if self.type == "black" and self.rating_at_least is not None:
            raise ValueError("a black list enters on rating_below, not rating_at_least")
        if self.type == "red" and self.rating_below is not None:
            raise ValueError("a red list enters on rating_at_least, not rating_below")
        by_grade = self.rating_below is not None or self.rating_at_least is not None
        if by_grade != (self.rating is not None):
            raise ValueError("rating and rating_below / rating_at_least go together")
        if (self.score_below is None and self.score_at_least is None and not self.conduct
                and not by_grade):
            raise ValueError("needs an entry rule: score_below / score_at_least, conduct, "
                             "or rating with rating_below / rating_at_least")
        return self


class Rule(Strict):
    """One rule of a service. The first rule that matches an entity decides its request."""

    list: str | None = None  # matches entities on this list
    tier_below: str | None = None  # matches entities in a tier lower than this one
    tier_at_least: str | None = None  # matches entities in this tier or higher
    rating: str | None = None  # with rating_below / rating_at_least: a grade of this rating
    rating_below: str | None = None  # matches entities rated lower than this grade
    rating_at_least: str | None = None  # matches entities rated this grade or higher
    # The list applies to the firms the entity is legal representative of (joint punishment).
    via: Literal["legal_rep_of"] | None = None
    action: Action
    value: Annotated[float, Field(ge=0)] = 0.0  # discount/surcharge share, delay days ...

    @model_validator(mode="after")
    def _one_condition(self) -> Rule:
        conds = [c for c in ("list", "tier_below", "tier_at_least", "rating_below",
                             "rating_at_least") if getattr(self, c)]
        if len(conds) != 1:
            raise ValueError("give exactly one of list, tier_below, tier_at_least, "
                             "rating_below, rating_at_least")
        if (self.rating is not None) != (conds[0] in ("rating_below", "rating_at_least")):
            raise ValueError("rating and rating_below / rating_at_least go together")
        if self.via is not None and self.list is None:
            raise ValueError("via needs a list (the list the firm is on)")
        return self


class Service(Strict):
    """A service entities ask for; its rules grant, deny, discount or prioritise."""

    description: str = ""
    context: str = ""  # transport, finance, education ... (the audit compares with sources)
    department: Name = "services"
    kinds: list[EntityKind] = ["individual"]
    demand: Rate  # requests per entity per year
    modifiers: list[Modifier] = []
    rules: list[Rule] = []


class Appeals(Strict):
    file_prob: Prob = 0.0  # share of negative records the entity appeals
    success_if_wrong: Prob = 0.0
    success_if_right: Prob = 0.0
    days_to_decide: Days = 30


class Restoration(Strict):
    record_expiry_days: Days | None = None  # None: records never expire
    appeals: Appeals = Appeals()


Adapt = AdaptCfg  # adaptive conduct: scenario/society.py, docs/society.md


class CalibrationTarget(Strict):
    """A published aggregate a calibrated preset reproduces (see scsim/calibrate/)."""

    expr: str  # "denials:flight / denials:high_speed_rail", or one term (a national count)
    value: float
    source: str = ""  # where the figure was published, with its date
    achieved: float | None = None  # what the fitted preset gave at the calibration run


class Calibration(Strict):
    """How a preset's fitted values were obtained: `scsim calibrate` writes this table."""

    command: str = ""
    individuals: Annotated[int, Field(ge=1)] = 100_000  # sample size of the calibration runs
    days: Annotated[int, Field(ge=1)] = 365
    seed: Annotated[int, Field(ge=0)] = 0
    national_individuals: Annotated[int, Field(ge=1)] | None = None  # scale-up for counts
    targets: dict[Name, CalibrationTarget] = {}
    fitted: dict[str, float] = {}  # scenario key path -> fitted value


class ScenarioModel(Strict):
    meta: Meta = Meta()
    run: RunCfg = RunCfg()
    population: Population = Population()
    sources: dict[Name, SensingSource] = {}
    conduct: dict[Name, Conduct] = {}
    scoring: Scoring = Scoring()
    lists: dict[Name, ListCfg] = {}
    services: dict[Name, Service] = {}
    restoration: Restoration = Restoration()
    adapt: Adapt = Adapt()
    platform: PlatformCfg | None = None  # department silos and sharing (absent: all see all)
    # Organizations (docs/organizations.md): all empty by default, so nothing changes.
    ratings: dict[Name, Rating] = {}
    inspections: dict[Name, Inspection] = {}
    enforcement: dict[Name, Enforcement] = {}
    payments: Payments | None = None
    shocks: dict[Name, Shock] = {}
    calibration: Calibration | None = None
    # The society layer (scenario/society.py): all off when absent.
    network: NetworkCfg | None = None
    spillover: dict[Name, Spillover] | None = None
    shaming: Shaming | None = None

    def reference_problems(self) -> list[tuple[str, str]]:
        """Names that point nowhere, and modifiers on attributes a kind does not have."""
        out: list[tuple[str, str]] = []

        def unknown(path: str, name: str, table: dict | list, what: str) -> None:
            keys = list(table)
            out.append((path, f"unknown {what} {name!r} (expected one of: "
                        f"{', '.join(keys) if keys else 'none defined'})"))

        for cname, c in self.conduct.items():
            if c.source not in self.sources:
                unknown(f"conduct.{cname}.source", c.source, self.sources, "source")
            out += _modifier_problems(f"conduct.{cname}", c.kinds, c.modifiers, self)
        for cname in self.scoring.points:
            if cname not in self.conduct:
                unknown(f"scoring.points.{cname}", cname, self.conduct, "conduct")
        tiers = [t.name for t in self.scoring.tiers]
        if len(self.lists) > 8:
            out.append(("lists", "at most 8 lists"))
        for lname, lst in self.lists.items():
            for i, cname in enumerate(lst.conduct):
                if cname not in self.conduct:
                    unknown(f"lists.{lname}.conduct[{i}]", cname, self.conduct, "conduct")
        for sname, s in self.services.items():
            out += _modifier_problems(f"services.{sname}", s.kinds, s.modifiers, self)
            for i, r in enumerate(s.rules):
                path = f"services.{sname}.rules[{i}]"
                if r.list is not None and r.list not in self.lists:
                    unknown(f"{path}.list", r.list, self.lists, "list")
                for key in ("tier_below", "tier_at_least"):
                    t = getattr(r, key)
                    if t is not None and t not in tiers:
                        unknown(f"{path}.{key}", t, tiers, "tier")
        return (out + surveillance_problems(self) + organization_problems(self)
                + society_problems(self))


def _modifier_problems(path: str, kinds: list[str], mods: list[Modifier],
                       sc: ScenarioModel) -> list[tuple[str, str]]:
    out = []
    for i, m in enumerate(mods):
        for kind in kinds:
            a = attribute(kind, m.attribute)
            if a is None:
                out.append((f"{path}.modifiers[{i}].attribute",
                            f"{kind} entities have no attribute {m.attribute!r}"))
                continue
            labels = category_labels(sc, kind, m.attribute)
            named = list(m.only or []) + list((m.factors or {}).keys())
            if named and labels is None:
                out.append((f"{path}.modifiers[{i}]",
                            f"{m.attribute!r} is not categorical: use elasticity or between"))
            elif named:
                for lab in named:
                    if lab not in labels:
                        out.append((f"{path}.modifiers[{i}]", f"unknown {m.attribute} {lab!r} "
                                    f"(expected one of: {', '.join(labels)})"))
            if m.elasticity is not None and a.type == "categorical":
                out.append((f"{path}.modifiers[{i}].elasticity",
                            f"{m.attribute!r} is categorical: use only or factors"))
            if m.between is not None and a.type != "integer":
                out.append((f"{path}.modifiers[{i}].between",
                            f"{m.attribute!r} is not an integer attribute"))
    return out


def category_labels(sc: ScenarioModel, kind: str, name: str) -> list[str] | None:
    """Labels of a categorical attribute in this scenario (None if not categorical)."""
    a = attribute(kind, name)
    if a is None or a.type != "categorical":
        return None
    if a.labels is not None:
        return list(a.labels)
    if name == "group":
        return list(sc.population.groups)
    if name == "profession":
        return list(sc.population.professions)
    if name == "sector":
        return list(sc.population.sectors)
    raise KeyError(name)  # pragma: no cover - registry and this function disagree
