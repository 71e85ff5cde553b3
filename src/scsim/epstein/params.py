"""Parameters of the civil-violence mode, validated on construction."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from scsim.errors import ScsimInputError

# Counts in a neighbourhood are packed into 21-bit fields of one int64 (see kernel.py).
MAX_NEIGHBOURHOOD = (1 << 21) - 1
MAX_JAIL = (1 << 31) - 2  # jail terms are int32
MAX_CELLS = (1 << 31) - 1  # cell indices are int32


class EpsteinParamError(ScsimInputError):
    """A bad parameter value; `field` is the EpsteinParams field, so the CLI can name its option."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class EpsteinParams:
    """Epstein (2002) model 1 parameters; defaults are those of Mesa 3.3.1's example.

    Mesa name in brackets where it differs: `vision` is both `citizen_vision` and `cop_vision`,
    `max_jail` is `max_jail_term`, `threshold` is `active_threshold`, `arrest_constant` is
    `arrest_prob_constant`.
    """

    width: int = 40
    height: int = 40
    citizen_density: float = 0.7
    cop_density: float = 0.074
    vision: int = 7
    legitimacy: float = 0.8
    max_jail: int = 1000
    threshold: float = 0.1
    arrest_constant: float = 2.3
    movement: bool = True

    def __post_init__(self) -> None:
        problems = param_problems(self)
        if problems:
            raise EpsteinParamError(*problems[0])

    @property
    def n_cells(self) -> int:
        return self.width * self.height


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_real(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def param_problems(p: EpsteinParams) -> list[tuple[str, str]]:
    """Every problem with `p` as (field, what was expected); empty when valid."""
    out: list[tuple[str, str]] = []
    for name in ("width", "height"):
        v = getattr(p, name)
        if not _is_int(v) or v < 1:
            out.append((name, f"expected an integer >= 1, got {v!r}"))
    halo = 2 * p.vision if _is_int(p.vision) and p.vision > 0 else 0
    if not out and (p.width + halo) * (p.height + halo) > MAX_CELLS:
        out.append(("width", f"expected a grid of at most {MAX_CELLS} cells, halo included"))
    for name in ("citizen_density", "cop_density"):
        v = getattr(p, name)
        if not _is_real(v) or not 0.0 <= v <= 1.0:
            out.append((name, f"expected a number in [0, 1], got {v!r}"))
    if not out and p.citizen_density + p.cop_density > 1.0:
        total = p.citizen_density + p.cop_density
        out.append(("cop_density", f"citizen density + cop density must be <= 1, got {total:g}"))
    if not _is_int(p.vision) or p.vision < 1:
        out.append(("vision", f"expected an integer >= 1, got {p.vision!r}"))
    elif 2 * p.vision * (p.vision + 1) > MAX_NEIGHBOURHOOD:
        out.append(("vision", f"expected a neighbourhood under 2**21 cells, got vision {p.vision}"))
    if not _is_real(p.legitimacy) or not 0.0 <= p.legitimacy <= 1.0:
        out.append(("legitimacy", f"expected a number in [0, 1], got {p.legitimacy!r}"))
    if not _is_int(p.max_jail) or not 0 <= p.max_jail <= MAX_JAIL:
        out.append(("max_jail", f"expected an integer in [0, {MAX_JAIL}], got {p.max_jail!r}"))
    if not _is_real(p.threshold):
        out.append(("threshold", f"expected a finite number, got {p.threshold!r}"))
    if not _is_real(p.arrest_constant) or p.arrest_constant < 0:
        out.append(("arrest_constant", f"expected a number >= 0, got {p.arrest_constant!r}"))
    if not isinstance(p.movement, bool):
        out.append(("movement", f"expected true or false, got {p.movement!r}"))
    return out


FIELD_NAMES = tuple(f.name for f in fields(EpsteinParams))
