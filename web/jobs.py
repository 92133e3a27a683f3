"""Background grading: a thread pool that grades stored submissions, resumed after a restart.

::

    upload ─▶ Store.create (bytes stored, status queued) ─▶ GradingQueue.submit(id)
    worker ─▶ Store.claim (queued ─▶ running, runs += 1) ─▶ read every file ─▶ grade every transcript
           ─▶ Store.finish (one report or error per transcript) | Store.fail
    startup ─▶ Store.requeue_interrupted(max_runs) ─▶ submit each resumed id

Reading and grading go through the same library calls as ``grader grade``
(:func:`grader.transcripts.read_bytes`, :func:`grader.pipeline.choose_rubric`,
:func:`grader.pipeline.grade`), so the app accepts what the command line accepts. Grading never
raises out of a worker: a :class:`~grader.errors.GraderError` is recorded with its status,
message and where; anything else as an internal error (500) with its type.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from grader.errors import BudgetExceeded, GraderError
from grader.models import Report, Transcript
from grader.pipeline import choose_rubric, grade
from grader.transcripts import read_bytes
from web.store import Outcome, Store

log = logging.getLogger(__name__)


def read_files(files: list[tuple[str, bytes]]) -> list[Transcript]:
    """Every transcript of every file, in upload order (raises the first file's reading error)."""
    transcripts: list[Transcript] = []
    for name, data in files:
        transcripts += read_bytes(data, name)
    return transcripts


def grade_transcripts(transcripts: list[Transcript], homework: str | None) -> Iterator[Outcome]:
    """Grade each transcript on its own: one failing does not stop the others."""
    for transcript in transcripts:
        try:
            report: Report = grade(transcript, choose_rubric(transcript, homework or None))
            yield Outcome(transcript.source, report=report.to_json_dict(include_transcript=True))
        except GraderError as exc:
            yield Outcome(
                transcript.source, error=_error(exc.status_code, exc.message, exc.where or transcript.source)
            )
        except BudgetExceeded as exc:
            yield Outcome(
                transcript.source,
                error=_error(500, f"grading ran out of budget: {exc.message}", transcript.source),
            )


def _error(status: int, message: str, where: str) -> dict[str, object]:
    return {"status": status, "message": message, "where": where}


class GradingQueue:
    """Grades submissions on a pool of worker threads."""

    def __init__(self, store: Store, workers: int = 2, max_runs: int = 2) -> None:
        self.store = store
        self.workers = workers
        self.max_runs = max_runs
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()

    def start(self) -> list[str]:
        """Start the workers and re-queue interrupted jobs; returns the resumed ids."""
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="grader-worker")
        resumed, failed = self.store.requeue_interrupted(self.max_runs)
        for submission_id in resumed:
            self.submit(submission_id)
        if resumed:
            log.info("resumed %d interrupted grading job(s)", len(resumed))
        if failed:
            log.warning(
                "%d job(s) interrupted %d times were marked failed: %s", len(failed), self.max_runs, failed
            )
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
        """Grade one submission if it is still queued; record the reports or the error."""
        if not self.store.claim(submission_id):
            return
        row = self.store.get(submission_id)
        if row is None:
            return
        try:
            files = [(f.filename, self.store.file_bytes(f)) for f in self.store.files(submission_id)]
            transcripts = read_files(files)
            self.store.finish(
                submission_id, list(grade_transcripts(transcripts, row.homework_requested or None))
            )
        except GraderError as exc:
            self.store.fail(submission_id, exc.status_code, exc.message, exc.where)
        except BudgetExceeded as exc:
            self.store.fail(submission_id, 500, f"grading ran out of budget: {exc.message}", row.filename)
        except Exception as exc:  # a grader bug must not kill the worker: record it on the page
            log.exception("grading submission %s failed", submission_id)
            self.store.fail(submission_id, 500, f"internal error while grading: {type(exc).__name__}: {exc}")
