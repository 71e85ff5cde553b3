"""`scsim query DIR SQL`: run SQL on a results folder's DuckDB database."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("query", help="run SQL on a results folder")
    p.add_argument("folder", help="results folder of `scsim run --out` or `scsim sweep --out`")
    p.add_argument("sql", help='e.g. "select day, blacklisted from daily order by day"')
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from scsim.errors import ScsimInputError
    from scsim.results.model import DB_NAME

    db = Path(args.folder) / DB_NAME
    if not db.is_file() and (Path(args.folder) / "sweep.duckdb").is_file():
        db = Path(args.folder) / "sweep.duckdb"  # a finished sweep (see scsim.sweep.store)
    if not db.is_file():
        raise ScsimInputError(f"{args.folder}: not a scsim results folder (no {DB_NAME})")
    con = duckdb.connect(str(db), read_only=True)
    try:
        rel = con.sql(args.sql)
        if rel is None:
            return 0
        df = rel.df()
    except duckdb.Error as err:
        raise ScsimInputError(f"query: {str(err).splitlines()[0]}") from None
    finally:
        con.close()
    if args.csv:
        print(df.to_csv(index=False), end="")
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", 200, "display.max_columns", 50,
                               "display.width", 160):
            print(df.to_string(index=False))
    return 0
