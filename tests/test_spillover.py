"""Spill-over: off, nobody is sanctioned without a record of their own; on, every spill-over
sanction traces to the listing, by a record, of an entity linked to it in the network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scsim.engine.rows import bits_of
from scsim.network import REVERSE
from scsim.sim import Sim
from scsim.society.spillover import SERVICE

SOCIETY = Path(__file__).parent / "data" / "society.toml"
RULES = ("children_school", "friends_loan", "relatives_score", "employees", "executives")
# Rare conduct, so that many entities end the run without any record naming them.
RARE = ["conduct.offence.rate=1.0", "conduct.good_deed.rate=0.1", "conduct.worship.rate=2.0",
        "conduct.post.rate=0.3", "conduct.praise.rate=0.3", "conduct.default.rate=0.6"]


def _sanctioned_without_record(res) -> int:
    e = res.to_df("entities")
    return int(((e["sanctions"] > 0) & (e["records"] == 0)).sum())


def test_spillover_off_sanctions_only_entities_with_records():
    off = RARE + [f"spillover.{r}.enabled=false" for r in RULES]
    res = Sim(SOCIETY, sets=off).run()
    e = res.to_df("entities")
    assert (e["records"] == 0).sum() > 500  # the check below has entities to bite on
    assert e["sanctions"].sum() > 100
    assert _sanctioned_without_record(res) == 0
    assert res.to_df("daily")["spillover_sanctions"].sum() == 0
    # The same run with spill-over on does sanction entities without records: the check
    # above can fail.
    on = Sim(SOCIETY, sets=RARE).run()
    assert _sanctioned_without_record(on) > 0


@pytest.fixture(scope="module")
def traced_run():
    """Run society.toml, checking every spill-over sanction at the moment it is counted."""
    sim = Sim(SOCIETY)
    sim.build()
    sp, net, st = sim.society.spill, sim.society.net, sim.state
    seen = {name: 0 for name in RULES}
    original = sp._count

    def count(day, ri, form, ids, wrongful, source, src_list, service):
        name, rule = sp.rules[ri]
        # Linked by the rule's relation, seen from the sanctioned entity.
        which, linked = net.pairs(rule.via, ids)
        pair = ids[which] * sim.pop.n + linked
        assert np.isin(ids * sim.pop.n + source, pair).all(), name
        # The source's listing rests on records that name it.
        assert (bits_of(st.recorded, source)).all(), name
        assert np.isin(src_list, sp.lists[ri]).all()
        if form == SERVICE:  # listed now, wrongfully only where the sanction is wrongful
            for li in np.unique(src_list):
                m = src_list == li
                ls = st.lists[int(li)]
                assert ls.listed(source[m]).all(), name
                assert not (wrongful[m] & ~ls.wrongful(source[m])).any(), name
        seen[name] += ids.size
        original(day, ri, form, ids, wrongful, source, src_list, service)

    sp._count = count
    res = sim.run()
    return sim, res, seen


def test_every_spillover_traces_to_a_linked_listing(traced_run):
    sim, res, seen = traced_run
    # Every rule fired (so every check above ran), each counted on its own.
    assert all(v > 0 for v in seen.values()), seen
    ds = res.to_df("daily_spillover")
    by_rule = ds.groupby("rule")["sanctions"].sum()
    assert by_rule.to_dict() == seen
    d = res.to_df("daily")
    ev = res.to_df("spillover_events")
    assert d["spillover_sanctions"].sum() == len(ev) == ds["sanctions"].sum()
    assert d["spillover_wrongful"].sum() == ev["wrongful"].sum() == ds["wrongful"].sum()
    # Score spill-over follows a listing that happened that day.
    le = res.to_df("list_events")
    entries = set(zip(le.loc[le["event"] == "entry", "entity"],
                      le.loc[le["event"] == "entry", "list"],
                      le.loc[le["event"] == "entry", "day"], strict=True))
    score = ev[ev["form"] == "score"]
    assert len(score) > 0
    assert all(k in entries for k in zip(score["source"], score["list"], score["day"],
                                         strict=True))


def test_spillover_results_and_reverse_relations(traced_run):
    sim, res, _ = traced_run
    s = res.summary["society"]["spillover"]
    e = res.to_df("entities")
    assert s["sanctions"] == int(e["spillover_sanctions"].sum())
    assert s["entities"] == int((e["spillover_sanctions"] > 0).sum())
    assert 0 < s["share_of_service_sanctions"] < 1
    g = res.to_df("daily_by_group")
    assert g["spillover_sanctions"].sum() == res.to_df("daily")["spillover_sanctions"].sum()
    # REVERSE is an involution and agrees with the network on real ids.
    net = sim.society.net
    for via, back in REVERSE.items():
        assert REVERSE[back] == via
    n = sim.pop.n
    for via in ("parents", "household", "spouse", "friends", "employer", "led_companies"):
        ids = np.arange(n)
        w, other = net.pairs(via, ids)
        w2, back = net.pairs(REVERSE[via], other)
        forward = ids[w] * n + other
        assert w.size > 0, via
        assert np.isin(forward, back * n + other[w2]).all(), via


def test_perfect_sensing_gives_no_wrongful_spillover():
    perfect = ["sources.cam.misattribution=0.0", "sources.court.misattribution=0.0"]
    res = Sim(SOCIETY, days=60, sets=perfect).run()
    d = res.to_df("daily")
    assert d["spillover_sanctions"].sum() > 0
    assert d["spillover_wrongful"].sum() == 0
    # With misattribution, some spill-over rests on a wrong record.
    res = Sim(SOCIETY, days=60, sets=["sources.court.misattribution=0.2"]).run()
    assert res.to_df("daily")["spillover_wrongful"].sum() > 0


def test_one_rule_alone():
    only = [f"spillover.{r}.enabled=false" for r in RULES if r != "children_school"]
    res = Sim(SOCIETY, days=60, sets=only).run()
    ds = res.to_df("daily_spillover")
    assert set(ds["rule"]) == {"children_school"}
    ev = res.to_df("spillover_events")
    assert len(ev) > 0 and set(ev["service"]) == {"university"}
