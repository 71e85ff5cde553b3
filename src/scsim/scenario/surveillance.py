"""Scenario tables for sensing and data integration: identification methods and the platform.

A source identifies the entity behind an act by one of three methods (`registry`, `face`,
`online`), each with its own error model; `[platform]` decides which department sees which
record. Every default that switches a mechanism on is zero or absent, so a scenario without
these keys runs exactly as before. Defaults for face identification follow NIST's reporting
convention (FNIR and FPIR at an operating threshold, NISTIR 8271) and its demographic findings
(NISTIR 8280); see docs/surveillance.md for the figures and their sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from scsim.scenario.schema import ScenarioModel

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Factor = Annotated[float, Field(ge=0.0, le=1e6)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$", max_length=64)]
Days = Annotated[int, Field(ge=0, le=30000)]
Count1 = Annotated[int, Field(ge=1)]
Method = Literal["registry", "face", "online"]
PLATFORM = "platform"  # the department that keeps the unified score


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RegistryCfg(_Strict):
    """Registry identification: the record carries the entity's id number."""

    clerical: Prob = 0.0  # share of records keyed to a wrong id number (a clerical slip)
    # Share of records matched by name alone (id missing or unread): any namesake of the
    # actor may be named, so the error rate rises with how common the actor's name is.
    name_match: Prob = 0.0


class FaceCfg(_Strict):
    """1:N face identification against a gallery, as a statistical model of match errors.

    The operating point is given by `fpir` or by `threshold` (a match confidence), or is the
    reference point. FPIR falls tenfold for every `threshold_per_decade` the threshold rises;
    FNIR moves the other way along a DET line of slope `det_slope` (log FNIR against
    log FPIR). `fnir` fixes the miss rate instead. FPIR holds at `reference_gallery`
    identities and grows with the gallery searched: 1 - (1 - FPIR)^(gallery / reference).
    """

    fpir: Prob | None = None
    threshold: Prob | None = None
    fnir: Prob | None = None
    ref_fpir: Annotated[float, Field(gt=0.0, le=1.0)] = 0.003  # NIST's 1:N reporting point
    ref_fnir: Prob = 0.10
    ref_threshold: Prob = 0.90
    threshold_per_decade: Annotated[float, Field(gt=0.0, le=1.0)] = 0.03
    det_slope: Annotated[float, Field(ge=0.0, le=5.0)] = 0.25
    enrolled: Prob = 1.0  # share of individuals in the gallery
    gallery: Count1 | None = None  # identities searched (default: enrolled)
    reference_gallery: Count1 | None = None  # fpir holds here (default: =gallery)
    mated_fp: Prob = 1.0  # share of the FPIR that applies when the actor is in the gallery
    group_fpir: dict[str, Factor] = {}  # FPIR multiplier by demographic group
    sex_fpir: dict[Literal["female", "male"], Factor] = {"female": 2.0, "male": 1.0}
    same_demographic: Prob = 0.9  # share of false matches drawn from the actor's group and sex
    phantom_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0  # phantoms per real sighting
    advert_faces: Annotated[int, Field(ge=1, le=1_000_000)] = 20  # faces on advertisements

    @model_validator(mode="after")
    def _one_operating_point(self) -> FaceCfg:
        if self.fpir is not None and self.threshold is not None:
            raise ValueError("give at most one of fpir and threshold (they pick the same "
                             "operating point on the trade-off curve)")
        return self


class OnlineCategory(_Strict):
    """What the classifier does with one flagged category (a conduct name)."""

    recall: Prob  # share of true posts of this category that are flagged
    false_flag: Prob | None = None  # share of harmless posts flagged as this category
    precision: Annotated[float, Field(gt=0.0, le=1.0)] | None = None  # or: aim at this precision

    @model_validator(mode="after")
    def _one_rate(self) -> OnlineCategory:
        if self.false_flag is not None and self.precision is not None:
            raise ValueError("give at most one of false_flag and precision")
        return self


class OnlineCfg(_Strict):
    """A classifier over posts: only what it flags becomes a record."""

    categories: dict[Name, OnlineCategory]


class PairCfg(_Strict):
    sharing: Prob | None = None
    delay_days: Days | None = None


class PlatformCfg(_Strict):
    """Department silos and the unified platform (absent: one platform sees every record)."""

    sharing: Prob = 1.0  # share of a department's records (and listings) other departments see
    delay_days: Days = 0  # days before a shared record reaches another department
    join_error: Prob = 0.0  # share of shared records joined to a wrong entity on the way
    pairs: dict[Name, dict[Name, PairCfg]] = {}  # from department -> to department -> figures


def check_source(src) -> None:
    """Method tables belong to their method; face and online get their defaults filled in."""
    for method in ("registry", "face", "online"):
        if getattr(src, method) is not None and src.method != method:
            raise ValueError(f"{method}: only for method = {method!r} (method is {src.method!r})")
    if src.method == "face" and src.face is None:
        object.__setattr__(src, "face", FaceCfg())
    if src.method == "online" and src.online is None:
        raise ValueError("method 'online' needs an [online] table with categories")


def departments(sc: ScenarioModel) -> list[str]:
    """Every department a scenario names, the platform first."""
    seen = [PLATFORM]
    for table in (sc.sources, sc.services, sc.lists):
        for item in table.values():
            d = getattr(item, "department", None)
            if d is not None and d not in seen:
                seen.append(d)
    return seen


def surveillance_problems(sc: ScenarioModel) -> list[tuple[str, str]]:
    """Names that point nowhere in the sensing and platform tables."""
    out: list[tuple[str, str]] = []
    groups = list(sc.population.groups)
    for sname, src in sc.sources.items():
        path = f"sources.{sname}"
        for key in src.region_factor:
            if not key.isdigit() or int(key) >= sc.population.regions:
                out.append((f"{path}.region_factor.{key}", "expected a region index 0.."
                            f"{sc.population.regions - 1} (as a string key)"))
        if src.face is not None:
            for g in src.face.group_fpir:
                if g not in groups:
                    out.append((f"{path}.face.group_fpir.{g}",
                                f"unknown group {g!r} (expected one of: {', '.join(groups)})"))
        if src.online is not None:
            total = 0.0
            for cname, cat in src.online.categories.items():
                total += cat.false_flag or 0.0
                where = f"{path}.online.categories.{cname}"
                if cname not in sc.conduct:
                    out.append((where, f"unknown conduct {cname!r} (expected one of: "
                                f"{', '.join(sc.conduct)})"))
                elif sc.conduct[cname].source != sname:
                    out.append((where, f"conduct {cname!r} comes from source "
                                f"{sc.conduct[cname].source!r}, not {sname!r}"))
            if total > 1.0:
                out.append((f"{path}.online.categories", f"false_flag rates sum to {total:g} "
                            "(at most 1: a post gets one label)"))
    for cname, c in sc.conduct.items():
        src = sc.sources.get(c.source)
        if src is not None and src.method == "face" and c.kinds != ["individual"]:
            out.append((f"conduct.{cname}.kinds", f"source {c.source!r} identifies faces: "
                        f"only individuals can be seen (got {', '.join(c.kinds)})"))
    if sc.platform is not None:
        known = departments(sc)
        for a, row in sc.platform.pairs.items():
            for b in [a, *row]:
                if b not in known:
                    out.append((f"platform.pairs.{a}" + (f".{b}" if b != a else ""),
                                f"unknown department {b!r} (expected one of: {', '.join(known)})"))
    return out
