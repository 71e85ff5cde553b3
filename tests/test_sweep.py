"""Sweeps: the same numbers on every backend and worker count, and no run lost or counted
twice when a worker is killed or the sweep is stopped and started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import DATA, need
from scsim.cli import main
from scsim.sweep import load_sweep, make_plan, run_sweep
from scsim.sweep.plan import run_seed
from scsim.sweep.worker import execute

TINY = DATA / "tiny.toml"
SETS = ["sources.cam.misattribution=0.01,0.1", "restoration.appeals.file_prob=0.1,0.5"]
COMPARED = ("experiments", "outcomes", "daily", "outcome_bands", "daily_bands")


def _plan(**kw):
    return make_plan(TINY, sets=SETS, replicates=2, days=30, seed=5, **kw)


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(folder / "sweep.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"select * from {t} order by all").df() for t in COMPARED}
    finally:
        con.close()


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in COMPARED:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


def _assert_each_run_once(folder: Path, n_runs: int, days: int) -> None:
    con = duckdb.connect(str(folder / "sweep.duckdb"), read_only=True)
    try:
        for table, per_run in (("experiments", 1), ("outcomes", 1), ("daily", days)):
            counts = con.execute(f"select run_id, count(*) from {table} group by run_id "
                                 "order by run_id").fetchall()
            assert counts == [(r, per_run) for r in range(n_runs)], table
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The sweep on the local backend with one worker."""
    out = tmp_path_factory.mktemp("ref") / "sweep"
    report = run_sweep(_plan(), out, workers=1)
    assert report.complete and report.done == 8 and report.failed == 0
    _assert_each_run_once(out, 8, 30)
    return _tables(out)


def test_experiments_table_has_inputs_and_seeds(reference):
    ex = reference["experiments"]
    assert list(ex.columns) == ["run_id", "point", "replicate", "seed", "misattribution",
                                "file_prob"]
    assert len(ex) == 8 and ex["run_id"].tolist() == list(range(8))
    assert ex.groupby(["misattribution", "file_prob"]).size().tolist() == [2, 2, 2, 2]
    assert ex["seed"].tolist() == [run_seed(5, r) for r in range(8)]
    assert ex["seed"].nunique() == 8
    # one SQL query compares the runs: misattribution raises wrong records
    con = duckdb.connect()
    con.register("experiments", ex)
    con.register("outcomes", reference["outcomes"])
    rows = con.execute("select e.misattribution, avg(o.acts_wrongful) from experiments e join "
                       "outcomes o using (run_id) group by 1 order by 1").fetchall()
    assert rows[0][1] < rows[1][1]


def test_bands_match_the_replicates(reference):
    out, ex, bands = reference["outcomes"], reference["experiments"], reference["outcome_bands"]
    b = bands[(bands["point"] == 2) & (bands["outcome"] == "sanctions_wrongful_denials")]
    values = out[out["run_id"].isin(ex.loc[ex["point"] == 2, "run_id"])][
        "sanctions_wrongful_denials"].to_numpy(float)
    assert b["n"].item() == 2
    assert b["mean"].item() == pytest.approx(values.mean())
    half = 12.7062047 * values.std(ddof=1) / 2**0.5
    assert b["ci_hi"].item() == pytest.approx(values.mean() + half)
    assert b["q025"].item() == pytest.approx(values.min() + 0.025 * (values.max() - values.min()))
    daily = reference["daily_bands"]
    assert len(daily[daily["outcome"] == "denials"]) == 4 * 30


def test_two_workers_give_the_same_numbers(reference, tmp_path):
    report = run_sweep(_plan(), tmp_path / "w2", workers=2)
    assert report.done == 8
    _assert_same(reference, _tables(tmp_path / "w2"))


def test_ray_backend_gives_the_same_numbers(reference, tmp_path):
    need("ray")
    report = run_sweep(_plan(), tmp_path / "ray", backend="ray", workers=2)
    assert report.done == 8 and report.failed == 0
    _assert_same(reference, _tables(tmp_path / "ray"))


def test_killed_worker_has_its_run_retried(reference, tmp_path):
    killed: list[int] = []

    def kill_one(ev):
        if ev.kind == "started" and ev.run_id == 3 and not killed:
            os.kill(ev.pid, signal.SIGKILL)
            killed.append(ev.pid)

    report = run_sweep(_plan(), tmp_path / "k", workers=2, on_event=kill_one)
    assert killed and report.retried >= 1
    assert report.complete and report.failed == 0 and report.done == 8
    _assert_each_run_once(tmp_path / "k", 8, 30)
    _assert_same(reference, _tables(tmp_path / "k"))


def test_stopped_sweep_restarts_without_duplicates(tmp_path):
    out = tmp_path / "stop"
    cmd = [sys.executable, "-m", "scsim", "sweep", str(TINY), *sum((["--set", s] for s in SETS),
           []), "--replicates", "3", "--days", "120", "--seed", "5", "--workers", "1",
           "--out", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
                            start_new_session=True)
    deadline = time.time() + 120
    runs = out / "runs"
    while time.time() < deadline and proc.poll() is None:
        if runs.is_dir() and len([d for d in runs.iterdir() if d.name.isdigit()]) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep ended before the test could stop it"
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, at once
    proc.wait()
    assert not (out / "sweep.duckdb").exists()
    before = sorted(int(d.name) for d in runs.iterdir() if d.name.isdigit())
    assert 3 <= len(before) < 12
    events: dict[str, list[int]] = {"skipped": [], "done": []}
    plan = make_plan(TINY, sets=SETS, replicates=3, days=120, seed=5)
    report = run_sweep(plan, out, workers=2,
                       on_event=lambda ev: events.get(ev.kind, []).append(ev.run_id))
    assert sorted(events["skipped"]) == before
    assert sorted(events["skipped"] + events["done"]) == list(range(12))
    assert report.skipped == len(before) and report.done == 12 - len(before)
    _assert_each_run_once(out, 12, 120)
    # a run finished before the stop and one finished after it hold the right numbers
    sw = load_sweep(out)
    for run_id in (before[0], sorted(events["done"])[-1]):
        fresh = execute(plan.task(run_id)).tables["daily"]
        pd.testing.assert_frame_equal(sw.run(run_id)["daily"], fresh.drop(columns="run_id"),
                                      check_exact=True)


def test_common_seeds_share_replicates_across_points(tmp_path):
    plan = _plan(common_seeds=True)
    ex = plan.experiments()
    assert ex.groupby("replicate")["seed"].nunique().tolist() == [1, 1]
    assert ex["seed"].nunique() == 2


def test_cli_sweep_and_summary(reference, tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["sweep", str(TINY), *sum((["--set", s] for s in SETS), []), "--replicates", "2",
            "--days", "30", "--seed", "5", "--out", str(out), "--workers", "2"]
    assert main(args) == 0
    assert "8/8 runs" in capsys.readouterr().out
    _assert_same(reference, _tables(out))
    assert main(["sweep-summary", str(out)]) == 0
    text = capsys.readouterr().out
    assert "sanctions_wrongful_denials" in text and "misattribution" in text
    assert len(text.strip().splitlines()) == 2 + 4
    # the same command again: nothing to run, same numbers
    assert main(args) == 0
    assert "8/8 runs, 8 from before" in capsys.readouterr().out
    _assert_same(reference, _tables(out))
    # another sweep into the same folder is refused, naming what differs
    assert main([*args[:-4], "--replicates", "3", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "different sweep" in err and "replicates" in err


BAD = [
    (["--set", "sources.cam.coverage=0.5,1.5"], ["sources.cam.coverage", "less than or equal"]),
    (["--set", "sources.cam.coverag=0.5,0.6"], ["sources.cam.coverag", "unknown key"]),
    (["--set", "sources.cam.coverage=0.1:0.5"], ["factorial design needs levels"]),
    (["--set", "run.seed=1,2"], ["run.seed", "--seed"]),
    (["--set", "sources.cam.coverage=0.5:x", "--design", "lhs"], ["two numbers"]),
    (["--replicates", "0"], ["--replicates"]),
    (["--tables", "daily,nope"], ["--tables"]),
    (["--design", "lhs", "--set", "sources.cam.coverage=0.1:0.5", "--samples", "0"],
     ["--samples"]),
]


@pytest.mark.parametrize(("extra", "words"), BAD)
def test_bad_sweep_input_is_one_message_and_no_folder(tmp_path, capsys, extra, words):
    out = tmp_path / "bad"
    assert main(["sweep", str(TINY), "--days", "5", "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scsim: error:") and "Traceback" not in err
    for w in words:
        assert w in err
    assert not out.exists()


def test_summary_of_unfinished_or_foreign_folder(tmp_path, capsys):
    assert main(["sweep-summary", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err


def test_a_run_that_raises_is_reported_failed_not_retried():
    from scsim.sweep.local import LocalPool

    plan = _plan()
    good = plan.task(0)
    bad = plan.task(1)
    bad = type(bad)(**{**bad.__dict__, "sets": ("sources.cam.coverage=2.0",)})
    events = []
    LocalPool(workers=2, retries=2).run([good, bad], events.append)
    kinds = {(e.kind, e.run_id) for e in events if e.kind != "started"}
    assert kinds == {("done", 0), ("failed", 1)}
    err = next(e.error for e in events if e.kind == "failed")
    assert "ScenarioError" in err and "sources.cam.coverage" in err
