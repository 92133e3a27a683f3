"""Grade many files: cache look-ups, then the misses on one of three backends, results in input order.

Backends (all run :func:`grader.batch.task.run_task`, so they give the same reports):

- ``jobs == 1``: in this process, one file after the other;
- ``jobs > 1``: a :class:`~grader.batch.pool.WorkerPool` of that many processes;
- ``dask``: a Dask distributed cluster (:mod:`grader.batch.dask_runner`).

Files are read here, one window ahead of the workers, so a batch of thousands never holds more than a
few files in memory; a file that cannot be read is a per-file error like any other.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from grader.batch.cache import ResultCache, cache_key, questions_version, rubrics_version
from grader.batch.inputs import BatchInput, batch_inputs
from grader.batch.task import DOCUMENT_FORMATS, Failure, GradeTask, TaskOutcome, TranscriptOutcome, run_task
from grader.batch.window import run_windowed
from grader.errors import GraderError, InputError

if TYPE_CHECKING:
    from grader.batch.dask_runner import DaskRunner

DEFAULT_MAX_MEMORY_MB = 3072.0
"""Default per-file memory cap: what one file may add to its worker's *address space* (virtual memory,
which runs 1.5-3x above resident memory; the heaviest file of the development corpus, OCR of very
tall screenshots, needed 1.9 GB of address space for 1.1 GB resident)."""
DEFAULT_TIME_LIMIT_S = 600.0
"""Default per-file time limit (reading, OCR and grading together)."""


def default_jobs() -> int:
    """The machine's cores available to this process (the default ``--jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class BatchOptions:
    """How to grade a batch (the library form of ``grader grade``'s options)."""

    homework: str | None = None
    """Grade every file against this homework; None detects each file's homework."""
    formats: tuple[str, ...] = ("json", "html")
    """Per-transcript documents to render: json, html, md, gradescope."""
    jobs: int | None = None
    """Worker processes (or LocalCluster workers with ``dask``); None: the machine's cores; 1: in-process."""
    dask: bool = False
    """Run on Dask distributed."""
    dask_address: str | None = None
    """Scheduler address (``tcp://host:port``); None starts a LocalCluster of ``jobs`` workers."""
    cache_dir: Path | None = None
    """Result cache folder; None grades everything and caches nothing."""
    use_cache: bool = True
    """False re-grades every file (results are still stored for the next run)."""
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB
    """Per-file memory cap in MB (None or 0: none); applies in worker processes, not in-process."""
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S
    """Per-file time limit in seconds (None or 0: none)."""
    questions: Any = None
    """The course's question files (``grader.cli.load_questions``), for detection and alignment."""

    def worker_count(self) -> int:
        """The number of parallel workers asked for."""
        return self.jobs if self.jobs and self.jobs > 0 else default_jobs()


@dataclass
class FileResult:
    """One input file of a batch and what became of it."""

    path: Path
    """The file as given."""
    name: str
    """Its unique output name (see :mod:`grader.batch.inputs`)."""
    outcome: TaskOutcome
    """Reports, rendered documents, or the error."""
    cached: bool = False
    """Whether the outcome came from the result cache."""
    hrefs: dict[str, dict[str, str]] = field(default_factory=dict)
    """Transcript name -> format -> written file (relative to the output folder), set by the writer."""

    @property
    def transcripts(self) -> list[TranscriptOutcome]:
        """The transcripts found in the file (empty when it could not be read)."""
        return self.outcome.transcripts

    @property
    def failures(self) -> list[tuple[str, Failure]]:
        """``(name, failure)`` for the file or each transcript that could not be graded."""
        if self.outcome.error is not None:
            return [(self.name, self.outcome.error)]
        return [(t.name, t.error) for t in self.transcripts if t.error is not None]


@dataclass
class BatchResult:
    """Everything a batch produced, files in input order."""

    files: list[FileResult]
    seconds: float
    """Wall time of the whole batch."""
    backend: str
    """``in-process``, ``N worker processes`` or ``dask <address>``."""
    worker_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    """Peak resident memory of each process that graded files (``host:pid`` -> MB)."""

    @property
    def cached(self) -> int:
        """How many files came from the cache."""
        return sum(1 for f in self.files if f.cached)

    @property
    def failures(self) -> list[tuple[str, Failure]]:
        """Every file or transcript that could not be graded, with why."""
        return [item for f in self.files for item in f.failures]

    def reports(self) -> list[Any]:
        """The reports (``grader.models.Report``) of every graded transcript, in input order."""
        return [t.report() for f in self.files for t in f.transcripts if t.report_json is not None]


class Progress(Protocol):
    """What a batch tells its caller while it runs (all calls from the calling thread)."""

    def started(self, name: str) -> None:
        """A file was handed to a worker."""

    def finished(self, result: FileResult) -> None:
        """A file is done (graded, failed or taken from the cache)."""


class _NoProgress:
    def started(self, name: str) -> None:
        pass

    def finished(self, result: FileResult) -> None:
        pass


Runner = Callable[
    [Iterator[tuple[int, GradeTask]], Callable[[GradeTask], None]], Iterator[tuple[int, TaskOutcome]]
]


def grade_files(
    paths: Iterable[str | Path], options: BatchOptions | None = None, progress: Progress | None = None
) -> BatchResult:
    """Grade files and folders; per-file problems are reported in the result, never raised.

    Raises only for the batch as a whole: TargetError for an unknown ``homework``, ValueError for an
    unknown format, GraderError when the Dask cluster cannot be reached.

    Example::

        result = grade_files(["submissions/"], BatchOptions(jobs=4, cache_dir=Path(".cache")))
        for name, failure in result.failures:
            print(name, failure)
    """
    options = options or BatchOptions()
    progress = progress or _NoProgress()
    bad = [f for f in options.formats if f not in DOCUMENT_FORMATS]
    if bad:
        raise ValueError(
            f"unknown document format(s) {', '.join(bad)}; choose from {', '.join(DOCUMENT_FORMATS)}"
        )
    if options.homework and (options.questions is None or options.questions.get(options.homework) is None):
        from grader.rubric import get_rubric

        get_rubric(options.homework)  # a homework needs a rubric, or question files to report on
    started = time.perf_counter()
    inputs = batch_inputs(paths)
    cache = ResultCache(options.cache_dir) if options.cache_dir else None
    version = rubrics_version(homework=options.homework) if cache else ""
    if cache and options.questions is not None:
        version += "+" + questions_version(options.questions)
    results: dict[int, FileResult] = {}
    keys: dict[int, str] = {}

    def done(index: int, outcome: TaskOutcome, cached: bool = False) -> None:
        item = inputs[index]
        if cache is not None and not cached and index in keys and outcome.grader_version:
            from grader.batch.cache import grader_version

            if outcome.grader_version == grader_version():  # a Dask worker on other code: do not cache
                cache.put(keys[index], outcome)
        result = FileResult(path=item.path, name=item.name, outcome=outcome, cached=cached)
        results[index] = result
        progress.finished(result)

    def tasks() -> Iterator[tuple[int, GradeTask]]:
        for index in _dispatch_order(inputs, parallel=options.dask or options.worker_count() > 1):
            item = inputs[index]
            try:
                data = _read(item)
            except GraderError as exc:
                done(index, TaskOutcome(name=item.name, error=Failure.of(exc)))
                continue
            if cache is not None:
                keys[index] = cache_key(data, item.path.name, version)
                hit = cache.get(keys[index], item.name) if options.use_cache else None
                if hit is not None:
                    done(index, hit, cached=True)
                    continue
            yield index, _task(item, data, options)

    runner, backend, dask = _runner(options, len(inputs))
    peaks: dict[str, float] = {}
    for index, outcome in runner(tasks(), lambda task: progress.started(task.name)):
        if outcome.worker:
            peaks[outcome.worker] = max(peaks.get(outcome.worker, 0.0), outcome.peak_rss_mb)
        done(index, outcome)
    if dask is not None:
        peaks.update({f"dask worker {k}": v for k, v in dask.peak_rss_mb.items()})
    files = [results[i] for i in sorted(results)]
    return BatchResult(
        files=files, seconds=time.perf_counter() - started, backend=backend, worker_peak_rss_mb=peaks
    )


def _dispatch_order(inputs: list[BatchInput], parallel: bool) -> list[int]:
    """Input order for one worker; largest files first for several, so that a long file does not start
    last and leave the other workers idle (sizes are the only cost known before reading)."""
    if not parallel:
        return list(range(len(inputs)))

    def size(i: int) -> int:
        try:
            return inputs[i].path.stat().st_size
        except OSError:
            return 0

    return sorted(range(len(inputs)), key=lambda i: (-size(i), i))


def _read(item: BatchInput) -> bytes:
    from grader.transcripts import MAX_BYTES
    from grader.transcripts.decode import check_size

    where = item.name
    try:
        check_size(item.path.stat().st_size, where)
        with item.path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", str(item.path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", str(item.path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", str(item.path)) from exc


def _task(item: BatchInput, data: bytes, options: BatchOptions) -> GradeTask:
    return GradeTask(
        name=item.name,
        source=item.path.name,
        data=data,
        homework=options.homework,
        formats=tuple(options.formats),
        max_memory_mb=options.max_memory_mb or None,
        time_limit_s=options.time_limit_s or None,
        questions=options.questions,
    )


def _runner(options: BatchOptions, files: int) -> tuple[Runner, str, DaskRunner | None]:
    """How the batch runs. ``--jobs N`` is N cores in all: ``--jobs 1`` grades in this process with one
    Tesseract process at a time; more jobs start never more worker processes than files, and the cores a
    worker does not stand for go to its OCR (one file with ``--jobs 2``: one worker, two Tesseract
    processes)."""
    if options.dask:
        from grader.batch.dask_runner import DaskRunner

        dask = DaskRunner(options.dask_address, options.worker_count())
        return dask.run, dask.describe(), dask
    jobs = options.worker_count()
    if jobs == 1:
        return _run_in_process, "in-process", None
    workers = max(1, min(jobs, files))
    ocr_threads = max(1, jobs // workers)
    return (
        (lambda tasks, started: _run_in_pool(tasks, started, workers, ocr_threads)),
        f"{workers} worker process{'es' if workers > 1 else ''}",
        None,
    )


def _run_in_process(
    tasks: Iterator[tuple[int, GradeTask]], started: Callable[[GradeTask], None]
) -> Iterator[tuple[int, TaskOutcome]]:
    from grader.batch.worker import warm_up
    from grader.transcripts.pdf.ocr import limit_ocr_threads

    warmed = False
    for index, task in tasks:
        if not warmed:
            warm_up()  # as a worker process does, so the first file's memory cap does not count imports
            warmed = True
        started(task)
        # No memory cap in this process: a C library whose allocation fails may end the process (OpenBLAS
        # calls exit()), which would end the batch. The cap applies in worker processes (jobs > 1, Dask).
        with limit_ocr_threads(1):  # --jobs 1: one core
            outcome = run_task(replace(task, max_memory_mb=None))
        yield index, outcome


def _run_in_pool(
    tasks: Iterator[tuple[int, GradeTask]],
    started: Callable[[GradeTask], None],
    jobs: int,
    ocr_threads: int = 1,
) -> Iterator[tuple[int, TaskOutcome]]:
    from grader.batch.pool import WorkerPool

    window = jobs  # a file is read when a worker is free for it, so ``started`` means started
    with (
        WorkerPool(jobs, ocr_threads=ocr_threads) as pool,
        ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grader-batch") as threads,
    ):

        def submit(index: int, task: GradeTask) -> Future[TaskOutcome]:
            started(task)
            return threads.submit(pool.run, task)

        def finished(running: dict[Future[TaskOutcome], tuple[int, GradeTask]]) -> set[Future[TaskOutcome]]:
            return wait(running, return_when=FIRST_COMPLETED)[0]

        for future, index, _ in run_windowed(tasks, window, submit, finished):
            yield index, future.result()
