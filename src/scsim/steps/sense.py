"""Step 2, sense: which acts the sources see and whom they attribute them to.

Minimal model: a source sees an act with probability `coverage`; a seen act is recorded
against a wrong entity of the same kind with probability `misattribution`. Ground truth
(the actor) and the record (the entity it names) are kept apart from here on.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.records import WRONG_CAUSES, RecordBatch
from scsim.steps.base import Step

MISATTRIBUTED = WRONG_CAUSES.index("misattribution")


class Sense(Step):
    name = "sense"
    purpose = "decide which acts are seen and whom each record names"

    def __init__(self, sim):
        super().__init__(sim)
        sc = sim.sc
        self.source_of = [sc.sources[c.source] for c in sc.conduct.values()]
        self.names = list(sc.conduct)

    def step(self, day: int) -> None:
        sim = self.sim
        pop = sim.pop
        for ci, actors in sim.today.acts:
            src = self.source_of[ci]
            rng = sim.streams.get(f"sense:{self.names[ci]}", day)
            k = actors.size
            # Fixed draw structure (three draws per act) keeps streams aligned when a
            # coverage or error rate changes: common random numbers across variants.
            seen = rng.random(k) < src.coverage
            if src.opted_in_only:  # an app sees only those who installed it
                seen &= _opted_in(pop, actors)
            wrong = seen & (rng.random(k) < src.misattribution)
            u = rng.random(k)
            entity = actors.copy()
            if wrong.any():
                kinds = pop.kind[actors[wrong]]
                entity[wrong] = _other_of_kind(pop, actors[wrong], kinds, u[wrong])
            sim.tally.add("acts_recorded", actors[seen & ~wrong])
            sim.tally.add("acts_missed", actors[~seen | wrong])
            sim.tally.add_conduct("acts_recorded", np.full(int((seen & ~wrong).sum()), ci))
            cause = np.where(wrong, MISATTRIBUTED, 0).astype(np.uint8)[seen]
            batch = RecordBatch.make(entity[seen], actors[seen], ci, cause, day)
            sim.records.submit(batch, day + src.latency_days)


def _opted_in(pop, actors: np.ndarray) -> np.ndarray:
    """True for individuals who opted in; other kinds have no opt-in and are not seen."""
    off, n = pop.offsets["individual"], pop.counts["individual"]
    local = actors - off
    ind = (local >= 0) & (local < n)
    out = np.zeros(actors.size, bool)
    out[ind] = pop.attrs["individual"]["opted_in"][local[ind]] == 1
    return out


def _other_of_kind(pop, actors: np.ndarray, kinds: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A uniformly drawn entity of the same kind, never the actor itself."""
    from scsim.population.attributes import KINDS

    out = np.empty_like(actors)
    for code in np.unique(kinds):
        m = kinds == code
        kind = KINDS[int(code)]
        n, off = pop.counts[kind], pop.offsets[kind]
        if n < 2:
            out[m] = actors[m]
            continue
        pick = np.minimum((u[m] * (n - 1)).astype(np.int64), n - 2)  # n-1 others
        local = actors[m] - off
        out[m] = off + pick + (pick >= local)
    return out
