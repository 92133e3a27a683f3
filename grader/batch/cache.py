"""A result cache for batches: a file graded once is not graded again until something that matters changes.

The key of a file's result is the SHA-256 of

- the file's **content** and base name (the name is printed in the report; the date and folder are
  not used, so a copy moved elsewhere hits and an edited file misses);
- the **rubric version**: every rubric file of the rubric folder and the source of each rubric's
  reference module (a new or edited rubric can change which homework a transcript is detected as, so
  all of them count), plus ``--homework`` when given;
- the **grader version**: the package version and a hash of the grader's own source (``grader/**``:
  Python, templates, packaged data), so any code change invalidates;
- the **environment** that changes what is read or graded: the versions of sympy, numpy and PyMuPDF,
  whether Tesseract is installed, the per-transcript grading budget.

An entry holds the file's outcome (reports with their transcripts, rendered documents, per-file
errors that depend only on the content). Results that depend on the run — a time limit, the memory
cap, a crashed worker, an internal error — are never stored. Entries are gzipped JSON files written
atomically (write to a temporary file, then rename), so several processes (batch workers, the web
app's workers) can share one cache folder.

Location: ``--cache-dir``; else ``$GRADER_CACHE_DIR/results``; else ``<output folder>/.grader-cache``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from grader import __version__
from grader.batch.task import Failure, TaskOutcome, TranscriptOutcome

CACHE_SCHEMA = "grader.batch-cache/1"
GRADER_DIR = Path(__file__).resolve().parents[1]
_SOURCE_SUFFIXES = (".py", ".j2", ".yaml", ".json", ".css", ".js")


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes (hex)."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def grader_version() -> str:
    """``<package version>+<hash of the grader's source>``: changes with any edit of ``grader/``."""
    h = hashlib.sha256()
    for path in sorted(GRADER_DIR.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            h.update(path.relative_to(GRADER_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"


def rubrics_version(directory: Path | None = None, homework: str | None = None) -> str:
    """A hash of every rubric of ``directory`` (default: the project's) and their reference modules."""
    from grader.reproductions import rubric_version
    from grader.rubric import rubrics

    h = hashlib.sha256((homework or "").encode())
    for rid, rubric in sorted(rubrics(directory).items()):
        h.update(rid.encode())
        h.update(rubric_version(rubric).encode())
    return h.hexdigest()[:16]


def questions_version(course: Any) -> str:
    """A hash of a course's question files as read (homework ids, part ids and texts)."""
    h = hashlib.sha256()
    for hw_id, homework in sorted(course.homeworks.items()):
        h.update(hw_id.encode())
        for part in homework.parts():
            h.update(part.id.encode())
            h.update(part.text.encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def environment_version() -> str:
    """The library versions and tools that change what is read or graded, as one short string."""
    from importlib import metadata

    from grader.deadline import default_budget

    parts = []
    for dist in ("sympy", "numpy", "pymupdf"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=none")
    parts.append(f"tesseract={'yes' if shutil.which('tesseract') else 'no'}")
    parts.append(f"budget={default_budget():g}")
    return ";".join(parts)


def cache_key(
    data: bytes, source: str, rubric_version: str, grader: str | None = None, env: str | None = None
) -> str:
    """The cache key of the result of file ``source`` with content ``data`` (see the module docstring)."""
    h = hashlib.sha256()
    pieces = (
        content_hash(data),
        source,
        rubric_version,
        grader or grader_version(),
        env or environment_version(),
    )
    for piece in pieces:
        h.update(piece.encode())
        h.update(b"\0")
    return h.hexdigest()


def default_cache_dir(out: Path) -> Path:
    """Where results are cached when no folder is given: ``$GRADER_CACHE_DIR/results`` or ``<out>/.grader-cache``."""
    root = os.environ.get("GRADER_CACHE_DIR")
    return Path(root) / "results" if root else Path(out) / ".grader-cache"


class ResultCache:
    """Batch results on disk, by :func:`cache_key`; safe to share between processes.

    Example::

        cache = ResultCache(Path("reports/.grader-cache"))
        key = cache_key(data, "x.pdf", rubrics_version())
        outcome = cache.get(key, name="thread_1/x")   # None on a miss
        ...
        cache.put(key, outcome)
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file that holds (or would hold) the entry of ``key``."""
        return self.root / key[:2] / f"{key}.json.gz"

    def get(self, key: str, name: str) -> TaskOutcome | None:
        """The cached outcome of ``key`` renamed to ``name`` (the run's output name), or None."""
        try:
            raw = gzip.decompress(self.path(key).read_bytes())
            data = json.loads(raw)
        except (OSError, EOFError, ValueError):
            return None  # missing, or damaged by a crash: grade again
        if not isinstance(data, dict) or data.get("schema") != CACHE_SCHEMA or data.get("key") != key:
            return None
        try:
            return _outcome_from_json(data["outcome"], name)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, outcome: TaskOutcome) -> bool:
        """Store ``outcome`` under ``key`` unless it depends on the run; returns whether it was stored."""
        if not outcome.deterministic:
            return False
        entry = {"schema": CACHE_SCHEMA, "key": key, "outcome": _outcome_to_json(outcome)}
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".gz")
            with os.fdopen(fd, "wb") as handle:
                handle.write(gzip.compress(json.dumps(entry, ensure_ascii=False).encode("utf-8"), 6))
            os.replace(tmp, target)
        except OSError:
            return False  # a read-only or full disk costs speed on the next run, never a result
        return True

    def clear(self) -> None:
        """Remove every entry."""
        shutil.rmtree(self.root, ignore_errors=True)


def _outcome_to_json(outcome: TaskOutcome) -> dict[str, Any]:
    data = asdict(outcome)
    data.pop("name")
    return data


def _failure(data: dict[str, Any] | None) -> Failure | None:
    return None if data is None else Failure(**data)


def _outcome_from_json(data: dict[str, Any], name: str) -> TaskOutcome:
    from grader.batch.inputs import transcript_names

    items = data.get("transcripts", [])
    names = transcript_names(name, [t["source"] for t in items])
    transcripts = [
        TranscriptOutcome(
            name=n,
            source=t["source"],
            report_json=t.get("report_json"),
            documents=dict(t.get("documents", {})),
            error=_failure(t.get("error")),
        )
        for t, n in zip(items, names, strict=True)
    ]
    fields = {
        k: data[k]
        for k in ("seconds", "read_seconds", "peak_rss_mb", "worker", "grader_version")
        if k in data
    }
    return TaskOutcome(name=name, transcripts=transcripts, error=_failure(data.get("error")), **fields)
