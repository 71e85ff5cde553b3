"""Each individual's class (surely active, surely quiet, open) stays what Epstein's bounds
give on its current legitimacy, through a run that moves legitimacy every day, and the
decisions made from the classes are Epstein's rule in full (tests/test_network.py)."""

from pathlib import Path

import numpy as np

from scsim.population.attributes import UNIT_CODE_MAX
from scsim.sim import Sim
from scsim.society.epstein_class import (
    ACTIVE,
    OPEN,
    QUIET,
    classify_all,
    reclassify,
    sure_and_open,
)

SOCIETY = Path(__file__).parent / "data" / "society.toml"


def _bounds(sim: Sim) -> np.ndarray:
    """The class of every individual from G - R and G, computed in NumPy."""
    g = sim.society.grievance
    ind = sim.pop.attrs["individual"]
    h, r = (ind[a] * (1 / UNIT_CODE_MAX) for a in ("hardship", "risk_aversion"))
    grievance = h * (1 - g.legitimacy.astype(np.float64))
    t = g.cfg.threshold
    return np.where(grievance - r > t, ACTIVE, np.where(grievance <= t, QUIET, OPEN))


def test_classes_follow_legitimacy_through_a_run():
    sim = Sim(SOCIETY, days=40)
    sim.build()
    g = sim.society.grievance
    start = g.legitimacy.copy()
    everyone = np.arange(g.n)
    for day in range(40):
        sim.step_day(day)
    moved = g.legitimacy != start
    assert moved.sum() > 100  # legitimacy moved for many, through sanctions and listings
    want = _bounds(sim)
    assert {QUIET, ACTIVE, OPEN} <= set(np.unique(want[moved]).tolist())
    active, is_open = sure_and_open(everyone, g.classes)
    assert np.array_equal(active, want == ACTIVE)
    assert np.array_equal(is_open, want == OPEN)
    # Kept up to date in place: the same words as classifying everyone afresh.
    ind = sim.pop.attrs["individual"]
    fresh = classify_all(ind["hardship"], g.legitimacy.view(np.uint16), ind["risk_aversion"],
                         float(g.cfg.threshold), 1 / UNIT_CODE_MAX)
    assert np.array_equal(g.classes, fresh)


def test_reclassify_writes_every_word_it_should_and_no_other():
    """Ids packed densely (many in one word, pieces' edges inside runs of a word) and
    sparsely: the words after reclassifying are those of classifying everyone afresh."""
    rng = np.random.default_rng(2)
    n = 5_000
    h = rng.integers(0, 65536, n).astype(np.uint16)
    r = rng.integers(0, 65536, n).astype(np.uint16)
    legitimacy = rng.random(n).astype(np.float16)
    unit, t = 1 / UNIT_CODE_MAX, 0.1
    words = classify_all(h, legitimacy.view(np.uint16), r, t, unit)
    for ids in (np.arange(40, 200), np.unique(rng.integers(0, n, 300)), np.array([7, 8, 9])):
        legitimacy[ids] = rng.random(ids.size).astype(np.float16)
        reclassify(ids.astype(np.int64), h, legitimacy.view(np.uint16), r, t, unit, words)
        assert np.array_equal(words, classify_all(h, legitimacy.view(np.uint16), r, t, unit))
