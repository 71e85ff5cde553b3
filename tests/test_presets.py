"""Every shipped preset validates, cites a source, and runs for 30 days at small scale."""

from __future__ import annotations

import tomllib

import pytest

from scsim.scenario import load_scenario, preset_names, preset_text
from scsim.sim import Sim


@pytest.mark.parametrize("name", preset_names())
def test_preset_is_cited_and_runs(name):
    sc = load_scenario(name)
    assert sc.model.meta.name == name
    assert sc.model.meta.description
    assert len(sc.model.meta.sources) >= 1
    for src in sc.model.meta.sources:
        assert src.title and src.date and (src.url or src.publisher)
    # The file itself carries its [meta] sources (not only an inherited base).
    assert tomllib.loads(preset_text(name))["meta"]["sources"]
    res = Sim(sc, days=30, scale=0.02).run()
    d = res.to_df("daily")
    assert len(d) == 30 and d["acts_true"].sum() > 0


def test_extends_merges_tables_and_replaces_named_ones():
    base = load_scenario("points-city").model
    rol = load_scenario("rule-of-law").model
    # inherited as is
    assert rol.population == base.population and rol.sources == base.sources
    # replaced whole: no political or religious conduct is scored
    scored = {c for c, p in rol.scoring.points.items() if p != 0}
    assert all(rol.conduct[c].category in ("harm", "financial") for c in scored)
    assert "cult_participation" not in rol.scoring.points
    # merged key by key: tiers and bounds kept from the base
    assert rol.scoring.tiers == base.scoring.tiers and rol.scoring.base == base.scoring.base
