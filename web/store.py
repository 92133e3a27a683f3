"""Submissions in the database: create (deduplicated by content hash), claim, finish, list.

Every function takes a session factory so that request handlers and worker threads each use
their own short-lived session. Upload bytes are stored BEFORE any grading starts: either in
the row (``content``) or, when a files dir is configured, in a content-addressed file.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker, undefer

from web.db import Submission, utcnow


@dataclass(frozen=True)
class NewUpload:
    """A validated upload, ready to be stored."""

    filename: str
    data: bytes
    homework: str | None = None
    owner: str = "anonymous"

    @property
    def content_hash(self) -> str:
        """SHA-256 of the bytes, hex."""
        return hashlib.sha256(self.data).hexdigest()


class Store:
    """Data access for submissions."""

    def __init__(self, sessions: sessionmaker, files_dir: Path | None = None) -> None:
        self.sessions = sessions
        self.files_dir = files_dir

    # ------------------------------------------------------------------ create / read

    def find_duplicate(self, upload: NewUpload) -> Submission | None:
        """The owner's existing submission of the same bytes for the same homework choice."""
        with self.sessions() as session:
            return session.scalars(
                select(Submission).where(
                    Submission.owner == upload.owner,
                    Submission.content_hash == upload.content_hash,
                    Submission.homework_requested == (upload.homework or ""),
                )
            ).first()

    def _save_file(self, digest: str, data: bytes) -> str:
        assert self.files_dir is not None
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / digest[:2] / digest
        path.parent.mkdir(exist_ok=True)
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)
        return str(path)

    def create(self, upload: NewUpload) -> tuple[Submission, bool]:
        """Store an upload as a queued submission; returns ``(submission, created)``.

        An identical upload (same owner, bytes and homework choice) returns the existing
        submission with ``created=False``.
        """
        existing = self.find_duplicate(upload)
        if existing is not None:
            return existing, False
        digest = upload.content_hash
        row = Submission(
            id=uuid.uuid4().hex,
            owner=upload.owner,
            filename=upload.filename,
            content_hash=digest,
            size=len(upload.data),
            homework_requested=upload.homework or "",
            status="queued",
            runs=0,
            created_at=utcnow(),
        )
        if self.files_dir is not None:
            row.file_path = self._save_file(digest, upload.data)
        else:
            row.content = upload.data
        try:
            with self.sessions.begin() as session:
                session.add(row)
        except IntegrityError:  # a concurrent identical upload won the race
            existing = self.find_duplicate(upload)
            if existing is None:
                raise
            return existing, False
        return row, True

    def get(self, submission_id: str) -> Submission | None:
        """One submission by id, or None."""
        with self.sessions() as session:
            return session.get(
                Submission,
                submission_id,
                options=[undefer(Submission.content), undefer(Submission.report_json)],
            )

    def content(self, row: Submission) -> bytes:
        """The uploaded bytes of a submission."""
        if row.content is not None:
            return row.content
        if row.file_path:
            return Path(row.file_path).read_bytes()
        raise FileNotFoundError(f"submission {row.id} has no stored content")

    def search(
        self,
        *,
        status: str | None = None,
        homework: str | None = None,
        model: str | None = None,
        owner: str | None = None,
        limit: int = 500,
        with_report: bool = False,
    ) -> list[Submission]:
        """Submissions, newest first, filtered by the given fields (reports loaded when asked)."""
        query = select(Submission).order_by(Submission.created_at.desc()).limit(limit)
        if with_report:
            query = query.options(undefer(Submission.report_json))
        for column, value in (
            (Submission.status, status),
            (Submission.homework, homework),
            (Submission.model, model),
            (Submission.owner, owner),
        ):
            if value:
                query = query.where(column == value)
        with self.sessions() as session:
            return list(session.scalars(query))

    def distinct(self, column_name: str) -> list[str]:
        """The distinct non-empty values of a column of done submissions (for filter menus)."""
        column = getattr(Submission, column_name)
        query = select(column).where(Submission.status == "done", column.is_not(None)).distinct()
        with self.sessions() as session:
            return sorted(v for v in session.scalars(query) if v)

    # ------------------------------------------------------------------ life cycle

    def claim(self, submission_id: str) -> bool:
        """Atomically move a queued submission to running; False when someone else has it."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Submission)
                .where(Submission.id == submission_id, Submission.status == "queued")
                .values(status="running", started_at=utcnow(), runs=Submission.runs + 1)
            )
            return bool(result.rowcount)

    def finish(self, submission_id: str, report: dict[str, Any]) -> None:
        """Record a finished report (``report`` is the JSON data, transcript included)."""
        with self.sessions.begin() as session:
            session.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(
                    status="done",
                    homework=report.get("homework"),
                    model=report.get("model"),
                    score=report.get("score"),
                    max_score=report.get("max_score"),
                    report_json=json.dumps(report),
                    summary_json=json.dumps(part_summary(report)),
                    error_json=None,
                    finished_at=utcnow(),
                )
            )

    def fail(self, submission_id: str, status: int, message: str, where: str = "") -> None:
        """Record why a submission could not be graded."""
        error = {"status": status, "message": message, "where": where}
        with self.sessions.begin() as session:
            session.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(status="failed", error_json=json.dumps(error), finished_at=utcnow())
            )

    def requeue_interrupted(self) -> list[str]:
        """Put every queued or running submission back in the queue; returns their ids, oldest first.

        Called at startup: a job that was running when the process stopped starts over.
        """
        with self.sessions.begin() as session:
            ids = list(
                session.scalars(
                    select(Submission.id)
                    .where(Submission.status.in_(("queued", "running")))
                    .order_by(Submission.created_at)
                )
            )
            if ids:
                session.execute(update(Submission).where(Submission.id.in_(ids)).values(status="queued"))
        return ids


def part_summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-part verdicts of a report, kept beside it for the dashboard (no transcript to parse)."""
    keys = ("id", "first", "final", "hinted", "flags", "score", "max_score")
    return [{k: part.get(k) for k in keys} for part in report.get("parts", [])]


def summary_data(row: Submission) -> list[dict[str, Any]]:
    """The stored per-part verdicts of a done submission (empty otherwise)."""
    return json.loads(row.summary_json) if row.summary_json else []


def report_data(row: Submission) -> dict[str, Any] | None:
    """The stored report JSON of a done submission (transcript included), or None."""
    return json.loads(row.report_json) if row.report_json else None


def error_data(row: Submission) -> dict[str, Any] | None:
    """The stored error of a failed submission, or None."""
    return json.loads(row.error_json) if row.error_json else None
