"""Engine benchmark: the reference scenario at several sizes, one fresh process each.

    python benchmarks/bench_engine.py 1e6 1e7 --days 365 --out benchmarks/results-engine.json

Each size runs in its own process so that peak memory (ru_maxrss) belongs to that size
alone. Prints one line per size and writes the JSON records if --out is given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="+", type=float, help="entities, e.g. 1e6 1e7 1e8")
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--scenario", default="reference",
                   help="preset or TOML (default: reference, every mechanism on)")
    p.add_argument("--cold", action="store_true",
                   help="no warm-up run: include compiling the kernels Numba's cache lacks")
    p.add_argument("--out", help="write the results as JSON here")
    args = p.parse_args()
    rows = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, "-m", "scsim", "bench", "--entities", str(n),
                               "--days", str(args.days), "--scenario", args.scenario, "--json",
                               *(["--cold"] if args.cold else [])],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{n:.0e}: failed\n{proc.stderr}", file=sys.stderr)
            continue
        row = json.loads(proc.stdout)
        rows.append(row)
        print(f"{row['entities']:>12,} entities  {row['days']} days  {row['wall_seconds']:8.2f} s"
              f"  {row['agent_days_per_second']:.3g} agent-days/s"
              f"  {row['peak_rss_bytes'] / 2**30:6.2f} GiB"
              f"  {row['bytes_per_entity']:6.1f} B/entity")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
