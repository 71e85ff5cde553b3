"""`scsim compare SWEEP1 SWEEP2`: the outcomes of two sweeps side by side per matching design
point (same values of the varied inputs), with the difference of the means and its Welch
95 % interval. The second argument may instead be a results folder (one run): it is then set
against every design point of the sweep (n = 1, so no interval on its side).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scsim.analysis.format import fmt_diff, fmt_value
from scsim.analysis.stats import diff_ci, mean_ci
from scsim.errors import ScsimInputError


@dataclass
class SweepArm:
    label: str
    path: Path
    factors: list[str]
    points: pd.DataFrame  # point and the factor columns
    values: pd.DataFrame  # point and one column per outcome, one row per run


@dataclass
class OutcomeRow:
    outcome: str
    n: list[int]
    means: list[float | None]
    cis: list[float | None]  # half-widths
    diff: float | None  # second minus first
    diff_ci: float | None  # Welch half-width


@dataclass
class PointRow:
    factors: dict[str, Any]
    points: list[int | None]
    outcomes: list[OutcomeRow]


@dataclass
class SweepComparison:
    arms: list[SweepArm]
    rows: list[PointRow]
    unmatched: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"arms": [{"label": a.label, "path": str(a.path), "points": len(a.points),
                          "runs": len(a.values)} for a in self.arms],
                "points": [{"factors": r.factors, "points": r.points, "outcomes": [
                    {"outcome": o.outcome, "n": o.n, "values": o.means, "ci95": o.cis,
                     "difference": o.diff, "difference_ci95": o.diff_ci} for o in r.outcomes]}
                    for r in self.rows],
                "unmatched": self.unmatched}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def to_text(self) -> str:
        a, b = (x.label for x in self.arms)
        lines = []
        for r in self.rows:
            lines.append(f"== {point_title(r)}")
            head = ["outcome", a, b, f"{b} - {a}"]
            body = [[o.outcome, _ci(o.means[0], o.cis[0], fmt_value),
                     _ci(o.means[1], o.cis[1], fmt_value), _ci(o.diff, o.diff_ci, fmt_diff)]
                    for o in r.outcomes]
            widths = [max(len(x[i]) for x in [head, *body]) for i in range(4)]
            for i, cells in enumerate([head, *body]):
                lines.append("  ".join(c.ljust(widths[0]) if j == 0 else c.rjust(widths[j])
                                       for j, c in enumerate(cells)))
                if i == 0:
                    lines.append("  ".join("-" * w for w in widths))
            lines.append("")
        lines += [f"not matched: {u}" for u in self.unmatched]
        return "\n".join(lines).rstrip()


def point_title(r: PointRow) -> str:
    where = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                      for k, v in r.factors.items())
    pts = " / ".join("run" if p is None else f"point {p}" for p in r.points)
    return f"{where or 'all runs'} ({pts})"


def _ci(v: float | None, ci: float | None, how: Any) -> str:
    s = how(v, "num")
    if ci is not None and v is not None:
        s += " ± " + fmt_diff(ci, "num").lstrip("+−±")
    return s


def open_sweep_arm(path: Path, label: str | None) -> SweepArm:
    from scsim.sweep.load import load_sweep
    from scsim.sweep.store import is_sweep_folder
    from scsim.sweep.worker import flatten_summary

    name = label or path.resolve().name
    if is_sweep_folder(path):
        sw = load_sweep(path)
        values = sw.outcomes.merge(sw.experiments[["run_id", "point"]], on="run_id")
        return SweepArm(name, path, sw.factors, sw.tables["points"],
                        values.drop(columns="run_id"))
    if (path / "summary.json").is_file() and (path / "results.duckdb").is_file():
        summary = json.loads((path / "summary.json").read_text("utf-8"))
        row = {"point": 0, **flatten_summary(summary)}
        return SweepArm(name, path, [], pd.DataFrame({"point": [0]}), pd.DataFrame([row]))
    why = "no results.duckdb nor sweep.json" if path.is_dir() else "no such folder"
    raise ScsimInputError(f"{path}: not a scsim results folder nor a sweep folder ({why})")


def compare_sweeps(first: str | Path, second: str | Path,
                   labels: list[str] | None = None) -> SweepComparison:
    """Line up two sweeps (or a sweep and one run) point by point, the first as reference."""
    if labels is not None and len(labels) != 2:
        raise ScsimInputError(f"compare: {len(labels)} labels for 2 folders")
    arms = [open_sweep_arm(Path(p), labels[i] if labels else None)
            for i, p in enumerate((first, second))]
    if not arms[0].factors and arms[1].factors:
        raise ScsimInputError("compare: give the sweep first and the results folder second")
    a, b = arms
    if b.factors and set(a.factors) != set(b.factors):
        raise ScsimInputError(f"compare: the sweeps vary different inputs ({', '.join(a.factors)}"
                              f" vs {', '.join(b.factors)}); nothing to match point by point")
    outcomes = [c for c in a.values.columns if c != "point" and c in b.values.columns]
    rows, unmatched = [], []
    b_keys = {_key(b, r): int(r["point"]) for _, r in b.points.iterrows()}
    seen = set()
    for _, r in a.points.sort_values("point").iterrows():
        k = _key(a, r) if b.factors else ()
        pa = int(r["point"])
        if k not in b_keys:
            unmatched.append(f"{a.label} point {pa}")
            continue
        pb = b_keys[k]
        seen.add(pb)
        va = a.values[a.values["point"] == pa]
        vb = b.values[b.values["point"] == pb]
        outs = [_row(o, _vals(va[o]), _vals(vb[o])) for o in outcomes]
        factors = {f: _plain(r[f]) for f in a.factors}
        rows.append(PointRow(factors, [pa, pb if b.factors else None], outs))
    if b.factors:
        unmatched += [f"{b.label} point {p}" for p in b_keys.values() if p not in seen]
    if not rows:
        raise ScsimInputError("compare: no design point of the two sweeps has the same inputs")
    return SweepComparison(arms, rows, unmatched)


def _row(outcome: str, va: list[float], vb: list[float]) -> OutcomeRow:
    ma, ca = mean_ci(va)
    mb, cb = mean_ci(vb)
    d, dc = diff_ci(va, vb)
    return OutcomeRow(outcome, [len(va), len(vb)], [ma, mb], [ca, cb], d, dc)


def _vals(s: pd.Series) -> list[float]:
    v = pd.to_numeric(s, errors="coerce").astype("float64").tolist()
    return [x for x in v if not math.isnan(x)]


def _key(arm: SweepArm, r: pd.Series) -> tuple[Any, ...]:
    return tuple(_plain(r[f]) for f in sorted(arm.factors))


def _plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v
