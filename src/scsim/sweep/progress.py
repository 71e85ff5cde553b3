"""One progress bar for a sweep on a terminal: runs done, failed, retried, rate and ETA."""

from __future__ import annotations

import sys
import time


class SweepProgress:
    def __init__(self, total: int, skipped: int = 0, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total, self.skipped = total, skipped
        self.done = self.failed = self.retried = 0
        self.t0 = time.perf_counter()
        self.last = 0.0

    def update(self, *, done: int, failed: int, retried: int, force: bool = False) -> None:
        self.done, self.failed, self.retried = done, failed, retried
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.2 and not force:
            return
        self.last = now
        self.stream.write("\r" + self.line(now) + " ")
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.perf_counter()) - self.t0, 1e-9)
        finished = self.skipped + self.done
        rate = self.done / elapsed
        left = self.total - finished - self.failed
        eta = f"ETA {_clock(left / rate)}" if rate > 0 and left > 0 else "ETA --"
        width = 30
        fill = int(width * finished / max(self.total, 1))
        skipped = f" ({self.skipped} from before)" if self.skipped else ""
        return (f"[{'#' * fill}{'.' * (width - fill)}] {finished}/{self.total} runs{skipped}"
                f"  {self.failed} failed  {self.retried} retried  {rate:.2f} runs/s  {eta}")

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line() + " \n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
