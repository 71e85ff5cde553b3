"""Writing a results folder atomically: a hidden temporary sibling, renamed when complete.

An interrupted run leaves at most a `.NAME.tmp-PID` folder, never one that looks finished.
An existing results folder is replaced only when it is one (it holds `summary.json`) or
when the user passes --force; anything else is refused.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from scsim.errors import ScsimInputError
from scsim.results.model import DB_NAME, Results


def check_out(out: Path, force: bool = False) -> None:
    """Refuse an output path we must not overwrite, before any work is done."""
    if out.exists():
        if not out.is_dir():
            raise ScsimInputError(f"--out {out}: exists and is not a folder")
        is_results = (out / "summary.json").is_file()
        if any(out.iterdir()) and not is_results and not force:
            raise ScsimInputError(f"--out {out}: folder exists and is not a scsim results "
                                  "folder; choose another path or pass --force")
    parent = out.resolve().parent
    if not parent.exists():
        parent.mkdir(parents=True, exist_ok=True)


def write_results(results: Results, out: Path) -> Path:
    import duckdb

    out = Path(out)
    parent = out.resolve().parent
    tmp = parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        con = duckdb.connect(str(tmp / DB_NAME))
        try:
            for name, df in results.tables.items():
                con.register("_frame", df)
                con.execute(f'create table "{name}" as select * from _frame')
                con.unregister("_frame")
        finally:
            con.close()
        (tmp / "scenario.toml").write_text(results.scenario_toml, "utf-8")
        (tmp / "summary.json").write_text(json.dumps(results.summary, indent=2) + "\n", "utf-8")
        if out.exists():
            old = parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    results.path = out
    return out
