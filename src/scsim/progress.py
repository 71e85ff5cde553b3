"""A one-line progress bar on a terminal (days done, acts per second); silent otherwise."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total = total
        self.t0 = time.perf_counter()
        self.last = 0.0

    def update(self, done: int, acts: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and done < self.total:
            return
        self.last = now
        elapsed = max(now - self.t0, 1e-9)
        width = 30
        fill = int(width * done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * fill}{'.' * (width - fill)}] day {done}/{self.total}"
                          f"  {acts / elapsed:,.0f} acts/s  {elapsed:,.1f}s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
