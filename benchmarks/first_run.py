"""The first run on a fresh install: wall time with an empty Numba cache, with and without
the helper that compiles ahead (src/scsim/engine/compile_ahead.py), and a second run after.

    python benchmarks/first_run.py --scenario points-city
    python benchmarks/first_run.py --scenario reference --individuals 50000 --days 60

Each measurement runs `scsim run` in a fresh process with an empty cache folder of its own
(NUMBA_CACHE_DIR), so nothing compiled before counts; the pairs alternate, off first.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time


def timed_run(argv: list[str], cache: str, ahead: bool) -> float:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache, "SCSIM_COMPILE_AHEAD": "1" if ahead else "0"}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scsim", *argv], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", default="points-city")
    p.add_argument("--individuals", type=int)
    p.add_argument("--days", type=int)
    p.add_argument("--pairs", type=int, default=1, help="pairs of cold runs (off, on)")
    args = p.parse_args()
    argv = ["run", args.scenario, "--quiet"]
    if args.individuals:
        argv += ["--individuals", str(args.individuals)]
    if args.days:
        argv += ["--days", str(args.days)]
    print(f"scsim {' '.join(argv)}")
    for _ in range(args.pairs):
        for ahead in (False, True):
            with tempfile.TemporaryDirectory() as cache:
                first = timed_run(argv, cache, ahead)
                second = timed_run(argv, cache, ahead)
            label = "compile ahead" if ahead else "one core     "
            print(f"{label}  first run {first:6.1f} s   second run {second:5.1f} s")


if __name__ == "__main__":
    main()
