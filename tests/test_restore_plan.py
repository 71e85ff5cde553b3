"""The restore step's plan of undos (one kernel) against the rule written with NumPy passes:
the same appeals filed, the same expiries and upheld appeals due, with the same serials."""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import by_group_uniforms
from scsim.steps.restore_plan import plan_undos


def test_plan_of_undos_is_the_rule_record_by_record():
    rng = np.random.default_rng(3)
    n, n_conduct, day, n_days, decide_days, first = 20_000, 7, 40, 60, 9, 123
    starts = np.array([0, 600, 800, 1000])  # three kinds; the second is not scored
    scored_kind = np.array([True, False, True])
    points_of = np.array([-5.0, 0.0, 3.0, -20.0, -1.0, 8.0, -2.0])
    expiry = np.array([10, 5, -1, 30, 15, 12, 25])  # -1: never; some fall past the run
    keys = rng.integers(0, 2**63, n_conduct, dtype=np.int64).astype(np.uint64)
    entity = rng.integers(0, 1000, n)
    conduct = rng.integers(0, n_conduct, n).astype(np.int16)
    cause = (rng.random(n) < 0.2) * rng.integers(1, 8, n).astype(np.uint8)
    file_prob, win_wrong, win_right = 0.4, 0.6, 0.1

    filed, expire, appeal, serials = plan_undos(
        entity, conduct, cause, points_of, expiry, starts, scored_kind, keys, file_prob,
        win_wrong, win_right, day, decide_days, n_days, first)

    # The rule, as whole-array passes.
    kind = np.searchsorted(starts, entity, side="right") - 1
    pts = points_of[conduct]
    keep = (pts != 0) & scored_kind[kind]
    u_file, u_win = by_group_uniforms(conduct, keys, 2)
    wrong = cause != 0
    is_filed = keep & (pts < 0) & (u_file < file_prob)
    upheld = is_filed & (u_win < np.where(wrong, win_wrong, win_right))
    exp = expiry[conduct]
    expire_due = keep & (exp >= 0) & (day + exp < n_days)
    appeal_due = upheld & (day + decide_days < n_days)
    both = expire_due & appeal_due
    serial = np.full(n, -1)
    serial[both] = np.arange(first, first + both.sum())

    assert np.array_equal(filed, entity[is_filed]) and is_filed.sum() > 500
    assert serials == both.sum() > 100
    assert expire_due.sum() > 1000 and appeal_due.sum() > 200
    for got, due in ((expire, expire_due), (appeal, appeal_due)):
        assert np.array_equal(got["entity"], entity[due])
        assert np.array_equal(got["points"], pts[due])
        assert np.array_equal(got["wrong"], wrong[due])
        assert np.array_equal(got["conduct"], conduct[due]) and got["conduct"].dtype == np.int16
        assert np.array_equal(got["serial"], serial[due])
    assert np.array_equal(expire["when"], (day + exp)[expire_due])
    assert "when" not in appeal


def test_undos_that_fall_on_the_last_day_or_later_are_not_due():
    keys = np.array([7, 8], np.uint64)
    entity = np.arange(50)
    conduct = (np.arange(50) % 2).astype(np.int16)  # conduct 1 expires on the run's end
    filed, expire, appeal, serials = plan_undos(
        entity, conduct, np.zeros(50, np.uint8), np.array([-5.0, -1.0]), np.array([3, 10]),
        np.array([0, 100]), np.array([True]), keys, 1.0, 1.0, 1.0, day=10, decide_days=10,
        n_days=20, first_serial=0)
    assert filed.size == 50 and appeal["entity"].size == 0 and serials == 0
    assert np.array_equal(expire["entity"], entity[::2])
    assert np.array_equal(expire["when"], np.full(25, 13)) and (expire["serial"] == -1).all()
