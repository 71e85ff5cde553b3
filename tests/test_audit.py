"""`scsim audit`: reads a scenario with no run and names the rule behind each finding."""

from __future__ import annotations

import json

from scsim.analysis.audit import audit
from scsim.analysis.audit.checks import spillover
from scsim.cli import main
from scsim.scenario import load_scenario


def test_points_city_religious_and_political_rules_are_flagged():
    sc = load_scenario("points-city").model
    protected = {c for c, cfg in sc.conduct.items()
                 if cfg.category in ("religious", "political") and sc.scoring.points.get(c)}
    assert {"cult_participation", "protest", "anti_government_post"} <= protected
    rep = audit("points-city")
    flagged = {f.rule for f in rep.findings if f.check == "protected-conduct"}
    assert {f"scoring.points.{c}" for c in protected} <= flagged
    for f in rep.findings:
        if f.check == "protected-conduct" and f.rule.startswith("scoring.points."):
            name = f.rule.removeprefix("scoring.points.")
            assert name in f.message and f.severity == "high" and "Art. 9" in f.basis
    assert rep.has_highest


def test_points_city_context_and_disproportion():
    rep = audit("points-city")
    ctx = {f.rule: f for f in rep.findings if f.check == "context" and f.severity == "high"}
    # the issue's example: a traffic record denying a school place
    school = ctx["services.private_school.rules[1]"]
    assert "traffic_cctv" in school.message and "private_school" in school.message
    basic = {f.rule for f in rep.findings if f.check == "disproportion"
             and f.rule.startswith("services.")}
    assert "services.public_housing.rules[0]" in basic
    # a perk is never a finding: only sanction rules are checked for context
    assert not any(f.rule == "services.gym.rules[0]" for f in rep.findings)


def test_rule_of_law_harm_only_rules_are_not_flagged():
    rep = audit("rule-of-law")
    assert not [f for f in rep.findings if f.rule.startswith("scoring.")]
    assert not [f for f in rep.findings if f.check in ("protected-conduct", "disproportion",
                                                       "harmless-conduct")]
    assert not rep.has_highest
    for f in rep.findings:  # what it does report names a rule that exists in the scenario
        assert f.rule.split(".")[0] in ("services", "lists", "restoration")


def test_every_finding_names_an_existing_rule():
    for name in ("points-city", "rule-of-law", "national-lists"):
        dump = load_scenario(name).model.model_dump(mode="json")
        for f in audit(name).findings:
            node = dump
            for part in f.rule.replace("]", "").replace("[", ".").split("."):
                node = node[int(part)] if isinstance(node, list) else node[part]


def test_restoration_without_condition_and_weak_appeal(tiny):
    rep = audit(tiny)
    rules = {(f.check, f.rule) for f in rep.findings}
    assert ("restoration", "lists.black.repair.condition") in rules
    assert ("protected-conduct", "scoring.points.worship") in rules
    rep2 = audit(tiny, sets=['lists.black.repair.condition="pay a fine"',
                             "restoration.appeals.file_prob=0"])
    rules2 = {(f.check, f.rule) for f in rep2.findings}
    assert ("restoration", "lists.black.repair.condition") not in rules2
    assert ("no-appeal", "restoration.appeals") in rules2


def test_spillover_found_by_key_name():
    dump = {"network": {"spillover": {"relatives": 0.2, "employees": 0.0}},
            "organizations": {"legal_rep_sanctions": False, "spillover_off": {"enabled": False,
                                                                               "share": 0.5}},
            "spill_over": {"kin": {"description": "relatives refused", "points": -10},
                           "off": {"enabled": False, "points": -5}},
            "services": {"hotel": {"rules": [{"list": "x", "via": "legal_rep_of"}]}}}
    found = spillover(None, dump)
    assert [f.rule for f in found] == ["network.spillover", "spill_over.kin",
                                       "services.hotel.rules[0].via"]
    assert all(f.severity == "high" for f in found)
    assert "relatives refused" in found[1].message


def test_cli_text_json_and_exit_status(tiny_run, capsys):
    assert main(["audit", "points-city"]) == 1
    text = capsys.readouterr().out
    assert text.startswith("audit of points-city") and "scoring.points.protest" in text
    assert main(["audit", "rule-of-law", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exit_status"] == 0 and data["counts"]["high"] == 0
    assert {"severity", "check", "rule", "message", "basis"} <= set(data["findings"][0])
    assert main(["audit", str(tiny_run)]) == 1  # a results folder: its scenario.toml
    capsys.readouterr()
    assert main(["audit", "no-such-preset"]) == 2
    assert "no such preset" in capsys.readouterr().err
