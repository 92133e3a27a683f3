"""Background grading: a thread pool that grades stored submissions, resumed after a restart.

::

    upload ─▶ Store.create (bytes stored, status queued) ─▶ GradingQueue.submit(id)
    worker ─▶ Store.claim (queued ─▶ running) ─▶ read + grade ─▶ Store.finish | Store.fail
    startup ─▶ Store.requeue_interrupted (queued/running ─▶ queued) ─▶ submit each

Grading never raises out of a worker: a :class:`~grader.errors.GraderError` is recorded with
its status, message and where; anything else as an internal error (500) with its type.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from grader.errors import BudgetExceeded, GraderError
from grader.models import Report
from grader.pipeline import choose_rubric, grade
from grader.transcripts import read_text
from grader.transcripts.decode import decode_bytes
from web.store import Store

log = logging.getLogger(__name__)


def grade_bytes(data: bytes, filename: str, homework: str | None = None) -> Report:
    """Read uploaded bytes as a transcript and grade it (raises GraderError subclasses)."""
    text, warnings = decode_bytes(data, filename)
    transcript = read_text(text, filename)
    transcript.warnings.extend(w for w in warnings if w not in transcript.warnings)
    return grade(transcript, choose_rubric(transcript, homework or None))


class GradingQueue:
    """Grades submissions on a pool of worker threads."""

    def __init__(self, store: Store, workers: int = 2) -> None:
        self.store = store
        self.workers = workers
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()

    def start(self) -> list[str]:
        """Start the workers and re-queue interrupted jobs; returns the resumed ids."""
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="grader-worker")
        resumed = self.store.requeue_interrupted()
        for submission_id in resumed:
            self.submit(submission_id)
        if resumed:
            log.info("resumed %d interrupted grading job(s)", len(resumed))
        return resumed

    def stop(self, wait: bool = True) -> None:
        """Stop taking jobs; queued ones not yet started stay queued in the database."""
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None

    def submit(self, submission_id: str) -> None:
        """Queue a stored submission for grading."""
        if self._executor is None:
            return  # not started (or stopping): the row stays queued and is resumed at startup
        future = self._executor.submit(self.run_one, submission_id)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def pending(self) -> int:
        """How many jobs are queued or running in this process."""
        with self._lock:
            return len(self._futures)

    def run_one(self, submission_id: str) -> None:
        """Grade one submission if it is still queued; record the report or the error."""
        if not self.store.claim(submission_id):
            return
        row = self.store.get(submission_id)
        if row is None:
            return
        try:
            data = self.store.content(row)
            report = grade_bytes(data, row.filename, row.homework_requested or None)
            self.store.finish(submission_id, report.to_json_dict(include_transcript=True))
        except GraderError as exc:
            self.store.fail(submission_id, exc.status_code, exc.message, exc.where)
        except BudgetExceeded as exc:
            self.store.fail(submission_id, 500, f"grading ran out of budget: {exc.message}", row.filename)
        except Exception as exc:  # a grader bug must not kill the worker: record it on the page
            log.exception("grading submission %s failed", submission_id)
            self.store.fail(submission_id, 500, f"internal error while grading: {type(exc).__name__}: {exc}")
