"""A run as the analysis sees it: SQL on its result tables, its summary and its scenario.

Everything the analysis shows is a query on the tables a run wrote (or, for a run still in
memory, on the same tables registered in an in-memory DuckDB), so that every figure can be
pasted into `scsim query DIR SQL` and checked.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from scsim.errors import ScsimInputError

if TYPE_CHECKING:
    import duckdb

    from scsim.results.model import Results
    from scsim.scenario.schema import ScenarioModel


@dataclass
class RunData:
    """One run: a DuckDB connection on its tables, its summary and its resolved scenario."""

    con: duckdb.DuckDBPyConnection
    summary: dict[str, Any]
    scenario_toml: str
    label: str
    path: Path | None = None
    _columns: dict[str, list[str]] = field(default_factory=dict, repr=False)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, source: str | Path | Results | RunData, label: str | None = None) -> RunData:
        """A results folder, a `Results` object (in memory or loaded) or a `RunData`."""
        from scsim.results.model import Results

        if isinstance(source, RunData):
            return source
        if isinstance(source, Results):
            return cls.from_results(source, label)
        return cls.from_folder(Path(source), label)

    @classmethod
    def from_folder(cls, folder: Path, label: str | None = None) -> RunData:
        import duckdb

        from scsim.results.model import DB_NAME

        db = folder / DB_NAME
        if not db.is_file():
            raise ScsimInputError(f"{folder}: not a scsim results folder (no {DB_NAME})")
        con = duckdb.connect(str(db), read_only=True)
        con.execute("set threads to 1")  # sums in one order: the same figures every time
        summary = _read_json(folder / "summary.json")
        toml = _read_text(folder / "scenario.toml")
        return cls(con=con, summary=summary, scenario_toml=toml,
                   label=label or folder.resolve().name, path=folder)

    @classmethod
    def from_results(cls, results: Results, label: str | None = None) -> RunData:
        import duckdb

        if results.path is not None:
            return cls.from_folder(Path(results.path), label)
        con = duckdb.connect(":memory:")
        con.execute("set threads to 1")  # sums in one order: the same figures every time
        for name, df in results.tables.items():
            con.register("_frame", df)
            con.execute(f'create table "{name}" as select * from _frame')
            con.unregister("_frame")
        return cls(con=con, summary=results.summary, scenario_toml=results.scenario_toml,
                   label=label or str(results.summary.get("scenario", "run")))

    def close(self) -> None:
        self.con.close()

    # -- what the run holds ---------------------------------------------------------------
    def columns(self, table: str) -> list[str]:
        if not self._columns:
            rows = self.con.execute("select table_name, column_name from information_schema"
                                    ".columns order by table_name, ordinal_position").fetchall()
            for t, c in rows:
                self._columns.setdefault(t, []).append(c)
        return self._columns.get(table, [])

    def has(self, table: str, *columns: str) -> bool:
        cols = self.columns(table)
        return bool(cols) and all(c in cols for c in columns)

    def columns_like(self, table: str, *fragments: str) -> list[str]:
        """Columns of a table whose name contains any of the fragments."""
        return [c for c in self.columns(table) if any(f in c for f in fragments)]

    # -- queries --------------------------------------------------------------------------
    def df(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()

    def scalar(self, sql: str) -> Any:
        row = self.con.execute(sql).fetchone()
        value = row[0] if row else None
        if hasattr(value, "item"):
            value = value.item()
        return value

    @property
    def days(self) -> int:
        return int(self.summary.get("days") or self.scalar("select max(day) + 1 from daily"))

    # -- the scenario ---------------------------------------------------------------------
    @property
    def scenario_raw(self) -> dict[str, Any]:
        try:
            return tomllib.loads(self.scenario_toml)
        except tomllib.TOMLDecodeError:
            return {}

    @property
    def scenario(self) -> ScenarioModel | None:
        """The validated scenario, or None if this scsim cannot read it (another version)."""
        if not hasattr(self, "_scenario"):
            from scsim.scenario.load import validate

            try:
                self._scenario = validate(self.scenario_raw, self.label).model
            except ScsimInputError:
                self._scenario = None
        return self._scenario


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return ""


def sql_values(alias: str, columns: list[str], rows: list[tuple]) -> str:
    """An inline table `(values ...) as alias(columns)`, so a query needs nothing but the run.

    Used to bring scenario facts (a service's context, a list's type) into a query that can
    be pasted as is into `scsim query`.
    """
    if not rows:
        nulls = ", ".join("null" for _ in columns)
        return f"(select {nulls} limit 0) as {alias}({', '.join(columns)})"
    body = ", ".join("(" + ", ".join(_literal(v) for v in r) + ")" for r in rows)
    return f"(values {body}) as {alias}({', '.join(columns)})"


def _literal(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"
