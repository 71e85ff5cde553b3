"""The `Results` object: tables by name, the summary, the resolved scenario."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scsim.errors import ScsimInputError

DB_NAME = "results.duckdb"


@dataclass
class Results:
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]
    scenario_toml: str
    path: Path | None = field(default=None)

    def to_df(self, table: str) -> pd.DataFrame:
        """A result table as a DataFrame (`daily`, `daily_by_group`, `entities` ...)."""
        if table not in self.tables:
            raise KeyError(f"no table {table!r}; tables: {', '.join(self.tables)}")
        return self.tables[table]

    # -- analysis (scsim.analysis), imported when used -----------------------------------
    def metrics(self) -> list[Any]:
        """Every harm metric of this run (`scsim.analysis.metrics`): figures, charts, tables."""
        from scsim.analysis.metrics import compute_all
        from scsim.analysis.source import RunData

        run = RunData.open(self)
        try:
            return compute_all(run)
        finally:
            run.close()

    def plot(self, what: str) -> Any:
        """A matplotlib figure of a metric ("disparity") or of one chart ("access.lorenz")."""
        from scsim.analysis.plots import plot

        return plot(self, what)

    def report(self, out: str | Path | None = None) -> Path:
        """Write the HTML report (default: report.html in the results folder)."""
        from scsim.analysis.report import write_report

        return write_report(self, out)

    @classmethod
    def load(cls, folder: str | Path) -> Results:
        """Read a results folder written by `Sim.run(out=...)` or `scsim run --out`."""
        folder = Path(folder)
        db = folder / DB_NAME
        if not db.is_file():
            raise ScsimInputError(f"{folder}: not a scsim results folder (no {DB_NAME})")
        tables = read_tables(db)
        summary = json.loads((folder / "summary.json").read_text("utf-8"))
        return cls(tables=tables, summary=summary,
                   scenario_toml=(folder / "scenario.toml").read_text("utf-8"), path=folder)


def read_tables(db: Path) -> dict[str, pd.DataFrame]:
    """Every table of a DuckDB file, by name, as DataFrames."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables"
                                            " order by table_name").fetchall()]
        return {n: con.execute(f'select * from "{n}"').df() for n in names}
    finally:
        con.close()
