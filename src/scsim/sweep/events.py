"""What a backend tells the sweep's driver about each run, as it happens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal["started", "done", "retry", "failed", "skipped"]


@dataclass
class Event:
    """`started` (with the worker's pid, local backend), `done` (with the output and the
    number of attempts), `retry` (the worker died; the run is queued again), `failed` (with
    the error), `skipped` (finished by an earlier invocation of the same sweep)."""

    kind: EventKind
    run_id: int
    output: Any = None
    error: str | None = None
    pid: int | None = None
    attempts: int = 1
