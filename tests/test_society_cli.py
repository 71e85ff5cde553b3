"""The society tables from the command line: bad input named by key, --counterfactual runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bad_input import assert_refused
from scsim.cli import main
from scsim.scenario import load_scenario

SOCIETY = (Path(__file__).parent / "data" / "society.toml").read_text()
TINY = (Path(__file__).parent / "data" / "tiny.toml").read_text()

LOAN = 'lists = ["black"]\nservices = ["loan"]'
CASES = [
    ("unknown list", (LOAN, LOAN.replace("black", "blak")),
     ["spillover.friends_loan.lists[0]", "unknown list 'blak'"]),
    ("red list", (LOAN, LOAN.replace("black", "red")),
     ["spillover.friends_loan.lists[0]", "red list"]),
    ("unknown service", ('services = ["flight"]', 'services = ["flights"]'),
     ["spillover.executives.services[0]", "unknown service 'flights'"]),
    ("bad relation", ('via = "parents"', 'via = "cousins"'),
     ["spillover.children_school.via", "household"]),
    ("no form", ("points = -5", "points = 0"), ["spillover.relatives_score", "give services"]),
    ("clustering out of reach", ("clustering = 0.2", "clustering = 0.7"),
     ["network.friends", "clustering 0.7 is above", "the most a ring of mean degree 6"]),
    ("typo in shaming", ("tie_cut = 0.3", "tie_cutt = 0.3"),
     ["shaming.tie_cutt", "did you mean 'tie_cut'"]),
    ("negative elasticity", ("elasticity = 2.0", "elasticity = -2.0"),
     ["adapt.deterrence.elasticity", "greater than or equal to 0"]),
    ("no layer for the relation", ("[network.work]\n", "[network.work]\nenabled = false\n"),
     ["spillover.employees.via", "needs [network.work]"]),
]


@pytest.mark.parametrize("what,edit,words", CASES, ids=[c[0] for c in CASES])
def test_bad_society_input_names_the_key(tmp_path, capsys, what, edit, words):
    (tmp_path / "tiny.toml").write_text(TINY)  # the file the scenario extends
    assert_refused(tmp_path, capsys, SOCIETY, edit, words)


def test_spillover_needs_a_network(tmp_path, capsys):
    (tmp_path / "tiny.toml").write_text(TINY)
    bad = tmp_path / "bad.toml"
    bad.write_text(SOCIETY.replace("[network.households]\n[network.friends]\nmean_degree = 6\n"
                                   "clustering = 0.2\n[network.work]\n", ""))
    assert main(["validate", str(bad)]) == 2
    assert "spill-over needs a [network] table" in capsys.readouterr().err


def test_run_with_counterfactual(tmp_path, capsys):
    out = tmp_path / "pcs"
    assert main(["run", "points-city-society", "--individuals", "3000", "--days", "20",
                 "--counterfactual", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "counterfactual (sanctions off)" in printed and "protests" in printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counterfactual"]["acts_counterfactual"] > 0
    assert summary["society"]["network"]["bytes_per_individual"] > 0
    assert main(["query", str(out), "select sum(acts_suppressed), sum(spillover_sanctions), "
                 "sum(shamed), sum(protests) from daily"]) == 0
    assert main(["query", str(out), "select count(*) from daily_spillover"]) == 0
    capsys.readouterr()
    # The preset's mechanisms switch off one by one.
    sc = load_scenario("points-city-society", sets=["spillover.executives.enabled=false",
                                                    "adapt.enabled=false"]).model
    assert not sc.spillover["executives"].enabled and not sc.adapt.on("grievance")
