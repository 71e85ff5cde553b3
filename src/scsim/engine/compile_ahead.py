"""Compiling the kernels on a second core while a first run compiles them on the first.

A fresh install has no compiled kernels: Numba compiles each on its first call and caches
it, one at a time, on one core (points-city's first run spent 23 of its 26 s compiling 56
kernels; the same run, cached, takes 3 s). The kernels a run needs, with their argument
types, are known in advance (`kernel_signatures.json`, recorded from every preset by
`python -m scsim.engine.record_kernels`). So `scsim run`, `bench`, `sweep` and
`calibrate`, when the cache is cold, start one helper process that compiles the scenario's
list into Numba's cache from its far end, at low priority, while the run compiles from the
near end; each kernel the run then meets is loaded from the cache instead of compiled. The
helper is stopped when the command ends; when it finishes the list it leaves a marker, and
later commands on that scenario start none.

Compiling changes no result: the same functions, the same options, the same cache Numba
keeps. `SCSIM_COMPILE_AHEAD=0` turns the helper off.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).with_name("kernel_signatures.json")
_STALE_LOCK_S = 900  # a helper's lock older than this was left by a killed process


# -- argument types as JSON ---------------------------------------------------------------
def encode(t: Any) -> list:
    """A Numba argument type as a JSON list (arrays, scalars and tuples: what kernels take)."""
    from numba.core import types

    if isinstance(t, types.Array):
        return ["array", str(t.dtype), t.ndim, t.layout, not t.mutable]
    if isinstance(t, types.BaseTuple):
        return ["tuple", [encode(x) for x in t.types]]
    return ["scalar", str(t)]


def decode(e: list) -> Any:
    from numba.core import types

    def scalar(name: str) -> Any:
        return types.boolean if name == "bool" else getattr(types, name)

    if e[0] == "array":
        return types.Array(scalar(e[1]), e[2], e[3], readonly=e[4])
    if e[0] == "tuple":
        return types.BaseTuple.from_types([decode(x) for x in e[1]])
    return scalar(e[1])


def _dispatcher(module: str, name: str) -> Any:
    from scsim.engine.serial_twin import SerialTwin

    obj = getattr(importlib.import_module(module), name)
    return obj.dispatcher() if isinstance(obj, SerialTwin) else obj


# -- the helper ----------------------------------------------------------------------------
def load_manifest(path: Path = MANIFEST) -> dict:
    return json.loads(Path(path).read_text())


def workload_of(manifest: dict, scenario: str) -> str:
    """The list a scenario compiles: a preset's own, "all" (every entry: for the tests),
    else the reference's (a scenario file: the reference has every mechanism)."""
    return scenario if scenario == "all" or scenario in manifest["workloads"] else "reference"


def plan(manifest: dict, workload: str) -> list[int]:
    """Entries in the order the helper compiles them: the workload's own from its last
    first use back to its first (the run meets them from the other end)."""
    if workload == "all":
        return list(range(len(manifest["entries"])))[::-1]
    return manifest["workloads"][workload_of(manifest, workload)][::-1]


def compile_entries(manifest: dict, order: list[int], stop: Any = None) -> int | None:
    """Compile (or load from the cache) each entry in order; returns how many it compiled
    or loaded, or None when `stop` (a threading.Event) was set before the end. An entry
    whose kernel or types changed since the list was recorded is skipped: the run compiles
    what it needs itself."""
    done = 0
    for i in order:
        if stop is not None and stop.is_set():
            return None
        module, name, args = manifest["entries"][i]
        try:
            _dispatcher(module, name).compile(tuple(decode(a) for a in args))
            done += 1
        except Exception:  # noqa: BLE001 - a stale entry costs only its own compile
            continue
    return done


def _key(manifest_text: str) -> str:
    """Changes whenever the cache Numba keeps would: scsim's sources (Numba stamps each
    kernel with its file's time and size), the list, Numba, Python and the CPU."""
    import llvmlite.binding
    import numba

    import scsim

    h = hashlib.sha256(manifest_text.encode())
    h.update(f"{scsim.__version__} {numba.__version__} {sys.version}".encode())
    h.update(llvmlite.binding.get_host_cpu_name().encode())
    root = Path(scsim.__file__).parent
    for path in sorted(root.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(root)} {st.st_mtime_ns} {st.st_size}".encode())
    return h.hexdigest()[:16]


def _marker_dir() -> Path:
    """Where Numba caches the kernels of scsim.engine (its __pycache__, NUMBA_CACHE_DIR's
    mirror of it, or the user's cache directory when the package's is not writable)."""
    from scsim.engine.plain_loops import copy_run

    return Path(copy_run.stats.cache_path)


def start(scenario: str) -> subprocess.Popen | None:
    """Start the helper on the kernels `scenario` (a preset's name or a file) needs, unless
    turned off, done already for this code, or at work for another command. It is stopped
    when this process exits."""
    if os.environ.get("SCSIM_COMPILE_AHEAD", "1") == "0" or not MANIFEST.is_file():
        return None
    try:
        text = MANIFEST.read_text()
        key = _key(text)
        workload = workload_of(json.loads(text), scenario)
        folder = _marker_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / f"compile-ahead-{key}-{workload}.done").exists():
            return None
        lock = folder / f"compile-ahead-{key}.lock"
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            if time.time() - lock.stat().st_mtime < _STALE_LOCK_S:
                return None  # another command's helper is at work
            lock.touch()
    except (OSError, AttributeError, KeyError, ValueError):
        return None  # a read-only install, another Numba: the run compiles alone, as before
    import scsim

    # The helper imports this scsim (not another on its path) and compiles on one thread.
    path = os.pathsep.join(p for p in (str(Path(scsim.__file__).parents[1]),
                                       os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "PYTHONPATH": path}
    proc = subprocess.Popen(
        [sys.executable, "-m", "scsim.engine.compile_ahead", "--workload", workload,
         "--key", key, "--folder", str(folder), "--manifest", str(MANIFEST)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    atexit.register(_stop, proc, lock)
    return proc


def _stop(proc: subprocess.Popen, lock: Path) -> None:
    """Ask the helper to stop after the kernel it is compiling (killed in the middle, it
    would leave Numba's temporary file behind); the command does not wait for it."""
    if proc.poll() is None:
        proc.terminate()
    lock.unlink(missing_ok=True)


def _helper(workload: str, key: str, folder: str, manifest_path: str) -> None:
    import signal
    import threading

    os.nice(10)  # the run's own work first
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    manifest = load_manifest(Path(manifest_path))
    if compile_entries(manifest, plan(manifest, workload), stop) is None:
        return
    folder = Path(folder)
    (folder / f"compile-ahead-{key}-{workload}.done").touch()
    (folder / f"compile-ahead-{key}.lock").unlink(missing_ok=True)
    for old in folder.glob("compile-ahead-*.done"):  # markers of code since changed
        if not old.name.startswith(f"compile-ahead-{key}-"):
            old.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    """The helper's process (started by `start`)."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m scsim.engine.compile_ahead")
    p.add_argument("--workload", default="reference")
    p.add_argument("--key", required=True)
    p.add_argument("--folder", required=True)
    p.add_argument("--manifest", default=str(MANIFEST))
    args = p.parse_args(argv)
    _helper(args.workload, args.key, args.folder, args.manifest)


if __name__ == "__main__":
    main()
