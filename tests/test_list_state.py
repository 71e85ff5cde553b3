"""A listing's entry reason and wrongful flag share one byte without disturbing each other."""

import numpy as np

from scsim.engine.state import ENTRY_REASONS, ListState


def test_reason_and_wrongful_share_a_byte():
    ls = ListState.empty(10)
    assert ls.tag.dtype == np.uint8 and not ls.wrongful().any()
    ids = np.array([1, 4, 7])
    ls.set_entry(ids, ENTRY_REASONS.index("rating"), np.array([True, False, True]))
    assert np.array_equal(ls.wrongful(ids), [True, False, True])
    assert (ls.reason(ids) == ENTRY_REASONS.index("rating")).all()
    ls.set_wrongful(ids[:2], False)  # the reason stays
    assert np.array_equal(ls.wrongful(ids), [False, False, True])
    assert (ls.reason(ids) == ENTRY_REASONS.index("rating")).all()
    ls.set_wrongful(np.array([4]), True)
    assert np.array_equal(np.flatnonzero(ls.wrongful()), [4, 7])
    assert (ls.reason(np.array([0, 2, 9])) == 0).all()
