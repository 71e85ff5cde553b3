"""Von Neumann neighbourhood of radius `vision` on a torus, as row segments of a padded grid.

The kernel keeps a copy of the grid padded by `vision` cells on every side (a halo that
mirrors the torus), so every neighbourhood is a set of short contiguous runs in memory and no
index needs a modulo. On a torus narrower than 2 * vision + 1 the diamond wraps onto itself;
Mesa's breadth-first neighbourhood then holds each cell once, so we drop the repeats too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Segments(NamedTuple):
    """Row runs of the neighbourhood, relative to the centre cell (centre excluded)."""

    start: np.ndarray  # flat offset in the padded grid of the run's first cell
    length: np.ndarray
    dx0: np.ndarray  # column offset of the run's first cell
    dy: np.ndarray  # row offset of the run
    size: int  # number of distinct cells


def neighbour_offsets(width: int, height: int, vision: int) -> list[tuple[int, int]]:
    """Distinct (dx, dy) with |dx| + |dy| <= vision on a width x height torus, centre excluded."""
    seen: set[tuple[int, int]] = {(0, 0)}
    out: list[tuple[int, int]] = []
    # Nearest offsets first, so the kept representative of a wrapped cell is the shortest one.
    for dist in range(1, vision + 1):
        for dy in range(-dist, dist + 1):
            rest = dist - abs(dy)
            for dx in sorted({-rest, rest}):
                key = (dx % width, dy % height)
                if key not in seen:
                    seen.add(key)
                    out.append((dx, dy))
    return out


def build_segments(width: int, height: int, vision: int) -> Segments:
    padded_width = width + 2 * vision
    offs = sorted(neighbour_offsets(width, height, vision), key=lambda o: (o[1], o[0]))
    start: list[int] = []
    length: list[int] = []
    dx0: list[int] = []
    dy: list[int] = []
    for dx, row in offs:
        if dy and dy[-1] == row and dx0[-1] + length[-1] == dx:
            length[-1] += 1
        else:
            start.append(row * padded_width + dx)
            length.append(1)
            dx0.append(dx)
            dy.append(row)
    as64 = lambda v: np.asarray(v, dtype=np.int64)  # noqa: E731
    return Segments(as64(start), as64(length), as64(dx0), as64(dy), len(offs))
