"""The unit of work of a batch: the bytes of one file in, its reports (or its error) out.

:func:`run_task` is the one function every backend runs — in-process (``--jobs 1``), in a worker
process of the local pool, and on a Dask worker — so all of them produce the same reports. It works on
the file's *bytes* (the workers need not see the client's filesystem) and returns plain data that
pickles and caches: each transcript's report as JSON (with the transcript, for re-rendering) and the
per-transcript documents asked for, already rendered.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.batch.limits import (
    FileTimeLimit,
    memory_cap,
    peak_rss_mb,
    release_memory,
    reset_peak_rss,
    time_limit,
)
from grader.errors import BudgetExceeded, FileMemoryError, FileTimeLimitError, GraderError

DOCUMENT_FORMATS = ("json", "html", "md", "gradescope")
"""Formats rendered per transcript (the others, csv and jsonl, cover the whole run)."""

DOCUMENT_SUFFIXES = {
    "json": ".report.json",
    "html": ".report.html",
    "md": ".report.md",
    "gradescope": ".results.json",
}
"""File name suffix of each per-transcript format."""


@dataclass(frozen=True)
class GradeTask:
    """One file to grade, self-contained (it travels to worker processes and Dask workers)."""

    name: str
    """The file's output name (see :mod:`grader.batch.inputs`)."""
    source: str
    """The file name the readers see (``Transcript.source``), normally the base name."""
    data: bytes
    """The file's content."""
    homework: str | None = None
    """Grade against this homework; None detects it from the transcript."""
    formats: tuple[str, ...] = ("json", "html")
    """Per-transcript documents to render (a subset of :data:`DOCUMENT_FORMATS`)."""
    max_memory_mb: float | None = None
    """Per-file memory cap (address-space growth), None for none."""
    time_limit_s: float | None = None
    """Per-file time limit, None for none."""
    questions: Any = None
    """The course's question files (a :class:`grader.course.model.Course`), read once by the client and
    sent with the task, so that workers need not see the client's files."""


NONDETERMINISTIC = frozenset({"FileTimeLimitError", "FileMemoryError", "WorkerCrashedError", "InternalError"})
"""Error kinds that depend on the run (limits, load, crashes, bugs), never cached."""


@dataclass
class Failure:
    """Why a file or a transcript could not be graded."""

    kind: str
    """The error's class name: ``HomeworkError``, ``InputError``, ``FileTimeLimitError`` ... or
    ``InternalError`` for an unexpected exception (a bug to report)."""
    message: str
    """What went wrong, in one line."""
    where: str = ""
    """The file, member or line concerned, as the error gave it."""

    @classmethod
    def of(cls, exc: GraderError) -> Failure:
        """The failure an error describes."""
        return cls(type(exc).__name__, exc.message, exc.where)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class TranscriptOutcome:
    """One transcript of a file: its report (JSON) and rendered documents, or why it failed."""

    name: str
    """Output name of this transcript's documents."""
    source: str
    """``Transcript.source``."""
    report_json: str | None = None
    """``Report.model_dump_json(by_alias=True)`` including the transcript; None when grading failed."""
    documents: dict[str, str] = field(default_factory=dict)
    """Format -> rendered text (keys from :data:`DOCUMENT_FORMATS`)."""
    error: Failure | None = None
    """Why this transcript could not be graded, else None."""

    def report(self) -> Any:
        """The ``grader.models.Report`` (parsed from :attr:`report_json`); ValueError when there is none."""
        from grader.models import Report

        if self.report_json is None:
            raise ValueError(f"{self.name}: no report ({self.error})")
        parsed = self.__dict__.get("_parsed")  # parsed once; not a dataclass field, so never cached
        if parsed is None:
            parsed = self.__dict__["_parsed"] = Report.model_validate_json(self.report_json)
        return parsed


@dataclass
class TaskOutcome:
    """What grading one file produced."""

    name: str
    transcripts: list[TranscriptOutcome] = field(default_factory=list)
    """One entry per transcript found in the file (empty when the file could not be read)."""
    error: Failure | None = None
    """Why the file as a whole failed (reading, limits, crash), else None."""
    seconds: float = 0.0
    """Wall time spent on the file, reading and grading."""
    read_seconds: float = 0.0
    """Of which reading the transcript(s)."""
    cpu_seconds: float = 0.0
    """CPU time spent on the file by its process and the programs it ran (Tesseract): unlike wall time,
    it does not grow when other work shares the machine."""
    blocks_by_fidelity: dict[str, int] = field(default_factory=dict)
    """How the transcript blocks were read (``exact``, ``lossy``, ``ocr`` ... -> count): a file with
    ``ocr`` blocks needed OCR."""
    peak_rss_mb: float = 0.0
    """Peak resident memory of the process that graded it while it did (Linux; elsewhere over its life)."""
    worker: str = ""
    """Which process graded it (``host:pid``)."""
    grader_version: str = ""
    """The grader version of the process that graded it (a Dask worker may differ from the client)."""

    @property
    def deterministic(self) -> bool:
        """Whether the outcome depends only on the inputs (so it may be cached): not a limit or a crash."""
        kinds = [f.kind for f in [self.error, *(t.error for t in self.transcripts)] if f is not None]
        return not NONDETERMINISTIC.intersection(kinds)


def run_task(task: GradeTask) -> TaskOutcome:
    """Read and grade one file within its limits; never raises for a problem of the file."""
    import socket

    from grader.batch.cache import grader_version

    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    outcome = TaskOutcome(name=task.name, worker=f"{socket.gethostname()}:{os.getpid()}")
    release_memory()  # what the previous file left behind does not count against this one
    reset_peak_rss()
    try:
        with time_limit(task.time_limit_s), memory_cap(task.max_memory_mb) as capped:
            _grade_into(task, outcome, capped)
    except FileTimeLimit:
        _fail(outcome, FileTimeLimitError(_time_message(task.time_limit_s), task.name))
    except MemoryError:
        _fail(outcome, FileMemoryError(_memory_message(task.max_memory_mb), task.name))
    outcome.seconds = time.perf_counter() - started
    outcome.cpu_seconds = _cpu_seconds() - cpu_started
    outcome.peak_rss_mb = peak_rss_mb()
    outcome.grader_version = grader_version()
    return outcome


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (OCR runs Tesseract as a child)."""
    try:
        import resource
    except ImportError:
        return time.process_time()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _time_message(limit: float | None) -> str:
    return f"stopped: the file ran past the per-file time limit of {limit or 0:g} s (--time-limit)"


def _memory_message(cap: float | None) -> str:
    return f"stopped: the file needed more than the per-file memory cap of {cap or 0:g} MB (--max-memory-mb)"


def _fail(outcome: TaskOutcome, exc: GraderError) -> None:
    outcome.transcripts = []
    outcome.error = Failure.of(exc)


def _caused_by_memory(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, MemoryError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


def _out_of_memory(exc: BaseException, capped: bool) -> bool:
    """Whether ``exc`` is an allocation failure: a MemoryError anywhere in its chain or, under the cap, a
    SystemError (C code such as the regex engine can fail an allocation without setting MemoryError)."""
    return _caused_by_memory(exc) or (capped and isinstance(exc, SystemError))


def _grade_into(task: GradeTask, outcome: TaskOutcome, capped: bool = False) -> None:
    from grader.batch.inputs import transcript_names
    from grader.pipeline import grade_transcript
    from grader.transcripts import read_bytes

    t0 = time.perf_counter()
    try:
        transcripts = read_bytes(task.data, task.source)
    except (Exception, BudgetExceeded) as exc:  # noqa: BLE001 - a reader bug must not lose the batch
        if _out_of_memory(exc, capped):
            raise MemoryError from exc
        outcome.error = (
            Failure.of(exc) if isinstance(exc, GraderError) else _internal(exc, task.source, "reading")
        )
        return
    finally:
        outcome.read_seconds = time.perf_counter() - t0
    for transcript in transcripts:
        for turn in transcript.turns:
            for block in turn.blocks:
                counts = outcome.blocks_by_fidelity
                counts[block.fidelity] = counts.get(block.fidelity, 0) + 1
    names = transcript_names(task.name, [t.source for t in transcripts])
    for transcript, name in zip(transcripts, names, strict=True):
        item = TranscriptOutcome(name=name, source=transcript.source)
        outcome.transcripts.append(item)
        try:
            report = grade_transcript(transcript, task.homework, task.questions)
            item.report_json = report.model_dump_json(by_alias=True)
            item.documents = render_documents(report, task.formats)
        except (Exception, BudgetExceeded) as exc:  # noqa: BLE001 - a grading bug must not lose the batch
            if _out_of_memory(exc, capped):
                raise MemoryError from exc
            item.error = (
                Failure.of(exc)
                if isinstance(exc, GraderError)
                else _internal(exc, transcript.source, "grading")
            )


def _internal(exc: BaseException, where: str, stage: str) -> Failure:
    """An unexpected error, with its type, message and innermost frame, to report upstream."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    at = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = f"internal error while {stage}: {type(exc).__name__}: {exc}{at} (please report it)"
    return Failure("InternalError", message, where)


def render_documents(report: Any, formats: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The per-transcript documents of ``report`` in ``formats`` (others ignored)."""
    from grader.reports import gradescope_results, render_html, render_markdown, report_json

    renderers: dict[str, Callable[[Any], str]] = {
        "json": report_json,
        "md": render_markdown,
        "html": render_html,
        "gradescope": lambda r: json.dumps(gradescope_results(r), indent=2),
    }
    return {fmt: renderers[fmt](report) for fmt in DOCUMENT_FORMATS if fmt in formats}
