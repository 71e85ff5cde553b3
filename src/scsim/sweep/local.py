"""The local backend: a pool of worker processes that survives its workers being killed.

Each worker holds at most one run at a time, so when a worker dies (kill -9, out of memory)
the driver knows which run it held: that run goes back to the queue (up to `retries` times)
and a fresh worker takes the dead one's place. A run that raises an exception has failed
(a bug or bad input does not go away on a second try) and is reported, not retried.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from scsim.sweep.events import Event
from scsim.sweep.plan import RunTask


def _worker_main(conn: Connection) -> None:
    from scsim.sweep.worker import execute

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides what an interrupt does
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the driver is gone
            return
        if task is None:
            return
        try:
            msg = ("ok", execute(task))
        except Exception as err:
            msg = ("error", f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=-3)}")
        try:
            conn.send(msg)
        except (BrokenPipeError, OSError):
            return


def _context() -> mp.context.BaseContext:
    # forkserver: workers start from a clean, preloaded process (no threads of the driver's
    # DuckDB forked into them) and a replacement for a killed worker starts in milliseconds.
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["scsim.sweep.worker", "scsim.sim"])
        return ctx
    return mp.get_context("spawn")


@dataclass
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    task: RunTask | None = None


@dataclass
class LocalPool:
    workers: int
    retries: int = 2
    attempts: dict[int, int] = field(default_factory=dict)

    def run(self, tasks: list[RunTask], emit: Callable[[Event], None]) -> None:
        ctx = _context()
        queue = deque(tasks)
        pool: list[_Worker] = []

        def start() -> _Worker:
            here, there = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(there,), daemon=True,
                               name="scsim-sweep-worker")
            proc.start()
            there.close()
            return _Worker(proc, here)

        try:
            while queue or any(w.task for w in pool):
                idle = [w for w in pool if w.task is None]
                while queue and (idle or len(pool) < self.workers):
                    w = idle.pop() if idle else None
                    if w is None or not w.proc.is_alive():
                        if w is not None:
                            pool.remove(w)
                        w = start()
                        pool.append(w)
                    task = queue.popleft()
                    w.task = task
                    w.conn.send(task)
                    emit(Event("started", task.run_id, pid=w.proc.pid))
                busy = [w for w in pool if w.task is not None]
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
                for w in busy:
                    if w.conn not in ready and w.proc.sentinel not in ready:
                        continue
                    msg = None
                    try:
                        if w.conn.poll():
                            msg = w.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                    task = w.task
                    assert task is not None
                    if msg is None:
                        if w.proc.is_alive():
                            continue
                        w.proc.join()
                        pool.remove(w)
                        self._crashed(task, w.proc.exitcode, queue, emit)
                        continue
                    w.task = None
                    if msg[0] == "ok":
                        emit(Event("done", task.run_id, output=msg[1],
                                   attempts=self.attempts.get(task.run_id, 0) + 1))
                    else:
                        emit(Event("failed", task.run_id, error=msg[1]))
        finally:
            _stop(pool)

    def _crashed(self, task: RunTask, exitcode: int | None, queue: deque,
                 emit: Callable[[Event], None]) -> None:
        n = self.attempts[task.run_id] = self.attempts.get(task.run_id, 0) + 1
        why = (f"worker killed by signal {-exitcode}" if exitcode is not None and exitcode < 0
               else f"worker exited with status {exitcode}")
        if n <= self.retries:
            queue.appendleft(task)
            emit(Event("retry", task.run_id, error=why))
        else:
            emit(Event("failed", task.run_id, error=f"{why} ({n} times)"))


def _stop(pool: list[_Worker]) -> None:
    for w in pool:
        try:
            if w.task is None:
                w.conn.send(None)
        except OSError:
            pass
        w.conn.close()
    for w in pool:
        w.proc.join(timeout=2 if w.task is None else 0)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))
