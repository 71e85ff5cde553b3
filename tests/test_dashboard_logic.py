"""The dashboard's knobs and background runs, without a browser."""

from __future__ import annotations

import time

from scsim.dashboard import knobs as K
from scsim.dashboard.runner import Job
from scsim.scenario import load_scenario
from scsim.sim import Sim


def test_untouched_knobs_run_the_preset_as_it_is():
    sc = load_scenario("points-city").model
    ov = K.overrides(sc, K.defaults(sc))
    assert ov["sets"] == [] and ov["individuals"] == 10_000 and ov["seed"] == sc.run.seed


def test_knobs_map_onto_scenario_keys():
    sc = load_scenario("points-city").model
    vals = K.defaults(sc) | {"coverage": 2.0, "face_error": 0.1, "threshold": 900.0,
                             "appeal_rate": 0.5}
    sets = K.overrides(sc, vals)["sets"]
    assert "sources.traffic_cctv.misattribution=0.1" in sets
    assert "sources.police.misattribution=0.1" not in sets  # not a camera
    assert "sources.police.coverage=1.0" in sets  # 0.6 x 2, capped at 1
    assert "sources.grid_workers.coverage=0.5" in sets
    assert "lists.blacklist.score_below=900.0" in sets
    assert "restoration.appeals.file_prob=0.5" in sets
    sim = Sim("points-city", **K.overrides(sc, vals))  # every line is a valid override
    assert sim.sc.lists["blacklist"].score_below == 900
    assert sim.sc.sources["traffic_cctv"].misattribution == 0.1


def test_sharing_spillover_and_adaptation_knobs_reach_their_mechanisms():
    sc = load_scenario("points-city-society").model
    base = K.defaults(sc)
    assert base["spillover"] is True and base["deterrence"] > 0
    vals = base | {"sharing": 0.2, "spillover": False, "deterrence": 0.0, "chilling": 3.0}
    sim = Sim("points-city-society", **K.overrides(sc, vals))
    assert sim.sc.platform.sharing == 0.2
    assert not any(r.enabled for r in sim.sc.spillover.values())
    assert sim.sc.adapt.deterrence.elasticity == 0.0 and sim.sc.adapt.chilling.elasticity == 3.0
    # points-city has no spill-over rule: that switch is off, with the reason
    assert "spill-over" in K.unavailable(load_scenario("points-city").model)["spillover"]


def test_knobs_without_a_mechanism_are_off_with_a_reason():
    off = K.unavailable(load_scenario("national-lists").model)
    assert "score blacklist" in off["threshold"] and "appeal" in off["appeal_rate"]
    assert "face_error" not in off  # inherits points-city's street cameras
    assert "threshold" not in K.unavailable(load_scenario("points-city").model)
    # a knob that is off never changes the scenario, whatever its value
    sc = load_scenario("national-lists").model
    assert K.overrides(sc, K.defaults(sc) | {"threshold": 10.0})["sets"] == []


def test_job_runs_in_the_background_and_can_be_cancelled(tiny):
    job = Job(str(tiny), {"days": 20}).start().wait(60)
    assert job.state == "done" and job.done == 20 and job.results.summary["days"] == 20
    slow = Job("points-city", {"individuals": 100_000, "days": 730}).start()
    deadline = time.monotonic() + 60
    while slow.done < 2 and slow.active and time.monotonic() < deadline:
        time.sleep(0.02)
    slow.cancel()
    slow.wait(60)
    assert slow.state == "cancelled" and 2 <= slow.done < 730 and slow.results is None
    bad = Job(str(tiny), {"sets": ["conduct.offence.rate=-1"]}).start().wait(60)
    assert bad.state == "failed" and "conduct.offence.rate" in bad.error
