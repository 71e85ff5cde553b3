"""Parts of the build run beside each other (scsim/side_by_side.py): the same results, in
order when the threading layer cannot take two callers. That the whole run does not change
with them is tested by test_determinism.py (one thread runs them in order, two beside)."""

import threading

import numba
import pytest

from scsim import side_by_side
from scsim.side_by_side import Later, can_overlap


def _where(out: list, value: int) -> int:
    out.append(threading.current_thread().name)
    return value * 2


def test_overlap_needs_a_threadsafe_layer_and_two_threads():
    if can_overlap():
        assert numba.threading_layer() in ("omp", "tbb")
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        assert not can_overlap()
    finally:
        numba.set_num_threads(threads)


def test_result_comes_from_a_thread_of_its_own_when_it_can(monkeypatch):
    monkeypatch.setattr(side_by_side, "can_overlap", lambda: True)
    seen: list = []
    later = Later(_where, seen, 21)
    assert later.result() == 42
    assert later.result() == 42  # asked twice: computed once
    assert seen == ["scsim-build"]


def test_in_order_when_it_cannot(monkeypatch):
    monkeypatch.setattr(side_by_side, "can_overlap", lambda: False)
    seen: list = []
    later = Later(_where, seen, 5)
    assert seen == []  # nothing runs before it is asked for
    assert later.result() == 10
    assert later.result() == 10
    assert seen == [threading.current_thread().name]


@pytest.mark.parametrize("overlap", [True, False])
def test_an_error_reaches_the_caller(monkeypatch, overlap):
    monkeypatch.setattr(side_by_side, "can_overlap", lambda: overlap)

    def fails():
        raise ValueError("no namesakes")

    later = Later(fails)
    with pytest.raises(ValueError, match="no namesakes"):
        later.result()
