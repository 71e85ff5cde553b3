"""A list keeps its members' entry day and tag (reason | wrongful) in id order, found by rank."""

import numpy as np

from scsim.engine.state import ENTRY_REASONS, NOT_LISTED, ListState


def test_reason_and_wrongful_share_a_byte():
    ls = ListState.empty(10)
    assert ls.tag.dtype == np.uint8 and not ls.wrongful(np.arange(10)).any()
    ids = np.array([1, 4, 7])
    ls.enter(ids, 3, ENTRY_REASONS.index("rating"), np.array([True, False, True]))
    assert np.array_equal(ls.wrongful(ids), [True, False, True])
    assert (ls.reason(ids) == ENTRY_REASONS.index("rating")).all()
    ls.set_wrongful(ids[:2], False)  # the reason stays
    assert np.array_equal(ls.wrongful(ids), [False, False, True])
    assert (ls.reason(ids) == ENTRY_REASONS.index("rating")).all()
    ls.set_wrongful(np.array([4, 5]), True)  # 5 is off the list: left alone
    assert np.array_equal(np.flatnonzero(ls.wrongful(np.arange(10))), [4, 7])
    assert (ls.reason(np.array([0, 2, 9])) == 0).all()


def test_members_fields_follow_entries_and_exits_like_arrays_per_entity():
    """Random batches of entries (some of members, some repeated) and exits give, for every
    entity, what one array per entity would hold, across many blocks of 512 entities."""
    n = 5000
    rng = np.random.default_rng(7)
    ls = ListState.empty(n)
    since = np.full(n, NOT_LISTED, np.int16)  # the dense model
    tag = np.zeros(n, np.uint8)
    for day in range(60):
        ids = rng.integers(0, n, rng.integers(0, 200))
        wrong = rng.random(ids.size) < 0.3
        reason = int(rng.integers(0, len(ENTRY_REASONS)))
        ls.enter(ids, day, reason, wrong)
        since[ids] = day
        tag[ids] = np.where(wrong, 0x80 | reason, reason)
        out = rng.integers(0, n, rng.integers(0, 150))
        ls.leave(out)
        since[out] = NOT_LISTED
        every = np.arange(n)
        on = since != NOT_LISTED
        assert np.array_equal(ls.members(), np.flatnonzero(on)) and ls.size == on.sum()
        assert np.array_equal(ls.listed(every), on)
        assert np.array_equal(ls.entry_day(every), since)
        assert np.array_equal(ls.wrongful(every), on & (tag >= 0x80))
        assert np.array_equal(ls.reason(every)[on], tag[on] & 0x7F)
        assert np.array_equal(ls.slots(every)[on], np.arange(on.sum()))
    assert 0 < ls.size < n and ls.nbytes() < 3 * n  # members only, not 3 bytes an entity
