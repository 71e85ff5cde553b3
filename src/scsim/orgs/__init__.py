"""Organizations: companies, state-owned enterprises, governments and social organizations.

Each concept is a mechanism (see `scsim.mechanisms`) built only when the scenario uses it:

- `ratings`: grade scales with their own ledgers ([ratings]);
- `shocks`: fiscal shocks to local governments ([shocks]);
- `enforcement`: inspections that follow standing and differential enforcement by an
  attribute such as ownership ([inspections], [enforcement]);
- `cascades`: the payment network and the credit cascades along it ([payments]);
- `joint_punishment`: sanctions on people through the firms they represent (rules with
  `via = "legal_rep_of"`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scsim.mechanisms import Mechanism
    from scsim.scenario.schema import ScenarioModel
    from scsim.sim import Sim

BYTES_PER_RATED = 15 + 40  # three ledgers, three grades; a row of the ratings table
BYTES_PER_TIE = 8 + 16  # a supplier id; a row of the payment_ties table


def organization_mechanisms(sim: Sim) -> list[Mechanism]:
    sc = sim.sc
    out: list[Mechanism] = []
    if sc.ratings:
        from scsim.orgs.ratings import Ratings

        out.append(Ratings(sim))
    if sc.shocks:
        from scsim.orgs.shocks import Shocks

        out.append(Shocks(sim))
    if sc.inspections or sc.enforcement:
        from scsim.orgs.enforcement import Enforcement

        out.append(Enforcement(sim, ratings=out[0] if sc.ratings else None))
    if sc.payments is not None:
        from scsim.orgs.cascades import Cascades

        out.append(Cascades(sim))
    if any(r.via is not None for s in sc.services.values() for r in s.rules):
        from scsim.orgs.joint import JointPunishment

        out.append(JointPunishment(sim))
    return out


def organizations_bytes(sc: ScenarioModel) -> int:
    """Memory for ratings, the payment network and the legal-representative index."""
    from scsim.population.generate import COMPANY_SIZES

    pop = sc.population
    total = sum(BYTES_PER_RATED * sum(pop.count(k) for k in r.kinds)
                for r in sc.ratings.values())
    if sc.payments is not None:
        per_firm = sum(share * sc.payments.suppliers_per_company.get(size, 0.0)
                       for size, share in COMPANY_SIZES.items())
        ties = pop.companies * per_firm + pop.governments * sc.payments.suppliers_per_government
        total += int(ties * BYTES_PER_TIE) + pop.companies * 8
    if any(r.via is not None for s in sc.services.values() for r in s.rules):
        total += pop.companies * 16 + pop.individuals
    return total
