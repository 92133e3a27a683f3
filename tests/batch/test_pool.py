"""The worker pool survives a worker that dies or hangs: that file gets an error, the next is graded."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from grader.batch import GradeTask, TaskOutcome, WorkerPool
from tests.batch.conftest import SAMPLES

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")


def _task(name: str = "chat", time_limit_s: float | None = None) -> GradeTask:
    data = (SAMPLES / "chatgpt_hw2_writeup.txt").read_bytes()
    return GradeTask(name=name, source="chat.txt", data=data, formats=("json",), time_limit_s=time_limit_s)


def _run_while(pool: WorkerPool, task: GradeTask, action) -> TaskOutcome:
    """Run ``task`` in a thread, and ``action(pid)`` on the (only) worker once the task is sent to it."""
    [pid] = pool.pids()
    os.kill(pid, signal.SIGSTOP)  # the worker cannot answer before ``action``
    box: list[TaskOutcome] = []
    thread = threading.Thread(target=lambda: box.append(pool.run(task)))
    thread.start()
    time.sleep(1.0)
    action(pid)
    thread.join(timeout=60)
    return box[0]


def test_a_killed_worker_costs_only_its_file(tmp_path: Path) -> None:
    with WorkerPool(1) as pool:
        assert pool.run(_task("first")).error is None
        outcome = _run_while(pool, _task("victim"), lambda pid: os.kill(pid, signal.SIGKILL))
        assert outcome.error is not None and outcome.error.kind == "WorkerCrashedError"
        assert "killed by SIGKILL" in outcome.error.message and outcome.error.where == "victim"
        after = pool.run(_task("next"))  # a fresh worker takes the next file
        assert after.error is None and after.transcripts[0].report_json


def test_a_worker_stuck_past_the_time_limit_is_killed(tmp_path: Path) -> None:
    with WorkerPool(1, kill_grace_s=0.5) as pool:
        assert pool.run(_task("first")).error is None
        started = time.monotonic()
        outcome = _run_while(pool, _task("stuck", time_limit_s=1.0), lambda pid: None)  # never resumed
        assert time.monotonic() - started < 30
        assert outcome.error is not None and outcome.error.kind == "FileTimeLimitError"
        assert "time limit of 1 s" in outcome.error.message and "killed" in outcome.error.message
        assert pool.run(_task("next")).error is None


def test_workers_run_as_many_ocr_processes_as_the_pool_gives_them(monkeypatch) -> None:
    monkeypatch.delenv("GRADER_OCR_THREADS", raising=False)
    with WorkerPool(1, ocr_threads=3) as pool:
        assert pool.run(_task("first")).error is None
        [pid] = pool.pids()
        environ = Path(f"/proc/{pid}/environ")
        if not environ.exists():
            pytest.skip("needs /proc")
        variables = dict(v.split("=", 1) for v in environ.read_text().split("\0") if "=" in v)
        assert variables["GRADER_OCR_THREADS"] == "3" and variables["OMP_NUM_THREADS"] == "1"
