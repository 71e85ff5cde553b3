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


def test_ids_wait_as_int32_and_come_back_as_int64():
    """Int64 columns are held as int32 while they wait when they fit (half the bytes), and
    come back as the int64 values given, also when a batch of the day does not fit."""
    cal = Calendar()
    small = np.array([3, 1, 2**31 - 1, -(2**31)], np.int64)
    large = np.array([2**31, 5], np.int64)
    cal.schedule(7, "x", entity=small, code=np.arange(4, dtype=np.int16))
    held = cal._days[7]["x"][0]
    assert held["entity"].dtype == np.int32 and held["code"].dtype == np.int16
    cal.schedule(np.array([8, 8]), "x", entity=small[:2], code=np.zeros(2, np.int16))
    cal.schedule(np.array([8, 8]), "x", entity=large, code=np.ones(2, np.int16))
    got = cal.pop(7, "x")
    assert got["entity"].dtype == np.int64 and np.array_equal(got["entity"], small)
    assert got["code"].dtype == np.int16
    got = cal.pop(8, "x")
    assert got["entity"].dtype == np.int64
    assert np.array_equal(got["entity"], np.concatenate([small[:2], large]))
