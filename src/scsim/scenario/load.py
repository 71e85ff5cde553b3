"""Loading a scenario: a preset name or a TOML file, overrides on top, validation last."""

from __future__ import annotations

import copy
import difflib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scsim.errors import ScenarioError
from scsim.scenario.schema import ScenarioModel

POPULATION_KEYS = ("individuals", "companies", "governments", "organizations")


@dataclass(frozen=True)
class Scenario:
    """A validated scenario and where it came from."""

    model: ScenarioModel
    origin: str  # file path or "preset NAME"

    @property
    def name(self) -> str:
        return self.model.meta.name

    def to_toml(self) -> str:
        import tomli_w

        return tomli_w.dumps(self.model.model_dump(mode="json", exclude_none=True))


def preset_names() -> list[str]:
    files = resources.files("scsim.presets").iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def preset_text(name: str) -> str:
    if name not in preset_names():
        near = difflib.get_close_matches(name, preset_names(), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ScenarioError(f"preset {name!r}", [("", "no such preset (known: "
                            f"{', '.join(preset_names())}){hint}")])
    return resources.files("scsim.presets").joinpath(f"{name}.toml").read_text("utf-8")


def read_raw(spec: str | Path) -> tuple[dict[str, Any], str]:
    """Parse a preset name or a TOML path into a plain dict, without validation."""
    path = Path(spec)
    if isinstance(spec, Path) or path.suffix == ".toml" or path.exists():
        origin = str(spec)
        if not path.is_file():
            raise ScenarioError(origin, [("", "file not found")])
        text = path.read_text("utf-8")
    else:
        origin = f"preset {spec!r}"
        text = preset_text(str(spec))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(origin, [("", f"not valid TOML: {err}")]) from None
    return resolve_extends(raw, origin), origin


def resolve_extends(raw: dict[str, Any], origin: str, depth: int = 0) -> dict[str, Any]:
    """`[meta] extends = "preset"`: start from that preset, then apply this file on top.

    Tables merge key by key and any other value (a list, a number) replaces the base's.
    `[meta] replace = ["scoring.points", ...]` names tables taken whole from this file.
    The [meta] table is never inherited: each preset cites its own sources.
    """
    meta = raw.get("meta", {})
    base_name = meta.get("extends")
    if base_name is None:
        return raw
    if depth > 5:
        raise ScenarioError(origin, [("meta.extends", "extends chain is too deep (a loop?)")])
    if not isinstance(base_name, str):
        raise ScenarioError(origin, [("meta.extends", "expected a preset name or TOML path")])
    text = (Path(origin).parent / base_name).read_text("utf-8") if base_name.endswith(
        ".toml") else preset_text(base_name)
    base = resolve_extends(tomllib.loads(text), base_name, depth + 1)
    base.pop("meta", None)
    replace = set(meta.get("replace", []))
    merged = _merge(base, {k: v for k, v in raw.items()}, replace, "")
    merged["meta"] = {k: v for k, v in meta.items() if k not in ("extends", "replace")}
    return merged


def _merge(base: dict[str, Any], top: dict[str, Any], replace: set[str],
           path: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        here = f"{path}.{key}" if path else key
        if isinstance(value, dict) and isinstance(out.get(key), dict) and here not in replace:
            out[key] = _merge(out[key], value, replace, here)
        else:
            out[key] = value
    return out


def apply_overrides(raw: dict[str, Any], origin: str, *, days: int | None = None,
                    seed: int | None = None, individuals: int | None = None,
                    scale: float | None = None, sets: list[str] | None = None) -> dict[str, Any]:
    """CLI overrides on top of the file: --set first, then the named options, then --scale."""
    raw = copy.deepcopy(raw)
    for item in sets or []:
        key, value = _parse_set(item)
        _assign(raw, key, value, origin)
    run = raw.setdefault("run", {})
    if days is not None:
        run["days"] = days
    if seed is not None:
        run["seed"] = seed
    pop = raw.setdefault("population", {})
    if individuals is not None:
        pop["individuals"] = individuals
    if scale is not None:
        if not scale > 0:
            raise ScenarioError("--scale", [("", f"expected a number > 0, got {scale}")])
        defaults = ScenarioModel().population
        for key in POPULATION_KEYS:
            base = pop.get(key, getattr(defaults, key))
            if isinstance(base, int) and not isinstance(base, bool):
                pop[key] = int(round(base * scale))
    return raw


def _parse_set(item: str) -> tuple[str, Any]:
    if "=" not in item:
        raise ScenarioError("--set", [("", f"expected KEY.PATH=VALUE, got {item!r}")])
    key, text = item.split("=", 1)
    try:  # a TOML value: 0.3, true, "text", [1, 2], {a = 1}
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text  # a bare word is a string
    return key.strip(), value


def _assign(raw: dict[str, Any], key: str, value: Any, origin: str) -> None:
    node = raw
    parts = key.split(".")
    for part in parts[:-1]:
        nxt = node.setdefault(part, {})
        if not isinstance(nxt, dict):
            raise ScenarioError(f"--set {key}", [(key, f"{part!r} is not a table")])
        node = nxt
    node[parts[-1]] = value


def validate(raw: dict[str, Any], origin: str) -> Scenario:
    try:
        model = ScenarioModel.model_validate(raw)
    except ValidationError as err:
        raise ScenarioError(origin, [_describe(e, raw) for e in err.errors()]) from None
    problems = model.reference_problems()
    if problems:
        raise ScenarioError(origin, problems)
    return Scenario(model=model, origin=origin)


def _describe(e: dict[str, Any], raw: dict[str, Any]) -> tuple[str, str]:
    loc = [p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    path = ""
    for p in loc:
        path += f"[{p}]" if isinstance(p, int) else (f".{p}" if path else str(p))
    kind = e["type"]
    if kind == "extra_forbidden":
        parent = _known_keys(loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), parent, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return path, f"unknown key (expected one of: {', '.join(parent)}){hint}"
    got = e.get("input")
    shown = "" if isinstance(got, dict) else f", got {got!r}"
    msg = e["msg"].replace("Value error, ", "")
    return path, f"{msg}{shown}"


def _known_keys(loc: list[Any]) -> list[str]:
    """Field names allowed at a location, by walking the schema."""
    model: Any = ScenarioModel
    for p in loc:
        if isinstance(p, int) or model is None:
            continue
        fields = getattr(model, "model_fields", None)
        if fields is None:
            return []
        if p in fields:
            model = _inner_model(fields[p].annotation)
        else:  # a dict key (a user-chosen name): its values are the model
            continue
    fields = getattr(model, "model_fields", None)
    return list(fields) if fields else []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def load_scenario(spec: str | Path, **overrides: Any) -> Scenario:
    """Load a preset name or TOML path, apply overrides (days, seed, individuals, scale, sets)."""
    raw, origin = read_raw(spec)
    raw = apply_overrides(raw, origin, **overrides)
    return validate(raw, origin)
