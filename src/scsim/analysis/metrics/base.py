"""What a metric hands back (figures, charts, tables) and the registry of metrics.

A metric is one function `fn(run) -> Metric`, registered with `@metric(...)`. It reads the
run's tables by SQL. When a table or column it needs is absent (a mechanism another part of
scsim adds, not in this run), the registry returns the metric marked "not in this run"
instead of calling it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from scsim.analysis.source import RunData

# How a value is shown: int (1,234), pct (12.3 %), ratio (2.10x), days (45 days),
# one_in (1 in 250), num (3 significant digits).
FORMATS = ("int", "pct", "ratio", "days", "one_in", "num")


@dataclass
class Figure:
    """One number with the SQL that computes it from the run's tables."""

    key: str  # "<metric>.<name>", stable across runs (compare matches on it)
    label: str
    value: float | None
    sql: str
    fmt: str = "num"
    note: str = ""
    better: str = "lower"  # "lower" / "higher" / "" : which direction is less harm


@dataclass
class Series:
    name: str
    values: list[float | None]
    lo: list[float | None] | None = None  # a shaded band around the line (report only)
    hi: list[float | None] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "values": [_plain(v) for v in self.values]}
        if self.lo is not None and self.hi is not None:
            out["lo"] = [_plain(v) for v in self.lo]
            out["hi"] = [_plain(v) for v in self.hi]
        return out


@dataclass
class Chart:
    """A chart both renderers draw: the report's SVG and matplotlib (`scsim.analysis.plots`)."""

    key: str
    title: str
    kind: str  # "line" (x numeric: days) or "bar" (x categories)
    x: list[Any]
    series: list[Series]
    x_label: str = ""
    y_label: str = ""
    fmt: str = "num"
    x_fmt: str = "int"  # line charts: how the x values are shown
    horizontal: bool = False  # bars: categories down the side (long names, many of them)
    stacked: bool = False
    marks: list[tuple[float, str]] = field(default_factory=list)  # reference lines (y, label)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "kind": self.kind,
                "x": [_plain(v) for v in self.x],
                "series": [s.to_json() for s in self.series],
                "xLabel": self.x_label, "yLabel": self.y_label, "fmt": self.fmt,
                "xFmt": self.x_fmt,
                "horizontal": self.horizontal, "stacked": self.stacked,
                "marks": [{"y": y, "label": lab} for y, lab in self.marks], "note": self.note}


@dataclass
class Table:
    key: str
    title: str
    frame: pd.DataFrame
    fmts: dict[str, str] = field(default_factory=dict)  # column -> format
    note: str = ""
    flag_column: str | None = None  # a boolean column: rows to mark (e.g. four-fifths rule)


@dataclass
class Metric:
    key: str
    title: str
    question: str  # what the section answers, one line
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    absent: str = ""  # non-empty: not in this run, and why
    notes: list[str] = field(default_factory=list)

    def figure(self, name: str) -> Figure | None:
        key = name if "." in name else f"{self.key}.{name}"
        return next((f for f in self.figures if f.key == key), None)


@dataclass
class MetricDef:
    key: str
    title: str
    question: str
    fn: Callable[[RunData, Metric], None]
    needs: Callable[[RunData], str]  # "" when the run has what the metric needs, else why not


REGISTRY: dict[str, MetricDef] = {}


def needs_columns(*pairs: tuple[str, tuple[str, ...]]) -> Callable[[RunData], str]:
    """A `needs` check: each (table, columns) must be present."""

    def check(run: RunData) -> str:
        for table, cols in pairs:
            if not run.has(table, *cols):
                return f"needs {table}({', '.join(cols)})"
        return ""

    return check


def metric(key: str, title: str, question: str,
           needs: Callable[[RunData], str] | None = None) -> Callable:
    """Register `fn(run, m)`: it fills `m` (a fresh `Metric`) with figures, charts, tables."""

    def wrap(fn: Callable[[RunData, Metric], None]) -> Callable[[RunData, Metric], None]:
        REGISTRY[key] = MetricDef(key, title, question, fn, needs or (lambda run: ""))
        return fn

    return wrap


def compute(run: RunData, key: str) -> Metric:
    d = REGISTRY[key]
    m = Metric(key=d.key, title=d.title, question=d.question)
    why = d.needs(run)
    if why:
        m.absent = f"not in this run ({why})"
        return m
    d.fn(run, m)
    return m


def add_figure(run: RunData, m: Metric, name: str, label: str, sql: str, fmt: str = "num",
               note: str = "", better: str = "lower") -> Figure:
    """Run the SQL (one row, one column) and keep the value with its query."""
    sql = " ".join(sql.split())
    value = run.scalar(sql)
    f = Figure(key=f"{m.key}.{name}", label=label, value=None if value is None else float(value),
               sql=sql, fmt=fmt, note=note, better=better)
    m.figures.append(f)
    return f


def _plain(v: Any) -> Any:
    """JSON-safe: NumPy scalars to Python, NaN to None."""
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    return v
