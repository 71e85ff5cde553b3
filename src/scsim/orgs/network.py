"""The payment network: supplier ties from payers (companies and governments) to companies.

Stored as CSR over the payer id range (companies, then governments: contiguous by the id
layout). Each payer draws a Poisson number of ties with a mean by its size (companies) or
`suppliers_per_government`; a tie goes to a supplier in the payer's region with probability
`same_region`, else to any company. Self-ties and repeated ties are dropped. Vectorised:
one pass over the ties, no loop over payers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scsim.engine.ids import unique


@dataclass
class PaymentNetwork:
    lo: int  # global id of the first payer (the first company)
    ptr: np.ndarray  # int64, payers + 1: ties of payer p are supplier[ptr[p]:ptr[p + 1]]
    supplier: np.ndarray  # int64 global ids of the suppliers (companies)

    @property
    def n_ties(self) -> int:
        return int(self.supplier.size)

    def degree(self, payers: np.ndarray) -> np.ndarray:
        local = payers - self.lo
        ok = (local >= 0) & (local < self.ptr.size - 1)
        out = np.zeros(payers.size, np.int64)
        out[ok] = self.ptr[local[ok] + 1] - self.ptr[local[ok]]
        return out

    def suppliers_of(self, payers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into payers, supplier) for every tie of every payer given."""
        cnt = self.degree(payers)
        total = int(cnt.sum())
        if total == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        start = np.zeros(payers.size, np.int64)
        has = cnt > 0
        start[has] = self.ptr[payers[has] - self.lo]
        owner = np.repeat(np.arange(payers.size), cnt)
        first = np.cumsum(cnt) - cnt
        pos = np.arange(total) - first[owner] + start[owner]
        return owner, self.supplier[pos]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(payer, supplier) global ids of every tie."""
        payer = np.repeat(np.arange(self.ptr.size - 1), np.diff(self.ptr)) + self.lo
        return payer, self.supplier


def build_network(sim, cfg) -> PaymentNetwork:
    pop = sim.pop
    nc, ng = pop.counts["company"], pop.counts["government"]
    lo = pop.offsets["company"]
    span = nc + ng
    if nc == 0:
        return PaymentNetwork(lo, np.zeros(span + 1, np.int64), np.empty(0, np.int64))
    rng = sim.streams.get("payments:network")
    comp = pop.attrs["company"]
    sizes = pop.labels[("company", "size")]
    mean = np.empty(span)
    mean[:nc] = np.array([cfg.suppliers_per_company.get(s, 0.0) for s in sizes])[comp["size"]]
    mean[nc:] = cfg.suppliers_per_government
    deg = rng.poisson(mean)
    payer = np.repeat(np.arange(span), deg)
    region = np.concatenate([comp["region"], pop.attrs["government"]["region"]]).astype(
        np.int64)[payer]
    u_same, u_pick = rng.random(payer.size), rng.random(payer.size)
    # Suppliers in the payer's region: companies sorted by region, pick within the block.
    creg = comp["region"].astype(np.int64)
    order = np.argsort(creg, kind="stable")
    start = np.searchsorted(creg[order], region, side="left")
    count = np.searchsorted(creg[order], region, side="right") - start
    same = (u_same < cfg.same_region) & (count > 0)
    within = np.minimum((u_pick * np.maximum(count, 1)).astype(np.int64), np.maximum(count - 1, 0))
    local_same = order[np.minimum(start + within, nc - 1)]
    local_any = np.minimum((u_pick * nc).astype(np.int64), nc - 1)
    sup = np.where(same, local_same, local_any)
    ok = ~((payer < nc) & (sup == payer))  # a firm does not supply itself
    key = unique(payer[ok] * nc + sup[ok])  # sorted by payer, repeated ties dropped
    payer, sup = key // nc, key % nc
    ptr = np.zeros(span + 1, np.int64)
    ptr[1:] = np.cumsum(np.bincount(payer, minlength=span))
    return PaymentNetwork(lo, ptr, sup + lo)
