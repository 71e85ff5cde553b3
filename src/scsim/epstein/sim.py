"""Python API of the civil-violence mode: set up the arrays, run the kernel, return counts."""

from __future__ import annotations

import math

import numpy as np

from scsim.epstein import kernel
from scsim.epstein.neighbourhood import build_neighbourhood, padded_layout
from scsim.epstein.params import EpsteinParams
from scsim.epstein.rng import new_state

COUNTS_DTYPE = np.dtype(
    [("step", np.int64), ("active", np.int64), ("quiet", np.int64), ("jailed", np.int64)]
)


class EpsteinSim:
    """One run of the model, agents held as arrays (struct of arrays), grid as agent ids.

    Set-up follows Mesa: each cell independently holds a citizen (probability
    citizen_density), a cop (cop_density) or nothing; citizens draw hardship and risk
    aversion from U(0, 1) and start quiet with no jail term.
    """

    def __init__(self, params: EpsteinParams, seed: int | None = None):
        self.params = p = params
        self.rng = np.random.default_rng(seed)
        draw = self.rng.random(p.n_cells)
        occupied = np.flatnonzero(draw < p.citizen_density + p.cop_density)
        n = occupied.size
        # Agent ids follow cell order; the kernel shuffles the activation order anyway.
        self.pos = occupied.astype(np.int32)
        self.is_cop = draw[occupied] >= p.citizen_density
        self.hardship = self.rng.random(n)
        self.risk_aversion = self.rng.random(n)
        self.hardship[self.is_cop] = 0.0
        self.risk_aversion[self.is_cop] = 0.0
        self.grievance = self.hardship * (1.0 - p.legitimacy)
        self.state = np.full(n, kernel.QUIET, dtype=np.int8)
        self.jail = np.zeros(n, dtype=np.int32)
        self.order = np.arange(n, dtype=np.int32)
        self.cell_agent = np.full(p.n_cells, -1, dtype=np.int32)
        self.cell_agent[self.pos] = np.arange(n)
        self.hood = build_neighbourhood(p.width, p.height, p.vision)
        self.layout = padded_layout(p.width, p.height, p.vision)
        self._row_acc = np.zeros(2 * p.vision + 1, dtype=np.int64)
        self.bits, self._code_dtype = kernel.field_bits(self.hood.size)
        self.code = self._padded_codes()
        # Arrest probability for each possible rounded cops/actives ratio (at most all cells).
        k = p.arrest_constant
        self._p_arrest_of = np.array(
            [1 - math.exp(-1 * k * r) for r in range(self.hood.size + 1)], dtype=np.float64
        )
        # Most cops in sight with which each citizen rebels when no active is in sight.
        self.cop_limit = np.empty(n, dtype=np.int32)
        kernel.cop_limits(self.grievance, self.risk_aversion, self.is_cop, float(p.threshold),
                          self._p_arrest_of, self.cop_limit)  # fmt: skip
        # Active citizens in each cell's neighbourhood, kept up to date by the kernel.
        self.near_active = np.zeros(p.n_cells, dtype=np.int32)
        self.rng_state = new_state(self.rng)  # the kernel's own generator, seeded from rng
        self.steps_done = 0

    @property
    def n_agents(self) -> int:
        return int(self.pos.size)

    @property
    def n_citizens(self) -> int:
        return int(np.count_nonzero(~self.is_cop))

    def _padded_codes(self) -> np.ndarray:
        p = self.params
        flat = np.full(p.n_cells, kernel.EMPTY_CODE, dtype=self._code_dtype)
        flat[self.pos[~self.is_cop]] = 0  # everyone starts quiet
        flat[self.pos[self.is_cop]] = 1 << (2 * self.bits)
        grid = flat.reshape(p.height, p.width)
        return np.pad(grid, p.vision, mode="wrap").ravel()

    def counts(self) -> np.ndarray:
        """Current (active, quiet, jailed) citizen counts."""
        out = np.zeros(3, dtype=np.int64)
        kernel.count_states(self.is_cop, self.state, out)
        return out

    def run(self, steps: int) -> np.ndarray:
        """Advance `steps` steps; return their counts (structured, COUNTS_DTYPE), one row each."""
        if steps < 0:
            raise ValueError("steps must be >= 0")
        p = self.params
        h = self.hood
        raw = np.zeros((steps, 3), dtype=np.int64)
        kernel.run_steps(
            self.code, self.cell_agent, self.pos, self.is_cop, self.grievance,
            self.risk_aversion, self.cop_limit, self.state, self.jail, self.near_active,
            self.order,
            h.mask.astype(self._code_dtype), h.delta, *self.layout, self._row_acc,
            p.width, p.height, p.vision, self.bits, float(p.threshold), self._p_arrest_of,
            p.max_jail, p.movement, self.rng_state, raw,
        )  # fmt: skip
        out = np.empty(steps, dtype=COUNTS_DTYPE)
        out["step"] = np.arange(self.steps_done + 1, self.steps_done + steps + 1)
        out["active"], out["quiet"], out["jailed"] = raw.T
        self.steps_done += steps
        return out


def run_epstein(params: EpsteinParams, steps: int, seed: int | None = None) -> np.ndarray:
    """Run the model; counts per step as a structured array (step, active, quiet, jailed).

    Row 0 is the initial state (step 0, everyone quiet), as Mesa's DataCollector records it;
    row i holds the counts after step i, so there are `steps + 1` rows.
    """
    sim = EpsteinSim(params, seed)
    first = np.zeros(1, dtype=COUNTS_DTYPE)
    first["active"], first["quiet"], first["jailed"] = sim.counts()
    return np.concatenate([first, sim.run(steps)])
