"""Batch grading: many files on worker processes or a Dask cluster, with a result cache.

::

    grade_files(paths, BatchOptions) ─▶ batch_inputs (unique output names)
        ─▶ ResultCache.get (content + rubric + grader version) ─▶ hit: reused
        ─▶ miss: run_task(GradeTask) in-process | WorkerPool | Dask ─▶ ResultCache.put
        ─▶ BatchResult (files in input order: reports, rendered documents, per-file failures)

The same calls serve the CLI (``grader grade --jobs N --dask ADDRESS``) and any other caller, e.g. a
web worker grading one upload with the shared cache::

    from grader.batch import ResultCache, cache_key, rubrics_version, GradeTask, run_task
    cache = ResultCache(Path("/var/cache/grader"))
    key = cache_key(data, "upload.pdf", rubrics_version())
    outcome = cache.get(key, name="upload") or run_task(GradeTask("upload", "upload.pdf", data))
    cache.put(key, outcome)
    reports = [t.report() for t in outcome.transcripts if t.report_json]
"""

from grader.batch.cache import (
    ResultCache,
    cache_key,
    content_hash,
    default_cache_dir,
    grader_version,
    rubrics_version,
)
from grader.batch.executor import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIME_LIMIT_S,
    BatchOptions,
    BatchResult,
    FileResult,
    Progress,
    default_jobs,
    grade_files,
)
from grader.batch.inputs import BatchInput, batch_inputs
from grader.batch.pool import WorkerPool
from grader.batch.task import Failure, GradeTask, TaskOutcome, TranscriptOutcome, run_task

__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIME_LIMIT_S",
    "BatchInput",
    "BatchOptions",
    "BatchResult",
    "Failure",
    "FileResult",
    "GradeTask",
    "Progress",
    "ResultCache",
    "TaskOutcome",
    "TranscriptOutcome",
    "WorkerPool",
    "batch_inputs",
    "cache_key",
    "content_hash",
    "default_cache_dir",
    "default_jobs",
    "grade_files",
    "grader_version",
    "rubrics_version",
    "run_task",
]
