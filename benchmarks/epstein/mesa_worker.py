"""Run Mesa 3.3.1's own Epstein civil-violence example; runs inside the Mesa virtualenv.

Prints one JSON line per seed: seed, n_agents, seconds and cpu_seconds (wall and process
CPU time of the stepping; model construction excluded) and the DataCollector's
(step, active, quiet, arrested) rows, step 0 included.
Stand-alone on purpose: it must not import scsim, whose dependencies the venv lacks.
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    for name in ("width", "height", "vision", "max-jail", "steps"):
        ap.add_argument(f"--{name}", type=int, required=True)
    for name in ("citizen-density", "cop-density", "legitimacy", "threshold", "arrest-constant"):
        ap.add_argument(f"--{name}", type=float, required=True)
    ap.add_argument("--seeds", type=int, nargs="+", required=True)
    a = ap.parse_args()

    import mesa
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    for seed in a.seeds:
        model = EpsteinCivilViolence(
            width=a.width,
            height=a.height,
            citizen_density=a.citizen_density,
            cop_density=a.cop_density,
            citizen_vision=a.vision,
            cop_vision=a.vision,
            legitimacy=a.legitimacy,
            max_jail_term=a.max_jail,
            active_threshold=a.threshold,
            arrest_prob_constant=a.arrest_constant,
            movement=True,
            max_iters=a.steps + 1,
            seed=seed,
        )
        n_agents = len(model.agents)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(a.steps):
            model.step()
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
        df = model.datacollector.get_model_vars_dataframe()
        rows = [
            [i, int(r.active), int(r.quiet), int(r.arrested)]
            for i, r in enumerate(df.itertuples(index=False))
        ]
        out = {
            "seed": seed,
            "mesa_version": mesa.__version__,
            "n_agents": n_agents,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "rows": rows,
        }
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
