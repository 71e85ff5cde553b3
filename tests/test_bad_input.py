"""Bad input: one clear message naming the file and the key, exit status 2, no traceback,
and no results folder left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bad_input import assert_refused
from scsim.cli import main

GOOD = (Path(__file__).parent / "data" / "tiny.toml").read_text()


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad.toml"
    p.write_text(text)
    return p


CASES = [
    # (what, edit of tiny.toml, words the message must contain)
    ("typo in a key", ("coverage = 0.8", "coverag = 0.8"),
     ["sources.cam.coverag", "unknown key", "did you mean 'coverage'"]),
    ("wrong type", ("rate = 12.0", 'rate = "often"'), ["conduct.offence.rate", "number"]),
    ("negative rate", ("rate = 12.0", "rate = -1.0"), ["conduct.offence.rate", "greater than"]),
    ("probability above 1", ("coverage = 0.8", "coverage = 1.5"),
     ["sources.cam.coverage", "less than or equal to 1"]),
    ("min above max", ("min = 900\n", "min = 1100\n"), ["scoring", "min (1100) is above max"]),
    ("unknown source", ('source = "court"', 'source = "courts"'),
     ["conduct.default.source", "unknown source 'courts'"]),
    ("unknown tier", ('tier_below = "B"', 'tier_below = "BB"'),
     ["services.school.rules[0].tier_below", "unknown tier 'BB'"]),
    ("unknown attribute label", ('only = ["yes"]', 'only = ["often"]'),
     ["conduct.worship.modifiers[0]", "unknown religious 'often'"]),
    ("shares not summing to 1", ("share = 0.3", "share = 0.4"),
     ["population", "sum to 1"]),
    ("broken TOML", ("[run]", "[run"), ["not valid TOML"]),
]


@pytest.mark.parametrize("what,edit,words", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_names_the_key(tmp_path, capsys, what, edit, words):
    assert_refused(tmp_path, capsys, GOOD, edit, words)


def test_unknown_preset(capsys):
    assert main(["run", "points-cty", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no such preset" in err and "did you mean 'points-city'" in err


def test_population_too_large_for_memory(tmp_path, capsys):
    out = tmp_path / "huge"
    code = main(["run", "points-city", "--individuals", "50000000000", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "GiB" in err and "--scale" in err
    assert not out.exists()


def test_bad_set_and_scale(capsys):
    assert main(["run", "points-city", "--set", "population.individuals=-5", "--quiet"]) == 2
    assert "population.individuals" in capsys.readouterr().err
    assert main(["run", "points-city", "--scale", "-1", "--quiet"]) == 2
    assert "--scale" in capsys.readouterr().err


def test_refuses_to_overwrite_a_foreign_folder(tmp_path, capsys):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    assert main(["run", "points-city", "--individuals", "1000", "--days", "5",
                 "--out", str(target), "--quiet"]) == 2
    assert "not a scsim results folder" in capsys.readouterr().err
    assert (target / "notes.txt").read_text() == "keep me"


def test_no_traceback_in_a_real_process(tmp_path):
    bad = _write(tmp_path, GOOD.replace("rate = 12.0", "rate = -3", 1))
    proc = subprocess.run([sys.executable, "-m", "scsim", "validate", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "conduct.offence.rate" in proc.stderr


def test_suggested_scale_is_one_to_type_as_it_stands(tmp_path, capsys):
    """With --scale given, the --scale suggested replaces it (it is not a further factor):
    the run at the suggested scale passes the memory check."""
    import re

    from scsim.sim import Sim

    assert main(["run", "points-city", "--scale", "300000", "--out",
                 str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    fit = float(re.search(r"try --scale ([0-9.e+-]+)", err).group(1))
    assert 1 < fit < 300_000  # far above 1: relative to the preset, not to the request
    from scsim.memory import MARGIN, available_bytes, estimate_bytes

    sc = Sim("points-city", scale=fit * 0.95, days=1).sc
    assert estimate_bytes(sc) <= MARGIN * available_bytes()
