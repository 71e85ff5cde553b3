"""Organizations: credit cascades along payment ties, differential enforcement by ownership,
joint punishment of legal representatives, ratings and the lists that enter on a grade."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scsim.sim import Sim
from scsim.steps.sanction import ACTIONS, Sanction

ORGS = Path(__file__).parent / "data" / "orgs.toml"
# Nothing but the fiscal shock makes anyone act: every company act comes from a cascade.
SHOCK_ONLY = ["conduct.violation.rate=0", "conduct.late_wages.rate=0",
              "conduct.late_tax.rate=0", "conduct.late_supplier_payment.rate=0",
              "conduct.payment_arrears.rate=0"]


def _within(a: float, b: float, n_a: int, n_b: int, sds: float = 4.0) -> bool:
    """Two shares differ by no more than `sds` standard deviations of their difference."""
    p = (a * n_a + b * n_b) / (n_a + n_b)
    return abs(a - b) <= sds * math.sqrt(p * (1 - p) * (1 / n_a + 1 / n_b))


def _ever_listed_share(sim: Sim, res, lst: str) -> pd.Series:
    ev = res.to_df("list_events")
    firms = ev[(ev["event"] == "entry") & (ev["list"] == lst)]["entity"].unique()
    comp = res.to_df("companies")
    comp["listed"] = comp["id"].isin(firms)
    return comp.groupby("ownership", observed=True)["listed"].agg(["mean", "size"])


@pytest.fixture(scope="module")
def shock_run():
    sim = Sim(ORGS, sets=SHOCK_ONLY)
    return sim, sim.run()


@pytest.fixture(scope="module")
def checked_run():
    """The full scenario, checking every flight and company-loan decision as it is taken
    (requests one by one, so that every request reaches the check)."""
    sim = Sim(ORGS, sets=["run.aggregate_requests=false"])
    sim.build()
    sanction = next(s for s in sim.steps if isinstance(s, Sanction))
    flight, loan = sanction.names.index("flight"), sanction.names.index("company_loan")
    discredited = list(sim.sc.lists).index("discredited")
    comp_off = sim.pop.offsets["company"]
    legal_rep = sim.pop.attrs["company"]["legal_rep"]
    book = sim.mechanism("ratings").book("tax_credit")
    seen = {"rep_denied": 0, "rep_granted": 0, "restrict": 0, "discount": 0}
    original = sanction.decide

    def decide(si, ids, truth):
        action = original(si, ids, truth)
        if truth:
            return action
        listed = np.zeros(sim.pop.n, bool)
        listed[sim.state.lists[discredited].members()] = True
        if si == flight:
            firms = np.flatnonzero(listed[comp_off:comp_off + legal_rep.size])
            expected = np.isin(ids, legal_rep[firms])
            assert np.array_equal(action == ACTIONS.index("deny"), expected)
            seen["rep_denied"] += int(expected.sum())
            seen["rep_granted"] += int((~expected & np.isin(ids, legal_rep)).sum())
        elif si == loan:
            grade = book.grades(ids)
            exp = np.full(ids.size, ACTIONS.index("grant"))
            exp[grade == 0] = ACTIONS.index("discount")
            exp[grade > 1] = ACTIONS.index("restrict")
            exp[listed[ids]] = ACTIONS.index("deny")
            assert np.array_equal(action, exp)
            seen["restrict"] += int((exp == ACTIONS.index("restrict")).sum())
            seen["discount"] += int((exp == ACTIONS.index("discount")).sum())
        return action

    sanction.decide = decide
    return sim, sim.run(), seen


# -- cascades ----------------------------------------------------------------------------


def _reachable(ties: pd.DataFrame, start: np.ndarray, depth: int) -> np.ndarray:
    """Suppliers reachable from `start` in at most `depth` payment links."""
    payer, supplier = ties["payer"].to_numpy(), ties["supplier"].to_numpy()
    seen, frontier = np.empty(0, np.int64), start
    for _ in range(depth):
        frontier = np.unique(supplier[np.isin(payer, frontier)])
        seen = np.union1d(seen, frontier)
    return seen


def test_shock_propagates_only_along_payment_ties(shock_run):
    sim, res = shock_run
    cas, hits, ties = (res.to_df(t) for t in ("cascades", "cascade_hits", "payment_ties"))
    gov = res.to_df("governments")
    shocked = gov[gov["region"] == 0]["id"].to_numpy()
    # Every cascade starts at a government of the shocked region, on the shock day.
    assert len(cas) > 0 and set(cas["origin"]) <= set(shocked)
    assert (cas["shock"] == "crash").all() and (cas["day"] == 30).all()
    # Every late payment that hit a firm went along a tie, from the origin or from a firm
    # hit one link earlier in the same cascade.
    assert len(hits) > 50
    pairs = hits.merge(ties, left_on=["payer", "entity"], right_on=["payer", "supplier"])
    assert len(pairs) == len(hits)
    first = hits[hits["depth"] == 1].merge(cas[["cascade", "origin"]], on="cascade")
    assert (first["payer"] == first["origin"]).all()
    deeper = hits[hits["depth"] > 1]
    assert len(deeper) > 0
    parents = hits[["cascade", "entity", "depth"]].rename(
        columns={"entity": "payer", "depth": "parent_depth"}).drop_duplicates()
    linked = deeper.reset_index().merge(parents, on=["cascade", "payer"])
    linked = linked[linked["parent_depth"] == linked["depth"] - 1]
    assert set(linked["index"]) == set(deeper.index)
    # Firms out of reach of the shocked governments did nothing; the only records against
    # them are misattributed ones, and so is any listing.
    reach = _reachable(ties, shocked, sim.sc.payments.cascade.max_depth)
    ent = res.to_df("entities")
    firms = ent[ent["kind"] == "company"]
    out_of_reach = firms[~firms["id"].isin(reach)]
    assert len(out_of_reach) > 1000 and firms[firms["id"].isin(reach)]["acts"].sum() > 100
    assert (out_of_reach["acts"] == 0).all()
    assert (out_of_reach["records"] == out_of_reach["records_wrongful"]).all()
    ev = res.to_df("list_events")
    black = [n for n, c in sim.sc.lists.items() if c.type == "black"]
    entries = ev[(ev["event"] == "entry") & ev["entity"].isin(out_of_reach["id"])
                 & ev["list"].isin(black)]
    assert entries["wrongful"].all()
    # All company acts came from the cascade, and some firms were listed through it.
    d = res.to_df("daily_by_group")
    comp = d[d["kind"] == "company"]
    assert comp["cascade_acts"].sum() == comp["acts_true"].sum() > 0
    listed = res.to_df("cascade_listings")
    assert comp["cascade_listings"].sum() == len(listed) > 0
    # Each firm listed through a cascade was hit by that cascade.
    assert len(listed.merge(hits, on=["cascade", "entity"]).drop_duplicates(
        ["cascade", "entity", "list"])) == len(listed)


def test_no_cascade_listings_when_cascades_are_off(checked_run):
    _, on, _ = checked_run
    off = Sim(ORGS, sets=["payments.cascade.enabled=false"]).run()
    d_on, d_off = on.to_df("daily"), off.to_df("daily")
    assert d_on["cascade_listings"].sum() > 0 and d_on["cascade_acts"].sum() > 0
    assert d_off["cascade_listings"].sum() == 0 and d_off["cascade_acts"].sum() == 0
    assert len(off.to_df("cascades")) == 0 and len(off.to_df("cascade_listings")) == 0
    # Firms are still listed on their own conduct, just not through anyone else's.
    g = off.to_df("daily_by_group")
    assert g[g["kind"] == "company"]["list_entries"].sum() > 100
    assert off.summary["organizations"]["cascades"]["firms_listed_through_cascades"] == 0
    # Common random numbers: switching cascades off changes no draw of own conduct.
    c_on, c_off = on.to_df("daily_by_conduct"), off.to_df("daily_by_conduct")
    for name in ("violation", "payment_arrears", "late_report"):
        a = c_on[c_on["conduct"] == name]["acts_true"].reset_index(drop=True)
        b = c_off[c_off["conduct"] == name]["acts_true"].reset_index(drop=True)
        pd.testing.assert_series_equal(a, b)


# -- differential enforcement ------------------------------------------------------------


def test_equal_enforcement_lists_ownerships_alike(checked_run):
    sim, res, _ = checked_run
    assert all(v == 1.0 for v in sim.sc.enforcement["ownership"].detection.values())
    rates = _ever_listed_share(sim, res, "discredited")
    assert (rates["mean"] > 0.05).all()
    for a in rates.index:
        for b in rates.index:
            assert _within(rates.loc[a, "mean"], rates.loc[b, "mean"],
                           rates.loc[a, "size"], rates.loc[b, "size"]), rates


def test_unequal_enforcement_shows(checked_run):
    """The check above can fail: softer detection and listing of state firms shows up."""
    sets = ["enforcement.ownership.detection.state=0.4",
            "enforcement.ownership.listing.state=0.5"]
    sim = Sim(ORGS, sets=sets)
    rates = _ever_listed_share(sim, sim.run(), "discredited")
    assert not _within(rates.loc["state", "mean"], rates.loc["private", "mean"],
                       rates.loc["state", "size"], rates.loc["private", "size"])
    assert rates.loc["state", "mean"] < 0.5 * rates.loc["private", "mean"]
    assert _within(rates.loc["foreign", "mean"], rates.loc["private", "mean"],
                   rates.loc["foreign", "size"], rates.loc["private", "size"])


def test_detection_by_org_type(checked_run):
    """Religious organizations are watched twice as closely: coverage 1.0 against 0.5."""
    _, res, _ = checked_run
    g = res.to_df("daily_by_group")
    org = g[g["kind"] == "organization"].groupby("group")[["acts_true", "acts_recorded"]].sum()
    m = 0.02  # misattribution of the source: seen but recorded against another entity
    for group, cover in (("religious", 1.0), ("charity", 0.5), ("association", 0.5)):
        n, k = org.loc[group, "acts_true"], org.loc[group, "acts_recorded"]
        p = cover * (1 - m)
        assert n > 100 and abs(k - n * p) <= 4 * math.sqrt(n * p * (1 - p)), (group, n, k)


def test_each_batch_of_acts_is_of_one_kind():
    """Coverage factors of one kind (differential enforcement) look at a batch's first act
    only: every batch the sense step gets, cascades and shocks included, is of one kind."""
    sim = Sim(ORGS, days=40)
    sim.build()
    sensing = next(s for s in sim.steps if s.name == "sense").sensing
    run, batches = sensing.run, []

    def check(day):
        for ci, actors in sim.today.acts:
            kinds = np.unique(sim.pop.kind[actors])
            assert kinds.size == 1, (ci, kinds)
            batches.append(int(kinds[0]))
        run(day)

    sensing.run = check
    res = sim.run()
    assert len(set(batches)) >= 3 and res.to_df("daily")["cascade_acts"].sum() > 0


# -- joint punishment --------------------------------------------------------------------


def test_legal_reps_sanctioned_exactly_when_their_firm_is_listed(checked_run):
    _, res, seen = checked_run
    assert seen["rep_denied"] > 100 and seen["rep_granted"] > 100
    d, s = res.to_df("daily"), res.to_df("daily_by_service")
    denied = s[s["service"] == "flight"]["denials"].sum()
    assert d["spillover_sanctions"].sum() == denied == seen["rep_denied"]
    assert res.to_df("spillover")["sanctions"].sum() == denied
    g = res.to_df("daily_by_group")
    assert g[g["kind"] != "individual"]["spillover_sanctions"].sum() == 0
    assert res.summary["organizations"]["joint_punishment"]["people_sanctioned"] > 50


def test_no_spillover_without_the_rule():
    sim = Sim(ORGS, sets=["services.flight.rules=[]"])
    res = sim.run()
    assert sim.mechanism("joint_punishment") is None
    d = res.to_df("daily")
    assert d["spillover_sanctions"].sum() == 0 and d["denials"].sum() > 0  # loans still
    s = res.to_df("daily_by_service")
    assert s[s["service"] == "flight"]["denials"].sum() == 0
    ev = res.to_df("list_events")
    assert (ev[(ev["list"] == "discredited")]["event"] == "entry").sum() > 100


# -- ratings -----------------------------------------------------------------------------


def test_grade_lists_follow_the_grades(checked_run):
    sim, res, seen = checked_run
    assert seen["restrict"] > 20 and seen["discount"] > 1000
    rat = res.to_df("ratings").set_index("id")
    ent = res.to_df("entities").set_index("id").loc[rat.index]
    assert rat["points"].between(0, 100).all()
    assert (rat["grade"] == "D").sum() > 10 and (rat["grade"] != rat["true_grade"]).any()
    # The ledger gives the grade on the last evaluation day (day 119: evaluated every 10).
    assert (ent["on_tax_d"] == (rat["grade"] == "D")).all()
    assert (ent["on_tax_a"] == (rat["grade"] == "A")).all()
    # A grade listing is wrongful exactly when the true grade would not list.
    on = ent["on_tax_d"]
    assert (ent.loc[on, "tax_d_wrongful"] == (rat.loc[on, "true_grade"] != "D")).all()
    ev = res.to_df("list_events")
    assert set(ev[ev["list"].isin(["tax_d", "tax_a"])]["reason"]) >= {"rating", "recovery"}


# -- the corporate-2025 preset -----------------------------------------------------------


def test_corporate_preset_cites_its_sources_and_shows_every_kind():
    sim = Sim("corporate-2025", scale=0.05, days=200)
    sources = " ".join(s.title for s in sim.sc.meta.sources)
    for words in ("2024-2025 Action Plan", "Improving the Social Credit System", "MERICS",
                  "Tax Credit", "Untrustworthy with Serious Violations"):
        assert words in sources or words in " ".join(s.publisher for s in sim.sc.meta.sources)
    res = sim.run()
    g = res.to_df("daily_by_group")
    cells = set(zip(g["kind"], g["group"], strict=True))
    assert {("company", o) for o in ("private", "state", "foreign")} <= cells
    assert {("government", "county"), ("organization", "religious")} <= cells
    org = res.summary["organizations"]
    shock = org["cascades"]["shock:property_crash"]
    assert org["shocks"]["property_crash"]["governments_hit"] > 0
    assert shock["cascades"] == org["shocks"]["property_crash"]["governments_hit"]
    assert shock["firms_hit"] > 0 and org["cascades"]["firms_listed_through_cascades"] > 0
    assert org["joint_punishment"]["people_sanctioned"] > 0
    assert org["listed"]["company"]["private"]["ever_blacklisted"] > 0


def test_same_seed_same_organization_results():
    a, b = Sim(ORGS, days=45).run(), Sim(ORGS, days=45).run()
    assert set(a.tables) == set(b.tables) >= {"cascades", "ratings", "spillover", "shocks"}
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    c = Sim(ORGS, days=45, seed=6).run()
    assert not a.tables["cascade_hits"].equals(c.tables["cascade_hits"])
