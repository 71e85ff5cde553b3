"""Reading a finished sweep folder: per-run tables and replicate bands, for reports.

    >>> sw = load_sweep("runs/sweep")
    >>> sw.experiments                      # run_id, point, replicate, seed, the factors
    >>> sw.bands("sanctions_wrongful_denials")   # per design point: mean, 95 % intervals
    >>> sw.daily_bands("denials_wrongful")  # per design point and day
    >>> sw.run(3)["daily"]                  # one run's tables
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scsim.errors import ScsimInputError
from scsim.sweep.store import DB_NAME, MANIFEST, SweepFolder, is_sweep_folder


@dataclass
class SweepResults:
    path: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(repr=False)

    @property
    def experiments(self) -> pd.DataFrame:
        return self.tables["experiments"]

    @property
    def outcomes(self) -> pd.DataFrame:
        return self.tables["outcomes"]

    @property
    def factors(self) -> list[str]:
        """Columns of `experiments` that were varied."""
        return [f["column"] for f in self.manifest["factors"]]

    def to_df(self, table: str) -> pd.DataFrame:
        if table not in self.tables:
            raise KeyError(f"no table {table!r}; tables: {', '.join(self.tables)}")
        return self.tables[table]

    def bands(self, outcome: str | None = None) -> pd.DataFrame:
        """Replicate bands per design point (with the factor values) for one or all outcomes."""
        b = self.tables["outcome_bands"]
        if outcome is not None:
            self._check(outcome, b)
            b = b[b["outcome"] == outcome]
        return self.tables["points"].merge(b, on="point").reset_index(drop=True)

    def daily_bands(self, outcome: str | None = None) -> pd.DataFrame:
        """Replicate bands per design point and day (needs the `daily` table in the sweep)."""
        if "daily_bands" not in self.tables:
            raise ScsimInputError(f"{self.path}: the sweep kept no daily table (--tables)")
        b = self.tables["daily_bands"]
        if outcome is not None:
            self._check(outcome, b)
            b = b[b["outcome"] == outcome]
        return self.tables["points"].merge(b, on="point").reset_index(drop=True)

    def run(self, run_id: int) -> dict[str, pd.DataFrame]:
        """The tables the sweep kept for one run (without the run_id column)."""
        if not 0 <= run_id < len(self.experiments):
            raise KeyError(f"no run {run_id} (runs 0 to {len(self.experiments) - 1})")
        out = {}
        for name in self.manifest["tables"]:
            df = self.tables[name]
            out[name] = df[df["run_id"] == run_id].drop(columns="run_id").reset_index(drop=True)
        return out

    @staticmethod
    def _check(outcome: str, b: pd.DataFrame) -> None:
        known = sorted(b["outcome"].unique())
        if outcome not in known:
            import difflib

            near = difflib.get_close_matches(outcome, known, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ScsimInputError(f"no outcome {outcome!r} (known: {', '.join(known)}){hint}")


def load_sweep(folder: str | Path) -> SweepResults:
    """A finished sweep folder; a clear message when it is not one or is not finished."""

    folder = Path(folder)
    if not is_sweep_folder(folder):
        raise ScsimInputError(f"{folder}: not a sweep folder (no {MANIFEST})")
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    db = folder / DB_NAME
    if not db.is_file():
        done = len(SweepFolder(folder).finished(manifest["runs"]))
        raise ScsimInputError(f"{folder}: sweep not finished ({done}/{manifest['runs']} runs); "
                              "run the same `scsim sweep` command again to finish it")
    from scsim.results.model import read_tables

    return SweepResults(path=folder, manifest=manifest, tables=read_tables(db))
