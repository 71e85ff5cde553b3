"""Result tables and summary figures of sensing and data integration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scsim.engine.records import WRONG_CAUSES
from scsim.population.attributes import KINDS
from scsim.surveillance.face import FaceModel
from scsim.surveillance.provenance import OUTCOMES

if TYPE_CHECKING:
    from scsim.sim import Sim

CAUSES = WRONG_CAUSES[1:]  # the wrong ones


def records_by_source(sim: Sim) -> pd.DataFrame:
    """Per day and source: records, true ones, and wrong ones by cause."""
    prov = sim.provenance
    sc = sim.sc
    names = [*sc.sources, "unknown"]
    depts = [s.department for s in sc.sources.values()] + [""]
    methods = [s.method for s in sc.sources.values()] + [""]
    keep = list(range(len(sc.sources)))
    if prov.by_source[:, :, -1].any():
        keep.append(len(names) - 1)
    counts = prov.by_source[:, :, keep]  # (days, causes, sources)
    n = len(keep)
    flat = counts.transpose(0, 2, 1).reshape(-1, len(WRONG_CAUSES))
    pick = lambda values: np.tile(np.array([values[i] for i in keep], dtype=object), sim.days)  # noqa: E731
    return pd.DataFrame({
        "day": np.repeat(np.arange(sim.days, dtype=np.int32), n),
        "source": pick(names), "department": pick(depts), "method": pick(methods),
        "records": flat.sum(axis=1), "true": flat[:, 0], "wrong": flat[:, 1:].sum(axis=1),
        **{c: flat[:, i + 1] for i, c in enumerate(CAUSES)},
    })


def wrongful_by_cause(sim: Sim) -> pd.DataFrame:
    """Per day, (kind, group) cell and cause: wrong records and the wrongful decisions
    put down to them."""
    by = sim.provenance.by_cause[:, :, 1:, :]  # (days, outcomes, causes, cells)
    n_cells = by.shape[3]
    flat = by.transpose(0, 2, 3, 1).reshape(-1, len(OUTCOMES))
    reps = len(CAUSES) * n_cells
    kinds = [k for k, _ in sim.pop.cell_labels]
    groups = [g for _, g in sim.pop.cell_labels]
    return pd.DataFrame({
        "day": np.repeat(np.arange(sim.days, dtype=np.int32), reps),
        "kind": pd.Categorical(np.tile(kinds, len(CAUSES) * sim.days), categories=list(KINDS)),
        "group": np.tile(np.array(groups, dtype=object), len(CAUSES) * sim.days),
        "cause": np.tile(np.repeat(np.array(CAUSES, dtype=object), n_cells), sim.days),
        **{o: flat[:, i] for i, o in enumerate(OUTCOMES)},
    })


def surveillance_tables(sim: Sim) -> dict[str, pd.DataFrame]:
    return {"records_by_source": records_by_source(sim),
            "wrongful_by_cause": wrongful_by_cause(sim)}


def surveillance_summary(sim: Sim) -> dict[str, Any]:
    by = sim.provenance.by_cause.sum(axis=(0, 3))  # (outcomes, causes)
    out: dict[str, Any] = {
        "wrong_records_by_cause": {c: int(by[0, i + 1]) for i, c in enumerate(CAUSES)},
        "wrongful_denials_by_cause": {c: int(by[OUTCOMES.index("denials_wrongful"), i + 1])
                                      for i, c in enumerate(CAUSES)},
    }
    sensing = next(s for s in sim.steps if s.name == "sense").sensing
    face = {}
    for name, model in zip(sim.sc.sources, sensing.models, strict=True):
        if isinstance(model, FaceModel):
            p = model.point
            face[name] = {"threshold": round(p.threshold, 6), "fpir": p.fpir, "fnir": p.fnir,
                          "fpir_at_gallery": p.fpir_gallery,
                          "gallery": model.cfg.gallery or model.gallery.members}
    if face:
        out["face"] = face
    if sim.platform.on:
        out["platform"] = {"list_owners": dict(zip(sim.sc.lists, sim.platform.owners,
                                                   strict=True))}
    return out
