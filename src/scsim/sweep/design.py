"""Parameter designs: the design points (one value per factor) a sweep runs.

- factorial: every combination of the factors' levels (ranges are refused: give levels);
- lhs: Latin hypercube of `samples` points; each factor's range (or levels) cut in `samples`
  strata, each stratum used once;
- sobol: Saltelli's extension of a Sobol sequence (SALib), `samples` * (factors + 2) points,
  the design that `scsim sweep-summary --sobol` needs for first and total order indices.

Designs are drawn from the sweep's base seed only, so the same command gives the same points.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from scsim.errors import ScsimInputError
from scsim.rng import stream_key
from scsim.sweep.factors import Factor

DESIGNS = ("factorial", "lhs", "sobol")
DEFAULT_SAMPLES = {"lhs": 20, "sobol": 16}


def design_points(factors: list[Factor], design: str, samples: int | None,
                  seed: int) -> list[tuple[Any, ...]]:
    """One tuple of factor values per design point, in a stable order."""
    if design not in DESIGNS:
        raise ScsimInputError(f"--design {design!r}: expected one of {', '.join(DESIGNS)}")
    if design == "factorial":
        ranges = [f.path for f in factors if f.is_range]
        if ranges:
            raise ScsimInputError(f"--set {ranges[0]}: a factorial design needs levels "
                                  "(v1,v2,...), not a range lo:hi; use --design lhs or sobol")
        if samples is not None:
            raise ScsimInputError("--samples: only for --design lhs or sobol (a factorial "
                                  "design runs every combination of the levels)")
        return list(itertools.product(*(f.levels for f in factors)))
    if not factors:
        raise ScsimInputError(f"--design {design}: needs at least one --set with several "
                              "values or a range lo:hi")
    n = DEFAULT_SAMPLES[design] if samples is None else samples
    if n < 1:
        raise ScsimInputError(f"--samples: expected a whole number >= 1, got {n}")
    u = lhs_unit(len(factors), n, seed) if design == "lhs" else sobol_unit(factors, n, seed)
    return [tuple(f.value_at(x) for f, x in zip(factors, row, strict=True)) for row in u]


def lhs_unit(k: int, n: int, seed: int) -> np.ndarray:
    """An (n, k) Latin hypercube on [0, 1): one point in each of n strata per column."""
    rng = np.random.Generator(np.random.Philox(key=stream_key(seed, "sweep:lhs")))
    jitter = rng.random((n, k))
    strata = np.stack([rng.permutation(n) for _ in range(k)], axis=1)
    return (strata + jitter) / n


def sobol_problem(factors: list[Factor]) -> dict[str, Any]:
    """The SALib problem: each factor on its quantile scale [0, 1] (mapped by value_at)."""
    return {"num_vars": len(factors), "names": [f.column for f in factors],
            "bounds": [[0.0, 1.0]] * len(factors)}


def sobol_unit(factors: list[Factor], n: int, seed: int) -> np.ndarray:
    try:
        from SALib.sample import sobol
    except ImportError:
        raise ScsimInputError("--design sobol needs SALib: pip install 'scsim[sensitivity]'") \
            from None
    if n & (n - 1):
        raise ScsimInputError(f"--samples {n}: a Sobol design needs a power of 2 "
                              "(8, 16, 32 ...)")
    return sobol.sample(sobol_problem(factors), n, calc_second_order=False,
                        seed=int(stream_key(seed, "sweep:sobol") % 2**32))
