"""A sweep folder on disk: the manifest, one folder per finished run, the merged database.

    OUT/sweep.json        what the sweep is (a restart must match it) and its state
    OUT/scenario.toml     the base scenario, fully resolved
    OUT/runs/000123/      one finished run: outcomes.json and a Parquet file per table,
                          written under a hidden name and renamed when complete
    OUT/sweep.duckdb      every run merged, with the replicate bands (written last, atomically)

A run folder exists only when the run is complete, so a restart skips exactly the finished
runs and a run is never counted twice.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from scsim.errors import ScsimInputError
from scsim.sweep.plan import SweepPlan
from scsim.sweep.worker import RunOutput

MANIFEST = "sweep.json"
DB_NAME = "sweep.duckdb"
RUNS = "runs"
OUTCOMES = "outcomes.json"


def is_sweep_folder(path: str | Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


class SweepFolder:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.runs = self.path / RUNS
        self.db = self.path / DB_NAME

    def run_dir(self, run_id: int) -> Path:
        return self.runs / f"{run_id:06d}"

    # -- starting or restarting ------------------------------------------------------------
    def prepare(self, plan: SweepPlan, scenario_toml: str, force: bool = False) -> set[int]:
        """Create the folder, or check that it holds this same sweep; the finished run ids."""
        p = self.path
        if p.exists() and not p.is_dir():
            raise ScsimInputError(f"--out {p}: exists and is not a folder")
        fingerprint = plan.fingerprint()
        if p.exists() and any(p.iterdir()):
            if not is_sweep_folder(p):
                if not force:
                    raise ScsimInputError(f"--out {p}: folder exists and is not a sweep folder;"
                                          " choose another path or pass --force")
                shutil.rmtree(p)
            else:
                old = json.loads((p / MANIFEST).read_text("utf-8"))
                if old.get("fingerprint") != fingerprint:
                    if not force:
                        raise ScsimInputError(
                            f"--out {p}: holds a different sweep ({_differences(old, plan)} "
                            "differ); run the same command to finish it, or pass --force to "
                            "start again")
                    shutil.rmtree(p)
        self.runs.mkdir(parents=True, exist_ok=True)
        for stale in self.runs.glob(".*"):  # a run being written when the driver was killed
            shutil.rmtree(stale, ignore_errors=True)
        if not (p / MANIFEST).is_file():
            self.write_manifest(plan, fingerprint)
            (p / "scenario.toml").write_text(scenario_toml, "utf-8")
        return self.finished(plan.n_runs)

    def write_manifest(self, plan: SweepPlan, fingerprint: str) -> None:
        data = {"fingerprint": fingerprint, "runs": plan.n_runs, **plan.manifest()}
        _atomic_text(self.path / MANIFEST, json.dumps(data, indent=1, default=str) + "\n")

    def finished(self, n_runs: int) -> set[int]:
        done = set()
        for d in self.runs.iterdir():
            if d.name.isdigit() and (d / OUTCOMES).is_file():
                run_id = int(d.name)
                if run_id < n_runs:
                    done.add(run_id)
        return done

    # -- one run ---------------------------------------------------------------------------
    def write_run(self, out: RunOutput, attempts: int) -> bool:
        """Write a finished run atomically; False if it was already there (kept as it is)."""
        import duckdb

        final = self.run_dir(out.run_id)
        if final.exists():
            return False
        tmp = self.runs / f".{final.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            con = duckdb.connect()
            try:
                for name, df in out.tables.items():
                    con.register("_frame", df)
                    target = str(tmp / f"{name}.parquet").replace("'", "''")
                    con.execute(f"copy _frame to '{target}' (format parquet)")
                    con.unregister("_frame")
            finally:
                con.close()
            info = {"run_id": out.run_id, "outcomes": out.outcomes,
                    "wall_seconds": round(out.wall_seconds, 3), "attempts": attempts}
            (tmp / OUTCOMES).write_text(json.dumps(info) + "\n", "utf-8")
            try:
                os.replace(tmp, final)
            except OSError:  # written meanwhile by another driver: keep the first
                shutil.rmtree(tmp, ignore_errors=True)
                return False
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return True

    # -- the end ---------------------------------------------------------------------------
    def merge(self, plan: SweepPlan) -> Path:
        """Merge every run into sweep.duckdb with the replicate bands, atomically."""
        import duckdb

        from scsim.sweep.stats import daily_bands, outcome_bands

        experiments = plan.experiments()
        infos = [json.loads((self.run_dir(r) / OUTCOMES).read_text("utf-8"))
                 for r in range(plan.n_runs)]
        outcomes = pd.DataFrame([{"run_id": i["run_id"], **i["outcomes"]} for i in infos])
        run_info = pd.DataFrame({"run_id": [i["run_id"] for i in infos],
                                 "wall_seconds": [i["wall_seconds"] for i in infos],
                                 "attempts": [i["attempts"] for i in infos]})
        points = experiments.drop(columns=["run_id", "replicate", "seed"]).drop_duplicates(
            "point").reset_index(drop=True)
        frames: dict[str, pd.DataFrame] = {
            "experiments": experiments, "points": points, "outcomes": outcomes,
            "run_info": run_info,
            "outcome_bands": outcome_bands(outcomes, experiments)}
        tmp = self.path / f".{DB_NAME}.tmp-{os.getpid()}"
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            for name, df in frames.items():
                con.register("_frame", df)
                con.execute(f'create table "{name}" as select * from _frame')
                con.unregister("_frame")
            for table in plan.tables:
                files = [str(self.run_dir(r) / f"{table}.parquet") for r in range(plan.n_runs)]
                con.execute(f'create table "{table}" as select * from read_parquet(?) '
                            "order by all", [files])
            if "daily" in plan.tables:
                daily = con.execute("select * from daily order by run_id, day").df()
                con.register("_frame", daily_bands(daily, experiments))
                con.execute('create table "daily_bands" as select * from _frame')
                con.unregister("_frame")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        os.replace(tmp, self.db)
        return self.db


def _differences(old: dict[str, Any], plan: SweepPlan) -> str:
    new = plan.manifest()
    keys = [k for k in new if json.dumps(old.get(k), sort_keys=True, default=str)
            != json.dumps(new[k], sort_keys=True, default=str)]
    return ", ".join(keys) or "settings"


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)
