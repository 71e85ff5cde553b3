"""Per-entity state of the scheme: scores, list membership, per-entity counters.

Two scores are kept side by side: `score`, what the platform holds, and `true_score`, what
it would hold from true records only. A decision taken on `score` that `true_score` would
not have produced rests on a wrong record. Scores and counters are arrays indexed by entity
id (counters: by row of the entities table); lists keep their members alone (listing.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scsim.engine.kernels import bump
from scsim.engine.listing import NOT_LISTED, REASON, WRONGFUL, ListState
from scsim.engine.rows import EntityRows, bitset

NEVER = 32767  # exit day of listings with no end date (no exit is scheduled)

# List entry reasons and exit reasons (stored in list_events).
ENTRY_REASONS = ("score", "conduct", "rating", "initial")  # initial: before day 0
EXIT_REASONS = ("duration", "repair", "recovery", "appeal")
__all__ = ["ENTRY_REASONS", "EXIT_REASONS", "NEVER", "NOT_LISTED", "REASON", "WRONGFUL",
           "ListState", "State"]


@dataclass
class State:
    score: np.ndarray  # float32
    true_score: np.ndarray  # float32
    lists: list[ListState]
    # uint16 counters per row of the entities table (every entity, or a sample: rows.py)
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    rows: EntityRows | None = None
    recorded: np.ndarray | None = None  # bitset: entities with a record at some point

    COUNTS = ("acts", "records", "records_wrongful", "denials", "denials_wrongful",
              "sanctions", "perks")

    @classmethod
    def initial(cls, n: int, base: float, n_lists: int, rows: EntityRows) -> State:
        score = np.full(n, base, np.float32)
        return cls(score=score, true_score=score.copy(),
                   lists=[ListState.empty(n) for _ in range(n_lists)],
                   counts={c: np.zeros(rows.size, np.uint16) for c in cls.COUNTS},
                   rows=rows, recorded=bitset(n, np.empty(0, np.int64)))

    def bump(self, name: str, ids: np.ndarray) -> None:
        """Add one per occurrence of each id (entities with a row). uint16: a count wraps
        past 65,535 a run."""
        if ids.size:
            ids = np.ascontiguousarray(ids, np.int64)
            bump(self.counts[name], ids, self.rows.words, self.rows.prefix)

    def nbytes(self) -> int:
        total = self.score.nbytes + self.true_score.nbytes
        for ls in self.lists:
            total += ls.nbytes()
        return (total + sum(a.nbytes for a in self.counts.values()) + self.recorded.nbytes
                + self.rows.nbytes())
