"""Department silos and the unified platform: sharing, delay, joins, and the provenance of
every record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scsim.sim import Sim

SURVEIL = Path(__file__).parent / "data" / "surveil.toml"


def by_service(res) -> pd.DataFrame:
    return res.to_df("daily_by_service").groupby("service").sum(numeric_only=True)


def test_sharing_zero_keeps_every_record_in_its_department():
    res = Sim(SURVEIL, sets=["platform.sharing=0"]).run()
    s = by_service(res)
    # The court's own service acts on the court's list; no other department sees it, and
    # nothing reaches the platform's score, so the score list stays empty.
    assert s.loc["court_registry", "sanctions"] > 50
    assert s.loc["train", "sanctions"] == 0 and s.loc["loan", "sanctions"] == 0
    d = res.to_df("daily")
    assert d["points_deducted"].sum() == 0 and (d["mean_score"] == 1000).all()
    ev = res.to_df("list_events")
    assert set(ev["list"]) == {"defaulters"}
    assert res.to_df("daily")["records"].sum() > 10_000  # records exist, in their silos


def test_a_department_pair_opens_one_channel_only():
    res = Sim(SURVEIL, sets=["platform.sharing=0",
                             "platform.pairs.courts.transport={sharing=1.0}"]).run()
    s = by_service(res)
    assert s.loc["train", "denials"] > 50  # transport sees the court's listings
    assert s.loc["loan", "sanctions"] == 0  # finance does not


def test_full_sharing_without_delay_is_the_single_platform():
    sim = Sim(SURVEIL, sets=["platform.sharing=1.0", "platform.delay_days=0"])
    sim.build()
    distribute = sim.platform.distribute
    checked = {"days": 0, "records": 0}

    def every_record_everywhere(day, landed):
        by_owner, joins = distribute(day, landed)
        for dept in ("platform", "courts"):  # the score's keeper and the list's owner
            got = by_owner[dept]
            assert got.size == landed.size and (got.entity == landed.entity).all()
        checked["days"] += 1
        checked["records"] += landed.size
        return by_owner, joins

    sim.platform.distribute = every_record_everywhere
    shared = sim.run()
    single = Sim(SURVEIL).run()
    assert checked["days"] == sim.days and checked["records"] > 10_000
    for name, table in single.tables.items():
        pd.testing.assert_frame_equal(table, shared.tables[name], check_exact=True)


def test_delay_holds_records_back():
    sets = ["platform.sharing=1.0", "platform.delay_days=10"]
    late = Sim(SURVEIL, sets=sets).run().to_df("daily")
    now = Sim(SURVEIL).run().to_df("daily")
    # Nothing from other departments reaches the platform score for the first 10 days.
    assert late["points_deducted"].iloc[:10].sum() == 0 < now["points_deducted"].iloc[:10].sum()
    assert late["points_deducted"].iloc[10:].sum() > 0


def test_more_sharing_more_joint_punishment_rightful_and_wrongful():
    """The 2024-2025 action plan's lever: more sharing, more sanctions in other departments,
    rightful and wrongful."""
    out = {}
    for rate in (0.2, 1.0):
        s = by_service(Sim(SURVEIL, sets=[f"platform.sharing={rate}",
                                          "platform.delay_days=3"]).run())
        joint = s.loc[["train", "loan"]].sum()
        out[rate] = (joint["sanctions"] - joint["sanctions_wrongful"],
                     joint["sanctions_wrongful"])
    assert out[1.0][0] > 2 * out[0.2][0] > 0
    assert out[1.0][1] > out[0.2][1]
    assert out[1.0][1] >= 10


EVERYTHING = ["platform.sharing=0.7", "platform.delay_days=2", "platform.join_error=0.02",
              "sources.court.registry={clerical=0.01, name_match=0.3}",
              "population.names.top_share=0.005", "sources.cam.face.phantom_rate=0.002",
              "sources.cam.misattribution=0.005", "conduct.default.rate=2.0",
              "lists.black.score_below=985"]


@pytest.fixture(scope="module")
def everything_on():
    return Sim(SURVEIL, sets=EVERYTHING).run()


def test_same_seed_same_results_with_every_mechanism_on(everything_on):
    again = Sim(SURVEIL, sets=EVERYTHING).run()
    for name, table in everything_on.tables.items():
        pd.testing.assert_frame_equal(table, again.tables[name], check_exact=True)


def test_provenance_adds_up(everything_on):
    res = everything_on
    d = res.to_df("daily")
    src = res.to_df("records_by_source")
    causes = ["misattribution", "clerical", "namesake", "face_false_match", "phantom",
              "online_false_flag", "identity_join"]
    assert (src[causes].sum() > 0).all(), src[causes].sum()  # every cause occurred
    # Per day: wrong records by cause add up to the wrong records of `daily`.
    per_day = src.groupby("day")[causes].sum().sum(axis=1)
    assert (per_day.to_numpy() == d["records_wrongful"].to_numpy()).all()
    assert (src.groupby("day")["records"].sum().to_numpy() == d["records"].to_numpy()).all()
    assert (src["true"] + src["wrong"] == src["records"]).all()
    w = res.to_df("wrongful_by_cause")
    for col in ("records_wrongful", "list_entries_wrongful", "denials_wrongful",
                "sanctions_wrongful", "perks_wrongful"):
        assert w[col].sum() == d[col].sum(), col
    assert d["denials_wrongful"].sum() > 0
    g = res.to_df("daily_by_group")
    by_group = w.groupby(["kind", "group"], observed=True)["records_wrongful"].sum()
    assert (g.groupby(["kind", "group"], observed=True)["records_wrongful"].sum()
            .reindex(by_group.index) == by_group).all()
    summary = res.summary["surveillance"]["wrong_records_by_cause"]
    assert sum(summary.values()) == d["records_wrongful"].sum()


def test_wrong_copies_name_another_entity(everything_on):
    ent = everything_on.to_df("entities")
    # Only entities with a wrong record can differ between score and true score.
    clean = ent[ent["records_wrongful"] == 0]
    assert np.allclose(clean["score"], clean["true_score"])
    assert (ent.loc[ent["denials_wrongful"] > 0, "records_wrongful"] > 0).all()


def test_decide_kernel_sees_only_shared_listings_like_the_rule_by_rule_path():
    """With a platform sharing half of the court's listings after a delay, the decide kernel
    gives every service the actions (recorded and true) and rules the NumPy path gives."""
    from scsim.steps.sanction import Sanction

    sim = Sim(SURVEIL, sets=["platform.sharing=0.5", "platform.delay_days=3"])
    sim.build()
    sanction = next(s for s in sim.steps if isinstance(s, Sanction))
    original, checked = sanction.decide_both, {"requests": 0, "shared_rules": 0}

    def decide_both(si, ids):
        action, true_action, rule = original(si, ids)
        assert sanction.coded[si] is not None  # the kernel decided
        assert np.array_equal(action, sanction.decide(si, ids, truth=False))
        assert np.array_equal(rule, sanction.decided_by)
        assert np.array_equal(true_action, sanction.decide(si, ids, truth=True))
        checked["requests"] += ids.size
        checked["shared_rules"] += int((sanction._visibility(si)[0] >= 0).any())
        return action, true_action, rule

    sanction.decide_both = decide_both
    res = sim.run()
    assert checked["requests"] > 1000 and checked["shared_rules"] > 0
    assert by_service(res)["denials"].sum() > 50


def test_a_listing_is_shared_at_the_rate_and_anew_on_each_entry():
    """The sharing uniform of a listing, drawn from (list key, entity, day of entry): below
    a rate for that share of listings (4 standard errors), and independent between two
    entries of the same entity."""
    from scsim.engine.decide_kernel import listing_uniforms

    n, rate = 200_000, 0.3
    ids = np.arange(n, dtype=np.int64) * 7 + 11
    first = listing_uniforms(np.uint64(12345), ids, np.full(n, 5, np.int16))
    again = listing_uniforms(np.uint64(12345), ids, np.full(n, 6, np.int16))
    sd = np.sqrt(rate * (1 - rate) / n)
    for u in (first, again):
        assert abs((u < rate).mean() - rate) < 4 * sd
    both = ((first < rate) & (again < rate)).mean()  # rate**2 if independent
    assert abs(both - rate**2) < 4 * np.sqrt(rate**2 * (1 - rate**2) / n)
    assert np.array_equal(first, listing_uniforms(np.uint64(12345), ids,
                                                  np.full(n, 5, np.int16)))


def test_route_tables_give_each_record_the_rule_record_by_record():
    """Route.copies (a table per source, two kernel passes, a patch of joined rows) against
    the sharing rule applied one record at a time: own records at once, shared ones at once
    or after their pair's delay, a wrong join renaming shared copies only, in landing order."""
    from scsim.engine.records import RecordBatch
    from scsim.surveillance.routes import Route

    rng = np.random.default_rng(7)
    n, n_src, n_dept, x, join_cause = 5000, 6, 4, 2, 7
    src_dept = np.array([0, 2, 1, 3, 2, 1])  # source -> department
    share = rng.uniform(0, 1, n_dept)
    delay = np.array([0, 3, 0, 1])
    batch = RecordBatch(entity=rng.integers(0, 900, n), actor=rng.integers(-1, 900, n),
                        conduct=rng.integers(0, 9, n).astype(np.int16),
                        cause=rng.integers(0, 3, n).astype(np.uint8),
                        day=rng.integers(0, 50, n).astype(np.int16),
                        source=rng.integers(-1, n_src, n).astype(np.int16),
                        origin=rng.integers(-1, 40, n).astype(np.int32))
    u = rng.random(n)
    join_at = np.flatnonzero(rng.random(n) < 0.05)
    join_to = rng.integers(0, 900, join_at.size)
    join_to[:5] = batch.actor[join_at[:5]]  # joins that happen to hit the actor
    cause_of_join = np.where(join_to == batch.actor[join_at], 0, join_cause).astype(np.uint8)
    crossed = np.zeros(join_at.size, bool)
    now, later, wait = Route(src_dept, share, delay, x).copies(batch, u, join_at, join_to,
                                                                cause_of_join, crossed)
    expect = {True: [], False: []}
    expect_wait, expect_crossed = [], []
    joined = dict(zip(join_at.tolist(), join_to.tolist(), strict=True))
    for i in range(n):
        s = int(batch.source[i])
        d = 0 if s < 0 else int(src_dept[s])
        shared = d != x and u[i] < share[d]
        if i in joined:
            expect_crossed.append(shared)
        if d != x and not shared:
            continue
        ent, cause = int(batch.entity[i]), int(batch.cause[i])
        if shared and i in joined:
            ent = joined[i]
            cause = 0 if ent == batch.actor[i] else join_cause
        at_once = d == x or delay[d] == 0
        expect[at_once].append((ent, int(batch.actor[i]), int(batch.conduct[i]), cause,
                                int(batch.day[i]), s, int(batch.origin[i])))
        if not at_once:
            expect_wait.append(int(delay[d]))
    assert len(expect[True]) > 500 and len(expect[False]) > 500
    for got, rows in ((now, expect[True]), (later, expect[False])):
        cols = got.columns()
        assert [c.dtype for c in cols.values()] == [c.dtype for c in batch.columns().values()]
        assert list(zip(*(c.tolist() for c in cols.values()), strict=True)) == rows
    assert wait.tolist() == expect_wait
    assert crossed.tolist() == expect_crossed and 0 < crossed.sum() < crossed.size
