"""Measure the society layer on points-city-society (issue "society", Measure and report).

    PYTHONPATH=src python benchmarks/society_measure.py --individuals 1000000 --days 365

Runs the preset with --counterfactual and prints: spill-over sanctions as a share of all
sanctions, suppressed religious and political acts, protests by month, and the memory of the
network and of the society state per entity. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--individuals", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="also write the results folder here")
    args = ap.parse_args()

    from scsim.sim import Sim

    t0 = time.perf_counter()
    sim = Sim("points-city-society", individuals=args.individuals, days=args.days,
              seed=args.seed)
    res = sim.run(out=args.out, counterfactual=True)
    wall = time.perf_counter() - t0
    s, soc = res.summary, res.summary["society"]
    sp, cf, net = soc["spillover"], res.summary["counterfactual"], soc["network"]
    d = res.to_df("daily")
    d["month"] = d["day"] // 30
    months = d.groupby("month").agg(protest_acts=("protests", "sum"),
                                    protest_acts_cf=("protests_counterfactual", "sum"),
                                    protesters_mean=("protesters", "mean"),
                                    protesters_peak=("protesters", "max"))
    n_entities = sum(s["population"].values())
    state = sum(v for k, v in soc["memory"]["bytes"].items() if k != "network")
    report = {
        "command": f"PYTHONPATH=src python benchmarks/society_measure.py --individuals "
                   f"{args.individuals} --days {args.days} --seed {args.seed}",
        "population": s["population"], "days": s["days"], "seed": s["seed"],
        "sanctions_service_all": s["sanctions"]["all"],
        "spillover": {k: sp[k] for k in ("sanctions", "service_sanctions", "score_sanctions",
                                         "wrongful", "entities", "share_of_service_sanctions",
                                         "share_of_sanctions_with_score", "by_rule")},
        "suppressed": {"political": cf["suppressed_by_category"].get("political", 0),
                       "religious": cf["suppressed_by_category"].get("religious", 0),
                       "all": cf["acts_suppressed"],
                       "induced_political": cf["induced_by_category"].get("political", 0)},
        "protests": soc["protests"] | {"acts_counterfactual": cf["protests_counterfactual"]},
        "shaming": soc["shaming"],
        "memory": {"network_bytes_per_individual": net["bytes_per_individual"],
                   "network_bytes_per_entity": net["bytes_per_entity"],
                   "society_state_bytes_per_entity": round(state / n_entities, 2),
                   "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024},
        "network": net,
        "wall_seconds_both_runs": round(wall, 1),
    }
    print(json.dumps(report, indent=1))
    print(months.round(1).to_string())


if __name__ == "__main__":
    main()
