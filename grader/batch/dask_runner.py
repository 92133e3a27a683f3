"""Run a batch on a Dask distributed cluster (``pip install -e ".[dask]"``).

Each file travels to the cluster as bytes inside its task (the workers need not see the client's
filesystem), at most two per worker thread at a time, so a batch of thousands streams through. On the
worker the file is graded by a :class:`~grader.batch.pool.WorkerPool` child process of that worker —
the same code, memory cap and time limit as a local run, and a file that crashes its process costs
that file only. A task that fails on the cluster itself (a worker lost, a connection dropped) is a
per-file :class:`~grader.errors.WorkerCrashedError`; the rest of the batch goes on.

Without an address a ``LocalCluster`` of ``jobs`` single-threaded worker processes is started (and
stopped at the end); with one (``tcp://host:port``) the batch uses that scheduler's workers, which
need the project installed (see the README's "Grading on a cluster").
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from grader.batch.pool import WorkerPool
from grader.batch.task import Failure, GradeTask, TaskOutcome
from grader.batch.window import run_windowed
from grader.errors import GraderError, WorkerCrashedError

CONNECT_TIMEOUT_S = 30
"""How long to wait for a scheduler given by address."""

_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def grade_on_worker(task: GradeTask) -> TaskOutcome:
    """The Dask task: grade one file in a child process of this Dask worker."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool(_worker_threads())
        pool = _pool
    return pool.run(task)


def _worker_threads() -> int:
    try:
        from distributed import get_worker

        return max(1, int(get_worker().state.nthreads))
    except (ImportError, ValueError, AttributeError):
        return 1


class DaskRunner:
    """The Dask backend of :func:`grader.batch.executor.grade_files`."""

    def __init__(self, address: str | None, workers: int) -> None:
        self.address = address
        self.workers = max(1, workers)
        self.peak_rss_mb: dict[str, float] = {}
        """Peak memory of the Dask worker processes themselves (``worker address`` -> MB), after the run."""

    def describe(self) -> str:
        """``dask tcp://...`` or ``dask LocalCluster (N workers)``."""
        return f"dask {self.address}" if self.address else f"dask LocalCluster ({self.workers} workers)"

    def run(
        self, tasks: Iterator[tuple[int, GradeTask]], started: Callable[[GradeTask], None]
    ) -> Iterator[tuple[int, TaskOutcome]]:
        """Submit the tasks a window at a time and yield ``(index, outcome)`` as they finish."""
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError as exc:
            raise GraderError(
                'Dask is not installed: pip install -e ".[dask]" (dask[distributed])', "--dask"
            ) from exc
        cluster: Any = None
        try:
            if self.address:
                client = Client(self.address, timeout=CONNECT_TIMEOUT_S)
            else:
                cluster = LocalCluster(  # any free port for its HTTP server: never clash with a running one
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
                )
                client = Client(cluster)
        except (OSError, TimeoutError) as exc:
            raise GraderError(
                f"cannot reach the Dask scheduler: {exc}", self.address or "LocalCluster"
            ) from exc
        try:
            threads = max(1, sum(client.nthreads().values()))
            window = 2 * threads
            batch = uuid.uuid4().hex[:8]
            done = as_completed()

            def submit(index: int, task: GradeTask) -> Any:
                started(task)
                future = client.submit(grade_on_worker, task, key=f"grade-{batch}-{index}", pure=False)
                done.add(future)
                return future

            for future, index, task in run_windowed(tasks, window, submit, lambda _: [next(done)]):
                yield index, _outcome(future, task)
            self.peak_rss_mb = _worker_peaks(client)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _outcome(future: Any, task: GradeTask) -> TaskOutcome:
    try:
        outcome = future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker, CommClosedError, CancelledError ...: per file
        message = f"the Dask task grading this file failed: {type(exc).__name__}: {exc}"
        return TaskOutcome(name=task.name, error=Failure.of(WorkerCrashedError(message, task.name)))
    if not isinstance(outcome, TaskOutcome):
        message = f"the Dask task returned {type(outcome).__name__}, not an outcome"
        return TaskOutcome(name=task.name, error=Failure.of(WorkerCrashedError(message, task.name)))
    return outcome


def _own_peak_rss() -> float:
    from grader.batch.limits import peak_rss_mb

    return peak_rss_mb()


def _worker_peaks(client: Any) -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in client.run(_own_peak_rss).items()}
    except Exception:  # noqa: BLE001 - a figure for the summary, never worth failing the batch
        return {}
