"""Checkpoints of a long run, and resuming it: the result is the same, byte for byte.

`scsim run ... --out DIR --checkpoint-every N` saves the whole run (the `Sim`: state arrays,
calendar, tallies, step objects) every N days, and once before day 0, into a hidden sibling
`.DIR.checkpoint/`. Random streams are keyed by (seed, decision, day) and carry no state, so
the day is all the randomness a resumed run needs. `scsim resume DIR` loads the last
checkpoint and runs the remaining days; a finished run removes its checkpoint folder.

Each checkpoint is written under a temporary name and renamed, so a run killed while saving
keeps the previous one. The pickle is made with cloudpickle (steps hold compiled rate
functions), and is only for the scsim version that wrote it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from scsim.errors import ScsimInputError

if TYPE_CHECKING:
    from scsim.results import Results
    from scsim.sim import Sim

STATE = "state.pkl"
META = "checkpoint.json"


def checkpoint_dir(out: str | Path) -> Path:
    out = Path(out)
    return out.resolve().parent / f".{out.name}.checkpoint"


class Checkpointer:
    """Called after each day by `Sim.run`; saves every `every` days."""

    def __init__(self, out: str | Path, every: int, force: bool = False):
        if every < 1:
            raise ScsimInputError(f"--checkpoint-every: expected a number of days >= 1, "
                                  f"got {every}")
        self.out = Path(out)
        self.dir = checkpoint_dir(self.out)
        self.every = every
        self.force = force
        self.t0 = time.perf_counter()
        self.wall0 = 0.0

    def __call__(self, sim: Sim) -> None:
        if sim.next_day % self.every == 0 and sim.next_day < sim.days:
            self.save(sim)

    def save(self, sim: Sim) -> None:
        import cloudpickle

        from scsim import __version__

        self.dir.mkdir(parents=True, exist_ok=True)
        wall = self.wall0 + time.perf_counter() - self.t0
        saved_wall, sim.wall_before = sim.wall_before, wall
        try:
            _atomic_bytes(self.dir / STATE, cloudpickle.dumps(sim, protocol=5))
        finally:
            sim.wall_before = saved_wall
        meta = {"scsim_version": __version__, "day": sim.next_day, "days": sim.days,
                "out": str(self.out), "every": self.every, "force": self.force}
        _atomic_bytes(self.dir / META, (json.dumps(meta, indent=1) + "\n").encode())

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def run_with_checkpoints(sim: Sim, out: str | Path, every: int,
                         force: bool = False) -> Results:
    """Run `sim` to the end, saving a checkpoint before day 0 and every `every` days."""
    from scsim.results.writer import check_out

    cp = Checkpointer(out, every, force)
    check_out(Path(out), force=force)
    t0 = time.perf_counter()
    sim.build()
    sim.wall_before += time.perf_counter() - t0  # as in a run without checkpoints
    cp.save(sim)
    res = sim.run(out=out, force=force, on_day_end=cp)
    cp.remove()
    return res


def resume(out: str | Path, progress: bool = False) -> Results:
    """Continue the run whose results go to `out` from its last checkpoint."""
    import cloudpickle

    from scsim import __version__

    out = Path(out)
    d = checkpoint_dir(out)
    if not (d / STATE).is_file() or not (d / META).is_file():
        if (out / "summary.json").is_file():
            raise ScsimInputError(f"{out}: the run is finished; there is nothing to resume")
        raise ScsimInputError(f"{out}: no checkpoint to resume (expected {d}; was the run "
                              "started with --checkpoint-every?)")
    meta = json.loads((d / META).read_text("utf-8"))
    if meta.get("scsim_version") != __version__:
        raise ScsimInputError(f"{d}: written by scsim {meta.get('scsim_version')}, this is "
                              f"{__version__}; resume it with that version")
    sim = cloudpickle.loads((d / STATE).read_bytes())
    sim.progress = progress
    cp = Checkpointer(out, meta["every"], meta["force"])
    cp.wall0 = sim.wall_before  # the run adds this session's time to it
    res = sim.run(out=out, force=meta["force"], on_day_end=cp)
    cp.remove()
    return res


def _atomic_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
