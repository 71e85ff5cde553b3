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
        batches: dict[int, int] = {}
        for i, (ci, actors) in enumerate(sim.today.acts):
            src = self.source_of[ci]
            # A conduct can have several batches a day (one per kind, cascade or shock acts):
            # each after the first gets its own stream, or it would reuse the first's numbers.
            nth = batches.get(ci, 0)
            batches[ci] = nth + 1
            suffix = f":{nth}" if nth else ""
            rng = sim.streams.get(f"sense:{self.names[ci]}{suffix}", day)
            k = actors.size
            # Fixed draw structure (three draws per act) keeps streams aligned when a
            # coverage or error rate changes: common random numbers across variants.
            # Mechanisms may scale coverage per actor (inspections, differential enforcement);
            # the draws stay the same.
            factor = sim.coverage_factor(ci, actors)
            cover = src.coverage if factor is None else np.minimum(src.coverage * factor, 1.0)
            seen = rng.random(k) < cover
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
            origin = sim.today.origins.get(i)
            batch = RecordBatch.make(entity[seen], actors[seen], ci, cause, day,
                                     origin=None if origin is None else origin[seen])
            sim.records.submit(batch, day + src.latency_days)


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
