"""Adaptive conduct: deterrence, chilling, performative loyalty, grievance and protest, and
the counterfactual run that measures what the sanctions suppress."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scsim.population.attributes import UNIT_CODE_MAX
from scsim.sim import Sim

DATA = Path(__file__).parent / "data"
TINY, SOCIETY = DATA / "tiny.toml", DATA / "society.toml"
# Perception fed by own records only, fading slowly: "constant enforcement".
SLOW = ["adapt.perception.own_record=0.1", "adapt.perception.own_sanction=0.0",
        "adapt.perception.half_life_days=3650"]


def _windows(res, conduct: str, n: int) -> np.ndarray:
    c = res.to_df("daily_by_conduct")
    acts = c.loc[c["conduct"] == conduct, "acts_true"].to_numpy()
    return acts.reshape(n, -1).sum(axis=1)


def test_zero_elasticity_leaves_conduct_unchanged():
    plain = Sim(TINY, individuals=20_000, days=120).run()
    zero = Sim(TINY, individuals=20_000, days=120,
               sets=SLOW + ["adapt.deterrence.elasticity=0.0"]).run()
    # Not one act differs: a mechanism at zero draws exactly what no mechanism draws.
    pd.testing.assert_frame_equal(plain.to_df("daily_by_conduct"),
                                  zero.to_df("daily_by_conduct"))
    # And the rate is constant over time: windows within 4 Poisson standard deviations.
    w = _windows(zero, "offence", 3)
    assert np.all(np.abs(w - w.mean()) <= 4 * math.sqrt(w.mean()))


def test_positive_elasticity_lowers_a_sanctioned_act_monotonically():
    res = Sim(TINY, individuals=20_000, days=120,
              sets=SLOW + ["adapt.deterrence.elasticity=8.0"]).run()
    w = _windows(res, "offence", 3)  # 40-day windows, about 20,000 acts each
    # Each window below the one before by more than 4 standard deviations of a difference
    # of two Poisson counts.
    assert np.all(np.diff(w) < -4 * np.sqrt(w[1:] + w[:-1])), w
    # good_deed earns points: deterrence leaves it alone.
    g = _windows(res, "good_deed", 3)
    assert np.all(np.abs(g - g.mean()) <= 4 * math.sqrt(g.mean()))


@pytest.fixture(scope="module")
def paired():
    return Sim(SOCIETY, days=90).run(counterfactual=True)


def test_counterfactual_of_a_scheme_without_sanctions_suppresses_nothing():
    res = Sim(SOCIETY, days=90, sanctions_off=True).run(counterfactual=True)
    d = res.to_df("daily")
    assert d["acts_true"].sum() > 10_000
    assert d["acts_suppressed"].sum() == 0 and d["acts_induced"].sum() == 0
    assert (d["acts_counterfactual"] == d["acts_true"]).all()
    assert (res.to_df("entities")["perceived"] == 0).all()
    assert res.summary["sanctions"]["all"] == 0 and res.summary["sanctions_off"] is True


def test_sanctions_suppress_speech_and_worship_and_induce_praise(paired):
    c = paired.to_df("daily_by_conduct").groupby("conduct")[
        ["acts_true", "acts_counterfactual", "acts_suppressed", "acts_induced"]].sum()
    assert (c["acts_true"] - c["acts_counterfactual"] == c["acts_induced"]
            - c["acts_suppressed"]).all()
    # Both runs draw the same candidate acts, so a dampened conduct loses acts one by one:
    # nothing is induced where every factor is at most 1.
    for name in ("offence", "worship", "post"):
        assert c.loc[name, "acts_suppressed"] > 0 and c.loc[name, "acts_induced"] == 0, name
    assert c.loc["praise", "acts_induced"] > 0 and c.loc["praise", "acts_suppressed"] == 0
    s = paired.summary["counterfactual"]
    assert s["suppressed_by_category"]["religious"] == c.loc["worship", "acts_suppressed"]
    g = paired.to_df("daily_by_group")
    assert g["acts_suppressed"].sum() == paired.to_df("daily")["acts_suppressed"].sum()


def test_chilling_reaches_acts_that_harm_no_one():
    sets = ["scoring.points.worship=0", "adapt.deterrence.elasticity=0.0",
            "adapt.loyalty.elasticity=0.0"]
    res = Sim(SOCIETY, days=60, sets=sets).run(counterfactual=True)
    c = res.to_df("daily_by_conduct").groupby("conduct")["acts_suppressed"].sum()
    assert c["worship"] > 0  # unscored, harmless, still chilled
    off = Sim(SOCIETY, days=60, sets=sets + ["adapt.chilling.elasticity=0.0"]).run(
        counterfactual=True)
    c = off.to_df("daily_by_conduct").groupby("conduct")["acts_suppressed"].sum()
    assert c["worship"] == 0


def test_same_seed_same_society_run():
    a = Sim(SOCIETY, days=30).run()
    b = Sim(SOCIETY, days=30).run()
    for t in a.tables:
        pd.testing.assert_frame_equal(a.tables[t], b.tables[t], check_exact=True)


# -- grievance and protest ----------------------------------------------------------------
@pytest.fixture(scope="module")
def built():
    sim = Sim(SOCIETY, days=30)
    sim.build()
    return sim


def test_epstein_rule(built):
    g = built.society.grievance
    rng = np.random.default_rng(3)
    active = rng.random(g.n) < 0.2
    g.make_active(np.flatnonzero(active))
    ids = np.arange(g.n)
    ind = built.pop.attrs["individual"]
    # Independently: G = H (1 - L); A = 1 + active ties (weighted); P = 1 - exp(-k C / A).
    h, r = (ind[a] * (1 / UNIT_CODE_MAX) for a in ("hardship", "risk_aversion"))  # codes
    grievance = h * (1 - g.legitimacy.astype(np.float64))
    which, tie, w = built.society.net.ties(ids)
    a = 1 + np.bincount(which, weights=w * active[tie], minlength=g.n)
    cfg = built.sc.adapt.grievance
    coverage = built.sc.sources[built.sc.conduct[cfg.conduct].source].coverage
    urban = ind["urban"].astype(np.float64)
    region = ind["region"].astype(np.int64)
    share = np.bincount(region, weights=urban) / np.bincount(region)
    c = cfg.cops * coverage * share[region] / urban.mean()
    p = 1 - np.exp(-cfg.k * c / a)
    expected = grievance - r * p > cfg.threshold
    assert np.array_equal(g.decide(ids), expected)
    assert 0 < expected.mean() < 0.5  # both outcomes occur
    g.make_active(np.empty(0, np.int64))


def test_legitimacy_falls_with_wrongful_and_rises_with_rightful_sanctions(built):
    g, net = built.society.grievance, built.society.net
    deg = net.friends.degree()
    x = int(np.flatnonzero(deg >= 3)[0])
    _, ties, w = net.ties(np.array([x]))
    who = np.concatenate([[x], ties])
    before = g.legitimacy[who].astype(np.float64)
    g.seen(np.array([x]), np.array([True]))
    after = g.legitimacy[who].astype(np.float64)
    share = built.sc.adapt.grievance.wrongful_seen * np.concatenate([[1.0], w])
    assert np.allclose(after, before * (1 - share), atol=2e-3)  # float16 storage
    g.seen(np.array([x]), np.array([False]))
    again = g.legitimacy[who].astype(np.float64)
    rise = built.sc.adapt.grievance.rightful_seen * np.concatenate([[1.0], w])
    assert np.allclose(again, 1 - (1 - after) * (1 - rise), atol=2e-3)
    assert (again > after).all()


def test_protests_over_time_and_their_switches():
    res = Sim(SOCIETY, days=60).run()
    d = res.to_df("daily")
    assert d["protesters"].max() > 0 and d["protests"].sum() > 0
    p = res.summary["society"]["protests"]
    assert p["acts"] == d["protests"].sum() and p["protesters_peak"] == d["protesters"].max()
    # No one can clear a threshold of 1: G - R P <= 1.
    calm = Sim(SOCIETY, days=60, sets=["adapt.grievance.threshold=1.0"]).run()
    assert calm.to_df("daily")["protesters"].sum() == 0


# -- shaming ----------------------------------------------------------------------------
def test_shaming_cuts_ties_and_is_counted():
    sim = Sim(SOCIETY, days=40, sets=["shaming.tie_cut=1.0"])
    res = sim.run()
    net = sim.society.net
    le = res.to_df("list_events")
    entries = le[(le["event"] == "entry") & le["list"].isin(["black", "defaulters"])]
    shamed = entries["entity"].unique()  # the lists with shamed = true
    d = res.to_df("daily")
    assert d["shamed"].sum() > 0
    shamed = shamed[shamed < net.n_ind]  # individuals: companies have no friends
    assert len(shamed) > 0
    # Every friendship of an entity that was shamed is cut, in both directions.
    which, friend, pos = net.friends.pairs(np.asarray(shamed, np.int64))
    strength = net.strength.get(np.arange(net.strength.ties))  # a byte per tie, for tests
    assert (strength[pos] == 0).all()
    back = net.friends.find(friend, np.asarray(shamed, np.int64)[which])
    assert (strength[back] == 0).all()
    cut = int((strength == 0).sum())
    assert cut // 2 <= d["ties_cut"].sum() <= cut
    # Weakening alone leaves every tie in place.
    sim = Sim(SOCIETY, days=40, sets=["shaming.tie_cut=0.0"])
    sim.run()
    st = sim.society.net.strength
    s = st.get(np.arange(st.ties))
    assert (s > 0).all() and (s < 255).any()


def test_fused_conduct_factor_equals_exp_of_perceived_surveillance():
    """The conduct factor's kernel gives exp(a s) with s = Perception.value, for entities
    at level 0 (looked up by region) and above it (faded since the day set), with publicity."""
    sim = Sim(SOCIETY, days=5)
    sim.build()
    per = sim.society.perception
    rng = np.random.default_rng(2)
    n = sim.pop.counts["individual"]
    some = np.unique(rng.integers(0, n, n // 3))
    per.jump(some, rng.random(some.size), day=1)
    per.publicize(rng.integers(0, n, 200))
    per.screens, per.online = 0.5, 0.2
    ids = np.sort(rng.integers(0, n, 5000))
    assert 0 < (per.level[ids] != 0).mean() < 1
    for a in (-2.0, 0.7):
        want = np.exp(a * per.value(ids, 9))
        assert np.allclose(per.exp_value(a, ids, "individual", 9), want, rtol=1e-13, atol=0)
    comp = np.arange(sim.pop.counts["company"])
    want = np.exp(0.3 * per.value(comp + sim.pop.offsets["company"], 9))
    assert np.allclose(per.exp_value(0.3, comp, "company", 9), want, rtol=1e-13, atol=0)


def test_own_level_is_the_level_set_faded_by_numpys_exp_to_the_bit():
    """Perception.own reads each entity's word once and looks its fading up by age: the
    same bits as NumPy's exp of -rate x age per entity, for levels set on several days."""
    sim = Sim(SOCIETY, days=5)
    sim.build()
    per = sim.society.perception
    rng = np.random.default_rng(4)
    n = sim.pop.n
    for day in (0, 3, 17, 40):
        some = np.unique(rng.integers(0, n, n // 4))
        per.jump(some, rng.random(some.size), day=day)
    ids = rng.integers(0, n, 20_000)
    st = per.state[ids]
    level = (st >> 16).astype(np.uint16).view(np.float16).astype(np.float64)
    want = level * np.exp(-per.rate * (61 - (st & 0xFFFF).astype(np.float64)))
    assert (level > 0).mean() > 0.3 and (level == 0).any()
    assert np.array_equal(per.own(ids, 61), want)


def test_perceived_surveillance_stays_within_the_days_bounds():
    """value_range bounds every entity's perceived surveillance: the factor's range that
    lets draws skip evaluating candidates rests on it."""
    sim = Sim(SOCIETY, days=5)
    sim.build()
    per = sim.society.perception
    rng = np.random.default_rng(4)
    n = sim.pop.counts["individual"]
    lo, hi = per.value_range()
    assert (lo, hi) == (0.0, 0.0)  # nothing has happened yet
    some = np.unique(rng.integers(0, n, n // 4))
    per.jump(some, 0.6 * rng.random(some.size), day=1)
    per.publicize(rng.integers(0, n, 6))
    per.screens, per.online = 0.1, 0.1
    value = per.value(np.arange(n), 3)
    lo, hi = per.value_range()
    assert 0 < lo <= value.min() and value.max() <= hi < 0.9
    assert value.min() == pytest.approx(lo, abs=1e-12)  # someone at level 0 where least seen


def test_thinning_by_a_bounded_factor_keeps_the_same_candidates():
    """Candidates the factor's bounds decide skip it, with the decisions of evaluating all."""
    from scsim.modifiers import ExtraFactor, _thin_by_extra

    rng = np.random.default_rng(5)
    n = 200_000
    local = np.sort(rng.integers(0, 10**6, n))
    u, p = rng.random(n), rng.random(n)
    values = 0.3 + 0.5 * rng.random(10**6)  # in [0.3, 0.8], bound 2
    seen = []

    def factor(ids):
        seen.append(ids.size)
        return values[ids]

    offset = 7
    want = local[u < p * (values[local] / 2.0)] + offset
    for today in (None, lambda: (0.3, 0.8), lambda: (0.0, 2.0)):
        seen.clear()
        kept = _thin_by_extra(ExtraFactor(factor, 2.0, today), local, u, p, offset)
        assert np.array_equal(kept, want)
        if today is not None and today()[0] > 0:  # the range [0.15, 0.4] of extra / bound
            live = (u < p).sum()
            assert seen[0] < 0.4 * live  # u in [0.15 p, 0.4 p) of u < p: a quarter


def test_conduct_factors_one_pass_thinning_keeps_what_evaluating_all_keeps():
    """The conduct factor's fused thinning (levels gathered for the open candidates only)
    keeps exactly the candidates that multiplying every p by exp(a s) / bound keeps."""
    from scsim.modifiers import ExtraFactor, _thin_by_extra

    sim = Sim(SOCIETY, days=5)
    sim.build()
    per = sim.society.perception
    rng = np.random.default_rng(6)
    some = np.unique(rng.integers(0, sim.pop.n, sim.pop.n // 3))
    per.jump(some, rng.random(some.size), day=1)
    per.publicize(rng.integers(0, sim.pop.n, 20))
    per.screens, per.online = 0.02, 0.01
    lo, hi = per.value_range()
    assert hi - lo > 0.5  # levels spread: most decisions need an entity's own level
    for kind, a, bound in (("individual", -1.5, 1.0), ("company", 0.8, math.exp(0.8))):
        n, offset = sim.pop.counts[kind], sim.pop.offsets[kind]
        local = np.sort(rng.integers(0, n, 20_000))
        u, p = rng.random(local.size), rng.random(local.size)

        def today(a=a):
            ends = [math.exp(a * s) for s in per.value_range()]
            return min(ends), max(ends)

        def thin(loc, uu, pp, sure, open_below, off, a=a, bound=bound, kind=kind):
            return per.thin_exp(a, bound, kind, 9, loc, uu, pp, sure, open_below, off)

        want = local[u < p * (per.exp_value(a, local, kind, 9) / bound)] + offset
        fused = _thin_by_extra(ExtraFactor(None, bound, today, thin), local, u, p, offset)
        assert 0 < fused.size < local.size
        assert np.array_equal(fused, want)


def test_a_jump_of_one_size_sets_the_levels_a_size_per_occurrence_sets():
    """A jump of one size takes log(1 - size) once: NumPy's log1p over an array gives every
    copy the same bits, so the levels equal those of the same size given per occurrence."""
    from scsim.society.perception import log_keep, log_keep_of

    for size in (0.05, 0.3, 0.5, 0.999999, 1.0):
        for n in (1, 3, 17, 1_001, 300_001):
            logs = log_keep(np.full(n, size))
            assert np.all(logs.view(np.uint64) == np.float64(log_keep_of(size)).view(np.uint64))
    sims = [Sim(SOCIETY, days=5) for _ in range(2)]
    for s in sims:
        s.build()
    rng = np.random.default_rng(5)
    n = sims[0].pop.n
    for day in (1, 4, 9):
        ids = rng.integers(0, n, n // 2)  # with repeats: several occurrences of one id
        sims[0].society.perception.jump(ids, 0.3, day)
        sims[1].society.perception.jump(ids, np.full(ids.size, 0.3), day)
    a, b = (s.society.perception for s in sims)
    assert np.array_equal(a.state, b.state) and a.own_max == b.own_max
    assert (a.state != 0).mean() > 0.5


def test_publicity_kept_for_the_day_follows_every_shaming_and_day():
    """Publicity and the answers at level 0 are kept between the day's thinning calls: they
    must move with each published shaming, each day's fading and a change of screens."""
    sim = Sim(SOCIETY, days=5)
    sim.build()
    per = sim.society.perception
    per.screens, per.online = 0.5, 0.2
    rng = np.random.default_rng(6)
    n = sim.pop.counts["individual"]
    ids = np.sort(rng.integers(0, n, 3_000))

    def fresh():
        return (1 - np.exp(-per.screens * per.shamed_region * per.per_1000),
                1 - math.exp(-per.online * per.shamed_all * per.per_1000_all))

    seen = set()
    for change in ("publicize", "end_day", "screens", "publicize", "none"):
        pub_r, pub_n = per._publicity()
        want_r, want_n = fresh()
        assert np.array_equal(pub_r, want_r) and pub_n == want_n
        got = per.exp_value(-1.5, ids, "individual", 7)
        assert np.allclose(got, np.exp(-1.5 * per.value(ids, 7)), rtol=1e-13, atol=0)
        seen.add(round(pub_n, 12))
        if change == "publicize":
            per.publicize(rng.integers(0, n, 300))
        elif change == "end_day":
            per.end_day()
        elif change == "screens":
            per.screens = 0.9
    assert len(seen) >= 3  # publicity did move
