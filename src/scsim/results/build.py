"""Turning the engine's tallies and final state into result tables and the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scsim import __version__
from scsim.engine.state import ENTRY_REASONS, EXIT_REASONS
from scsim.engine.tally import CELL_COUNTERS, CONDUCT_COUNTERS, SERVICE_COUNTERS
from scsim.population.attributes import KINDS, attribute, code_scale, unit_values
from scsim.results.model import Results
from scsim.steps.collect import STOCKS

if TYPE_CHECKING:
    from scsim.sim import Sim

FLOAT_COUNTERS = {"points_deducted", "points_awarded", "points"}


def _counter_frame(values: np.ndarray, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """(rows, counters) -> columns, integer typed where the counter counts things."""
    return {n: values[:, i] if n in FLOAT_COUNTERS else np.rint(values[:, i]).astype(np.int64)
            for i, n in enumerate(names)}


def daily_tables(sim: Sim) -> dict[str, pd.DataFrame]:
    t, stocks = sim.tally, sim.collect.stocks
    days = np.arange(sim.days, dtype=np.int32)
    # daily: every counter summed over cells, stocks likewise.
    tot = t.by_cell.sum(axis=2)
    st = stocks.sum(axis=2)
    daily = {"day": days, **_counter_frame(tot, CELL_COUNTERS),
             "blacklisted": st[:, 0].astype(np.int64), "redlisted": st[:, 1].astype(np.int64),
             "mean_score": np.divide(st[:, 2], st[:, 3], out=np.full(sim.days, np.nan),
                                     where=st[:, 3] > 0)}
    # daily_by_group: one row per (day, cell).
    n_cells = len(sim.pop.cell_labels)
    flat = t.by_cell.transpose(0, 2, 1).reshape(-1, len(CELL_COUNTERS))
    sflat = stocks.transpose(0, 2, 1).reshape(-1, len(STOCKS))
    kinds = [k for k, _ in sim.pop.cell_labels]
    groups = [g for _, g in sim.pop.cell_labels]
    by_group = {"day": np.repeat(days, n_cells),
                "kind": pd.Categorical(np.tile(kinds, sim.days), categories=list(KINDS)),
                "group": np.tile(np.array(groups, dtype=object), sim.days),
                "entities": np.tile(sim.pop.cell_counts(), sim.days),
                **_counter_frame(flat, CELL_COUNTERS),
                "blacklisted": sflat[:, 0].astype(np.int64),
                "redlisted": sflat[:, 1].astype(np.int64),
                "mean_score": np.divide(sflat[:, 2], sflat[:, 3],
                                        out=np.full(flat.shape[0], np.nan),
                                        where=sflat[:, 3] > 0)}
    conducts = list(sim.sc.conduct)
    cflat = t.by_conduct.transpose(0, 2, 1).reshape(-1, len(CONDUCT_COUNTERS))
    by_conduct = {"day": np.repeat(days, len(conducts)),
                  "conduct": np.tile(np.array(conducts, dtype=object), sim.days),
                  "category": np.tile(np.array([c.category for c in sim.sc.conduct.values()],
                                               dtype=object), sim.days),
                  **_counter_frame(cflat, CONDUCT_COUNTERS)}
    services = list(sim.sc.services)
    sflat2 = t.by_service.transpose(0, 2, 1).reshape(-1, len(SERVICE_COUNTERS))
    by_service = {"day": np.repeat(days, len(services)),
                  "service": np.tile(np.array(services, dtype=object), sim.days),
                  **{n: sflat2[:, i].astype(np.int64) for i, n in enumerate(SERVICE_COUNTERS)}}
    return {"daily": pd.DataFrame(daily), "daily_by_group": pd.DataFrame(by_group),
            "daily_by_conduct": pd.DataFrame(by_conduct),
            "daily_by_service": pd.DataFrame(by_service)}


def list_events_table(sim: Sim) -> pd.DataFrame:
    ev = sim.lists.events
    cols = ("day", "entity", "list", "event", "reason", "wrongful", "days_listed")
    if not ev:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in cols})
    cat = {c: np.concatenate([e[c] for e in ev]) for c in cols}
    names = np.array(list(sim.sc.lists), dtype=object)
    event = cat["event"]
    reason = np.where(event == 0,
                      np.array(ENTRY_REASONS, dtype=object)[
                          np.minimum(cat["reason"], len(ENTRY_REASONS) - 1)],
                      np.array(EXIT_REASONS, dtype=object)[cat["reason"]])
    return pd.DataFrame({"day": cat["day"].astype(np.int32), "entity": cat["entity"],
                         "list": names[cat["list"]],
                         "event": np.where(event == 0, "entry", "exit").astype(object),
                         "reason": reason, "wrongful": cat["wrongful"],
                         "days_listed": np.where(event == 1, cat["days_listed"], 0).astype(
                             np.int32)})


def entity_tables(sim: Sim) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Final state of every entity, or a uniform sample when there are too many."""
    pop, st = sim.pop, sim.state
    n = pop.n
    ids = st.rows.entity_ids()  # drawn before the run: counters are kept for these only
    sample = {"sampled": st.rows.sampled, "rows": int(ids.size), "of": int(n)}
    sanction = sim.steps[[s.name for s in sim.steps].index("sanction")]
    tiers = [t.name for t in sim.sc.scoring.tiers]
    cells = np.array([g for _, g in pop.cell_labels], dtype=object)
    ent: dict[str, Any] = {
        "id": ids.astype(np.int64),
        "kind": pd.Categorical.from_codes(pop.kind[ids].astype(np.int8), categories=list(KINDS)),
        "group": cells[pop.cell[ids]],
        "score": st.score[ids], "true_score": st.true_score[ids],
    }
    if tiers:
        ent["tier"] = np.array(tiers, dtype=object)[sanction.tier(st.score[ids])]
        ent["true_tier"] = np.array(tiers, dtype=object)[sanction.tier(st.true_score[ids])]
    for li, lname in enumerate(sim.sc.lists):
        ls = st.lists[li]
        on = ls.listed(ids)
        ent[f"on_{lname}"] = on
        ent[f"{lname}_wrongful"] = on & ls.wrongful(ids)
    for c, arr in st.counts.items():  # one counter per row already
        ent[c] = arr.astype(np.int32)
    # copy=False: a column a block of its own, not stacked into one 2-D block per dtype
    # (at 1e7 entities a second copy of the table, 0.4 GB, made only to be written out).
    tables = {"entities": pd.DataFrame(ent, copy=False)}
    names = {"individual": "individuals", "company": "companies", "government": "governments",
             "organization": "organizations"}
    for kind, attrs in pop.attrs.items():
        off, cnt = pop.offsets[kind], pop.counts[kind]
        sel = ids[(ids >= off) & (ids < off + cnt)]
        local = sel - off
        cols: dict[str, Any] = {"id": sel.astype(np.int64)}
        for a, arr in attrs.items():
            labels = pop.labels.get((kind, a))
            v = arr[local]
            if labels is not None:
                cols[a] = pd.Categorical.from_codes(v.astype(np.int16), categories=labels)
            elif code_scale(attribute(kind, a), v) != 1.0:
                cols[a] = unit_values(v)
            else:
                cols[a] = v
        tables[names[kind]] = pd.DataFrame(cols, copy=False)
    return tables, sample


def build_summary(sim: Sim, tables: dict[str, pd.DataFrame], sample: dict[str, Any],
                  wall_seconds: float) -> dict[str, Any]:
    d = tables["daily"]
    st = sim.state
    scored_kind = sim.scores.scored_kind
    if scored_kind.all():  # no mask, no float32 copy: 5 bytes an entity fewer at the peak
        s = st.score.astype(np.float64)
    else:
        s = st.score[scored_kind[np.asarray(sim.pop.kind)]].astype(np.float64)
    mean = p05 = p95 = None
    if s.size:
        mean = float(s.mean())
        # Both percentiles from one partition of s itself (the values are the order
        # statistics either way), not from a copy each.
        p05, p95 = map(float, np.percentile(s, [5, 95], overwrite_input=True))
    del s
    ev = tables["list_events"]

    def total(col: str) -> int:
        return int(d[col].sum())

    return {
        "scsim_version": __version__,
        "scenario": sim.sc.meta.name,
        "origin": sim.scenario.origin,
        "seed": sim.seed,
        "days": sim.days,
        "population": {"individuals": sim.pop.counts["individual"],
                       "companies": sim.pop.counts["company"],
                       "governments": sim.pop.counts["government"],
                       "organizations": sim.pop.counts["organization"]},
        "acts": {"true": total("acts_true"), "recorded": total("acts_recorded"),
                 "wrongful": total("records_wrongful"), "records": total("records")},
        "sanctions": {"denials": total("denials"), "wrongful_denials": total("denials_wrongful"),
                      "grants": total("grants"), "all": total("sanctions"),
                      "wrongful": total("sanctions_wrongful"), "perks": total("perks"),
                      "requests": total("requests")},
        "lists": {"blacklisted_final": int(d["blacklisted"].iloc[-1]),
                  "redlisted_final": int(d["redlisted"].iloc[-1]),
                  "entries": int(((ev["event"] == "entry") & (ev["reason"] != "initial")).sum()),
                  "exits": int((ev["event"] == "exit").sum()),
                  "wrongful_entries": total("list_entries_wrongful"),
                  "restorations": total("restorations")},
        "appeals": {"filed": total("appeals_filed"), "upheld": total("appeals_upheld"),
                    "upheld_wrong_records": total("appeals_upheld_wrongful")},
        "score": {"mean_final": mean, "p05_final": p05, "p95_final": p95},
        "entities_table": sample,
        "wall_seconds": round(wall_seconds, 3),
    }


def build_results(sim: Sim, wall_seconds: float) -> Results:
    from scsim.surveillance.tables import surveillance_summary, surveillance_tables

    tables = daily_tables(sim)
    tables["list_events"] = list_events_table(sim)
    tables.update(surveillance_tables(sim))
    ent, sample = entity_tables(sim)
    tables.update(ent)
    for m in sim.mechanisms:  # ratings, cascades, spillover ... (scsim.mechanisms)
        tables.update(m.tables())
    summary = build_summary(sim, tables, sample, wall_seconds)
    summary["surveillance"] = surveillance_summary(sim)
    from scsim.orgs.report import organizations_summary

    orgs = organizations_summary(sim, tables)
    if orgs:
        summary["organizations"] = orgs
    if sim.sanctions_off:
        summary["sanctions_off"] = True
    if sim.society is not None:  # network, spill-over, shaming, adaptive conduct
        sim.society.extend_results(tables, summary)
    return Results(tables=tables, summary=summary, scenario_toml=sim.scenario.to_toml())
