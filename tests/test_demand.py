"""Requests split into plain entities (a count per cell) and special ones (one by one):
exact in distribution, and no plain entity is ever refused or favoured."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from scsim.sim import Sim
from scsim.steps.sanction import GRANT


def _totals(tiny, aggregate: bool, seed: int):
    sets = [f"run.aggregate_requests={'true' if aggregate else 'false'}"]
    res = Sim(tiny, days=120, seed=seed, sets=sets).run()
    return res.to_df("daily_by_service").groupby("service").sum(numeric_only=True)


def test_split_and_one_by_one_agree(tiny):
    # Lists and scores do not depend on requests here, so both paths see the same states and
    # differ only by Poisson sampling: counts agree within 4 sd of their difference.
    for seed in (1, 2):
        a, b = _totals(tiny, True, seed), _totals(tiny, False, seed)
        for service in a.index:
            for col in ("requests", "grants", "denials", "sanctions", "perks"):
                x, y = a.loc[service, col], b.loc[service, col]
                assert abs(x - y) <= 4 * math.sqrt(x + y) + 1, (service, col, x, y)
        assert a["denials"].sum() > 200 and a["perks"].sum() > 200


@pytest.mark.parametrize("scenario", ["tiny.toml", "society.toml", "orgs.toml", "surveil.toml"])
def test_no_plain_entity_would_be_refused(scenario):
    """Also with spill-over (society), joint punishment through firms (orgs), platform."""
    sim = Sim(Path(__file__).parent / "data" / scenario, days=60)
    sim.build()
    checked = 0
    for day in range(sim.days):
        sim.step_day(day)
        demand = sim.sanction.demand
        demand.refresh()  # as the sanction step does before drawing requests
        for g, group in enumerate(demand.groups):  # plain for a group: granted by its services
            plain = np.flatnonzero(~demand.special_mask(g))
            sample = plain[:: max(1, plain.size // 500)]
            for si in group.services:
                for truth in (False, True):
                    assert (sim.sanction.decide(si, sample, truth) == GRANT).all()
            checked += sample.size
    assert checked > 5_000
    assert sorted(si for g in demand.groups for si in g.services) == list(
        range(len(sim.sc.services)))


def test_rate_sums_stay_exact(tiny):
    """The special rate sums kept incrementally equal a fresh sum over the special set."""
    sim = Sim(tiny, days=60)
    sim.build()
    for day in range(sim.days):
        sim.step_day(day)
    d = sim.sanction.demand
    for r, (_, _, rate) in enumerate(d.rates):
        special = d.special_mask(d.group_of[r])
        ids = np.flatnonzero(special & (sim.pop.kind == sim.pop.kind[sim.pop.offsets[rate.kind]]))
        fresh = np.bincount(sim.pop.cell[ids], weights=d._rate_of(rate, ids),
                            minlength=d.lam_special.shape[1])
        assert np.allclose(fresh, d.lam_special[r], rtol=1e-9, atol=1e-9)
    special = d.special_mask()
    assert special.sum() > 100 and (~special).sum() > 1000


def test_groups_split_services_by_what_they_read():
    """In the reference, a service whose only rule favours the top tier is in another group
    than one that denies court defaulters, and court defaulters are special for the second
    only (unless in the top tier)."""
    sim = Sim("reference", days=120, seed=3, individuals=50_000)
    sim.build()
    for day in range(sim.days):
        sim.step_day(day)
    d = sim.sanction.demand
    names = list(sim.sc.services)
    group = {names[si]: g for g, grp in enumerate(d.groups) for si in grp.services}
    assert group["high_speed_rail"] == group["flight"]  # the same lists and spill-over rule
    assert group["hospital"] != group["high_speed_rail"]
    hospital, rail = d.special_mask(group["hospital"]), d.special_mask(group["high_speed_rail"])
    listed = sim.state.lists[list(sim.sc.lists).index("court_defaulters")].members()
    people = listed[listed < sim.pop.counts["individual"]]
    assert people.size > 20 and rail[people].all()
    assert hospital[people].mean() < 0.5
    assert hospital.sum() < rail.sum()
