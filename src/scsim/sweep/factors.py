"""Sweep factors from `--set KEY.PATH=...`: levels (`v1,v2,...`) or a range (`lo:hi`).

A `--set` with one value is a fixed override, not a factor. Values are TOML values, as in
`scsim run --set`: `0.3`, `true`, `"text"`, `[1, 2]`; a bare word is a string. Commas inside
brackets or quotes do not split levels.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from scsim.errors import ScsimInputError

RESERVED = ("run_id", "point", "replicate", "seed")


@dataclass(frozen=True)
class Factor:
    """One varied key: discrete `levels`, or a numeric range [lo, hi] (`integer`: whole)."""

    path: str
    levels: tuple[Any, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    column: str = ""  # name in the experiments table (set by name_columns)

    @property
    def is_range(self) -> bool:
        return self.levels is None

    def value_at(self, u: float) -> Any:
        """The factor's value at a quantile u in [0, 1) (LHS and Sobol designs)."""
        u = min(max(float(u), 0.0), 1.0 - 1e-12)
        if self.levels is not None:
            return self.levels[int(u * len(self.levels))]
        assert self.lo is not None and self.hi is not None
        if self.integer:
            return int(self.lo) + int(u * (int(self.hi) - int(self.lo) + 1))
        return self.lo + u * (self.hi - self.lo)

    def describe(self) -> str:
        if self.levels is not None:
            return ", ".join(toml_value(v) for v in self.levels)
        return f"{self.lo:g} to {self.hi:g}" + (" (whole numbers)" if self.integer else "")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Factor:
        levels = tuple(d["levels"]) if d.get("levels") is not None else None
        return cls(path=d["path"], levels=levels, lo=d.get("lo"), hi=d.get("hi"),
                   integer=bool(d.get("integer")), column=d.get("column", ""))

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "column": self.column,
                "levels": list(self.levels) if self.levels is not None else None,
                "lo": self.lo, "hi": self.hi, "integer": self.integer}


def toml_value(value: Any) -> str:
    """A value as TOML text, exactly as `--set` reads it back (floats round-trip exactly)."""
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside brackets, braces and quotes."""
    parts, depth, quote, cur = [], 0, "", []
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def _parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def _number(text: str, item: str) -> float | int:
    v = _parse_value(text)
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ScsimInputError(f"--set {item}: a range lo:hi needs two numbers, got {text!r}")
    return v


def parse_set(item: str) -> tuple[str, Factor | Any]:
    """`KEY.PATH=v1,v2` -> Factor with levels; `KEY.PATH=lo:hi` -> range; one value -> fixed."""
    if "=" not in item:
        raise ScsimInputError(f"--set {item!r}: expected KEY.PATH=VALUE[,VALUE...] or "
                              "KEY.PATH=LO:HI")
    key, text = (s.strip() for s in item.split("=", 1))
    if not key or any(not p for p in key.split(".")):
        raise ScsimInputError(f"--set {item!r}: empty key path")
    if key == "run.seed":
        raise ScsimInputError("--set run.seed: a sweep sets each run's seed from --seed and the "
                              "run id; use --seed for the base seed")
    parts = split_top(text, ",")
    if len(parts) == 1:
        bounds = split_top(text, ":")
        if len(bounds) == 2 and not text.strip().startswith(("\"", "'")):
            lo, hi = _number(bounds[0], item), _number(bounds[1], item)
            if not lo < hi:
                raise ScsimInputError(f"--set {item}: range lo:hi needs lo < hi")
            integer = isinstance(lo, int) and isinstance(hi, int)
            return key, Factor(path=key, lo=float(lo), hi=float(hi), integer=integer)
        return key, _parse_value(text)
    if any(not p.strip() for p in parts):
        raise ScsimInputError(f"--set {item}: empty value in the list")
    levels = tuple(_parse_value(p) for p in parts)
    if len({toml_value(v) for v in levels}) != len(levels):
        raise ScsimInputError(f"--set {item}: a value is listed twice")
    return key, Factor(path=key, levels=levels)


def parse_sets(items: list[str]) -> tuple[list[Factor], list[str]]:
    """Factors (named for the experiments table) and the fixed `KEY=VALUE` overrides."""
    factors: list[Factor] = []
    fixed: list[str] = []
    seen: set[str] = set()
    for item in items:
        key, f = parse_set(item)
        if key in seen:
            raise ScsimInputError(f"--set {key}: given twice")
        seen.add(key)
        if isinstance(f, Factor):
            factors.append(f)
        else:
            fixed.append(f"{key}={toml_value(f)}")
    return name_columns(factors), fixed


def name_columns(factors: list[Factor]) -> list[Factor]:
    """Column names: the shortest unique tail of each key path, joined with '_'."""
    from dataclasses import replace

    paths = [f.path.split(".") for f in factors]
    out = []
    for f, parts in zip(factors, paths, strict=True):
        for n in range(1, len(parts) + 1):
            name = "_".join(parts[-n:])
            clash = any("_".join(o[-n:]) == name for o in paths if o is not parts)
            if not clash and name not in RESERVED:
                break
        out.append(replace(f, column=name))
    return out
