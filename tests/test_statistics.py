"""Counts of acts match their expected values within tolerances from the Poisson variance."""

from __future__ import annotations

import math

import numpy as np

from scsim.population.attributes import UNIT_CODE_MAX
from scsim.sim import Sim

PERFECT = ["sources.cam.coverage=1.0", "sources.cam.misattribution=0.0",
           "sources.cam.latency_days=0", "sources.court.misattribution=0.0"]


def test_perfect_sensing_records_every_act_once(tiny):
    res = Sim(tiny, sets=PERFECT).run()
    d = res.to_df("daily")
    assert (d["acts_recorded"] == d["acts_true"]).all()
    assert (d["records"] == d["acts_true"]).all()
    assert d["records_wrongful"].sum() == 0
    assert d["denials_wrongful"].sum() == 0 and d["list_entries_wrongful"].sum() == 0


def test_act_counts_match_n_rate_days(tiny):
    days, n = 200, 20_000
    sim = Sim(tiny, days=days, individuals=n, sets=PERFECT)
    res = sim.run()
    c = res.to_df("daily_by_conduct").groupby("conduct")["acts_true"].sum()
    # offence: no modifiers, every individual at 12 a year.
    expected = n * 12.0 * days / 365
    assert abs(c["offence"] - expected) <= 4 * math.sqrt(expected)
    # worship: only the religious, at 20 a year.
    religious = int(sim.pop.attrs["individual"]["religious"].sum())
    expected = religious * 20.0 * days / 365
    assert abs(c["worship"] - expected) <= 4 * math.sqrt(expected)
    # good_deed applies to individuals and companies.
    expected = (n + 100) * 6.0 * days / 365
    assert abs(c["good_deed"] - expected) <= 4 * math.sqrt(expected)


def test_elasticity_modifier_scales_rates(tiny):
    days, n = 200, 20_000
    sets = PERFECT + ['conduct.offence.modifiers=[{attribute="loyalty", elasticity=-3.0}]']
    sim = Sim(tiny, days=days, individuals=n, sets=sets)
    res = sim.run()
    loyalty = sim.pop.attrs["individual"]["loyalty"] / UNIT_CODE_MAX  # 16-bit codes
    expected = 12.0 * days / 365 * np.exp(-3.0 * (loyalty - 0.5)).sum()
    got = res.to_df("daily_by_conduct").query("conduct == 'offence'")["acts_true"].sum()
    assert abs(got - expected) <= 4 * math.sqrt(expected)
    # And the acts fall on the disloyal: mean loyalty of actors is below the population's.
    ent = res.to_df("entities").merge(res.to_df("individuals"), on="id")
    acts = ent["acts"].to_numpy()
    assert np.average(ent["loyalty"], weights=acts) < ent["loyalty"].mean() - 0.02


def test_misattribution_rate(tiny):
    # With coverage 1 and misattribution m, wrong records ~ Binomial(acts, m).
    m = 0.05
    sets = ["sources.cam.coverage=1.0", f"sources.cam.misattribution={m}",
            "sources.court.misattribution=0.0"]
    res = Sim(tiny, days=100, sets=sets).run()
    d = res.to_df("daily")
    n = d["acts_true"].sum()
    # Every misattributed act is missed for its actor (coverage 1: nothing else is missed).
    missed = d["acts_missed"].sum()
    assert abs(missed - n * m) <= 4 * math.sqrt(n * m * (1 - m))
    # Wrong records land up to 2 days later (latency), so a few are still in flight.
    wrong = d["records_wrongful"].sum()
    assert 0 < missed - wrong <= 4 * n * m * 2 / 100
