"""All score changes go through here: clamping, the true-score shadow, per-cell sums.

Scores are a ledger with a sticky clamp: each change is added and the result clamped to
[min, max], and a reversal (expiry, upheld appeal) subtracts the same points and clamps again.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.ids import unique
from scsim.engine.kernels import score_change, scored_sums
from scsim.engine.state import State
from scsim.population.kinds import KindCodes


class ScoreBook:
    def __init__(self, state: State, cell: np.ndarray, n_cells: int, lo: float, hi: float,
                 scored_kind: np.ndarray, kind: KindCodes):
        self.state = state
        self.cell = cell
        self.lo, self.hi = np.float32(lo), np.float32(hi)
        self.scored_kind = scored_kind  # bool per kind code
        self.kind = kind
        # First id of each kind, then the end: kinds are contiguous id ranges, so a kernel can
        # tell an entity's kind by comparisons (engine/kernels.kind_of), not a memory load.
        self.kind_starts = kind.starts
        # Sum of scores per cell over scored entities, kept up to date for the daily mean.
        self.cell_sum, self.cell_n = scored_sums(cell, kind.starts, scored_kind, state.score,
                                                 n_cells)
        # Entities whose score moved in a way a list rule may answer (see watch_lists), and
        # those whose tier may have changed sides for the demand split (engine/demand): the
        # later steps re-test only these, not every entity whose score moved.
        self.touched: list[np.ndarray] = []
        self.changed: list[np.ndarray] = []
        self.watch = np.empty(0, np.float32)  # list thresholds (set by the list step)
        self.watch_black = np.empty(0, np.bool_)  # per threshold: a blacklist's (below)
        self.flips = np.empty(0, np.float32)  # tier boundaries the demand split cares about
        self.track_changed = False  # set when a demand split reads `changed`

    def watch_lists(self, thresholds: list[float], black: list[bool]) -> None:
        """The list thresholds whose crossing (or whose entry side) makes an entity worth
        re-testing by the list step."""
        self.watch = np.asarray(thresholds, np.float32)
        self.watch_black = np.asarray(black, np.bool_)

    def scored(self, ids: np.ndarray) -> np.ndarray:
        return self.scored_kind[self.kind[ids]]

    def change(self, ids: np.ndarray, points: np.ndarray, true: np.ndarray) -> None:
        """Add `points` to the score of `ids` (repeats allowed); `true` marks true records."""
        s = self.state
        uniq, for_lists, for_demand = score_change(
            np.ascontiguousarray(ids, np.int64), np.ascontiguousarray(points, np.float64),
            np.ascontiguousarray(true, np.bool_), self.kind_starts, self.scored_kind, s.score,
            s.true_score, float(self.lo), float(self.hi), self.cell, self.cell_sum, self.watch,
            self.watch_black, self.flips)
        if uniq.size == 0:
            return
        self.touched.append(uniq[for_lists])
        if self.track_changed:
            self.changed.append(uniq[for_demand])

    def raise_to(self, ids: np.ndarray, floor: float) -> None:
        """Credit restoration: lift both scores to at least `floor`."""
        ids = ids[self.scored(ids)]
        if ids.size == 0:
            return
        s = self.state
        old = s.score[ids]
        new = np.maximum(old, np.float32(floor))
        s.score[ids] = new
        s.true_score[ids] = np.maximum(s.true_score[ids], np.float32(floor))
        self.cell_sum += np.bincount(self.cell[ids], weights=(new - old).astype(np.float64),
                                     minlength=self.cell_sum.shape[0])
        self.touched.append(ids)
        if self.track_changed:
            self.changed.append(ids)

    def take_touched(self) -> np.ndarray:
        out = unique(np.concatenate(self.touched)) if self.touched else np.empty(0, np.int64)
        self.touched = []
        return out
