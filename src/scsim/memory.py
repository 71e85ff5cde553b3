"""Before a run: estimate the memory it needs and refuse one that cannot fit.

The estimate counts the per-entity arrays (attributes, scores, lists, counters), the peak of
population generation (float64 temporaries), the calendar of scheduled record reversals and
the entity table written at the end. `scsim bench` reports the measured figure beside it.
"""

from __future__ import annotations

import os

from scsim.errors import ScsimInputError
from scsim.scenario.schema import ScenarioModel

BYTES_PER_ENTITY = 56  # arrays held per entity by points-city (38 to 42 measured), lists aside, and
# about 3 % of peak that freed blocks kept for reuse add (allocator.py)
BYTES_PER_COUNTED_ROW = 14  # seven uint16 counters per row of the entities table
BYTES_PER_LIST = 3  # a list may hold every entity: 3 bytes a member and 0.14 an entity for its
# bits (engine/listing.py); the reference's lists hold 1 %, which leaves room for the peaks
# at 1e8, where freed blocks kept for reuse vary by a GiB from run to run
GENERATION_PEAK = 24  # float64 temporaries while drawing attributes
BYTES_PER_SCHEDULED = 40  # a record in the calendar (int32 ids while they wait, points, flags)
BYTES_PER_ENTITY_ROW = 120  # a row of the entities table as a DataFrame
RESULTS_PER_ENTITY = 16  # other temporaries of writing results that grow with entities
BASE = 400e6  # interpreter, NumPy, Numba's compiled kernels, DuckDB
# Share of the available memory a run may plan to use. The estimate came 12 to 43 % above the
# measured peaks of the reference and points-city from 1e6 to 1e8, never below
# (benchmarks/README.md).
MARGIN = 0.95


def available_bytes() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def estimate_bytes(sc: ScenarioModel) -> int:
    """The larger of two peaks: building (the arrays a run keeps, plus the larger of the
    temporaries of drawing the population with the name index's beside it (side_by_side.py)
    and those of building the network) and running (the arrays kept, the calendar at its busiest,
    and the temporaries of writing results)."""
    pop = sc.population
    n = pop.individuals + pop.companies + pop.governments + pop.organizations
    per = BYTES_PER_ENTITY + BYTES_PER_LIST * len(sc.lists)
    # Events waiting in the calendar at the busiest time: records in flight (latency),
    # expiries that fall within the run (only those are scheduled), appeals being decided.
    days = sc.run.days
    ap = sc.restoration.appeals
    scheduled = 0.0
    for name, c in sc.conduct.items():
        src = sc.sources.get(c.source)
        daily = sum(pop.count(k) for k in c.kinds) * c.rate / 365.0 * (
            src.coverage if src is not None else 1.0)
        scheduled += daily * min(src.latency_days if src is not None else 0, days)
        if sc.scoring.points.get(name, 0) == 0:
            continue
        window = c.expiry_days if c.expiry_days is not None else sc.restoration.record_expiry_days
        if window is not None:
            scheduled += daily * min(window, max(0, days - window))
        scheduled += daily * ap.file_prob * min(ap.days_to_decide, days)
    rows = min(n, sc.run.entities_table_max_rows)
    from scsim.orgs import organizations_bytes  # ratings, payment network (docs/organizations)
    from scsim.society.memory import society_build_bytes, society_bytes
    from scsim.surveillance.footprint import surveillance_build_bytes, surveillance_bytes

    held = (n * per + rows * BYTES_PER_COUNTED_ROW + surveillance_bytes(sc)
            + organizations_bytes(sc) + society_bytes(sc))
    # Building: the calendar is still empty. Running and writing results: it is full.
    build = held + max(n * GENERATION_PEAK + surveillance_build_bytes(sc),
                       society_build_bytes(sc))
    run = (held + scheduled * BYTES_PER_SCHEDULED + rows * BYTES_PER_ENTITY_ROW
           + n * RESULTS_PER_ENTITY)
    return int(max(build, run) + BASE)


def check_fits(sc: ScenarioModel, origin: str, scale: float | None = None) -> None:
    """Refuse a run planned above MARGIN of the available memory. `scale`: the --scale the
    scenario was loaded with, so that the --scale suggested is one to type as it stands."""
    need = estimate_bytes(sc)
    have = available_bytes()
    if need <= MARGIN * have:
        return
    fit = MARGIN * have / need * (scale or 1.0)
    raise ScsimInputError(
        f"{origin}: population: this run needs about {need / 2**30:.1f} GiB of memory and "
        f"{have / 2**30:.1f} GiB is available; try --scale {fit:.3g} (or fewer entities)")
