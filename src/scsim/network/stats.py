"""Measured properties of a built network, to compare with its parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

from scsim.network import Network
from scsim.network.csr import CSR, expand
from scsim.network.packed_csr import PackedCSR


def clustering(csr: CSR | PackedCSR, nodes: np.ndarray) -> float:
    """Mean local clustering coefficient over `nodes` (nodes of degree < 2 count 0)."""
    deg = csr.degree(nodes).astype(np.int64)
    # Every ordered pair (a, b) of neighbours of each node, a != b: is there a tie a-b?
    which, pos = expand(csr.starts_of(nodes), deg)
    nb = csr.ids_at(pos)
    pair_node, pair_pos = expand((np.cumsum(deg) - deg)[which], deg[which])
    a = np.repeat(nb, deg[which])
    b = nb[pair_pos]
    keep = a != b
    tied = csr.find(a[keep], b[keep]) >= 0
    links = np.bincount(which[pair_node[keep]], weights=tied, minlength=nodes.size)
    possible = deg * (deg - 1)
    c = np.divide(links, possible, out=np.zeros(nodes.size), where=possible > 0)
    return float(c.mean()) if nodes.size else 0.0


def same_share(csr: CSR | PackedCSR, label: np.ndarray, of: int | None = None) -> float:
    """Share of ties whose ends carry the same label (for ties of label `of` only, if set)."""
    rows = np.repeat(np.arange(csr.rows), csr.degree())
    lab_a, lab_b = label[rows], label[csr.indices]
    if of is not None:
        m = lab_a == of
        lab_a, lab_b = lab_a[m], lab_b[m]
    return float((lab_a == lab_b).mean()) if lab_a.size else float("nan")


def _degree_moments(csr: CSR | PackedCSR, piece: int = 1 << 22) -> tuple[float, float]:
    """Mean and variance of the row lengths, a piece of rows at a time (no array per row:
    at 1e8 individuals one would be 0.8 GB at the peak of writing results)."""
    rows = csr.rows
    if rows <= 0:
        return float("nan"), float("nan")
    mean = csr.nnz / rows
    sq = 0.0
    for s in range(0, rows, piece):
        d = csr.degree(np.arange(s, min(s + piece, rows))).astype(np.float64) - mean
        sq += float(d @ d)
    return mean, sq / rows


def network_summary(net: Network, pop, n_entities: int,
                    sample: int = 2000) -> dict[str, Any]:
    out: dict[str, Any] = {"bytes": net.nbytes(),
                           "bytes_per_individual": round(net.nbytes() / max(net.n_ind, 1), 2),
                           "bytes_per_entity": round(net.nbytes() / max(n_entities, 1), 2)}
    if net.friends is not None:
        mean, var = _degree_moments(net.friends)
        out["friends"] = {"ties": net.friends.nnz // 2, "mean_degree": mean,
                          "degree_variance": var}
        if net.strength is not None:
            out["friends"]["ties_intact"] = net.strength.intact() // 2
    if net.households is not None:
        hh = net.households
        out["households"] = {"households": hh.count,
                             "mean_size": round(net.n_ind / max(hh.count, 1), 3),
                             "couples": hh.couples,
                             "children_at_home": hh.children}
    if net.work is not None:
        w = net.work
        out["work"] = {"employed": w.employed(),
                       "executives": int(w.executives.sum())}
    return out
