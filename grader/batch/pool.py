"""A pool of long-lived worker processes that grade one file at a time each, and survive bad files.

Unlike ``concurrent.futures.ProcessPoolExecutor``, where one worker killed by a signal breaks the whole
pool, each worker here is watched on its own: when it dies (the system's OOM killer, a crash in a C
library) or runs past the time limit, the file it held gets a per-file error naming what happened, and a
fresh worker takes the next file. Workers are plain subprocesses (``python -m grader.batch.worker``), so
the pool also works inside a Dask worker (whose daemon processes may not use ``multiprocessing``).

:meth:`WorkerPool.run` is blocking and thread-safe: call it from as many threads as the pool has
workers (the executor uses a thread per job).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from typing import IO

from grader.batch.task import Failure, GradeTask, TaskOutcome
from grader.batch.worker import receive, send
from grader.errors import FileTimeLimitError, WorkerCrashedError

KILL_GRACE_S = 15.0
"""A worker still busy this long after its file's time limit (stuck in C code) is killed."""

_SINGLE_THREADED = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "GRADER_OCR_THREADS": "1",
}
"""One BLAS thread and one OCR process per worker: the pool already has a process per core (a pool with
fewer workers than cores gives each worker more OCR processes: ``ocr_threads``)."""


class _Worker:
    """One child process and the pipes to it."""

    def __init__(self, ocr_threads: int = 1) -> None:
        self.stderr: IO[bytes] = tempfile.TemporaryFile()
        env = {**_SINGLE_THREADED, "GRADER_OCR_THREADS": str(max(1, ocr_threads)), **os.environ}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader.batch.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
        )
        self.killed_for_time = False
        assert self.proc.stdout is not None
        hello = receive(self.proc.stdout)
        self.ready = isinstance(hello, dict) and "ready" in hello

    def kill(self) -> None:
        """Kill the process (time limit passed)."""
        self.killed_for_time = True
        try:
            self.proc.kill()
        except OSError:
            pass

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc.poll() is None

    def close(self) -> None:
        """Ask the process to exit (end of its stdin), then make sure it does."""
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()

    def stderr_tail(self, lines: int = 3) -> str:
        """The last lines the process wrote to stderr (to explain a crash)."""
        try:
            self.stderr.seek(0)
            text = self.stderr.read().decode("utf-8", errors="replace")
        except (OSError, ValueError):
            return ""
        tail = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
        return " | ".join(tail)


class WorkerPool:
    """``size`` worker processes, started on first use and restarted after a crash or a limit."""

    def __init__(self, size: int, kill_grace_s: float = KILL_GRACE_S, ocr_threads: int = 1) -> None:
        self.size = max(1, size)
        self.ocr_threads = max(1, ocr_threads)
        self.kill_grace_s = kill_grace_s
        self._busy: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(self.size)
        self._closed = False

    def run(self, task: GradeTask) -> TaskOutcome:
        """Grade ``task`` in a worker; every failure comes back as the outcome's ``error``."""
        with self._slots:
            try:
                worker = self._take()
            except OSError as exc:
                failure = Failure.of(WorkerCrashedError(f"cannot start a worker process: {exc}", task.name))
                return TaskOutcome(name=task.name, error=failure)
            with self._lock:
                self._busy.add(worker)
            try:
                outcome = self._run_in(worker, task)
            finally:
                with self._lock:
                    self._busy.discard(worker)
            self._give_back(worker, outcome)
            return outcome

    def pids(self) -> list[int]:
        """The process ids of the pool's workers, busy and idle (for monitoring)."""
        with self._lock:
            return sorted(w.proc.pid for w in [*self._busy, *self._idle])

    def close(self) -> None:
        """Stop every idle worker (workers in use stop when their file is done)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.close()
        return _Worker(self.ocr_threads)

    def _give_back(self, worker: _Worker, outcome: TaskOutcome) -> None:
        # After a limit or a crash the worker exits (or is dead): never hand it another file.
        reusable = worker.alive() and (outcome.error is None or outcome.error.kind not in _RESTARTED)
        with self._lock:
            if reusable and not self._closed:
                self._idle.append(worker)
                return
        worker.close()

    def _run_in(self, worker: _Worker, task: GradeTask) -> TaskOutcome:
        timer: threading.Timer | None = None
        if task.time_limit_s:
            timer = threading.Timer(task.time_limit_s + self.kill_grace_s, worker.kill)
            timer.daemon = True
            timer.start()
        outcome = None
        try:
            worker.stderr.seek(0)
            worker.stderr.truncate()  # keep only what this file's grading prints
            if worker.ready and worker.proc.stdin is not None and worker.proc.stdout is not None:
                send(worker.proc.stdin, task)
                outcome = receive(worker.proc.stdout)
        except (OSError, EOFError, ValueError):
            outcome = None
        finally:
            if timer is not None:
                timer.cancel()
        if isinstance(outcome, TaskOutcome):
            return outcome
        return _crash_outcome(worker, task)


_RESTARTED = frozenset({"FileTimeLimitError", "FileMemoryError", "WorkerCrashedError"})


def _crash_outcome(worker: _Worker, task: GradeTask) -> TaskOutcome:
    """The outcome of a file whose worker died or was killed."""
    try:
        code = worker.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.proc.kill()
        code = worker.proc.wait()
    outcome = TaskOutcome(name=task.name, worker=f"{socket.gethostname()}:{worker.proc.pid}")
    if worker.killed_for_time:
        exc: FileTimeLimitError | WorkerCrashedError = FileTimeLimitError(
            f"stopped: the file ran past the per-file time limit of {task.time_limit_s:g} s (--time-limit); "
            "its worker process was killed",
            task.name,
        )
    else:
        exc = WorkerCrashedError(f"{_death(code, worker.ready)}{_tail(worker)}", task.name)
    outcome.error = Failure.of(exc)
    return outcome


def _death(code: int | None, started: bool) -> str:
    if not started:
        return f"the worker process could not start (exit status {code})"
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = "; the system may have run out of memory" if -code == getattr(signal, "SIGKILL", 9) else ""
        return f"the worker process grading this file was killed by {name}{hint}"
    return f"the worker process grading this file exited unexpectedly (status {code})"


def _tail(worker: _Worker) -> str:
    tail = worker.stderr_tail()
    return f" (last output: {tail})" if tail else ""
