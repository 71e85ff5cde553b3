"""Memory the sensing and platform mechanisms add, for the estimate made before a run."""

from __future__ import annotations

from scsim.scenario.schema import ScenarioModel

BLAME = 1  # uint8 cause of each entity's latest wrong record
GALLERY = 2  # per individual and face source: enrolment flag, members of small demographics
NAMES = 11  # per individual, once: sort order, labels, name starts
NAME_INDEX = 4  # the same when ranks are recomputed (a pool under half the population)
NAMES_BUILD = 16  # temporaries while grouping names: int64 ranks and labels


def surveillance_bytes(sc: ScenarioModel) -> int:
    pop = sc.population
    n = pop.individuals + pop.companies + pop.governments + pop.organizations
    total = BLAME * n
    faces = sum(1 for s in sc.sources.values() if s.method == "face")
    total += GALLERY * faces * pop.individuals
    if any(s.registry is not None and s.registry.name_match > 0 for s in sc.sources.values()):
        from scsim.surveillance.names import name_pool

        small_pool = name_pool(pop.names) <= pop.individuals / 2
        total += (NAME_INDEX if small_pool else NAMES) * pop.individuals
    # The platform keeps nothing per entity: a listing's sharing uniform is counter-based.
    return total


def surveillance_build_bytes(sc: ScenarioModel) -> int:
    """Temporaries of building the name index (freed before the run)."""
    if any(s.registry is not None and s.registry.name_match > 0 for s in sc.sources.values()):
        return NAMES_BUILD * sc.population.individuals
    return 0
