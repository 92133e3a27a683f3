"""FastAPI dependencies: the app's settings, store and grading queue (``Annotated`` aliases)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from grader.models import Report
from web.db import Submission
from web.errors import NotFoundError
from web.jobs import GradingQueue
from web.schemas import SubmissionSummary
from web.settings import Settings
from web.store import Store, report_data


def app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings  # type: ignore[no-any-return]


def app_store(request: Request) -> Store:
    """The app's submission store."""
    return request.app.state.store  # type: ignore[no-any-return]


def app_queue(request: Request) -> GradingQueue:
    """The app's grading queue."""
    return request.app.state.queue  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(app_settings)]
StoreDep = Annotated[Store, Depends(app_store)]
QueueDep = Annotated[GradingQueue, Depends(app_queue)]


def get_submission(store: Store, submission_id: str) -> Submission:
    """The submission or NotFoundError (404)."""
    row = store.get(submission_id) if len(submission_id) <= 64 else None
    if row is None:
        raise NotFoundError("no such submission", where=submission_id[:64])
    return row


def load_report(row: Submission) -> Report | None:
    """The stored report of a done submission as a model (transcript included), or None."""
    data = report_data(row)
    return Report.model_validate(data) if data is not None else None


def summary_fields(row: Submission) -> dict[str, Any]:
    """The fields of :class:`~web.schemas.SubmissionSummary` for a row."""
    return {
        "id": row.id,
        "status": row.status,
        "owner": row.owner,
        "filename": row.filename,
        "size": row.size,
        "content_hash": row.content_hash,
        "homework_requested": row.homework_requested or None,
        "homework": row.homework,
        "model": row.model,
        "score": row.score,
        "max_score": row.max_score,
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "url": f"/submissions/{row.id}",
    }


def summary(row: Submission) -> SubmissionSummary:
    """A row as its API summary."""
    return SubmissionSummary(**summary_fields(row))
