"""`scsim epstein`: run Epstein's (2002) civil-violence model and write per-step counts as CSV."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from scsim.errors import ScsimInputError

# EpsteinParams field -> (CLI option, type); the option is the field with dashes.
_PARAM_OPTIONS: list[tuple[str, type, str]] = [
    ("width", int, "grid width in cells (torus)"),
    ("height", int, "grid height in cells (torus)"),
    ("citizen_density", float, "probability that a cell starts with a citizen"),
    ("cop_density", float, "probability that a cell starts with a cop"),
    ("vision", int, "von Neumann radius agents see, for citizens and cops"),
    ("legitimacy", float, "regime legitimacy L, the same for every citizen"),
    ("max_jail", int, "jail terms are uniform integers in [0, max-jail]"),
    ("threshold", float, "a citizen is active when G - R * P > threshold"),
    ("arrest_constant", float, "k in P = 1 - exp(-k * round(cops / (1 + actives)))"),
]


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "epstein",
        help="Epstein (2002) civil violence model, as Mesa's example",
        description="Run Epstein's (2002) civil-violence model 1 (semantics of Mesa 3.3.1's "
        "example) and write one CSV row a step: step,active,quiet,jailed (citizen counts "
        "after the step). Defaults are Mesa's.",
    )
    from scsim.epstein.params import EpsteinParams  # light: no numpy, no numba

    defaults = EpsteinParams()
    for field, kind, text in _PARAM_OPTIONS:
        p.add_argument(
            _option(field),
            dest=field,
            type=kind,
            default=getattr(defaults, field),
            help=f"{text} (default {getattr(defaults, field)})",
        )
    p.add_argument("--no-movement", action="store_true", help="agents never move")
    p.add_argument("--steps", type=int, default=100, help="number of steps (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", required=True, help="CSV file to write (replaced atomically)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scsim.epstein.params import EpsteinParamError, EpsteinParams

    if args.steps < 0:
        raise ScsimInputError(f"--steps: expected an integer >= 0, got {args.steps}")
    if args.seed < 0:
        raise ScsimInputError(f"--seed: expected an integer >= 0, got {args.seed}")
    out = Path(args.out)
    if out.is_dir():
        raise ScsimInputError(f"--out: expected a file path, got the folder {out}")
    if not out.parent.is_dir():
        raise ScsimInputError(f"--out: folder {out.parent} does not exist")
    values = {field: getattr(args, field) for field, _, _ in _PARAM_OPTIONS}
    try:
        params = EpsteinParams(**values, movement=not args.no_movement)
    except EpsteinParamError as err:
        raise ScsimInputError(f"{_option(err.field)}: {err.message}") from None

    from scsim.epstein import run_epstein

    counts = run_epstein(params, args.steps, seed=args.seed)[1:]  # row 0 is the initial state
    _write_csv_atomic(out, counts)
    return 0


def _write_csv_atomic(path: Path, counts) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp-epstein")
    try:
        with os.fdopen(fd, "w", newline="") as fh:
            fh.write("step,active,quiet,jailed\n")
            for row in counts:
                fh.write(f"{row['step']},{row['active']},{row['quiet']},{row['jailed']}\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
