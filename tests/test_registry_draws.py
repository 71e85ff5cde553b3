"""A registry's slips and name matches, drawn in one kernel for the records of true actors,
give record by record what the rule says with the uniforms at each record's counter."""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import uniforms
from scsim.scenario import load_scenario
from scsim.sim import Sim


def _sim() -> Sim:
    sc = load_scenario("reference").model.population
    total = sc.individuals + sc.companies + sc.governments + sc.organizations
    sim = Sim("reference", days=3, seed=2, scale=20_000 / total)
    sim.build()
    return sim


def test_registry_slips_and_namesakes_follow_the_rule():
    """Record j of those at `ok` draws its slip and its name match at counter j; a slip names
    another entity of its kind, a name match a holder of the name (not the actor itself when
    it counts as a namesake); companies are never matched by name."""
    from scsim.surveillance.buckets import other_of_kind
    from scsim.surveillance.registry import RegistryModel

    sim = _sim()
    sensing = next(s for s in sim.steps if s.name == "sense").sensing
    model = next(m for m in sensing.models if isinstance(m, RegistryModel))
    assert model.names is not None
    model.cfg = model.cfg.model_copy(update={"clerical": 0.05, "name_match": 0.4})
    rng = np.random.default_rng(9)
    actors = np.sort(rng.integers(0, sim.pop.n, 30_000))
    ok = np.flatnonzero(rng.random(actors.size) < 0.5)
    clerical, by_clerk, namesake, by_name = model.identify(
        actors, ok, sim.streams.get("test:registry", 0), other_of_kind)
    keys = sim.streams.get("test:registry", 0).bit_generator.random_raw(2)
    u_clerk, u_name = uniforms(np.uint64(keys[0]), ok.size), uniforms(np.uint64(keys[1]), ok.size)
    local = actors[ok] - model.offset
    slip = u_clerk < 0.05
    matched = ~slip & (local >= 0) & (local < model.n_ind) & (u_name < 0.4)
    assert np.array_equal(clerical, ok[slip])
    assert np.array_equal(sim.pop.kind[by_clerk], sim.pop.kind[actors[clerical]])
    assert (by_clerk != actors[clerical]).all()
    assert np.isin(namesake, ok[matched]).all() and 0 < namesake.size < matched.sum()
    assert (by_name != actors[namesake]).all()
    assert (sim.pop.kind[by_name] == 0).all()  # individuals only
