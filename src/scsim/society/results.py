"""What the society layer adds to the results: tables, entity columns, a summary section."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scsim.engine.rows import count_bits
from scsim.population.attributes import attribute, code_scale
from scsim.society.spillover import FORMS


def extend_results(society, tables: dict[str, pd.DataFrame], summary: dict[str, Any]) -> None:
    sim = society.sim
    d = tables["daily"]
    out: dict[str, Any] = {}
    n = sim.pop.n
    mem = society.nbytes()
    if sum(mem.values()):
        out["memory"] = {"bytes": mem,
                         "bytes_per_entity": round(sum(mem.values()) / max(n, 1), 2)}
    if society.net is not None:
        from scsim.network.stats import network_summary

        out["network"] = network_summary(society.net, sim.pop, n)
    ent = tables["entities"]
    ids = ent["id"].to_numpy()
    if society.spill is not None:
        _spillover(society, tables, out, ids)
    out["shaming"] = {"shamed": int(d["shamed"].sum()), "ties_cut": int(d["ties_cut"].sum())}
    if society.perception is not None:
        ent["perceived"] = society.perception.value(ids, sim.days - 1).astype(np.float32)
        out["perceived_final_mean"] = float(ent["perceived"].mean()) if len(ent) else None
    g = society.grievance
    if g is not None:
        ind = ids < g.n
        leg = np.full(ids.size, np.nan, np.float32)
        leg[ind] = g.legitimacy[ids[ind]]
        ent["legitimacy"] = leg
        ent["protesting"] = np.where(ind, g.is_active(np.minimum(ids, max(g.n - 1, 0))), False)
        peak = int(d["protesters"].idxmax()) if len(d) else 0
        loyalty = sim.pop.attrs["individual"]["loyalty"]
        scale = code_scale(attribute("individual", "loyalty"), loyalty)
        out["protests"] = {"acts": int(d["protests"].sum()), "arrests": g.arrests,
                           "protesters_peak": int(d["protesters"].max()), "peak_day": peak,
                           "protesters_final": int(d["protesters"].iloc[-1]),
                           "legitimacy_mean_start": float(loyalty.mean() / scale)
                           if g.n else None,
                           "legitimacy_mean_final": float(g.legitimacy.astype(np.float64)
                                                          .mean()) if g.n else None}
    summary["society"] = out


def _spillover(society, tables: dict[str, pd.DataFrame], out: dict[str, Any],
               ids: np.ndarray) -> None:
    sp = society.spill
    sim = society.sim
    days = sim.days
    rows = []
    for ri, name in enumerate(sp.names):
        for form in (0, 1):
            rows.append(pd.DataFrame({
                "day": np.arange(days, dtype=np.int32), "rule": name,
                "via": sp.rules[ri][1].via, "form": FORMS[form],
                "sanctions": sp.count[:, ri, form, 0], "wrongful": sp.count[:, ri, form, 1]}))
    tables["daily_spillover"] = (pd.concat(rows, ignore_index=True) if rows else pd.DataFrame())
    tables["spillover_events"] = _events(sp, sim)
    tables["entities"]["spillover_sanctions"] = sp.per_row.astype(np.int32)  # rows: ids
    # Counted on the bitsets (a bit per entity), not on per-entity arrays.
    hit = count_bits(sp.reached)
    hit_not_own = count_bits(sp.reached & ~sim.state.recorded)
    by_service = int(sp.count[:, :, 0, 0].sum())
    by_score = int(sp.count[:, :, 1, 0].sum())
    service_all = int(tables["daily"]["sanctions"].sum())  # own and spill-over
    out["spillover"] = {
        "sanctions": by_service + by_score, "service_sanctions": by_service,
        "score_sanctions": by_score, "wrongful": int(sp.count[..., 1].sum()),
        "entities": hit, "entities_without_own_record": hit_not_own,
        # Service sanctions are comparable: a spill-over deny is a deny. Score spill-over
        # has no own counterpart among sanctions, so the second share counts it on top.
        "share_of_service_sanctions": _share(by_service, service_all),
        "share_of_sanctions_with_score": _share(by_service + by_score, service_all + by_score),
        "by_rule": {name: {"service": int(sp.count[:, ri, 0, 0].sum()),
                           "score": int(sp.count[:, ri, 1, 0].sum())}
                    for ri, name in enumerate(sp.names)},
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def _events(sp, sim) -> pd.DataFrame:
    cols = ("day", "rule", "form", "entity", "source", "list", "service", "wrongful")
    if not sp.log:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in cols})
    cat = {c: np.concatenate([e[c] for e in sp.log]) for c in cols}
    rules = np.array(sp.names, dtype=object)
    lists = np.array(list(sim.sc.lists), dtype=object)
    services = np.array([*sim.sc.services, None], dtype=object)  # -1: the score form
    return pd.DataFrame({"day": cat["day"].astype(np.int32), "rule": rules[cat["rule"]],
                         "form": np.array(FORMS, dtype=object)[cat["form"]],
                         "entity": cat["entity"], "source": cat["source"],
                         "list": lists[cat["list"]], "service": services[cat["service"]],
                         "wrongful": cat["wrongful"]})
