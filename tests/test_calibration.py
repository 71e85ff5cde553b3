"""Calibration: the fit finds rates that hit targets, and the calibrated national-lists preset
reproduces the two published ratios on a run with a seed the fit never saw."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scsim.calibrate import targets as T
from scsim.calibrate.inert import inert_conducts, switch_off
from scsim.cli import main
from scsim.scenario import load_scenario
from scsim.sim import Sim


def test_switching_inert_conduct_off_changes_nothing_else():
    sc = load_scenario("national-lists").model
    assert "jaywalking" in inert_conducts(sc)
    assert "court_judgment_default" not in inert_conducts(sc)
    full = Sim("national-lists", individuals=20_000, days=90).run()
    fast = Sim("national-lists", individuals=20_000, days=90, sets=switch_off(sc)).run()
    for table in ("list_events", "daily_by_service"):
        pd.testing.assert_frame_equal(full.to_df(table), fast.to_df(table))
    assert len(full.to_df("list_events")) > 0
    # with appeals possible, every landed record draws from the appeals stream: nothing is inert
    assert inert_conducts(load_scenario("points-city").model) == []


def test_calibrated_national_lists_hits_published_ratios():
    sc = load_scenario("national-lists").model
    cal = sc.calibration
    assert cal is not None and {"flight_to_rail_denials", "restorations_to_listings"} <= set(
        cal.targets)
    for key, value in cal.fitted.items():  # the fitted values are the preset's values
        node = sc.model_dump()
        for part in key.split("."):
            node = node[part]
        assert node == pytest.approx(value)
    # Same sample size as the fit, another seed: the fit's own noise is not reused.
    res = Sim("national-lists", individuals=cal.individuals, days=cal.days, seed=cal.seed + 1,
              sets=switch_off(sc)).run()
    for name in ("flight_to_rail_denials", "restorations_to_listings"):
        t = cal.targets[name]
        got = T.evaluate(res, t.expr)
        a, b = T.counts(res, t.expr)
        # Sampling error of a ratio of two counts (Poisson, treated as independent, which
        # overstates it when they are correlated): at this sample size 10 % is >= 4 sd.
        rel_sd = math.sqrt(1 / a + 1 / b)
        assert 4 * rel_sd <= 0.10, f"{name}: sample too small for the 10 % check"
        err = got / t.value - 1
        assert abs(err) <= 0.10, f"{name}: {got:.3f} vs published {t.value:.3f}"
        assert abs(err) <= 4 * rel_sd + 0.01, f"{name}: {err:.1%} is beyond sampling error"


def test_calibrate_command_fits_and_writes(tiny, tmp_path, capsys):
    base = Sim(tiny, days=60).run()
    acts = T.evaluate(base, "acts_true:offence")
    out = tmp_path / "fitted.toml"
    code = main(["calibrate", str(tiny), "--days", "60", "--target",
                 f"acts_true:offence={2 * acts}", "--fit", "conduct.offence.rate=1:100",
                 "--write", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    sc = load_scenario(out).model
    # twice the acts at twice the rate (12 a year), within the 1 % tolerance and noise
    assert sc.conduct["offence"].rate == pytest.approx(24.0, rel=0.03)
    assert sc.calibration.targets and sc.calibration.fitted
    res = Sim(out, days=60).run()
    assert T.evaluate(res, "acts_true:offence") == pytest.approx(2 * acts, rel=0.01)


@pytest.mark.parametrize("args,words", [
    (["--target", "denials:nope/denials:flight=2", "--fit", "services.flight.demand=1:2"],
     ["'nope' is not in this scenario"]),
    (["--target", "flight_to_rail_denials=3", "--fit", "services.flight.demand"],
     ["expected KEY=LO:HI"]),
    (["--target", "flight_to_rail_denials=abc", "--fit", "services.flight.demand=1:2"],
     ["expected NAME=VALUE"]),
    (["--target", "flight_to_rail_denials=3", "--fit", "services.flight.nope=1:2"],
     ["not a number in this scenario"]),
])
def test_calibrate_bad_input(capsys, args, words):
    assert main(["calibrate", "national-lists", "--individuals", "500", "--days", "5",
                 *args]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words), err
