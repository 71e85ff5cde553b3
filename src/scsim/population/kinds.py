"""The kind of each entity, told from its id, with no byte stored per entity.

Entities are laid out by kind (individuals, then companies, governments, organizations), so
a kind is a contiguous id range and an id's kind is the number of later kinds' first ids at
or below it. `KindCodes` answers `kind[ids]` by those comparisons, as the uint8 array it
replaced did, and becomes that array (`np.asarray`) where a whole one is wanted.
"""

from __future__ import annotations

import bisect

import numba
import numpy as np

from scsim.engine.kernels import kind_of
from scsim.engine.serial_twin import SERIAL_BELOW, serial_twin


@numba.njit(cache=True, parallel=True)
def _kind_codes(ids, starts):
    """Each id's kind code in one pass, where NumPy took a comparison and an addition per
    kind."""
    out = np.empty(ids.size, np.uint8)
    for i in numba.prange(ids.size):
        out[i] = kind_of(ids[i], starts)
    return out


_kind_codes_serial = serial_twin(_kind_codes)


class KindCodes:
    def __init__(self, counts: list[int]):
        self.starts = np.zeros(len(counts) + 1, np.int64)  # first id of each kind, then n
        np.cumsum(counts, out=self.starts[1:])
        self._inner = [int(x) for x in self.starts[1:-1]]  # for one id: a bisection

    @property
    def shape(self) -> tuple[int]:
        return (int(self.starts[-1]),)

    @property
    def size(self) -> int:
        return int(self.starts[-1])

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, ids) -> np.ndarray:
        """Kind code (uint8) of each id: an int array, a boolean mask or a slice (or of one id:
        a uint8 scalar)."""
        if isinstance(ids, int | np.integer):
            return np.uint8(bisect.bisect_right(self._inner, int(ids)))
        if isinstance(ids, slice):
            ids = np.arange(*ids.indices(self.size))
        ids = np.asarray(ids)
        if ids.dtype == bool:
            ids = np.flatnonzero(ids)
        flat = ids.ravel()
        if flat.dtype.kind not in "iu":
            flat = flat.astype(np.int64)
        codes = _kind_codes if flat.size >= SERIAL_BELOW else _kind_codes_serial
        return codes(flat, self.starts).reshape(ids.shape)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        codes = np.repeat(np.arange(self.starts.size - 1, dtype=np.uint8), np.diff(self.starts))
        return codes if dtype is None else codes.astype(dtype)

    def __eq__(self, other):  # type: ignore[override]
        return np.asarray(self) == other

    def __ne__(self, other):  # type: ignore[override]
        return np.asarray(self) != other

    __hash__ = None  # type: ignore[assignment]
