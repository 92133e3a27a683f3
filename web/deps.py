"""FastAPI dependencies (``Annotated`` aliases) and the access rules for submissions.

Who sees a submission: the course's instructors and TAs, and its owner. Anyone else gets 404,
exactly as for a submission that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from grader.models import Report
from web.accounts import Accounts
from web.auth import Principal
from web.db import ReportRow, Submission
from web.errors import NotFoundError
from web.jobs import GradingQueue
from web.ratelimit import RateLimiter
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


def app_accounts(request: Request) -> Accounts:
    """The app's courses and accounts."""
    return request.app.state.accounts  # type: ignore[no-any-return]


def check_limiter(request: Request) -> RateLimiter:
    """The per-user self-check rate limit."""
    return request.app.state.check_limiter  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(app_settings)]
StoreDep = Annotated[Store, Depends(app_store)]
QueueDep = Annotated[GradingQueue, Depends(app_queue)]
AccountsDep = Annotated[Accounts, Depends(app_accounts)]
CheckLimiterDep = Annotated[RateLimiter, Depends(check_limiter)]


def can_see(principal: Principal, row: Submission) -> bool:
    """Staff of the submission's course, or its owner."""
    return principal.is_staff(row.course_id) or (
        row.owner_id is not None and row.owner_id == principal.user.id
    )


def get_submission(store: Store, principal: Principal, submission_id: str) -> Submission:
    """The submission if the user may see it, else NotFoundError (404) whether or not it exists."""
    row = store.get(submission_id) if len(submission_id) <= 64 else None
    if row is None or not can_see(principal, row):
        raise NotFoundError("no such submission", where=submission_id[:64])
    return row


def load_report(row: ReportRow) -> Report | None:
    """The stored report of a graded transcript as a model (transcript included), or None."""
    data = report_data(row)
    return Report.model_validate(data) if data is not None else None


def summary_fields(row: Submission) -> dict[str, Any]:
    """The fields of :class:`~web.schemas.SubmissionSummary` for a row."""
    return {
        "id": row.id,
        "status": row.status,
        "course": row.course_id,
        "owner": row.owner,
        "uploaded_by": row.uploaded_by,
        "filename": row.filename,
        "files": row.file_count,
        "size": row.size,
        "content_hash": row.content_hash,
        "homework_requested": row.homework_requested or None,
        "homework": row.homework,
        "model": row.model,
        "score": row.score,
        "max_score": row.max_score,
        "reports": row.report_count,
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "url": f"/submissions/{row.id}",
    }


def summary(row: Submission) -> SubmissionSummary:
    """A row as its API summary."""
    return SubmissionSummary(**summary_fields(row))
