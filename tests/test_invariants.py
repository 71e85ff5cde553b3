"""Invariants of a run: score bounds, list membership, and why each denial happened."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scsim.sim import Sim
from scsim.steps.sanction import ACTIONS, Sanction


@pytest.fixture(scope="module")
def checked_run():
    """Run tiny.toml while checking every service decision against the state it saw."""
    sim = Sim(Path(__file__).parent / "data" / "tiny.toml")
    sim.build()
    sanction = next(s for s in sim.steps if isinstance(s, Sanction))
    seen = {"deny": 0, "checked": 0}
    original = sanction.decide_both

    def decide_both(si, ids):
        action, true_action, rule = original(si, ids)
        # The kernel and the rule-by-rule path agree: actions on both states, deciding rule.
        slow = sanction.decide(si, ids, truth=False)
        slow_rule = sanction.decided_by.copy()
        assert np.array_equal(action, slow) and np.array_equal(rule, slow_rule)
        assert np.array_equal(true_action, sanction.decide(si, ids, truth=True))
        seen["kernel"] = seen.get("kernel", 0) + int(sanction.coded[si] is not None)
        st = sim.state
        deny = action == ACTIONS.index("deny")
        rules = sim.sc.services[sanction.names[si]].rules
        listed = np.zeros(ids.size, bool)
        low = np.zeros(ids.size, bool)
        tiers = [t.name for t in sim.sc.scoring.tiers]
        for r in rules:
            if r.action == "deny" and r.list:
                li = list(sim.sc.lists).index(r.list)
                listed |= st.lists[li].listed(ids)
            if r.action == "deny" and r.tier_below:
                low |= sanction.tier(st.score[ids]) > tiers.index(r.tier_below)
        assert np.all(listed[deny] | low[deny]), "a denial without a list or tier reason"
        seen["deny"] += int(deny.sum())
        seen["checked"] += ids.size
        return action, true_action, rule

    sanction.decide_both = decide_both
    # After every score change: all scores within bounds; remember the extremes reached.
    change = sim.scores.change
    lo, hi = sim.sc.scoring.min, sim.sc.scoring.max

    def checked_change(ids, points, true):
        change(ids, points, true)
        for arr in (sim.state.score, sim.state.true_score):
            assert lo <= arr.min() and arr.max() <= hi
        seen["lowest"] = min(seen.get("lowest", hi), float(sim.state.score.min()))
        seen["highest"] = max(seen.get("highest", lo), float(sim.state.score.max()))

    sim.scores.change = checked_change
    res = sim.run()
    return sim, res, seen


def test_scores_stay_within_bounds(checked_run):
    sim, res, seen = checked_run
    ent = res.to_df("entities")
    lo, hi = sim.sc.scoring.min, sim.sc.scoring.max
    assert ent["score"].between(lo, hi).all()
    assert ent["true_score"].between(lo, hi).all()
    # The run must push against both bounds for the check to mean something.
    assert seen["lowest"] == lo and seen["highest"] == hi


def test_every_denial_had_a_reason(checked_run):
    _, _, seen = checked_run
    # Only entities special for a service reach its rules (plain ones are granted:
    # test_demand.py), fewer since services are grouped by what they read.
    assert seen["deny"] > 100 and seen["checked"] > 2_000
    assert seen["kernel"] > 0  # the kernel's answers were among those compared


def test_list_membership_follows_the_rules(checked_run):
    sim, res, _ = checked_run
    ev = res.to_df("list_events")
    ent = res.to_df("entities").set_index("id")
    st = sim.state
    # Replaying entries and exits gives the final membership.
    for lname in sim.sc.lists:
        e = ev[ev["list"] == lname].sort_values(["day", "event"])
        balance = e.assign(d=np.where(e["event"] == "entry", 1, -1)).groupby("entity")["d"].sum()
        on = set(balance[balance == 1].index)
        assert balance.isin([0, 1]).all()
        assert on == set(ent.index[ent[f"on_{lname}"]])
    # Redlisted entities hold a score at or above the threshold (exit when it falls).
    red = ent[ent["on_red"]]
    assert (red["score"] >= 1040).all() and len(red) > 0
    # Score-blacklisted entities who did not recover are below the threshold.
    black = st.lists[list(sim.sc.lists).index("black")]
    assert (st.score[black.members()] < 960).all()
    # Conduct listings: every entry by conduct is on the defaulters list only.
    by_conduct = ev[(ev["event"] == "entry") & (ev["reason"] == "conduct")]
    assert set(by_conduct["list"]) == {"defaulters"}
    # A listing never outlasts its duration (40 days) on the defaulters list.
    exits = ev[(ev["event"] == "exit") & (ev["list"] == "defaulters")]
    assert (exits["days_listed"] <= 40).all() and len(exits) > 0


def test_wrongful_decisions_rest_on_wrong_records(checked_run):
    _, res, _ = checked_run
    ent = res.to_df("entities")
    # Wrongful denials only land on entities that carry at least one wrong record.
    wrongly = ent[ent["denials_wrongful"] > 0]
    assert len(wrongly) > 0
    assert (wrongly["records_wrongful"] > 0).all()
    # An entity with no wrong record has equal recorded and true score.
    clean = ent[ent["records_wrongful"] == 0]
    assert np.allclose(clean["score"], clean["true_score"])


def test_daily_table_adds_up(checked_run):
    sim, res, _ = checked_run
    d = res.to_df("daily")
    g = res.to_df("daily_by_group")
    assert len(d) == sim.days
    for col in ("acts_true", "records", "denials", "blacklisted"):
        assert d[col].sum() == g[col].sum()
    s = res.to_df("daily_by_service")
    assert d["requests"].sum() == s["requests"].sum()
    assert (d["grants"] + d["sanctions"] + d["perks"] == d["requests"]).all()
    c = res.to_df("daily_by_conduct")
    assert d["acts_true"].sum() == c["acts_true"].sum()
    assert d["acts_recorded"].sum() == c["acts_recorded"].sum()


def test_unique_helpers_match_numpy():
    from scsim.engine.ids import unique, unique_inverse

    rng = np.random.default_rng(3)
    for a in (rng.integers(0, 50, 1000), rng.integers(0, 10**9, 5000), np.array([], np.int64),
              np.array([7])):
        assert np.array_equal(unique(a), np.unique(a))
        u, inv = unique_inverse(a)
        u2, inv2 = np.unique(a, return_inverse=True)
        assert np.array_equal(u, u2) and np.array_equal(inv, inv2.ravel())
        assert np.array_equal(u[inv], a)


def test_upheld_appeals_of_wrong_records_are_counted(tiny):
    res = Sim(tiny, days=120).run()
    d = res.to_df("daily")
    assert 0 < d["appeals_upheld_wrongful"].sum() <= d["appeals_upheld"].sum()
    assert res.summary["appeals"]["upheld_wrong_records"] == d["appeals_upheld_wrongful"].sum()


def test_a_record_is_undone_once(tiny):
    """Every negative record is appealed and upheld two days after it lands, and would also
    expire three days later: the expiry must find it undone (a serial guards both)."""
    sets = ["scoring.points.good_deed=0", "scoring.min=0",
            "restoration.record_expiry_days=5", "restoration.appeals.file_prob=1.0",
            "restoration.appeals.success_if_wrong=1.0",
            "restoration.appeals.success_if_right=1.0", "restoration.appeals.days_to_decide=2"]
    res = Sim(tiny, days=40, sets=sets).run()
    daily = res.to_df("daily")
    assert daily["appeals_upheld"].sum() > 100
    assert daily["records_expired"].sum() == 0  # all undone by their appeal first
    ent = res.to_df("entities")
    assert (ent["score"] <= 1000).all()  # no record's points given back twice
