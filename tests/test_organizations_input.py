"""Bad input in the organization tables: one clear message naming the file and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_input import assert_refused

GOOD = (Path(__file__).parent / "data" / "orgs.toml").read_text()

CASES = [
    ("unknown grade in a rule", ('rating_below = "B"', 'rating_below = "E"'),
     ["services.company_loan.rules[1].rating_below", "unknown grade of tax_credit 'E'"]),
    ("unknown rating in a list", ('rating = "tax_credit"\nrating_below', 'rating = "tax"\n'
                                  'rating_below'),
     ["lists.tax_d.rating", "unknown rating 'tax'"]),
    ("rating without a grade", ('rating = "tax_credit", rating_at_least = "A", ',
                                'rating = "tax_credit", '),
     ["services.company_loan.rules[2]", "exactly one of"]),
    ("typo in a rating key", ("evaluate_every_days", "evaluate_every_day"),
     ["ratings.tax_credit.evaluate_every_day", "did you mean 'evaluate_every_days'"]),
    ("ownership label typo", ("detection = { private = 1.0, state", "detection = { privat = 1.0"
                              ", state"),
     ["enforcement.ownership.detection.privat", "unknown ownership 'privat'"]),
    ("attribute the kind lacks", ('attribute = "org_type"', 'attribute = "ownership"'),
     ["enforcement.org_types.attribute", "no categorical attribute 'ownership'"]),
    ("unknown arrears conduct", ('arrears = ["payment_arrears"', 'arrears = ["payment_arrear"'),
     ["payments.arrears[0]", "unknown conduct 'payment_arrear'"]),
    ("cascade effect not done by companies", ("effects = { late_wages = 0.5",
                                              "effects = { late_report = 0.5"),
     ["payments.cascade.effects.late_report", "not done by company"]),
    ("negative probability", ("hit_prob = 0.5", "hit_prob = -0.5"),
     ["payments.cascade.hit_prob", "greater than or equal to 0"]),
    ("via on a service for firms", ('rules = [{ list = "discredited", action = "deny" }',
                                    'rules = [{ via = "legal_rep_of", list = "discredited", '
                                    'action = "deny" }'),
     ["services.company_loan.rules[0].via", "needs 'individual'"]),
    ("shock in a region that does not exist", ("regions = [0]", "regions = [7]"),
     ["shocks.crash.regions[0]", "region 7 does not exist"]),
    ("inspection of an unknown list", ("lists = { discredited = 2.0", "lists = { discredit = 2.0"),
     ["inspections.standing.lists.discredit", "unknown list 'discredit'"]),
]


@pytest.mark.parametrize("what,edit,words", CASES, ids=[c[0] for c in CASES])
def test_bad_organization_input_names_the_key(tmp_path, capsys, what, edit, words):
    assert_refused(tmp_path, capsys, GOOD, edit, words)
