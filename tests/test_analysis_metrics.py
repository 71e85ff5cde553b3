"""Harm metrics: each figure is its SQL, and the SQL means what the label says (recomputed
here independently with pandas from the same tables)."""

from __future__ import annotations

import math
import tomllib

import duckdb
import numpy as np
import pytest

from scsim.analysis.metrics import REGISTRY, compute_all
from scsim.analysis.source import RunData
from scsim.results import Results
from scsim.sim import Sim

_CACHE: dict = {}


def _figures(folder):
    """Every figure of a run, computed once per folder for this module."""
    if folder not in _CACHE:
        run = RunData.open(folder)
        try:
            _CACHE[folder] = {f.key: f for m in compute_all(run) for f in m.figures}
        finally:
            run.close()
    return _CACHE[folder]


def _close(a, b, rel=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def test_every_figure_is_its_sql(tiny_run, pc_run):
    for folder in (tiny_run, pc_run):
        figs = _figures(folder)
        assert len(figs) > 25
        con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
        try:
            for f in figs.values():
                value = con.execute(f.sql).fetchone()[0]
                assert _close(f.value, None if value is None else float(value)), f.key
        finally:
            con.close()


def test_headline_figures_recomputed_with_pandas(tiny_run):
    res = Results.load(tiny_run)
    figs = _figures(tiny_run)
    d = res.to_df("daily")
    assert d["sanctions_wrongful"].sum() > 0  # the test means something
    assert _close(figs["wrongful.one_in_n"].value,
                  d["sanctions"].sum() / d["sanctions_wrongful"].sum())
    s = res.summary["sanctions"]
    assert _close(figs["wrongful.one_in_n"].value, s["all"] / s["wrongful"])
    g = res.to_df("daily_by_group")
    ind = g[g["kind"] == "individual"].groupby("group")[["sanctions", "requests"]].sum()
    rate = ind["sanctions"] / ind["requests"]
    assert len(rate) == 2
    assert _close(figs["disparity.max_ratio"].value, rate.max() / rate.min())
    c = res.to_df("daily_by_conduct")
    neg = c[c["points"] < 0]
    lost = -neg.groupby("category")["points"].sum()
    harmless = lost.reindex(["civic", "political", "religious", "health"]).fillna(0).sum()
    assert 0 < harmless < lost.sum()
    assert _close(figs["punished.harmless_share"].value, harmless / lost.sum())
    assert _close(figs["due_process.upheld_per_wrong_record"].value,
                  d["appeals_upheld"].sum() / d["records_wrongful"].sum())
    assert _close(figs["restoration.median_days"].value,
                  _km_quantile(res, ["black", "defaulters"], 0.5))
    assert _close(figs["restoration.p90_days"].value,
                  _km_quantile(res, ["black", "defaulters"], 0.9))


def test_travel_and_school_figures(pc_run):
    res = Results.load(pc_run)
    figs = _figures(pc_run)
    ctx = {n: s.get("context", "") for n, s in tomllib.loads(res.scenario_toml)["services"].items()}
    svc = res.to_df("daily_by_service")
    svc = svc.assign(context=svc["service"].map(ctx))
    travel = svc.loc[svc["context"] == "transport", "denials"].sum()
    assert travel > 0
    assert figs["access.travel_denials"].value == travel
    assert figs["access.school_refusals"].value == svc.loc[svc["context"] == "education",
                                                            "denials"].sum()


def test_gini_of_perks(tmp_path):
    """Perks need tier AAA, rare in a short points-city run: start everyone there."""
    from scsim.sim import Sim

    out = tmp_path / "aaa"
    Sim("points-city", individuals=3000, days=60, seed=5, sets=["scoring.base=1060"]).run(
        out=out)
    ent = Results.load(out).to_df("entities")
    perks = np.sort(ent.loc[ent["kind"] == "individual", "perks"].to_numpy(float))
    assert perks.sum() > 100 and perks[0] < perks[-1]  # unequal: a Gini strictly inside (0,1)
    n = perks.size
    gini = (2 * np.sum(np.arange(1, n + 1) * perks) / (n * perks.sum())) - (n + 1) / n
    assert _close(_figures(out)["access.gini_perks"].value, gini, rel=1e-9)


def _km_quantile(res: Results, lists: list[str], q: float) -> float | None:
    """Kaplan-Meier by hand: the k-th exit of an entity from a list ends its k-th entry."""
    ev = res.to_df("list_events")
    ev = ev[ev["list"].isin(lists)].sort_values(["entity", "list", "day"], kind="stable")
    ev["k"] = ev.groupby(["entity", "list", "event"]).cumcount()
    entries = ev[ev["event"] == "entry"][["entity", "list", "k", "day"]]
    exits = ev[ev["event"] == "exit"][["entity", "list", "k", "days_listed"]]
    t = entries.merge(exits, on=["entity", "list", "k"], how="left")
    t["ended"] = t["days_listed"].notna()
    t["d"] = t["days_listed"].fillna(res.summary["days"] - t["day"])
    surv = 1.0
    for d in np.sort(t["d"].unique()):
        at_risk = (t["d"] >= d).sum()
        events = ((t["d"] == d) & t["ended"]).sum()
        surv *= 1 - events / at_risk
        if surv <= 1 - q + 1e-12:
            return float(d)
    return None


def test_equal_conduct_standardisation(tiny_run):
    res = Results.load(tiny_run)
    figs = _figures(tiny_run)
    e = res.to_df("entities")
    e = e[e["kind"] == "individual"].assign(
        stratum=lambda x: np.minimum(x["acts"] // 5, 10), hit=lambda x: x["sanctions"] > 0)
    w = e["stratum"].value_counts(normalize=True)
    std = {}
    for g, sub in e.groupby("group"):
        r = sub.groupby("stratum")["hit"].mean()
        std[g] = (r * w[r.index]).sum() / w[r.index].sum()
    assert _close(figs["disparity.max_ratio_equal_conduct"].value,
                  max(std.values()) / min(std.values()))


def test_metrics_absent_from_a_run_say_so(tiny, tmp_path):
    ms = {m.key: m for m in Sim(tiny, days=30).run().metrics()}
    assert set(ms) == set(REGISTRY)
    assert ms["chilling"].absent.startswith("not in this run")
    assert not ms["chilling"].figures and not ms["chilling"].charts
    if not ms["spillover"].absent:  # the columns exist (organizations) and are all zero here
        assert all(f.value == 0 for f in ms["spillover"].figures)
        assert "Nothing spilled over" in ms["spillover"].notes[0]
    for key in ("wrongful", "disparity", "punished", "access", "due_process", "restoration"):
        assert not ms[key].absent and ms[key].figures and ms[key].charts
    d = Sim(tiny, days=30).run().to_df("daily")  # same seed: the in-memory run's figures
    assert ms["wrongful"].figure("records_wrongful").value == d["records_wrongful"].sum()


def test_columns_added_by_other_mechanisms_are_picked_up():
    """A run whose tables carry suppressed-acts and spill-over columns (as society adds)."""
    res = Sim(_tiny(), days=30).run()
    rng = np.random.default_rng(1)
    c = res.tables["daily_by_conduct"]
    c["acts_suppressed"] = rng.integers(0, 5, len(c))
    d = res.tables["daily"]
    d["spillover_sanctions"] = rng.integers(0, 3, len(d))
    ms = {m.key: m for m in res.metrics()}
    assert not ms["chilling"].absent and not ms["spillover"].absent
    f = ms["chilling"].figure("suppressed_share")
    sup, done = c["acts_suppressed"].sum(), c["acts_true"].sum()
    assert _close(f.value, sup / (sup + done))
    rel = c[c["category"] == "religious"]
    assert _close(ms["chilling"].figure("suppressed_share_religious").value,
                  rel["acts_suppressed"].sum() / (rel["acts_suppressed"].sum()
                                                  + rel["acts_true"].sum()))
    assert ms["spillover"].figure("spillover_sanctions").value == d["spillover_sanctions"].sum()
    assert ms["spillover"].charts


def test_sim_results(tiny):
    sim = Sim(tiny, days=10)
    assert sim.results is None
    res = sim.run()
    assert sim.results is res
    assert sim.results.to_df("daily").shape[0] == 10


def _tiny():
    from pathlib import Path

    return Path(__file__).parent / "data" / "tiny.toml"


@pytest.mark.parametrize("fmt,value,text", [
    ("one_in", 13.3, "1 in 13"), ("one_in", None, "none"), ("pct", 0.0749, "7.5\u00a0%"),
    ("pct", 0.0026, "0.26\u00a0%"), ("ratio", 3.561, "3.56×"), ("int", 1234.4, "1,234"),
    ("days", 93.0, "93\u00a0days"), ("num", None, "–"),
])
def test_formats(fmt, value, text):
    from scsim.analysis.format import fmt_value

    assert fmt_value(value, fmt) == text


def test_society_counterfactual_chilling_and_spillover(tmp_path):
    """The society mechanisms' own columns: chilling against the counterfactual run, and
    sanctions for someone else's record."""
    out = tmp_path / "pcs"
    Sim("points-city-society", individuals=3000, days=60, seed=2).run(out=out,
                                                                       counterfactual=True)
    res = Results.load(out)
    figs = _figures(out)
    c = res.to_df("daily_by_conduct")
    assert c["acts_suppressed"].sum() > 0
    assert _close(figs["chilling.suppressed_share"].value,
                  c["acts_suppressed"].sum() / c["acts_counterfactual"].sum())
    rel = c[c["category"] == "religious"]
    assert _close(figs["chilling.suppressed_share_religious"].value,
                  rel["acts_suppressed"].sum() / rel["acts_counterfactual"].sum())
    d, e = res.to_df("daily"), res.to_df("entities")
    assert d["spillover_sanctions"].sum() > 0
    assert figs["spillover.spillover_sanctions"].value == d["spillover_sanctions"].sum()
    assert figs["spillover.people"].value == ((e["kind"] == "individual")
                                              & (e["spillover_sanctions"] > 0)).sum()
