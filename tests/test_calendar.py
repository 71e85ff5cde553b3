"""The calendar hands back, on each day, exactly the events scheduled for it, in the order
they were given (a stable sort by day), whichever sort it used."""

import numpy as np
import pytest

from scsim.engine.calendar import Calendar


@pytest.mark.parametrize("span", [5, 400, 10**7])  # counting sort, and the argsort fallback
def test_events_come_back_on_their_day_in_order(span):
    rng = np.random.default_rng(3)
    n = 2000
    days = rng.integers(10, 10 + span, n)
    ids = np.arange(n, dtype=np.int64)
    cal = Calendar()
    cal.schedule(days, "x", entity=ids, weight=rng.random(n))
    seen = []
    for d in np.unique(days):
        got = cal.pop(int(d), "x")
        assert got is not None
        assert np.all(days[got["entity"]] == d)
        assert np.all(np.diff(got["entity"]) > 0)  # landing order kept
        seen.append(got["entity"])
    assert np.array_equal(np.sort(np.concatenate(seen)), ids)
    assert cal.pop(int(days.max()) + 1, "x") is None


def test_popped_columns_do_not_share_memory():
    cal = Calendar()
    ent = np.arange(6, dtype=np.int64)
    cal.schedule(np.array([1, 2, 1, 2, 1, 2]), "x", entity=ent)
    a, b = cal.pop(1, "x"), cal.pop(2, "x")
    assert a["entity"].tolist() == [0, 2, 4] and b["entity"].tolist() == [1, 3, 5]
    assert not np.shares_memory(a["entity"], b["entity"])
