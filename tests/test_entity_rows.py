"""The entities table's rows: every entity, or a uniform sample whose counters are kept
during the run for the sampled rows only (engine/rows.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scsim.engine.rows import EntityRows
from scsim.sim import Sim

DATA = Path(__file__).parent / "data"


def test_rows_number_the_sample_in_order():
    rows = EntityRows(10_000, 700, np.random.default_rng(2))
    ids = rows.entity_ids()
    assert rows.sampled and ids.size == 700 and np.all(np.diff(ids) > 0)
    assert np.array_equal(rows.rows(ids), np.arange(700))
    others = np.setdiff1d(np.arange(10_000), ids)
    assert (rows.rows(others) == -1).all()
    whole = EntityRows(500, 700, np.random.default_rng(2))
    assert not whole.sampled and np.array_equal(whole.rows(np.arange(500)), np.arange(500))


@pytest.mark.parametrize("scenario", ["tiny.toml", "society.toml"])  # society: spill-over
def test_sampled_table_counts_what_the_full_table_counts_for_its_rows(scenario):
    full = Sim(DATA / scenario, days=60).run()
    part = Sim(DATA / scenario, days=60, sets=["run.entities_table_max_rows=3000"]).run()
    a, b = full.to_df("entities"), part.to_df("entities")
    assert len(b) == 3000 and part.summary["entities_table"]["sampled"]
    # The run is the same; the sample's counters are the full table's at the sampled ids.
    want = a.set_index("id").loc[b["id"]].reset_index()
    pd.testing.assert_frame_equal(b.reset_index(drop=True), want, check_dtype=False)
    assert b["acts"].sum() > 1000 and b["records"].sum() > 100
    if "spillover_sanctions" in b:
        assert b["spillover_sanctions"].sum() > 0
        assert part.summary["society"]["spillover"] == full.summary["society"]["spillover"]
