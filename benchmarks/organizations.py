"""Measure corporate-2025: listed firms by ownership, cascade sizes after the local-government
arrears shock, people sanctioned through their firms, and the wall time of the run.

    PYTHONPATH=src python benchmarks/organizations.py              # 100,000 firms, a year
    PYTHONPATH=src python benchmarks/organizations.py --variants   # also equal enforcement
                                                                   # and cascades off

Not a test: figures and timings are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from scsim.sim import Sim

VARIANTS = {
    "preset": [],
    "equal enforcement": ["enforcement.ownership.detection.state=1.0",
                          "enforcement.ownership.listing.state=1.0"],
    "cascades off": ["payments.cascade.enabled=false"],
}


def measure(sets: list[str], scale: float | None, seed: int) -> dict:
    t0 = time.perf_counter()
    sim = Sim("corporate-2025", sets=sets, scale=scale, seed=seed)
    res = sim.run()
    wall = time.perf_counter() - t0
    ev, comp = res.to_df("list_events"), res.to_df("companies")
    black = [n for n, c in sim.sc.lists.items() if c.type == "black"]
    entered = ev[(ev["event"] == "entry") & ev["list"].isin(black)]
    comp["listed"] = comp["id"].isin(entered["entity"])
    by_own = comp.groupby("ownership", observed=True)["listed"].agg(["size", "sum", "mean"])
    cas = res.to_df("cascades")
    shock = cas[cas["shock"] == "property_crash"]
    sizes = shock["firms_hit"].to_numpy()
    org = res.summary["organizations"]
    return {"wall_s": wall, "by_ownership": by_own, "shock_cascades": len(shock),
            "shock_size_p50_p90_max": [float(x) for x in np.percentile(sizes, [50, 90])]
            + [int(sizes.max())] if sizes.size else [],
            "shock_firms_hit": int(sizes.sum()), "shock_depth_max": int(shock["depth"].max())
            if len(shock) else 0,
            "shock_firms_listed": int(shock["firms_listed"].sum()),
            "cascades": org["cascades"], "joint": org["joint_punishment"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--variants", action="store_true")
    args = ap.parse_args()
    pd.set_option("display.width", 120)
    for name, sets in VARIANTS.items():
        if name != "preset" and not args.variants:
            continue
        m = measure(sets, args.scale, args.seed)
        print(f"== {name}: {m['wall_s']:.1f} s")
        print("firms ever blacklisted by ownership (size, listed, share):")
        print(m["by_ownership"].to_string())
        print(f"shock cascades {m['shock_cascades']}, firms hit {m['shock_firms_hit']}, "
              f"size p50/p90/max {m['shock_size_p50_p90_max']}, max depth "
              f"{m['shock_depth_max']}, firms listed through them {m['shock_firms_listed']}")
        c = m["cascades"]
        print(f"all cascades {c['cascades']} ({c['cascades_with_firms_hit']} hit a firm), "
              f"firms hit {c['firms_hit']}, firms listed because someone else did not pay "
              f"{c['firms_listed_through_cascades']}")
        j = m["joint"]
        print(f"people sanctioned through their firms {j['people_sanctioned']} "
              f"({j['sanctions']} sanctions, {j['sanctions_wrongful']} wrongful); legal reps "
              f"of listed firms at the end {j['legal_reps_of_listed_firms_final']}")


if __name__ == "__main__":
    main()
