"""Recording the list of kernels that `compile_ahead` compiles (kernel_signatures.json).

    python -m scsim.engine.record_kernels

runs every preset (and Epstein's mode), each in a process of its own with an empty Numba
cache so that it compiles all it needs, and lists the kernels each compiles at the top level
(not those compiled inside another) with their argument types, in the order the run meets
them. About 6 minutes; run it again after changing a kernel's arguments or adding one (an
entry left stale only costs the run its own compile).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scsim.engine.compile_ahead import MANIFEST, encode


def _record_workloads() -> dict[str, list[list[str]]]:
    """Each preset at its own size for 60 days (the first days compile most, later ones
    the kernels of lists, restorations and requests), the reference also at 1e6 entities
    (batches large enough for the parallel kernels), and Epstein's mode."""
    from scsim.scenario.load import preset_names

    out = {name: [["run", name, "--days", "60", "--quiet"]] for name in preset_names()}
    out["reference"].append(["run", "reference", "--individuals", "1000000", "--days", "40",
                             "--quiet"])
    csv = os.path.join(tempfile.gettempdir(), f"scsim-record-epstein-{os.getpid()}.csv")
    out["epstein"] = [["epstein", "--steps", "50", "--out", csv]]
    return out


def _record_one(name: str) -> list:
    """The kernels workload `name` compiles at the top level (not those compiled inside
    another), in order of first use: run in a process of its own with an empty cache, so
    that it compiles all it needs."""
    from numba.core import event

    from scsim.cli import main

    entries: list = []
    depth = [0]

    class Listener(event.Listener):
        def on_start(self, ev: event.Event) -> None:
            if depth[0] == 0:
                f = ev.data["dispatcher"].py_func
                entry = [f.__module__, f.__qualname__, [encode(t) for t in ev.data["args"]]]
                if entry not in entries:
                    entries.append(entry)
            depth[0] += 1

        def on_end(self, ev: event.Event) -> None:
            depth[0] -= 1

    event.register("numba:compile", Listener())
    for argv in _record_workloads()[name]:
        main(argv)
        if argv[0] == "epstein":
            Path(argv[-1]).unlink(missing_ok=True)
    return entries


def record() -> dict:
    """Every workload's kernels, each recorded in a child process with an empty cache."""
    entries: list = []
    workloads: dict[str, list[int]] = {}
    for name in _record_workloads():
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache, "SCSIM_COMPILE_AHEAD": "0"}
            out = subprocess.run([sys.executable, "-m", "scsim.engine.record_kernels",
                                  "--one", name], env=env, check=True,
                                 capture_output=True, text=True).stdout
        own = []
        for entry in json.loads(out.splitlines()[-1]):
            if entry not in entries:
                entries.append(entry)
            own.append(entries.index(entry))
        workloads[name] = own
        print(f"{name}: {len(own)} kernels", file=sys.stderr)
    return {"entries": entries, "workloads": workloads}


def main(argv: list[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m scsim.engine.record_kernels",
                                description="record the kernels every preset compiles into "
                                            "kernel_signatures.json")
    p.add_argument("--one", metavar="WORKLOAD", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(_record_one(args.one)))
        return
    MANIFEST.write_text(json.dumps(record(), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
