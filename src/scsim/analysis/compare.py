"""`scsim compare DIR1 DIR2 ...`: the metrics of several runs side by side, with differences
from the first and, where an argument holds replicates, 95 % confidence intervals.

An argument is a results folder, or a folder whose subfolders are results folders (the
replicates of one arm, e.g. the same scenario with several seeds).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scsim.analysis.format import fmt_diff, fmt_value
from scsim.analysis.metrics import Metric, compute_all
from scsim.analysis.source import RunData
from scsim.analysis.stats import diff_ci, mean_ci
from scsim.errors import ScsimInputError
from scsim.results.model import DB_NAME


@dataclass
class Arm:
    label: str
    path: Path
    runs: list[RunData]
    metrics: list[list[Metric]] = field(default_factory=list)  # per replicate

    def values(self, key: str) -> list[float | None]:
        out = []
        for ms in self.metrics:
            f = next((f for m in ms for f in m.figures if f.key == key), None)
            out.append(None if f is None else f.value)
        return out


@dataclass
class Row:
    key: str
    metric: str
    label: str
    fmt: str
    better: str
    means: list[float | None]
    cis: list[float | None]  # half-widths
    diffs: list[float | None]  # arm i minus arm 0 (None for arm 0)
    diff_cis: list[float | None]


@dataclass
class Comparison:
    arms: list[Arm]
    rows: list[Row]

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {"arms": [{"label": a.label, "path": str(a.path), "replicates": len(a.runs)}
                         for a in self.arms],
                "figures": [{"key": r.key, "label": r.label, "fmt": r.fmt,
                             "values": r.means, "ci95": r.cis, "differences": r.diffs,
                             "differences_ci95": r.diff_cis} for r in self.rows]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def to_text(self) -> str:
        labels = [a.label + (f" (n={len(a.runs)})" if len(a.runs) > 1 else "")
                  for a in self.arms]
        head = ["figure", *labels] + [f"{a.label} - {self.arms[0].label}"
                                      for a in self.arms[1:]]
        body = []
        for r in self.rows:
            cells = [r.label if len(r.label) <= 72 else r.label[:71] + "…"]
            cells += [_with_ci(m, c, r.fmt, fmt_value) for m, c in zip(r.means, r.cis,
                                                                      strict=True)]
            cells += [_with_ci(d, c, r.fmt, fmt_diff) for d, c in zip(r.diffs[1:],
                                                                    r.diff_cis[1:], strict=True)]
            body.append(cells)
        widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
        lines = []
        for i, cells in enumerate([head, *body]):
            lines.append("  ".join(c.ljust(widths[0]) if j == 0 else c.rjust(widths[j])
                                   for j, c in enumerate(cells)))
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def close(self) -> None:
        for a in self.arms:
            for r in a.runs:
                r.close()


def _with_ci(v: float | None, ci: float | None, fmt: str, how) -> str:
    s = how(v, fmt)
    if ci is not None and v is not None:
        s += " ± " + fmt_diff(ci, fmt).lstrip("+−±")
    return s


def open_arm(path: Path, label: str | None = None) -> Arm:
    if (path / DB_NAME).is_file():
        runs = [RunData.from_folder(path)]
    elif path.is_dir():
        subs = sorted(p for p in path.iterdir() if (p / DB_NAME).is_file())
        if not subs:
            raise ScsimInputError(f"{path}: not a scsim results folder, and holds none")
        runs = [RunData.from_folder(p) for p in subs]
    else:
        raise ScsimInputError(f"{path}: no such folder")
    return Arm(label=label or path.resolve().name, path=path, runs=runs)


def compare(paths: list[str | Path], labels: list[str] | None = None) -> Comparison:
    """Compute every metric of every run and line them up, the first arm as reference."""
    if len(paths) < 2:
        raise ScsimInputError("compare: give at least two results folders")
    if labels is not None and len(labels) != len(paths):
        raise ScsimInputError(f"compare: {len(labels)} labels for {len(paths)} folders")
    arms = [open_arm(Path(p), labels[i] if labels else None) for i, p in enumerate(paths)]
    if labels is None:
        _scenario_labels(arms)
    for arm in arms:
        arm.metrics = [compute_all(r) for r in arm.runs]
    keys: list[tuple[str, Any]] = []
    seen = set()
    for arm in arms:
        for m in arm.metrics[0]:
            for f in m.figures:
                if f.key not in seen:
                    seen.add(f.key)
                    keys.append((f.key, (m.key, f)))
    rows = []
    ref = arms[0]
    for key, (mkey, f) in keys:
        stats = [mean_ci(a.values(key)) for a in arms]
        diffs = [(None, None)] + [diff_ci(ref.values(key), a.values(key)) for a in arms[1:]]
        rows.append(Row(key, mkey, f.label, f.fmt, f.better, [s[0] for s in stats],
                        [s[1] for s in stats], [d[0] for d in diffs], [d[1] for d in diffs]))
    return Comparison(arms, rows)


def _scenario_labels(arms: list[Arm]) -> None:
    """Label arms by scenario name when those are distinct, else keep the folder names."""
    names = [str(a.runs[0].summary.get("scenario", a.label)) for a in arms]
    if len(set(names)) == len(names):
        for a, n in zip(arms, names, strict=True):
            a.label = n
