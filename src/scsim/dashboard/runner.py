"""Runs in the background: one thread per run, progress by day, cancel between two days.

The web server's thread only reads a `Job`'s fields (polled a few times a second), so the
app stays responsive while NumPy works; a cancelled run stops at the end of the day it is in.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any


class Cancelled(Exception):
    """Raised inside a run to stop it."""


@dataclass
class Job:
    scenario: str
    overrides: dict[str, Any]
    label: str = ""
    days: int = 0
    done: int = 0
    acts: int = 0
    state: str = "queued"  # queued, running, done, cancelled, failed
    error: str = ""
    results: Any = None
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @property
    def fraction(self) -> float:
        return self.done / self.days if self.days else 0.0

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def cancel(self) -> None:
        self._cancel.set()

    def start(self) -> Job:
        self._thread = threading.Thread(target=self._run, name=f"scsim-run-{self.label}",
                                        daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> Job:
        if self._thread is not None:
            self._thread.join(timeout)
        return self

    def _run(self) -> None:
        from scsim.errors import ScsimInputError
        from scsim.sim import Sim

        try:
            sim = Sim(self.scenario, **self.overrides)
            self.days = sim.days
            self.state = "running"

            def on_day(done: int, acts: int) -> None:
                self.done, self.acts = done, acts
                if self._cancel.is_set():
                    raise Cancelled

            if self._cancel.is_set():
                raise Cancelled
            self.results = sim.run(on_day=on_day)
            self.state = "done"
        except Cancelled:
            self.state = "cancelled"
        except ScsimInputError as err:
            self.state, self.error = "failed", str(err)
        except Exception as err:  # noqa: BLE001 - shown in the app, never kills the server
            self.state, self.error = "failed", f"{type(err).__name__}: {err}"
        finally:
            self.finished = time.perf_counter()
