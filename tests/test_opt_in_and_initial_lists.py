"""Opt-in schemes (who joined, what an app sees) and lists that start with a stock."""

from __future__ import annotations

import math

import numpy as np

from scsim.sim import Sim


def test_opt_in_share_and_app_sees_only_members(tiny):
    share, n = 0.3, 20_000
    sets = [f"population.opt_in_share={share}", "sources.cam.opted_in_only=true",
            "sources.cam.coverage=1.0", "sources.cam.misattribution=0.0"]
    sim = Sim(tiny, days=60, individuals=n, sets=sets)
    res = sim.run()
    joined = sim.pop.attrs["individual"]["opted_in"]
    assert abs(joined.mean() - share) <= 4 * math.sqrt(share * (1 - share) / n)
    ent = res.to_df("entities").merge(res.to_df("individuals"), on="id")
    out = ent[ent["opted_in"] == "no"]
    # the camera is the only source of `offence` and `worship`: non-members leave no record
    # of them, members do (the court source of `default` still sees everyone).
    c = res.to_df("daily_by_conduct").groupby("conduct")[["acts_true", "records"]].sum()
    assert c.loc["offence", "records"] > 0 and out["acts"].sum() > 0
    members_acts = ent.loc[ent["opted_in"] == "yes", "acts"].sum()
    assert c.loc["offence", "records"] + c.loc["worship", "records"] <= members_acts


def test_opt_in_draws_from_its_own_stream(tiny):
    a = Sim(tiny, days=2)
    b = Sim(tiny, days=2, sets=["population.opt_in_share=0.5"])
    a.build(), b.build()
    for name, arr in a.pop.attrs["individual"].items():
        if name != "opted_in":
            assert np.array_equal(arr, b.pop.attrs["individual"][name]), name
    assert a.pop.attrs["individual"]["opted_in"].all()
    assert 0 < b.pop.attrs["individual"]["opted_in"].mean() < 1


def test_initial_stock_is_listed_but_not_counted_as_entries(tiny):
    share = 0.05
    sim = Sim(tiny, days=60, sets=[f"lists.defaulters.initial_share={share}"])
    res = sim.run()
    ev = res.to_df("list_events")
    initial = ev[ev["reason"] == "initial"]
    n = sim.pop.counts["individual"]  # the defaulters list holds individuals only
    assert abs(len(initial) - n * share) <= 4 * math.sqrt(n * share * (1 - share))
    assert (initial["day"] == 0).all() and not initial["wrongful"].any()
    d = res.to_df("daily")
    entries = ev[(ev["event"] == "entry") & (ev["reason"] != "initial")]
    assert d["list_entries"].sum() == len(entries)
    assert res.summary["lists"]["entries"] == len(entries)
    # the defaulters list lasts 40 days: the whole initial stock is gone by day 40
    exits = ev[(ev["event"] == "exit") & ev["entity"].isin(initial["entity"])]
    first_exit = exits.groupby("entity")["day"].min()
    assert set(first_exit.index) == set(initial["entity"]) and first_exit.max() <= 40
    # and the run without a stock draws the same acts (its stream is its own)
    base = Sim(tiny, days=60).run().to_df("daily")
    assert base["acts_true"].equals(d["acts_true"])
