"""Independent parts of the build, run on a second thread while the main thread goes on.

Some parts of the build draw only from their own named stream and read only what exists
before them: the sample of the entities table and the namesakes' index, begun beside the
population. Run beside another part, each makes the same arrays, so the results stay byte
for byte the same; they finish sooner, because much of the population's draws are serial
(NumPy's gamma sampler) and leave the second core idle. That needs a Numba threading layer
that takes parallel kernels from two threads at once (omp or tbb, "threadsafe" in Numba's
documentation); with the workqueue layer, which aborts on such calls, or with one thread,
each part runs when its result is first asked for, in the build's order as before.
The work network, tried beside the households, saved 0.3 s at 1e7 for 250 MB more at the
build's peak (its three arrays of uniforms): it stays in order. `allocator.keep_freed_memory`
gives every thread one malloc arena, so what the build thread frees is reused afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import numba
import numpy as np

T = TypeVar("T")
_THREADSAFE_LAYERS = ("omp", "tbb")


@numba.njit(cache=True, parallel=True)
def _touch(a):  # a parallel kernel, so that Numba picks (and reports) its threading layer
    for i in numba.prange(a.size):
        a[i] = i


def can_overlap() -> bool:
    """Whether two threads may run Numba's parallel kernels at once, on two or more cores."""
    if numba.get_num_threads() < 2:
        return False
    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet: the layer is not chosen
        _touch(np.empty(2, np.int64))
        layer = numba.threading_layer()
    return layer in _THREADSAFE_LAYERS


class Later(Generic[T]):
    """The result of `fn(*args)`, computed on a thread of its own when `can_overlap()`,
    else when `result()` is first called."""

    def __init__(self, fn: Callable[..., T], *args: Any, **kwargs: Any):
        self._call = (fn, args, kwargs)
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if can_overlap():
            self._thread = threading.Thread(target=self._run, name="scsim-build", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        fn, args, kwargs = self._call
        try:
            self._value = fn(*args, **kwargs)
        except BaseException as e:  # handed to the caller of result()
            self._error = e
        self._call = None  # type: ignore[assignment]  # the inputs may be large

    def result(self) -> T:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        elif self._call is not None:
            self._run()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
