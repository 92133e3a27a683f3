"""Submissions in the database: create, claim, finish, list, re-grade, delete (with an audit entry).

Every method opens its own short-lived session, so request handlers and worker threads never
share one. Upload bytes are stored BEFORE any grading starts: in ``submission_files`` rows or,
when a files dir is configured, in content-addressed files. A submission holds every file
uploaded together, and one report per transcript read from them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker, undefer

from web.blobs import load_blob, remove_blob, save_blob, sha256_hex
from web.db import AuditEntry, CourseFile, ReportRow, Submission, SubmissionFile, utcnow

INTERRUPTED = "grading was interrupted (the server stopped while grading this submission)"


@dataclass(frozen=True)
class UploadedFile:
    """One file of an upload."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class NewUpload:
    """A checked upload, ready to be stored: its files, whose it is and who uploaded it."""

    files: list[UploadedFile]
    homework: str | None = None
    owner: str = ""
    owner_id: int | None = None
    course_id: str | None = None
    uploaded_by: str = ""

    @property
    def content_hash(self) -> str:
        """SHA-256 over the files' own SHA-256s in order (names do not count)."""
        digest = hashlib.sha256()
        for f in self.files:
            digest.update(bytes.fromhex(sha256_hex(f.data)))
        return digest.hexdigest()

    @property
    def display_name(self) -> str:
        """The first file's name, and how many more there are."""
        first = self.files[0].filename if self.files else "upload"
        more = len(self.files) - 1
        return f"{first} (+{more} more)" if more > 0 else first


@dataclass(frozen=True)
class Outcome:
    """The grading of one transcript: its report JSON, or the error that stopped it."""

    source: str
    report: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


def blob_referenced(session: Session, digest: str) -> bool:
    """True when a submission file or a question PDF still uses the stored bytes ``digest``."""
    for model in (SubmissionFile, CourseFile):
        count = session.scalar(select(func.count()).select_from(model).where(model.content_hash == digest))
        if count:
            return True
    return False


class Store:
    """Data access for submissions, their files and reports, and the audit log."""

    def __init__(self, sessions: sessionmaker, files_dir: Path | None = None) -> None:
        self.sessions = sessions
        self.files_dir = files_dir

    # ------------------------------------------------------------------ create / read

    def find_duplicate(self, upload: NewUpload) -> Submission | None:
        """The same owner's submission of the same bytes, course and homework choice, if any."""
        with self.sessions() as session:
            return session.scalars(
                select(Submission).where(
                    Submission.owner_id == upload.owner_id,
                    Submission.owner == upload.owner,
                    Submission.course_id == upload.course_id,
                    Submission.content_hash == upload.content_hash,
                    Submission.homework_requested == (upload.homework or ""),
                )
            ).first()

    def create(self, upload: NewUpload) -> tuple[Submission, bool]:
        """Store an upload as a queued submission; returns ``(submission, created)``.

        The same owner uploading the same bytes again gets the existing submission
        (``created=False``); two people uploading the same bytes get one each.
        """
        existing = self.find_duplicate(upload)
        if existing is not None:
            return existing, False
        row = Submission(
            id=uuid.uuid4().hex,
            course_id=upload.course_id,
            owner_id=upload.owner_id,
            owner=upload.owner,
            uploaded_by=upload.uploaded_by or upload.owner,
            filename=upload.display_name[:255],
            file_count=len(upload.files),
            content_hash=upload.content_hash,
            size=sum(len(f.data) for f in upload.files),
            homework_requested=upload.homework or "",
            status="queued",
            runs=0,
            report_count=0,
            created_at=utcnow(),
        )
        files = []
        for position, f in enumerate(upload.files):
            digest = sha256_hex(f.data)
            stored = SubmissionFile(
                submission_id=row.id,
                position=position,
                filename=f.filename,
                size=len(f.data),
                content_hash=digest,
            )
            if self.files_dir is not None:
                stored.file_path = save_blob(self.files_dir, digest, f.data)
            else:
                stored.content = f.data
            files.append(stored)
        with self.sessions.begin() as session:
            session.add(row)
            session.flush()
            session.add_all(files)
        return row, True

    def get(self, submission_id: str) -> Submission | None:
        """One submission by id, or None."""
        with self.sessions() as session:
            return session.get(Submission, submission_id)

    def files(self, submission_id: str) -> list[SubmissionFile]:
        """The submission's files in upload order, bytes loaded."""
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(SubmissionFile)
                    .where(SubmissionFile.submission_id == submission_id)
                    .order_by(SubmissionFile.position)
                    .options(undefer(SubmissionFile.content))
                )
            )

    @staticmethod
    def file_bytes(stored: SubmissionFile) -> bytes:
        """The bytes of one stored file."""
        return load_blob(stored.content, stored.file_path, f"file {stored.filename}")

    def reports(self, submission_id: str, with_json: bool = True) -> list[ReportRow]:
        """The submission's reports (one per transcript) in order."""
        query = select(ReportRow).where(ReportRow.submission_id == submission_id).order_by(ReportRow.position)
        if with_json:
            query = query.options(undefer(ReportRow.report_json))
        with self.sessions() as session:
            return list(session.scalars(query))

    def search(
        self,
        *,
        courses: list[str] | None = None,
        owner_id: int | None = None,
        status: str | None = None,
        homework: str | None = None,
        model: str | None = None,
        limit: int = 500,
    ) -> list[Submission]:
        """Submissions, newest first: of the given courses (None: any) and owner (None: anyone)."""
        query = select(Submission).order_by(Submission.created_at.desc()).limit(limit)
        if courses is not None:
            query = query.where(Submission.course_id.in_(courses))
        if owner_id is not None:
            query = query.where(Submission.owner_id == owner_id)
        for column, value in (
            (Submission.status, status),
            (Submission.homework, homework),
            (Submission.model, model),
        ):
            if value:
                query = query.where(column == value)
        with self.sessions() as session:
            return list(session.scalars(query))

    def graded_reports(
        self,
        courses: list[str],
        *,
        homework: str | None = None,
        model: str | None = None,
        with_json: bool = False,
    ) -> list[tuple[Submission, ReportRow]]:
        """Every graded report of the courses' submissions, oldest first, with its submission."""
        query = (
            select(Submission, ReportRow)
            .join(ReportRow, ReportRow.submission_id == Submission.id)
            .where(Submission.course_id.in_(courses), ReportRow.status == "done")
            .order_by(Submission.created_at, ReportRow.position)
        )
        if homework:
            query = query.where(ReportRow.homework == homework)
        if model:
            query = query.where(ReportRow.model == model)
        if with_json:
            query = query.options(undefer(ReportRow.report_json))
        with self.sessions() as session:
            return [(s, r) for s, r in session.execute(query)]

    def distinct(self, column_name: str, courses: list[str] | None = None) -> list[str]:
        """The distinct non-empty values of a report column (for filter menus)."""
        column = getattr(ReportRow, column_name)
        query = select(column).join(Submission, Submission.id == ReportRow.submission_id)
        query = query.where(ReportRow.status == "done", column.is_not(None)).distinct()
        if courses is not None:
            query = query.where(Submission.course_id.in_(courses))
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

    def finish(self, submission_id: str, outcomes: list[Outcome]) -> None:
        """Record the grading of every transcript; the submission is done when one was graded."""
        graded = [o for o in outcomes if o.report is not None]
        first = graded[0].report if graded else None
        error = None
        if first is None:
            error = next((o.error for o in outcomes if o.error), None) or {
                "status": 422,
                "message": "no transcript was found in the upload",
                "where": "",
            }
        with self.sessions.begin() as session:
            session.execute(delete(ReportRow).where(ReportRow.submission_id == submission_id))
            for position, o in enumerate(outcomes):
                report = o.report or {}
                session.add(
                    ReportRow(
                        submission_id=submission_id,
                        position=position,
                        source=o.source[:512],
                        status="done" if o.report is not None else "failed",
                        homework=report.get("homework"),
                        model=report.get("model"),
                        score=report.get("score"),
                        max_score=report.get("max_score"),
                        report_json=json.dumps(o.report) if o.report is not None else None,
                        summary_json=json.dumps(part_summary(report)) if o.report is not None else None,
                        error_json=json.dumps(o.error) if o.error else None,
                    )
                )
            session.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(
                    status="done" if first is not None else "failed",
                    homework=(first or {}).get("homework"),
                    model=(first or {}).get("model"),
                    score=(first or {}).get("score"),
                    max_score=(first or {}).get("max_score"),
                    report_count=len(graded),
                    error_json=json.dumps(error) if error else None,
                    finished_at=utcnow(),
                )
            )

    def fail(self, submission_id: str, status: int, message: str, where: str = "") -> None:
        """Record why a submission could not be graded at all."""
        error = {"status": status, "message": message, "where": where}
        with self.sessions.begin() as session:
            session.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(status="failed", error_json=json.dumps(error), finished_at=utcnow())
            )

    def requeue_interrupted(self, max_runs: int) -> tuple[list[str], list[str]]:
        """At startup: re-queue what a stopped process left queued or running; returns ``(resumed, failed)``.

        A job already started ``max_runs`` times (each time the process died under it) is not tried
        again: it is marked failed with that error, so a job that kills the server cannot crash-loop it.
        """
        with self.sessions.begin() as session:
            rows = list(
                session.execute(
                    select(Submission.id, Submission.runs, Submission.status)
                    .where(Submission.status.in_(("queued", "running")))
                    .order_by(Submission.created_at)
                )
            )
            failed = [sid for sid, runs, _ in rows if runs >= max_runs]
            resumed = [sid for sid, runs, _ in rows if runs < max_runs]
            if failed:
                error = {
                    "status": 500,
                    "message": f"{INTERRUPTED} {max_runs} times; not tried again (re-grade it to retry)",
                    "where": "",
                }
                session.execute(
                    update(Submission)
                    .where(Submission.id.in_(failed))
                    .values(status="failed", error_json=json.dumps(error), finished_at=utcnow())
                )
            interrupted = [sid for sid, _, status in rows if status == "running" and sid in resumed]
            if interrupted:
                error = {"status": 500, "message": INTERRUPTED + "; trying again", "where": ""}
                session.execute(
                    update(Submission)
                    .where(Submission.id.in_(interrupted))
                    .values(error_json=json.dumps(error))
                )
            if resumed:
                session.execute(update(Submission).where(Submission.id.in_(resumed)).values(status="queued"))
        return resumed, failed

    def regrade(self, submission_id: str, actor: str, homework: str | None) -> None:
        """Queue a submission for grading again (e.g. after a rubric change); ``homework`` None = detect."""
        with self.sessions.begin() as session:
            row = session.get(Submission, submission_id)
            if row is None:
                return
            before = row.homework_requested
            row.homework_requested = homework or ""
            row.status, row.runs, row.error_json = "queued", 0, None
            row.started_at = row.finished_at = None
            self._audit(
                session, actor, "regrade", row, {"homework_before": before, "homework": homework or ""}
            )

    def delete(self, submission_id: str, actor: str) -> None:
        """Delete a submission, its files and reports; the deletion is kept in the audit log."""
        paths: list[tuple[str, str]] = []
        with self.sessions.begin() as session:
            row = session.get(Submission, submission_id)
            if row is None:
                return
            for f in session.scalars(
                select(SubmissionFile).where(SubmissionFile.submission_id == submission_id)
            ):
                if f.file_path:
                    paths.append((f.content_hash, f.file_path))
            detail = {
                "filename": row.filename,
                "owner": row.owner,
                "uploaded_by": row.uploaded_by,
                "content_hash": row.content_hash,
                "size": row.size,
                "status": row.status,
                "homework": row.homework,
                "score": row.score,
                "created_at": row.created_at.isoformat() if row.created_at else None,
            }
            self._audit(session, actor, "delete", row, detail)
            session.execute(delete(ReportRow).where(ReportRow.submission_id == submission_id))
            session.execute(delete(SubmissionFile).where(SubmissionFile.submission_id == submission_id))
            session.delete(row)
        with self.sessions() as session:
            gone = [path for digest, path in paths if not blob_referenced(session, digest)]
        for path in gone:
            remove_blob(path)

    # ------------------------------------------------------------------ audit

    @staticmethod
    def _audit(session: Session, actor: str, action: str, row: Submission, detail: dict[str, Any]) -> None:
        session.add(
            AuditEntry(
                at=utcnow(),
                actor=actor,
                action=action,
                course_id=row.course_id,
                subject=row.id,
                detail_json=json.dumps(detail, default=str),
            )
        )

    def audit_log(self, courses: list[str], limit: int = 200) -> list[AuditEntry]:
        """The latest audit entries of the courses, newest first."""
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.course_id.in_(courses))
                    .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                    .limit(limit)
                )
            )


def part_summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-part verdicts of a report, kept beside it for the dashboard (no transcript to parse)."""
    keys = ("id", "first", "final", "hinted", "flags", "score", "max_score")
    return [{k: part.get(k) for k in keys} for part in report.get("parts", [])]


def summary_data(row: ReportRow) -> list[dict[str, Any]]:
    """The stored per-part verdicts of a graded report (empty otherwise)."""
    return json.loads(row.summary_json) if row.summary_json else []


def report_data(row: ReportRow) -> dict[str, Any] | None:
    """The stored report JSON (transcript included), or None."""
    return json.loads(row.report_json) if row.report_json else None


def error_data(row: Submission | ReportRow) -> dict[str, Any] | None:
    """The stored error of a failed submission or transcript, or None."""
    return json.loads(row.error_json) if row.error_json else None
