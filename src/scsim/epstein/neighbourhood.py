"""Von Neumann neighbourhood of radius `vision` on a torus, laid out for the kernel.

The kernel keeps a copy of the grid padded by `vision` cells on every side (a halo that
mirrors the torus), so a neighbourhood is the (2v+1) x (2v+1) square around the cell with a
diamond-shaped mask, and no index needs a modulo. On a torus narrower than 2v + 1 the
diamond wraps onto itself; Mesa's breadth-first neighbourhood then holds each cell once, so
the mask keeps one copy of each cell too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Neighbourhood(NamedTuple):
    mask: np.ndarray  # (2v+1, 2v+1) int64: -1 (all bits) on neighbourhood cells, else 0
    delta: np.ndarray  # flat offset in the padded grid of each neighbourhood cell

    @property
    def size(self) -> int:
        return int(self.delta.size)


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


def build_neighbourhood(width: int, height: int, vision: int) -> Neighbourhood:
    offs = np.asarray(neighbour_offsets(width, height, vision), dtype=np.int64).reshape(-1, 2)
    dx, dy = offs[:, 0].copy(), offs[:, 1].copy()
    side = 2 * vision + 1
    mask = np.zeros((side, side), dtype=np.int64)
    mask[dy + vision, dx + vision] = -1
    delta = dy * (width + 2 * vision) + dx
    return Neighbourhood(mask, delta)


class PaddedLayout(NamedTuple):
    """Index tables between the torus (cell = y * width + x) and the padded grid."""

    padded: np.ndarray  # torus cell -> padded index of its main copy
    torus: np.ndarray  # padded index -> torus cell
    halo: np.ndarray  # torus cell -> True when it also has copies in the halo


def padded_layout(width: int, height: int, vision: int) -> PaddedLayout:
    ys = (np.arange(height + 2 * vision) - vision) % height
    xs = (np.arange(width + 2 * vision) - vision) % width
    torus = (ys[:, None] * width + xs[None, :]).ravel()
    y, x = np.divmod(np.arange(width * height), width)
    padded = (y + vision) * (width + 2 * vision) + x + vision
    copies = np.bincount(torus, minlength=width * height)
    return PaddedLayout(padded.astype(np.int32), torus.astype(np.int32), copies > 1)
