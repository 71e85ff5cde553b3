"""The helper that compiles kernels on a second core while a first run compiles them
(engine/compile_ahead.py): its list, its order, what it leaves in Numba's cache, and when
commands start it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scsim.engine import compile_ahead

SRC = str(Path(__file__).resolve().parents[1] / "src")


def test_the_recorded_list_names_kernels_that_exist_with_types_that_decode():
    """Each entry is a kernel (or a serial twin) of scsim with argument types Numba reads
    back as written; every preset has its list, each a run's distinct kernels."""
    from numba.core.dispatcher import Dispatcher

    from scsim.engine.serial_twin import SerialTwin
    from scsim.scenario.load import preset_names

    manifest = compile_ahead.load_manifest()
    entries = manifest["entries"]
    assert len(entries) > 100
    for module, name, args in entries:
        obj = getattr(__import__(module, fromlist=[name]), name)
        assert isinstance(obj, (Dispatcher, SerialTwin)), (module, name)
        assert [compile_ahead.encode(compile_ahead.decode(a)) for a in args] == args
    assert set(preset_names()) <= set(manifest["workloads"])
    for own in manifest["workloads"].values():
        assert len(set(own)) == len(own) > 0 and max(own) < len(entries)


def test_the_plan_takes_the_scenarios_kernels_from_the_last_it_meets():
    manifest = {"entries": [None] * 6, "workloads": {"reference": [4, 0, 2], "a": [1, 3]}}
    assert compile_ahead.plan(manifest, "a") == [3, 1]
    # A scenario file, not a preset: the reference's list (every mechanism).
    assert compile_ahead.workload_of(manifest, "my.toml") == "reference"
    assert compile_ahead.plan(manifest, "my.toml") == [2, 0, 4]
    assert compile_ahead.plan(manifest, "all") == [5, 4, 3, 2, 1, 0]


def _python(code: str, cache: Path) -> str:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": SRC,
           "SCSIM_COMPILE_AHEAD": "0"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_what_the_helper_compiles_a_later_process_loads_from_the_cache(tmp_path):
    """Two entries (a kernel and a serial twin) compiled by `compile_entries` in one process
    are loaded, not compiled, by the next process that calls them with those types; a stale
    entry (a kernel that no longer exists) is skipped."""
    entry = ["scsim.engine.plain_loops", "bisect_left",
             [["array", "int64", 1, "C", False], ["scalar", "int64"], ["scalar", "int64"],
              ["scalar", "int64"]]]
    twin_args = ["scsim.engine.rows", "_bits_of_serial",
                 [["array", "uint64", 1, "C", False], ["array", "int64", 1, "C", False]]]
    manifest = {"entries": [entry, twin_args, ["scsim.engine.rows", "_gone", []]],
                "workloads": {"reference": [0, 1, 2]}}
    path = tmp_path / "list.json"
    path.write_text(json.dumps(manifest))
    cache = tmp_path / "cache"
    done = _python("from scsim.engine import compile_ahead as c\n"
                   f"m = c.load_manifest({str(path)!r})\n"
                   "print(c.compile_entries(m, c.plan(m, 'reference')))", cache)
    assert done.strip() == "2"
    out = _python("import numpy as np, json\n"
                  "from scsim.engine.plain_loops import bisect_left\n"
                  "from scsim.engine.rows import bits_of\n"
                  "assert bisect_left(np.arange(5), np.int64(3), 0, 5) == 3\n"
                  "assert list(bits_of(np.array([5], np.uint64), np.array([0, 1]))) == "
                  "[True, False]\n"
                  "from scsim.engine.rows import _bits_of_serial\n"
                  "d = _bits_of_serial.dispatcher()\n"
                  "print(json.dumps([sum(bisect_left.stats.cache_hits.values()),"
                  " sum(bisect_left.stats.cache_misses.values()),"
                  " sum(d.stats.cache_hits.values()), sum(d.stats.cache_misses.values())]))",
                  cache)
    assert json.loads(out) == [1, 0, 1, 0]


def test_start_is_off_when_asked_done_or_already_running(tmp_path, monkeypatch):
    monkeypatch.setattr(compile_ahead, "_marker_dir", lambda: tmp_path)
    key = compile_ahead._key(compile_ahead.MANIFEST.read_text())
    monkeypatch.setenv("SCSIM_COMPILE_AHEAD", "0")
    assert compile_ahead.start("reference") is None
    monkeypatch.setenv("SCSIM_COMPILE_AHEAD", "1")
    (tmp_path / f"compile-ahead-{key}-reference.done").touch()
    assert compile_ahead.start("reference") is None
    assert compile_ahead.start("my-scenario.toml") is None  # the reference's list, done
    (tmp_path / f"compile-ahead-{key}-reference.done").unlink()
    (tmp_path / f"compile-ahead-{key}.lock").touch()  # another command's helper
    assert compile_ahead.start("reference") is None
    assert not list(tmp_path.glob("*.done"))


def test_a_started_helper_compiles_its_list_and_leaves_the_marker(tmp_path, monkeypatch):
    """start() with a cold cache runs the helper in its own process; it marks the list done,
    frees the lock and drops older code's markers, and the next start() finds the marker and
    starts none."""
    manifest = {"entries": [["scsim.engine.plain_loops", "bisect_right",
                             [["array", "int64", 1, "C", False], ["scalar", "int64"],
                              ["scalar", "int64"], ["scalar", "int64"]]]],
                "workloads": {"reference": [0]}}
    path = tmp_path / "list.json"
    path.write_text(json.dumps(manifest))
    monkeypatch.setattr(compile_ahead, "MANIFEST", path)
    monkeypatch.setattr(compile_ahead, "_marker_dir", lambda: tmp_path)
    monkeypatch.setenv("SCSIM_COMPILE_AHEAD", "1")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))
    stale = tmp_path / "compile-ahead-0123456789abcdef-reference.done"  # older code's
    stale.touch()
    proc = compile_ahead.start("points-city")  # not in this list: the reference's
    assert proc is not None
    assert proc.wait(timeout=120) == 0
    key = compile_ahead._key(path.read_text())
    assert (tmp_path / f"compile-ahead-{key}-reference.done").exists()
    assert not (tmp_path / f"compile-ahead-{key}.lock").exists()
    assert not stale.exists()
    assert compile_ahead.start("points-city") is None


@pytest.mark.parametrize("argv", [["run", "nosuch"], ["run", "points-city", "--days", "-1"],
                                  ["bench", "--scenario", "nosuch", "--entities", "10"]])
def test_bad_input_starts_no_helper(argv, monkeypatch):
    """The helper starts only once the input is valid: a command that exits 2 leaves no
    process behind."""
    from scsim.cli import main

    started = []
    monkeypatch.setattr(compile_ahead, "start", lambda w: started.append(w))
    assert main(argv) == 2
    assert started == []


def test_recording_merges_each_workloads_kernels_into_one_list(monkeypatch):
    """record_kernels runs each workload in its own process and merges their lists: a kernel
    two workloads compile is one entry, and each workload keeps its own order of first use.
    Every preset and Epstein's mode are recorded."""
    from types import SimpleNamespace

    from scsim.engine import record_kernels
    from scsim.scenario.load import preset_names

    assert set(record_kernels._record_workloads()) == {*preset_names(), "epstein"}
    a, b, c = (["m", name, [["scalar", "int64"]]] for name in "abc")
    outputs = {"first": [a, b], "second": [c, a]}
    monkeypatch.setattr(record_kernels, "_record_workloads", lambda: dict.fromkeys(outputs))
    monkeypatch.setattr(record_kernels.subprocess, "run", lambda argv, **kw: SimpleNamespace(
        stdout="a line the run printed\n" + json.dumps(outputs[argv[-1]]) + "\n"))
    got = record_kernels.record()
    assert got == {"entries": [a, b, c], "workloads": {"first": [0, 1], "second": [2, 0]}}
