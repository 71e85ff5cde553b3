"""Time and memory of one run of the reference scenario.

The reference scenario is the `reference` preset: points-city with every mechanism that has
landed switched on (face identification, online monitoring, name-matched registries, the
platform, the society layer, a company rating with inspections and unequal enforcement),
scaled to a number of entities. `--scenario points-city` measures the plain scheme. Peak
memory is the process's peak resident set size (ru_maxrss) after the run, less the resident
size before the population was built, so it counts what the run itself holds: state,
tallies, calendar, results.

Numba compiles each kernel the first time a process calls it and keeps the machine code in
its on-disk cache; a later run loads it. A first run on a fresh install spends about 25 s
(2-core VM) compiling. So that the timed run measures the engine, not the compiler, a
warm-up goes first (its time is reported apart; `warmup=False` or `scsim bench --cold` skips
it): the scenario at up to WARMUP_ENTITIES entities for up to WARMUP_DAYS days, in a child
process, so that the kernels used only past a size (parallel gathers, radix sorts) or only
after the first records land (scores, lists, appeals) are compiled too without the child's
memory counting in this process's peak; then the same at SMALL_ENTITIES for SMALL_DAYS days
in this process, which loads the common kernels from the cache. A warm-up of 5,000 entities
for 3 days alone left 27 kernels to compile inside a timed run at 1e7 (about 12 s); the child
also compiles the few kernels that only larger runs call (`_compile_size_gated`).
"""

from __future__ import annotations

import platform
import resource
import time
from dataclasses import asdict, dataclass

from scsim.scenario import load_scenario

REFERENCE = "reference"
WARMUP_ENTITIES = 1_000_000
WARMUP_DAYS = 60
SMALL_ENTITIES = 5_000
SMALL_DAYS = 3


@dataclass
class BenchResult:
    scenario: str
    entities: int
    days: int
    build_seconds: float
    run_seconds: float
    results_seconds: float
    wall_seconds: float
    agent_days_per_second: float
    peak_rss_bytes: int
    bytes_per_entity: float
    state_bytes_per_entity: float
    estimated_bytes: int
    machine: str
    warmup_seconds: float = 0.0  # the warm-up run before the timed one (0: none)

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> str:
        return "\n".join([
            f"scenario        {self.scenario}",
            f"entities        {self.entities:,}",
            f"days            {self.days}",
            f"wall            {self.wall_seconds:.2f} s (build {self.build_seconds:.2f}, days "
            f"{self.run_seconds:.2f}, results {self.results_seconds:.2f})",
            f"warm-up         {self.warmup_seconds:.2f} s before it (compiles kernels "
            "missing from Numba's cache)" if self.warmup_seconds else "warm-up         none",
            f"agent-days/s    {self.agent_days_per_second:.3g}",
            f"peak memory     {self.peak_rss_bytes / 2**20:,.0f} MiB "
            f"(estimate {self.estimated_bytes / 2**20:,.0f} MiB)",
            f"bytes/entity    {self.bytes_per_entity:.1f} at peak (run state and results), "
            f"{self.state_bytes_per_entity:.1f} held by the simulation's arrays",
            f"machine         {self.machine}",
        ])


def _rss_now() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def held_bytes(obj, seen: set[int] | None = None, depth: int = 0) -> int:
    """Bytes of every NumPy array reachable from `obj` (attributes, lists, dicts), once each:
    the simulation's state, population, network, calendar and tallies."""
    import numpy as np

    seen = set() if seen is None else seen
    if id(obj) in seen or depth > 8:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        base = obj.base if obj.base is not None else obj
        if id(base) in seen and base is not obj:
            return 0
        seen.add(id(base))
        return int(base.nbytes) if isinstance(base, np.ndarray) else int(obj.nbytes)
    if isinstance(obj, dict):
        items = list(obj.values())
    elif isinstance(obj, (list, tuple, set)):
        items = list(obj)
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("scsim"):
        items = list(vars(obj).values())
    else:
        return 0
    return sum(held_bytes(x, seen, depth + 1) for x in items)


def machine() -> str:
    import os

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _run_small(scenario: str, entities: float, days: int, seed: int) -> None:
    """The scenario at about `entities` entities for `days` days, results included."""
    from scsim.results.build import build_results
    from scsim.sim import Sim

    base = load_scenario(scenario).model.population
    total = base.individuals + base.companies + base.governments + base.organizations
    sim = Sim(scenario, days=days, seed=seed, scale=entities / total, sets=None)
    sim.build()
    for day in range(sim.days):
        sim.step_day(day)
    build_results(sim, wall_seconds=0.0)


def _compile_size_gated() -> None:
    """Kernels a run calls only past sizes the warm-up does not reach: counts of many ids
    by cell, and the name index (used when names are fewer than half the population)."""
    import numpy as np

    from scsim.engine.kernels import PARALLEL_FROM, add_cells
    from scsim.scenario.schema import Names
    from scsim.surveillance.names import NameIndex

    add_cells(np.zeros(4), np.zeros(PARALLEL_FROM, np.uint8), np.arange(PARALLEL_FROM))
    NameIndex(Names(), 1_000, np.uint64(1)).draw(np.arange(10), np.zeros(10))


def _warm_up(scenario: str, entities: int, days: int, seed: int) -> float:
    """Compile (or load) the kernels the timed run will call, before timing it."""
    import subprocess
    import sys

    t = time.perf_counter()
    size, length = min(WARMUP_ENTITIES, entities), min(WARMUP_DAYS, days)
    code = ("from scsim.bench.engine import _compile_size_gated, _run_small; "
            f"_run_small({scenario!r}, {size!r}, {length!r}, {seed!r}); "
            "_compile_size_gated()")
    subprocess.run([sys.executable, "-c", code], check=True)
    _run_small(scenario, min(SMALL_ENTITIES, entities), min(SMALL_DAYS, days), seed)
    return time.perf_counter() - t


def run_bench(entities: int, days: int = 365, seed: int = 0,
              scenario: str = REFERENCE, warmup: bool = True) -> BenchResult:
    """Run the reference scenario scaled so that it holds about `entities` entities."""
    from scsim.memory import estimate_bytes
    from scsim.results.build import build_results
    from scsim.sim import Sim

    base = load_scenario(scenario).model.population
    total = base.individuals + base.companies + base.governments + base.organizations
    warm = _warm_up(scenario, entities, days, seed) if warmup else 0.0
    sim = Sim(scenario, days=days, seed=seed, scale=entities / total, sets=None)
    rss0 = _rss_now()
    t0 = time.perf_counter()
    sim.build()
    t1 = time.perf_counter()
    for day in range(sim.days):
        sim.step_day(day)
    t2 = time.perf_counter()
    held = held_bytes(sim)
    build_results(sim, wall_seconds=t2 - t0)
    t3 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    n = sim.pop.n
    return BenchResult(
        scenario=scenario, entities=n, days=days, build_seconds=t1 - t0,
        run_seconds=t2 - t1, results_seconds=t3 - t2, wall_seconds=t3 - t0,
        agent_days_per_second=n * days / (t2 - t0), peak_rss_bytes=peak,
        bytes_per_entity=(peak - rss0) / max(n, 1), state_bytes_per_entity=held / max(n, 1),
        estimated_bytes=estimate_bytes(sim.sc),
        machine=machine(), warmup_seconds=warm)
