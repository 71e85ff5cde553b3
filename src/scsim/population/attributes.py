"""The attributes each kind of entity carries, as a registry.

Scenario validation uses it to check that a modifier names an attribute the entity kinds
have; the engine uses it to read the attribute arrays. Categorical attributes are stored as
small integer codes whose labels come from the scenario (or are fixed here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

KINDS: tuple[str, ...] = ("individual", "company", "government", "organization")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}

AttrType = Literal["categorical", "unit", "integer"]


@dataclass(frozen=True)
class Attribute:
    name: str
    kind: str
    type: AttrType  # categorical: codes into labels; unit: float in [0, 1]; integer: a count
    labels: tuple[str, ...] | None = None  # fixed labels; None = labels come from the scenario
    doc: str = ""
    span: tuple[float, float] = (0.0, 1.0)  # integer attributes: range mapped onto [0, 1]


_A = Attribute
ATTRIBUTES: tuple[Attribute, ...] = (
    _A("group", "individual", "categorical", None, "demographic group label (scenario-defined)"),
    _A("sex", "individual", "categorical", ("female", "male")),
    _A("age", "individual", "integer", None, "years, 16 to 90", (16, 90)),
    _A("region", "individual", "integer", None, "region index 0..regions-1"),
    _A("urban", "individual", "categorical", ("rural", "urban")),
    _A("religious", "individual", "categorical", ("no", "yes"), "practises a religion"),
    _A("profession", "individual", "categorical", None, "scenario-defined professions"),
    _A("income_decile", "individual", "integer", None, "0 (poorest) .. 9 (richest)", (0, 9)),
    _A("loyalty", "individual", "unit", None, "latent loyalty to the authorities (legitimacy)"),
    _A("risk_aversion", "individual", "unit", None, "Epstein's R"),
    _A("hardship", "individual", "unit", None, "Epstein's H"),
    _A("opted_in", "individual", "categorical", ("no", "yes"),
       "joined an opt-in scheme (population.opt_in_share)"),
    _A("ownership", "company", "categorical", ("private", "state", "foreign")),
    _A("size", "company", "categorical", ("micro", "small", "medium", "large")),
    _A("sector", "company", "categorical", None, "scenario-defined sectors"),
    _A("region", "company", "integer", None, "region index"),
    _A("level", "government", "categorical", ("province", "city", "county", "department")),
    _A("fiscal_stress", "government", "unit", None, "0 = sound finances, 1 = insolvent"),
    _A("region", "government", "integer", None, "region index"),
    _A("org_type", "organization", "categorical", ("charity", "religious", "association")),
    _A("region", "organization", "integer", None, "region index"),
)


# Unit attributes of individuals (loyalty, risk aversion, hardship) are stored as 16-bit
# codes, value = code / 65535 (a step of 1.5e-5): 6 bytes an individual fewer than float32.
UNIT_CODE_MAX = 65535


def unit_codes(x: np.ndarray) -> np.ndarray:
    """Values in [0, 1] (float32) as 16-bit codes, rounded to the nearest (half to even)."""
    from scsim.population.codes_kernel import to_codes

    out = np.empty(x.size, np.uint16)
    to_codes(np.ascontiguousarray(x, np.float32), np.float32(UNIT_CODE_MAX), out)
    return out


def code_scale(a: Attribute | None, values: np.ndarray) -> float:
    """What a value of the attribute is multiplied by in its stored array (65535 for
    unit attributes stored as codes, else 1)."""
    return float(UNIT_CODE_MAX) if a is not None and a.type == "unit" \
        and values.dtype == np.uint16 else 1.0


def unit_values(values: np.ndarray) -> np.ndarray:
    """A unit attribute's values as float32, from codes or as stored."""
    if values.dtype == np.uint16:
        return np.divide(values, np.float32(UNIT_CODE_MAX), dtype=np.float32)
    return values


def attribute(kind: str, name: str) -> Attribute | None:
    for a in ATTRIBUTES:
        if a.kind == kind and a.name == name:
            return a
    return None


def attribute_names(kind: str) -> list[str]:
    return [a.name for a in ATTRIBUTES if a.kind == kind]
