"""Memory the society layer needs, estimated from the scenario before a run (memory.py).

Per individual: friends k b / 8 + 2.2 bytes (neighbours packed in b = ceil(log2 n) bits, k
the mean degree, and 16-bit row offsets: network/packed_csr.py)
plus k / 8 when shaming weakens ties (a bit per tie, and 9 bytes per tie that changed:
network/strength.py; about 2.5 % of ties in a year of the reference, k / 4 bytes allowed);
households (b + 2) / 8 (a ring and two flags, packed); work about 6 (the employer packed,
the staff rows of companies).
Building the friends layer adds about 4 k + 24 bytes per individual on top of what it keeps
(int32 ends of the forward ties, per-individual block, order and row counters; measured 74
bytes over the base at k = 8 and 1e7 against 92 estimated, network/friends_kernel).
Adaptive state: 4 bytes per entity (perceived level, day set), 3.25 per individual for
grievance (legitimacy as float16, a bit for active, a bit for seeing an active agent:
society/near_kernel.py, two bits for the side of Epstein's bounds: epstein_class.py), a bit
per entity for spill-over (its counts are per row of the entities table: engine/rows.py).
"""

from __future__ import annotations

from scsim.scenario.schema import ScenarioModel


def society_bytes(sc: ScenarioModel) -> int:
    p = sc.population
    n_ind = p.individuals
    n = n_ind + p.companies + p.governments + p.organizations
    total = 0.0
    net = sc.network
    if net is not None:
        if net.on("friends"):
            k = net.friends.mean_degree
            shaming = sc.shaming is not None and (sc.shaming.tie_cut or sc.shaming.tie_weaken)
            bits = max(1, (n_ind - 1).bit_length())
            total += n_ind * (k * bits / 8 + 2.2 + (k / 8 + k / 4 if shaming else 0))
        if net.on("households"):
            total += n_ind * ((max(1, (n_ind - 1).bit_length()) + 2) / 8 + 0.1)
        if net.on("work"):
            total += n_ind * 6
    a = sc.adapt
    if a.enabled:
        total += 4 * n + (3.25 * n_ind if a.grievance is not None else 0)
    if any(r.enabled for r in (sc.spillover or {}).values()):
        total += n / 8
    return int(total)


def society_build_bytes(sc: ScenarioModel) -> int:
    """Temporaries of building the friends layer, on top of what it keeps (freed after)."""
    net = sc.network
    if net is None or not net.on("friends"):
        return 0
    return int(sc.population.individuals * (4 * net.friends.mean_degree + 24))
