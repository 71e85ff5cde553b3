"""Employment: who works for which company, and who leads each company.

Individuals aged 18 to 64 are employed with probability `employment`, by a company of their
own region with probability `same_region` (else of any region), chosen in proportion to the
company's size weight. A company's executives are drawn from its employees; with its legal
representative (drawn by the core population) they are its leaders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from scsim.engine.counter_rng import key_from
from scsim.engine.counting import counting_order, shuffle_within
from scsim.engine.ids import runs_of, unique
from scsim.engine.packed import PackedInts
from scsim.engine.search import search_right
from scsim.network.csr import CSR, expand
from scsim.network.packed_csr import PackedCSR
from scsim.population.generate import COMPANY_SIZES
from scsim.scenario.society import Work as WorkCfg
from scsim.threaded_random import threaded_random

SIZES = tuple(COMPANY_SIZES)
_CHUNKS = 64  # fixed pieces of the population: the same ids on any number of threads


@numba.njit(cache=True, parallel=True)
def _employable(age, u_emp, employment):
    """Ids aged 18 to 64 whose uniform is below `employment`, ascending (np.flatnonzero of
    the mask, counted and written by fixed pieces on all threads)."""
    n = age.size
    counts = np.zeros(_CHUNKS + 1, np.int64)
    for c in numba.prange(_CHUNKS):
        k = 0
        for i in range(n * c // _CHUNKS, n * (c + 1) // _CHUNKS):
            if age[i] >= 18 and age[i] <= 64 and u_emp[i] < employment:
                k += 1
        counts[c + 1] = k
    for c in range(_CHUNKS):
        counts[c + 1] += counts[c]
    out = np.empty(counts[_CHUNKS], np.int64)
    for c in numba.prange(_CHUNKS):
        k = counts[c]
        for i in range(n * c // _CHUNKS, n * (c + 1) // _CHUNKS):
            if age[i] >= 18 and age[i] <= 64 and u_emp[i] < employment:
                out[k] = i
                k += 1
    return out


@numba.njit(cache=True, parallel=True)
def _targets(emp, region, u_local, u_pick, same_region, reg_total, reg_start, everywhere):
    """Each employee's point on the cumulative company weights: within its region's span
    with probability same_region (if its region has companies), else anywhere; the same
    float64 operations as lo + u * span in NumPy."""
    out = np.empty(emp.size)
    for i in numba.prange(emp.size):
        e = emp[i]
        r = region[e]
        if u_local[e] < same_region and reg_total[r] > 0:
            out[i] = reg_start[r] + u_pick[e] * reg_total[r]
        else:
            out[i] = 0.0 + u_pick[e] * everywhere
    return out


@dataclass
class Work:
    employer_code: PackedInts  # 1 + company (local index) of each individual, 0 if none
    staff: PackedCSR  # company -> employees, executives first within each row
    executives: np.ndarray  # uint8 executives per company (the first of its row)
    lead_ind: np.ndarray  # int32 leaders (legal representative, executives), sorted
    lead_comp: np.ndarray  # int32 the company each leads

    def employer_of(self, ids: np.ndarray) -> np.ndarray:
        """The company (local index) of each individual, -1 if none (int64)."""
        out = self.employer_code[ids]
        out -= 1
        return out

    def employed(self) -> int:
        return self.staff.nnz

    def leaders(self, comps: np.ndarray, legal_rep: np.ndarray) -> tuple[np.ndarray,
                                                                         np.ndarray]:
        """(index into comps, leader individual) for every company's leaders."""
        start = self.staff.starts_of(comps)
        which, pos = expand(start, self.executives[comps].astype(np.int64))
        ids = self.staff.ids_at(pos)
        rep = legal_rep[comps].astype(np.int64)
        has = rep >= 0
        which = np.concatenate([np.flatnonzero(has), which])
        ids = np.concatenate([rep[has], ids])
        return which, ids

    def led(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ids, company) for every company each individual leads."""
        which, pos = expand(*runs_of(self.lead_ind, ids))
        return which, self.lead_comp[pos].astype(np.int64)

    def nbytes(self) -> int:
        return int(self.employer_code.nbytes + self.staff.nbytes() + self.executives.nbytes
                   + self.lead_ind.nbytes + self.lead_comp.nbytes)


def build_work(age: np.ndarray, region: np.ndarray, comp_region: np.ndarray,
               comp_size: np.ndarray, legal_rep: np.ndarray, cfg: WorkCfg,
               rng: np.random.Generator) -> Work:
    n, n_comp = age.size, comp_region.size
    u_emp, u_local, u_pick = (threaded_random(rng, n) for _ in range(3))
    employer = np.full(n, -1, np.int32)
    weight = np.array([cfg.size_weight.get(s, 0.0) for s in SIZES])[comp_size]
    if n_comp and weight.sum() > 0:
        emp = _employable(age, u_emp, float(cfg.employment))
        # Companies sorted by region, with cumulative weights: a draw in a region's span
        # of the cumulative sum picks a company of that region by weight.
        n_reg = int(max(region.max(initial=0), comp_region.max(initial=0))) + 1
        by_reg = np.argsort(comp_region, kind="stable")
        cum = np.cumsum(weight[by_reg])
        reg_total = np.bincount(comp_region, weights=weight, minlength=n_reg)
        reg_end = np.cumsum(reg_total)
        reg_start = reg_end - reg_total
        target = _targets(emp, region, u_local, u_pick, float(cfg.same_region), reg_total,
                          reg_start, float(cum[-1]))
        idx = np.minimum(search_right(cum, target), n_comp - 1)  # 12 s -> 1 s at 1e8
        employer[emp] = by_reg[idx]
    has = np.flatnonzero(employer >= 0)
    # Rows of staff in random order, so the first few of a row are random executives.
    rows, start, counts = counting_order(employer[has], n_comp)
    order = has[rows]
    shuffle_within(order, start, counts, key_from(rng))
    indptr = np.zeros(n_comp + 1, np.int32)
    np.cumsum(counts, out=indptr[1:])
    staff = CSR(indptr, order.astype(np.int32))
    want = np.array([cfg.executives.get(s, 0) for s in SIZES])[comp_size]
    executives = np.minimum(want, counts).astype(np.uint8)
    # Leaders index: (individual, company) sorted by individual.
    comp_of, pos = expand(indptr[:-1].astype(np.int64), executives.astype(np.int64))
    rep_ok = legal_rep >= 0
    ind = np.concatenate([legal_rep[rep_ok].astype(np.int64), staff.indices[pos]])
    comp = np.concatenate([np.flatnonzero(rep_ok), comp_of])
    key = unique(ind.astype(np.int64) * max(n_comp, 1) + comp)
    code = employer.view(np.uint32)  # in place: -1 + 1 = 0, no employer
    code += 1
    return Work(employer_code=PackedInts(code, n_comp + 1), staff=PackedCSR(staff, n),
                executives=executives,
                lead_ind=(key // max(n_comp, 1)).astype(np.int32),
                lead_comp=(key % max(n_comp, 1)).astype(np.int32))
