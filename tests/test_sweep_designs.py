"""Designs, factors, replicate statistics, Sobol indices, the EMA adapter, the progress bar."""

from __future__ import annotations

import io
import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import DATA, need
from scsim.errors import ScsimInputError
from scsim.sweep.design import design_points, lhs_unit
from scsim.sweep.factors import parse_set, parse_sets, split_top
from scsim.sweep.load import SweepResults
from scsim.sweep.progress import SweepProgress
from scsim.sweep.stats import band_frame, t975

TINY = DATA / "tiny.toml"


def test_parse_levels_ranges_and_fixed_values():
    key, f = parse_set("a.b=0.1, 0.2,0.3")
    assert key == "a.b" and f.levels == (0.1, 0.2, 0.3)
    _, f = parse_set('x.rules=[{list = "a", action = "deny"}],[]')
    assert f.levels == ([{"list": "a", "action": "deny"}], [])
    _, f = parse_set("a.n=2:9")
    assert f.is_range and f.integer and (f.lo, f.hi) == (2, 9)
    _, f = parse_set("a.p=0:0.5")
    assert f.is_range and not f.integer
    assert parse_set("a.on=true") == ("a.on", True)
    assert split_top('[1,2],"x,y",3', ",") == ["[1,2]", '"x,y"', "3"]
    factors, fixed = parse_sets(["s.cam.coverage=0.1,0.2", "t.cam.coverage=1,2", "u.v=3"])
    assert [f.column for f in factors] == ["s_cam_coverage", "t_cam_coverage"]
    assert fixed == ["u.v=3"]
    with pytest.raises(ScsimInputError, match="listed twice"):
        parse_set("a.b=1,1")
    with pytest.raises(ScsimInputError, match="lo < hi"):
        parse_set("a.b=3:1")


def test_factorial_is_every_combination():
    factors, _ = parse_sets(["a.x=1,2,3", "a.y=true,false"])
    pts = design_points(factors, "factorial", None, seed=0)
    assert pts == list(itertools.product((1, 2, 3), (True, False)))
    assert design_points([], "factorial", None, seed=0) == [()]


def test_lhs_uses_each_stratum_once_and_depends_on_the_seed():
    u = lhs_unit(3, 50, seed=4)
    for col in u.T:
        assert sorted(np.floor(col * 50).astype(int)) == list(range(50))
    assert not np.array_equal(u, lhs_unit(3, 50, seed=5))
    assert np.array_equal(u, lhs_unit(3, 50, seed=4))
    factors, _ = parse_sets(["a.p=0.0:0.5", "a.n=1:4", "a.k=x,y"])
    pts = design_points(factors, "lhs", 40, seed=1)
    p, n, k = zip(*pts, strict=True)
    assert all(0.0 <= v < 0.5 for v in p)
    assert sorted(set(n)) == [1, 2, 3, 4] and all(isinstance(v, int) for v in n)
    assert [n.count(i) for i in (1, 2, 3, 4)] == [10, 10, 10, 10]  # strata are balanced
    assert k.count("x") == k.count("y") == 20


def test_t_quantiles_match_scipy():
    stats = need("scipy.stats")
    df = np.arange(1, 400)
    np.testing.assert_allclose(t975(df), stats.t.ppf(0.975, df), rtol=1e-6)
    assert np.isnan(t975(0))


def test_band_frame_against_direct_computation():
    rng = np.random.default_rng(3)
    values = rng.normal(10, 2, size=(3, 7))
    long = pd.DataFrame({"point": np.repeat([0, 1, 2], 7), "outcome": "y",
                         "value": values.ravel()})
    b = band_frame(long, ["point"])
    assert b["n"].tolist() == [7, 7, 7]
    np.testing.assert_allclose(b["mean"], values.mean(axis=1))
    half = 2.44691185 * values.std(axis=1, ddof=1) / np.sqrt(7)
    np.testing.assert_allclose(b["ci_lo"], values.mean(axis=1) - half)
    np.testing.assert_allclose(b["q975"], np.quantile(values, 0.975, axis=1))


def test_sobol_indices_find_the_factor_that_matters():
    """The analysis on a known function of the design: y = 3 x1 + noise-free nothing of x2."""
    need("SALib")
    from scsim.sweep.plan import SweepPlan
    from scsim.sweep.sensitivity import sobol_indices
    from scsim.sweep.stats import outcome_bands

    factors, _ = parse_sets(["a.x1=0.0:1.0", "a.x2=0.0:1.0"])
    plan = SweepPlan(raw={}, origin="test", factors=factors, fixed=[], design="sobol",
                     samples=256, replicates=2, base_seed=1)
    assert len(plan.points) == 256 * (2 + 2)
    ex = plan.experiments()
    outcomes = pd.DataFrame({"run_id": ex["run_id"], "y": 3 * ex["x1"] + 0 * ex["x2"]})
    points = ex.drop(columns=["run_id", "replicate", "seed"]).drop_duplicates("point")
    sw = SweepResults(path=None, manifest={"design": "sobol", "base_seed": 1,  # type: ignore
                                           "factors": [f.to_json() for f in factors]},
                      tables={"points": points, "outcome_bands": outcome_bands(outcomes, ex)})
    si = sobol_indices(sw, "y").set_index("factor")
    # a linear function of x1 alone: S1 = ST = 1 for x1 and 0 for x2, within the bootstrap
    # interval SALib gives (4 of its half-widths, and never below 0.05)
    for f, target in (("x1", 1.0), ("x2", 0.0)):
        for idx in ("S1", "ST"):
            tol = max(4 * si.at[f, f"{idx}_conf"] / 1.96, 0.05)
            assert abs(si.at[f, idx] - target) < tol, (f, idx, si.at[f, idx])


def test_sobol_sweep_end_to_end(tmp_path, capsys):
    need("SALib")
    from scsim.cli import main

    out = tmp_path / "sobol"
    assert main(["sweep", str(TINY), "--design", "sobol", "--samples", "4", "--days", "10",
                 "--individuals", "400", "--set", "sources.cam.misattribution=0:0.2",
                 "--set", "restoration.appeals.file_prob=0:1", "--out", str(out),
                 "--workers", "2", "--quiet"]) == 0
    assert main(["sweep-summary", str(out), "--sobol", "acts_wrongful", "--csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert df["factor"].tolist() == ["misattribution", "file_prob"]
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(df.columns)
    # wrong records come from misattribution, not from appeals
    assert df.loc[0, "ST"] > df.loc[1, "ST"]
    assert main(["sweep-summary", str(out), "--sobol", "nope"]) == 2
    assert "no outcome 'nope'" in capsys.readouterr().err


def test_ema_workbench_model_runs_experiments():
    with warnings.catch_warnings():  # "ipyparallel not installed": not ours to fix
        warnings.simplefilter("ignore")
        need("ema_workbench")
        from ema_workbench import SequentialEvaluator, perform_experiments

    from scsim.sweep.ema import scenario_model

    model = scenario_model(TINY, uncertainties={"sources.cam.misattribution": (0.0, 0.1)},
                           levers={"restoration.appeals.file_prob": [0.1, 0.5]},
                           outcomes=["acts_wrongful"], daily=["denials_wrongful"],
                           replications=2, days=15, individuals=600)
    assert [u.name for u in model.uncertainties] == ["misattribution"]
    assert [lv.name for lv in model.levers] == ["file_prob"]
    with SequentialEvaluator(model) as ev:
        experiments, outcomes = perform_experiments(model, scenarios=3, policies=2,
                                                    evaluator=ev)
    assert len(experiments) == 6
    assert outcomes["acts_wrongful"].shape == (6,)
    assert outcomes["daily_denials_wrongful"].shape == (6, 2, 15)
    # common random numbers: appeals do not change which acts are wrongly recorded
    by = pd.DataFrame({"s": experiments["scenario"], "y": outcomes["acts_wrongful"]})
    assert (by.groupby("s")["y"].nunique() == 1).all()
    with pytest.raises(ScsimInputError, match="unknown"):
        scenario_model(TINY, uncertainties={"sources.cam.misattribution": (0.0, 0.1)},
                       outcomes=["wrongful_denials"])
    with pytest.raises(ScsimInputError, match="sources.cam.coverag"):
        scenario_model(TINY, uncertainties={"sources.cam.coverag": (0.0, 0.1)})


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_runs_failed_retried_and_eta():
    tty = _Tty()
    bar = SweepProgress(10, skipped=2, stream=tty)
    bar.update(done=3, failed=1, retried=2, force=True)
    bar.close()
    text = tty.getvalue()
    assert "5/10 runs (2 from before)" in text and "1 failed" in text and "2 retried" in text
    assert "ETA" in text and "runs/s" in text
    quiet = io.StringIO()
    SweepProgress(10, stream=quiet).update(done=1, failed=0, retried=0, force=True)
    assert quiet.getvalue() == ""
