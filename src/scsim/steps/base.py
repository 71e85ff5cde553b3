"""What every daily step shares: a name, a one-line purpose, and `step(day)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scsim.sim import Sim


class Step:
    name = "step"
    purpose = ""

    def __init__(self, sim: Sim):
        self.sim = sim

    def step(self, day: int) -> None:  # pragma: no cover - every step overrides it
        raise NotImplementedError
