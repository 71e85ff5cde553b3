"""Mechanisms: switchable model parts that ride on the daily loop without being steps of it.

A mechanism runs at the start of a day and/or after named steps, may scale a source's
coverage for given actors or veto list entries, and adds result tables and a summary block.
Only the mechanisms a scenario configures are built, so a scenario without them draws
exactly what it drew before (common random numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from scsim.sim import Sim


class Mechanism:
    name = "mechanism"
    after: tuple[str, ...] = ()  # steps after which `after_step` runs, in loop order

    def __init__(self, sim: Sim):
        self.sim = sim

    def start_day(self, day: int) -> None:
        """Before the first step of the day."""

    def after_step(self, step: str, day: int) -> None:
        """After each step named in `after`."""

    def coverage_factor(self, conduct: int, actors: np.ndarray) -> np.ndarray | None:
        """Multiplier of the coverage of the conduct's source for these actors (None: 1)."""
        return None

    def entry_filter(self, day: int, li: int, ids: np.ndarray) -> np.ndarray | None:
        """Which of the entities due to enter list `li` do enter (None: all)."""
        return None

    def tables(self) -> dict[str, pd.DataFrame]:
        return {}

    def summary(self) -> dict[str, Any]:
        return {}


def build_mechanisms(sim: Sim) -> list[Mechanism]:
    """The mechanisms the scenario configures, in the order they run."""
    from scsim.orgs import organization_mechanisms

    return organization_mechanisms(sim)
