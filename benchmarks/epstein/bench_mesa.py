"""Benchmark scsim's Epstein mode against Mesa 3.3.1's own example: speed and statistics.

Run from the repository root with scsim importable and scipy installed, e.g.

    PYTHONPATH=src python benchmarks/epstein/bench_mesa.py

It makes a virtualenv with mesa==3.3.1 under benchmarks/.venv-mesa (git-ignored; Mesa is not a
dependency of scsim), runs Mesa's model there through mesa_worker.py and scsim's in this
process, at the same parameters, then writes:
  - benchmarks/epstein/results.json (all figures),
  - the results section of benchmarks/epstein/README.md (between the marker lines),
  - tests/data/mesa_epstein_reference.csv (Mesa at default parameters, 40x40, 100 steps).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

from scsim.epstein import EpsteinParams, run_epstein

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MESA_VERSION = "3.3.1"
# (side, steps, Mesa seeds): Mesa does ~3e4 agent-steps/s, so big grids get few steps.
SIZES = [(40, 100, 30), (100, 50, 10), (200, 20, 10)]
QUICK_SIZES = [(40, 20, 3), (100, 5, 2)]
LONG = [(40, 1000, 3), (200, 500, 3)]  # scsim alone: steady state, past the first steps
SCSIM_SEEDS = 100  # scsim is cheap: more runs give the two-sample tests more power
MESA_CACHE = ROOT / "benchmarks" / ".mesa-epstein-runs.json"  # git-ignored
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def ensure_venv(venv: Path) -> Path:
    """Python of a virtualenv holding mesa==MESA_VERSION, made on first use."""
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    check = f"import mesa, sys; sys.exit(mesa.__version__ != {MESA_VERSION!r})"
    probe = [str(py), "-c", check]
    if py.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return py
    print(f"creating {venv} with mesa=={MESA_VERSION}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # mesa.examples imports every example on import; two of them need networkx.
    pip = [str(py), "-m", "pip", "install", "-q", f"mesa=={MESA_VERSION}", "networkx"]
    subprocess.run(pip, check=True)
    subprocess.run(probe, check=True)
    return py


def run_mesa(py: Path, p: EpsteinParams, steps: int, seeds: list[int]) -> list[dict]:
    cmd = [str(py), str(HERE / "mesa_worker.py")]
    for opt, val in [
        ("width", p.width), ("height", p.height), ("vision", p.vision),
        ("max-jail", p.max_jail), ("steps", steps), ("citizen-density", p.citizen_density),
        ("cop-density", p.cop_density), ("legitimacy", p.legitimacy),
        ("threshold", p.threshold), ("arrest-constant", p.arrest_constant),
    ]:  # fmt: skip
        cmd += [f"--{opt}", str(val)]
    cmd += ["--seeds", *map(str, seeds)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def run_scsim(p: EpsteinParams, steps: int, seeds: list[int]) -> list[dict]:
    run_epstein(p, 2, seed=0)  # compile (or load the cache) outside the timings
    runs = []
    for seed in seeds:
        t0, c0 = time.perf_counter(), time.process_time()
        res = run_epstein(p, steps, seed=seed)
        # Set-up included: conservative for scsim.
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
        rows = [[int(r["step"]), int(r["active"]), int(r["quiet"]), int(r["jailed"])] for r in res]
        runs.append({"seed": seed, "seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows})
    return runs


def n_agents_scsim(p: EpsteinParams, seed: int) -> int:
    from scsim.epstein import EpsteinSim

    return EpsteinSim(p, seed).n_agents


def traj(runs: list[dict]) -> np.ndarray:
    """(runs, steps + 1, 3) array of active, quiet, jailed."""
    return np.array([[r[1:] for r in run["rows"]] for run in runs], dtype=float)


def summaries(t: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "mean_active": t[:, 1:, 0].mean(axis=1),
        "peak_active": t[:, 1:, 0].max(axis=1),
        "mean_jailed": t[:, 1:, 2].mean(axis=1),
        "final_jailed": t[:, -1, 2],
    }


def compare(mesa: list[dict], ours: list[dict]) -> dict:
    tm, ts = traj(mesa), traj(ours)
    out: dict = {"summaries": {}}
    sm, ss = summaries(tm), summaries(ts)
    for key in sm:
        a, b = sm[key], ss[key]
        same = np.ptp(np.concatenate([a, b])) == 0
        out["summaries"][key] = {
            "mesa_mean": float(a.mean()),
            "mesa_sd": float(a.std(ddof=1)),
            "scsim_mean": float(b.mean()),
            "scsim_sd": float(b.std(ddof=1)),
            "ks_p": 1.0 if same else float(stats.ks_2samp(a, b).pvalue),
            "mw_p": 1.0 if same else float(stats.mannwhitneyu(a, b).pvalue),
        }
    steps = tm.shape[1] - 1
    marks = sorted({1, 2, 5, 10, steps // 4, steps // 2, steps})
    out["per_step"] = [
        {
            "step": s,
            **{
                f"{who}_{what}_{stat}": float(f(t[:, s, col]))
                for who, t in (("mesa", tm), ("scsim", ts))
                for what, col in (("active", 0), ("jailed", 2))
                for stat, f in (("mean", np.mean), ("sd", lambda v: np.std(v, ddof=1)))
            },
        }
        for s in marks
        if 1 <= s <= steps
    ]
    return out


def speed(runs: list[dict], n_agents: list[int], steps: int, clock: str) -> dict:
    """Agent-steps per second over runs, by wall clock ("seconds") or CPU ("cpu_seconds")."""
    rates = np.array([n * steps / r[clock] for r, n in zip(runs, n_agents, strict=True)])
    return {"median": float(np.median(rates)), "min": float(rates.min()), "max": float(rates.max())}


def write_reference(mesa: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp-bench")
    with tmp.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["step", "seed", "active", "quiet", "jailed"])
        for run in mesa:
            for step, active, quiet, jailed in run["rows"]:
                w.writerow([step, run["seed"], active, quiet, jailed])
    tmp.replace(path)


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(
            (ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if "Model name" in ln), "?"
        )
    except OSError:
        model = platform.processor() or "?"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def fmt_rate(x: float) -> str:
    return f"{x:.3g}"


def render(res: dict) -> str:
    lines = [
        f"Machine: {res['machine']}. Mesa {res['mesa_version']}, NUMBA_NUM_THREADS="
        f"{res['numba_threads']}. Generated by `bench_mesa.py` on {res['date']}. "
        f"5-minute load average {res['load_start']:.1f} at the start, "
        f"{res.get('load_end', float('nan')):.1f} at the end (2 cores: other jobs shared them)."
        + (" Mesa's runs come from an earlier run (`--reuse-mesa`)." if res["mesa_reused"] else ""),
        "",
        "### Speed (agent-steps/s, median over runs; min-max in brackets)",
        "",
        "By process CPU time, which time-sharing of the cores does not inflate; wall-clock",
        "medians in the last two columns.",
        "",
        "| grid | steps | Mesa runs | Mesa | scsim runs | scsim | ratio | Mesa wall | scsim wall |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in res["sizes"]:
        m, s = r["mesa_speed"], r["scsim_speed"]
        mw, sw = r["mesa_speed_wall"], r["scsim_speed_wall"]
        lines.append(
            f"| {r['side']}x{r['side']} | {r['steps']} | {r['mesa_runs']} | "
            f"{fmt_rate(m['median'])} ({fmt_rate(m['min'])}-{fmt_rate(m['max'])}) | "
            f"{r['scsim_runs']} | {fmt_rate(s['median'])} "
            f"({fmt_rate(s['min'])}-{fmt_rate(s['max'])}) | {s['median'] / m['median']:.0f}x | "
            f"{fmt_rate(mw['median'])} | {fmt_rate(sw['median'])} |"
        )
    if res.get("scsim_long"):
        lines += ["", "scsim alone, longer runs (CPU time):", ""]
        lines += ["| grid | steps | runs | scsim |", "|---|---|---|---|"]
        for r in res["scsim_long"]:
            sp = r["speed"]
            lines.append(
                f"| {r['side']}x{r['side']} | {r['steps']} | {r['runs']} | "
                f"{fmt_rate(sp['median'])} ({fmt_rate(sp['min'])}-{fmt_rate(sp['max'])}) |"
            )
    lines += [
        "",
        "### Statistics of the runs (mean ± sd over runs; two-sample KS and Mann-Whitney p)",
        "",
    ]
    for r in res["sizes"]:
        lines += [
            f"**{r['side']}x{r['side']}, {r['steps']} steps** "
            f"({r['mesa_runs']} Mesa runs, {r['scsim_runs']} scsim runs)",
            "",
            "| statistic | Mesa | scsim | KS p | MW p |",
            "|---|---|---|---|---|",
        ]
        for key, v in r["compare"]["summaries"].items():
            lines.append(
                f"| {key} | {v['mesa_mean']:.2f} ± {v['mesa_sd']:.2f} | "
                f"{v['scsim_mean']:.2f} ± {v['scsim_sd']:.2f} | {v['ks_p']:.3f} | {v['mw_p']:.3f} |"
            )
        lines += [
            "",
            "| step | active Mesa | active scsim | jailed Mesa | jailed scsim |",
            "|---|---|---|---|---|",
        ]
        for ps in r["compare"]["per_step"]:
            lines.append(
                f"| {ps['step']} | {ps['mesa_active_mean']:.1f} ± {ps['mesa_active_sd']:.1f} | "
                f"{ps['scsim_active_mean']:.1f} ± {ps['scsim_active_sd']:.1f} | "
                f"{ps['mesa_jailed_mean']:.1f} ± {ps['mesa_jailed_sd']:.1f} | "
                f"{ps['scsim_jailed_mean']:.1f} ± {ps['scsim_jailed_sd']:.1f} |"
            )
        lines.append("")
    return "\n".join(lines)


def update_readme(path: Path, body: str) -> None:
    text = path.read_text() if path.exists() else f"{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", type=Path, default=ROOT / "benchmarks" / ".venv-mesa")
    ap.add_argument("--quick", action="store_true", help="tiny run to check the script works")
    ap.add_argument("--scsim-seeds", type=int, default=SCSIM_SEEDS)
    ap.add_argument(
        "--reuse-mesa",
        action="store_true",
        help=f"reuse Mesa's runs saved in {MESA_CACHE.name} by an earlier run (rerun scsim only)",
    )
    args = ap.parse_args()
    cache = json.loads(MESA_CACHE.read_text()) if args.reuse_mesa else {}

    py = ensure_venv(args.venv)
    base = EpsteinParams()
    res: dict = {
        "machine": machine(),
        "mesa_version": MESA_VERSION,
        "numba_threads": os.environ.get("NUMBA_NUM_THREADS", "default"),
        "date": time.strftime("%Y-%m-%d"),
        "load_start": os.getloadavg()[1],
        "mesa_reused": bool(args.reuse_mesa),
        "sizes": [],
    }
    for side, steps, n_mesa in QUICK_SIZES if args.quick else SIZES:
        p = EpsteinParams(**{**base.__dict__, "width": side, "height": side})
        print(f"{side}x{side}: Mesa {n_mesa} runs of {steps} steps...", file=sys.stderr)
        key = f"{side}x{steps}x{n_mesa}"
        if key in cache:
            mesa = cache[key]
        else:
            mesa = cache[key] = run_mesa(py, p, steps, list(range(n_mesa)))
        print(f"{side}x{side}: scsim {args.scsim_seeds} runs...", file=sys.stderr)
        seeds = list(range(10_000, 10_000 + args.scsim_seeds))
        ours = run_scsim(p, steps, seeds)
        ours_n = [n_agents_scsim(p, s) for s in seeds]
        if side == 40 and steps == 100 and not args.quick:  # the reference for the tests
            write_reference(mesa, ROOT / "tests" / "data" / "mesa_epstein_reference.csv")
        res["sizes"].append(
            {
                "side": side,
                "steps": steps,
                "mesa_runs": len(mesa),
                "scsim_runs": len(ours),
                "mesa_speed": speed(mesa, [m["n_agents"] for m in mesa], steps, "cpu_seconds"),
                "scsim_speed": speed(ours, ours_n, steps, "cpu_seconds"),
                "mesa_speed_wall": speed(mesa, [m["n_agents"] for m in mesa], steps, "seconds"),
                "scsim_speed_wall": speed(ours, ours_n, steps, "seconds"),
                "compare": compare(mesa, ours),
            }
        )
        print(render({**res, "sizes": res["sizes"][-1:]}), file=sys.stderr)
    if not args.quick:
        MESA_CACHE.write_text(json.dumps(cache) + "\n")
    if not args.quick:
        res["scsim_long"] = []
        for side, steps, n in LONG:
            p = EpsteinParams(**{**base.__dict__, "width": side, "height": side})
            seeds = list(range(20_000, 20_000 + n))
            runs = run_scsim(p, steps, seeds)
            n_agents = [n_agents_scsim(p, s) for s in seeds]
            res["scsim_long"].append(
                {"side": side, "steps": steps, "runs": n,
                 "speed": speed(runs, n_agents, steps, "cpu_seconds")}  # fmt: skip
            )
    res["load_end"] = os.getloadavg()[1]
    name = "results-quick.json" if args.quick else "results.json"
    (HERE / name).write_text(json.dumps(res, indent=1) + "\n")
    if not args.quick:
        update_readme(HERE / "README.md", render(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
