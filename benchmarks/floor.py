"""The machine's floor for the reference: how fast memory can be read here, and what the 10 s
target leaves a day.

    python benchmarks/floor.py                      # 1e7 entities, this machine's threads
    python benchmarks/floor.py --entities 1e7 --held 97.9 --build 6.0 --days-s 35.7

Measures, on all of Numba's threads:
- streaming read and copy bandwidth (GB/s) over arrays far larger than the caches;
- a gather of one float32 field of N entities at sorted ids of density d (the access of
  every per-act kernel: acts are drawn in ascending id order, engine/candidates.py), and
  at ids in random order, in ns per id and per pass;
then prints the floor a day: the time to read each entity's held state (--held bytes) once,
against the 10 s target's budget a day ((10 s - build) / 365) and the reference's own days
(--days-s, from `scsim bench`). Nothing here is scsim's code: it bounds what any engine that
keeps N entities' state in memory can do on this machine.
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np


@numba.njit(parallel=True, cache=True, fastmath=True)  # fastmath: the sum may vectorize
def _read(a):
    s = 0.0
    for i in numba.prange(a.size):
        s += a[i]
    return s


@numba.njit(parallel=True, cache=True)
def _copy(a, b):
    for i in numba.prange(a.size):
        b[i] = a[i]


@numba.njit(parallel=True, cache=True)
def _gather(field, ids, out):
    for i in numba.prange(ids.size):
        out[i] = field[ids[i]]


def _best(f, *args, repeat: int = 9) -> float:
    f(*args)  # compile and touch the pages
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        f(*args)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--entities", type=float, default=1e7)
    p.add_argument("--held", type=float, default=97.9, help="bytes held per entity")
    p.add_argument("--build", type=float, default=6.0, help="build seconds at this size")
    p.add_argument("--days-s", type=float, default=35.7, help="the reference's days, seconds")
    p.add_argument("--target", type=float, default=10.0, help="target wall seconds")
    a = p.parse_args()
    n = int(a.entities)
    rng = np.random.default_rng(0)
    print(f"threads {numba.get_num_threads()}, entities {n:,}")

    big = np.ones(1 << 28, np.float32)  # 1 GiB: 32x the last-level cache
    t = _best(_read, big)
    read_gbs = big.nbytes / t / 1e9
    out = np.empty_like(big)
    t = _best(_copy, big, out)
    copy_gbs = 2 * big.nbytes / t / 1e9
    del big, out
    print(f"stream read {read_gbs:5.1f} GB/s, copy (read + write) {copy_gbs:5.1f} GB/s")

    field = rng.random(n, dtype=np.float32)
    print(f"gather of one float32 field of {n:,} ({field.nbytes / 2**20:.0f} MiB):")
    print("  density   ids        sorted ns/id  ms a pass   random ns/id  ms a pass")
    for d in (0.01, 0.05, 0.2, 1.0):
        k = int(n * d)
        ids = np.sort(rng.integers(0, n, k))
        got = np.empty(k, np.float32)
        ts = _best(_gather, field, ids, got)
        rng.shuffle(ids)
        tr = _best(_gather, field, ids, got)
        print(f"  {d:7.2f} {k:11,} {ts / k * 1e9:12.2f} {ts * 1e3:10.2f}"
              f" {tr / k * 1e9:14.2f} {tr * 1e3:10.2f}")

    touch = n * a.held / (read_gbs * 1e9)
    budget = (a.target - a.build) / 365
    ref = a.days_s / 365
    print(f"\none read of the held state ({a.held:g} B x {n:,}): {touch * 1e3:.1f} ms")
    print(f"the {a.target:g} s target with a {a.build:g} s build leaves {budget * 1e3:.1f} ms a day"
          f" = {budget / touch:.2f} reads of the held state")
    print(f"the reference's days: {ref * 1e3:.1f} ms a day = {ref / touch:.1f} reads of it")


if __name__ == "__main__":
    main()
