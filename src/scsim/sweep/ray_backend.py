"""The Ray backend: the same runs on a Ray cluster (`--address`) or a local Ray.

Install with `pip install 'scsim[ray]'`. Each run is a Ray task that returns its outputs to
the driver, which writes them: nodes need scsim installed, not a shared file system. Tasks
whose worker or node dies are submitted again (up to `retries` times); a task that raises
has failed and is reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from scsim.errors import ScsimInputError
from scsim.sweep.events import Event
from scsim.sweep.plan import RunTask


@dataclass
class RayPool:
    workers: int | None = None  # CPUs of a local Ray started here (None: all)
    address: str | None = None  # a running cluster ("auto", "ray://host:10001" ...)
    retries: int = 2
    attempts: dict[int, int] = field(default_factory=dict)

    def run(self, tasks: list[RunTask], emit: Callable[[Event], None]) -> None:
        try:
            import ray
            import ray.exceptions
        except ImportError:
            raise ScsimInputError("--backend ray needs Ray: pip install 'scsim[ray]'") from None
        from scsim.sweep.worker import execute

        started_here = not ray.is_initialized()
        if started_here:
            opts = dict(include_dashboard=False, log_to_driver=False,
                        logging_level=logging.WARNING)
            try:
                if self.address:
                    ray.init(address=self.address, **opts)
                else:
                    ray.init(num_cpus=self.workers, **opts)
            except (ConnectionError, ValueError, RuntimeError) as err:
                raise ScsimInputError(f"--address {self.address}: cannot reach a Ray cluster "
                                      f"({str(err).splitlines()[0]})") from None
        remote = ray.remote(num_cpus=1, max_retries=0)(execute)
        pending: dict = {}
        try:
            for t in tasks:
                pending[remote.remote(t)] = t
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    task = pending.pop(ref)
                    try:
                        out = ray.get(ref)
                    except ray.exceptions.RayTaskError as err:  # the run raised
                        cause = err.cause if getattr(err, "cause", None) else err
                        emit(Event("failed", task.run_id,
                                   error=f"{type(cause).__name__}: {cause}"))
                        continue
                    except ray.exceptions.RayError as err:  # worker or node lost
                        n = self.attempts[task.run_id] = self.attempts.get(task.run_id, 0) + 1
                        why = f"{type(err).__name__}: {str(err).splitlines()[0]}"
                        if n <= self.retries:
                            pending[remote.remote(task)] = task
                            emit(Event("retry", task.run_id, error=why))
                        else:
                            emit(Event("failed", task.run_id, error=f"{why} ({n} times)"))
                        continue
                    emit(Event("done", task.run_id, output=out,
                               attempts=self.attempts.get(task.run_id, 0) + 1))
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
            if started_here:
                ray.shutdown()
