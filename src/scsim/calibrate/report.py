"""Parsing --target / --fit, and the `[calibration]` TOML a preset stores its fit in."""

from __future__ import annotations

import tomllib
from typing import Any

from scsim.calibrate.fit import CalibrationResult, FitParam, Target
from scsim.errors import ScsimInputError


def parse_target(text: str) -> Target:
    name, sep, value = text.rpartition("=")
    try:
        return Target(name.strip(), float(value))
    except ValueError:
        pass
    raise ScsimInputError(f"--target {text!r}: expected NAME=VALUE with a number"
                          if sep else f"--target {text!r}: expected NAME=VALUE")


def parse_fit(text: str) -> FitParam:
    key, sep, bounds = text.partition("=")
    lo, colon, hi = bounds.partition(":")
    try:
        if sep and colon:
            return FitParam(key.strip(), float(lo), float(hi))
    except ValueError:
        pass
    raise ScsimInputError(f"--fit {text!r}: expected KEY=LO:HI, e.g. "
                          "services.flight.demand=0.1:50")


def _slug(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "target"


def calibration_toml(targets: list[Target], res: CalibrationResult, *, individuals: int,
                     days: int, seed: int, national: int | None, command: str) -> str:
    import tomli_w

    table: dict[str, Any] = {"command": command, "individuals": individuals, "days": days,
                             "seed": seed}
    if national:
        table["national_individuals"] = national
    table["targets"] = {
        _slug(t.name): {"expr": t.expr, "value": t.value, "source": t.source,
                        "achieved": round(res.achieved[t.name], 6)} for t in targets}
    table["fitted"] = {k: float(f"{v:.6g}") for k, v in res.fitted.items()}
    return tomli_w.dumps({"calibration": table})


def variant_toml(base: str, res: CalibrationResult, block: str) -> str:
    """A scenario that extends `base` with the fitted values and the calibration table."""
    import tomli_w

    top: dict[str, Any] = {"meta": {"extends": base, "name": f"{base}-calibrated",
                                    "description": f"{base} with calibrated rates"}}
    for key, value in res.fitted.items():
        node = top
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = float(f"{value:.6g}")
    text = tomli_w.dumps(top) + "\n" + block
    tomllib.loads(text)  # what we write must read back
    return text
