"""A run stopped at any point and resumed from its checkpoint gives the results of an
uninterrupted run, byte for byte in every result table."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from scsim.checkpoint import checkpoint_dir, resume, run_with_checkpoints
from scsim.cli import main
from scsim.sim import Sim
from scsim.steps.collect import Collect


def _table_bytes(folder: Path) -> dict[str, bytes]:
    """Every table of a results folder as CSV bytes (floats written in full)."""
    con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables")
                 .fetchall()]
        return {n: con.execute(f'select * from "{n}"').df().to_csv(
            index=False, float_format="%.17g").encode() for n in sorted(names)}
    finally:
        con.close()


def _assert_same_results(a: Path, b: Path) -> None:
    ta, tb = _table_bytes(a), _table_bytes(b)
    assert list(ta) == list(tb) and len(ta) >= 8
    for name in ta:
        assert ta[name] == tb[name], name
    assert (a / "scenario.toml").read_bytes() == (b / "scenario.toml").read_bytes()
    sa, sb = (json.loads((p / "summary.json").read_text()) for p in (a, b))
    sa.pop("wall_seconds"), sb.pop("wall_seconds")
    assert sa == sb


class Crash(Exception):
    pass


@pytest.mark.parametrize("crash_day", [3, 45, 119])
def test_resume_after_a_crash_equals_an_uninterrupted_run(tiny, tmp_path, monkeypatch,
                                                          crash_day):
    Sim(tiny).run(out=tmp_path / "whole")
    original = Collect.step

    def crashing(self, day):
        if day == crash_day:
            raise Crash
        original(self, day)

    monkeypatch.setattr(Collect, "step", crashing)
    out = tmp_path / "cut"
    with pytest.raises(Crash):
        run_with_checkpoints(Sim(tiny), out, every=7)
    monkeypatch.setattr(Collect, "step", original)
    meta = json.loads((checkpoint_dir(out) / "checkpoint.json").read_text())
    assert meta["day"] == crash_day // 7 * 7 and not out.exists()
    resume(out)
    _assert_same_results(tmp_path / "whole", out)
    assert not checkpoint_dir(out).exists()


def test_run_killed_with_sigkill_resumes_identically(tiny, tmp_path, capsys):
    args = ["run", str(tiny), "--days", "200", "--individuals", "12000", "--seed", "3"]
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "scsim", *args, "--out", str(out), "--checkpoint-every",
           "10", "--quiet"]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    meta = checkpoint_dir(out) / "checkpoint.json"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if meta.is_file() and json.loads(meta.read_text())["day"] >= 20:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before the test could kill it"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    assert main(["resume", str(out), "--quiet"]) == 0
    assert main([*args, "--out", str(tmp_path / "whole"), "--quiet"]) == 0
    _assert_same_results(tmp_path / "whole", out)
    # resuming a finished run, or a run that never had a checkpoint, says so
    assert main(["resume", str(out)]) == 2
    assert "nothing to resume" in capsys.readouterr().err
    assert main(["resume", str(tmp_path / "never")]) == 2
    assert "no checkpoint" in capsys.readouterr().err


def test_checkpoint_options_are_checked(tiny, tmp_path, capsys):
    assert main(["run", str(tiny), "--checkpoint-every", "5"]) == 2
    assert "needs --out" in capsys.readouterr().err
    assert main(["run", str(tiny), "--checkpoint-every", "0", "--out",
                 str(tmp_path / "x")]) == 2
    assert "--checkpoint-every" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
