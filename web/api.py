"""The JSON API of submissions: upload, list, read, re-grade, delete, export; and ``/healthz``.

Every route needs a session cookie or a bearer token (``POST /api/token``); what it returns
depends on the user's role in each course (see :mod:`web.deps`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import text

from grader.models import Report
from web.auth import PrincipalDep
from web.deps import (
    AccountsDep,
    QueueDep,
    SettingsDep,
    StoreDep,
    get_submission,
    load_report,
    summary,
    summary_fields,
)
from web.errors import NotFoundError
from web.exports import gradebook_csv, gradescope_results, gradescope_zip
from web.intake import accept_upload, read_form
from web.schemas import (
    ErrorBody,
    ErrorDetail,
    GradeAccepted,
    Health,
    SubmissionDetail,
    SubmissionSummary,
    TranscriptResult,
)
from web.store import Store, error_data, report_data
from web.uploads import check_homework, choose_course

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": what}
    for code, what in (
        (401, "Not logged in: send a bearer token from /api/token (or the session cookie)"),
        (403, "Your role in the course does not allow this, or a missing CSRF token"),
        (404, "Unknown submission or target, or one you may not see"),
        (413, "Upload over the size cap"),
        (415, "Binary file or unknown transcript format"),
        (422, "Invalid input (empty file, unknown homework, bad field)"),
    )
}


def multipart_body(fields: dict[str, str], files: dict[str, str]) -> dict[str, Any]:
    """OpenAPI of a ``multipart/form-data`` body that a route streams itself (fields and file fields)."""
    properties: dict[str, Any] = {
        name: {"type": "string", "description": what} for name, what in fields.items()
    }
    for name, what in files.items():
        properties[name] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": what,
        }
    schema = {"type": "object", "properties": properties}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


UPLOAD_BODY = multipart_body(
    {
        "homework": "Homework id; empty or 'auto' to detect it.",
        "course": "Course id; needed when you belong to several.",
        "owner": "Staff only: the student whose submission it is (e-mail).",
        "text": "A pasted transcript (counts against the size cap).",
        "csrf_token": "Only with the session cookie and no X-CSRF-Token header; before the files.",
    },
    {"files": "The submission's files (PDF, JSON export, zip, Markdown, text).", "file": "Same as files."},
)

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)
"""Documents the bearer scheme in OpenAPI (the app resolves the user in :mod:`web.auth`)."""

router = APIRouter(responses=ERRORS, dependencies=[Depends(oauth2_scheme)])
health_router = APIRouter()


@health_router.get("/healthz", response_model=Health, tags=["meta"])
def healthz(store: StoreDep, queue: QueueDep) -> Health:
    """Liveness: the database answers and how many grading jobs are pending (no login needed)."""
    with store.sessions() as session:
        session.execute(text("SELECT 1"))
    return Health(status="ok", database="ok", pending=queue.pending())


@router.post(
    "/api/grade", response_model=GradeAccepted, status_code=202, tags=["grading"], openapi_extra=UPLOAD_BODY
)
async def api_grade(
    request: Request,
    principal: PrincipalDep,
    settings: SettingsDep,
    store: StoreDep,
    queue: QueueDep,
    accounts: AccountsDep,
) -> Response:
    """Upload one submission as ``multipart/form-data``: it is stored, then graded in the background.

    Fields: ``file`` or ``files`` (one or more: PDFs, chat exports, zips, text; all the files form
    one submission), ``text`` (a pasted transcript), ``homework`` (empty or ``auto`` to detect),
    ``course`` (needed when you belong to several), ``owner`` (staff only: the student's e-mail).

    Answers 202 with the new submission (status ``queued``), or 200 with the existing one when the
    same owner already uploaded identical bytes for the same homework choice.
    """
    form = await read_form(request, principal, settings)
    accepted = await accept_upload(form, principal, accounts, store, queue)
    body = GradeAccepted(
        **summary_fields(accepted.row), duplicate=not accepted.created, transcripts=accepted.transcripts
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=202 if accepted.created else 200)


@router.get("/api/submissions", response_model=list[SubmissionSummary], tags=["grading"])
def api_submissions(
    principal: PrincipalDep,
    store: StoreDep,
    status: Literal["queued", "running", "done", "failed"] | None = None,
    homework: str | None = None,
    model: str | None = None,
    course: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[SubmissionSummary]:
    """Submissions you may see, newest first: all of your courses' as staff, your own as a student."""
    rows = visible_submissions(
        principal, store, course, status=status, homework=homework, model=model, limit=limit
    )
    return [summary(r) for r in rows]


def visible_submissions(principal: Any, store: Store, course: str | None, **filters: Any) -> list[Any]:
    """The submissions of a course (or all the user's courses) the user may see."""
    courses = [choose_course(principal, course)] if course else principal.courses
    staff = [c for c in courses if principal.is_staff(c)]
    own = [c for c in courses if not principal.is_staff(c)]
    rows = store.search(courses=staff, **filters) if staff else []
    if own:
        rows += store.search(courses=own, owner_id=principal.user.id, **filters)
    rows.sort(key=lambda r: r.created_at, reverse=True)
    return rows


def transcript_results(store: Store, submission_id: str, transcript: bool = False) -> list[TranscriptResult]:
    """Every transcript's report or error, in order."""
    out = []
    for row in store.reports(submission_id):
        report = report_data(row)
        if report is not None and not transcript:
            report.pop("transcript", None)
        error = error_data(row)
        out.append(
            TranscriptResult(
                source=row.source,
                status="done" if row.status == "done" else "failed",
                url=f"/submissions/{submission_id}/reports/{row.position}",
                report=report,
                error=ErrorDetail(**error) if error else None,
            )
        )
    return out


@router.get("/api/submissions/{submission_id}", response_model=SubmissionDetail, tags=["grading"])
def api_submission(
    principal: PrincipalDep, store: StoreDep, submission_id: str, transcript: bool = False
) -> SubmissionDetail:
    """One submission: its status, every transcript's report (or error), and the first report."""
    row = get_submission(store, principal, submission_id)
    results = transcript_results(store, row.id, transcript)
    first = next((r.report for r in results if r.report is not None), None)
    error = error_data(row)
    return SubmissionDetail(
        **summary_fields(row),
        report=first,
        results=results,
        error=ErrorDetail(**error) if error is not None and row.status == "failed" else None,
    )


@router.delete("/api/submissions/{submission_id}", status_code=204, tags=["grading"])
def api_delete(principal: PrincipalDep, store: StoreDep, submission_id: str) -> Response:
    """Delete a submission with its files and reports (staff only; the deletion is audited)."""
    row = get_submission(store, principal, submission_id)
    principal.require_staff(row.course_id)
    store.delete(row.id, principal.email)
    return Response(status_code=204)


@router.post("/api/submissions/{submission_id}/regrade", response_model=SubmissionSummary, tags=["grading"])
def api_regrade(
    principal: PrincipalDep,
    store: StoreDep,
    queue: QueueDep,
    accounts: AccountsDep,
    submission_id: str,
    homework: Annotated[str | None, Body(embed=True, description="Homework id; empty to detect.")] = None,
) -> SubmissionSummary:
    """Grade a submission again, e.g. after a rubric change (staff only; audited)."""
    row = get_submission(store, principal, submission_id)
    principal.require_staff(row.course_id)
    chosen = check_homework(homework, accounts.course(row.course_id) if row.course_id else None)
    store.regrade(row.id, principal.email, chosen)
    queue.submit(row.id)
    fresh = store.get(row.id)
    assert fresh is not None
    return summary(fresh)


@router.get("/api/submissions/{submission_id}/results.json", tags=["exports"])
def api_gradescope_one(principal: PrincipalDep, store: StoreDep, submission_id: str) -> dict[str, Any]:
    """Gradescope autograder ``results.json`` of a graded submission's first report."""
    row = get_submission(store, principal, submission_id)
    report = next((r for r in (load_report(x) for x in store.reports(row.id)) if r is not None), None)
    if report is None:
        raise NotFoundError(f"submission is {row.status}, not graded", where=submission_id)
    return gradescope_results(report)


def done_reports(
    store: Store, course: str, homework: str | None, model: str | None
) -> list[tuple[str, str, Report]]:
    """``(submission id, owner, report)`` of a course's graded transcripts, oldest first."""
    items = []
    for sub, row in store.graded_reports([course], homework=homework, model=model, with_json=True):
        report = load_report(row)
        if report is not None:
            items.append((sub.id, sub.owner, report))
    return items


@router.get("/api/export/gradebook.csv", tags=["exports"], response_class=Response)
async def api_gradebook(
    principal: PrincipalDep,
    store: StoreDep,
    course: str | None = None,
    homework: str | None = None,
    model: str | None = None,
    layout: Literal["long", "wide"] = "long",
) -> Response:
    """A course's gradebook as CSV (staff only; long: one row per transcript × part)."""
    course_id = choose_course(principal, course, staff=True)
    items = await anyio.to_thread.run_sync(done_reports, store, course_id, homework, model)
    body = gradebook_csv(items, layout)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{course_id}-gradebook-{layout}.csv"'},
    )


@router.get("/api/export/gradescope.zip", tags=["exports"], response_class=Response)
async def api_gradescope_zip(
    principal: PrincipalDep,
    store: StoreDep,
    course: str | None = None,
    homework: str | None = None,
    model: str | None = None,
) -> Response:
    """Gradescope ``results.json`` of every graded transcript of a course, zipped (staff only)."""
    course_id = choose_course(principal, course, staff=True)
    items = await anyio.to_thread.run_sync(done_reports, store, course_id, homework, model)
    return Response(
        gradescope_zip(items),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{course_id}-gradescope-results.zip"'},
    )


@router.get("/api/audit", tags=["courses"])
def api_audit(principal: PrincipalDep, store: StoreDep, course: str | None = None) -> list[dict[str, Any]]:
    """The course's audit log (deletions, re-grades), newest first (staff only)."""
    course_id = choose_course(principal, course, staff=True)
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "course": e.course_id,
            "submission": e.subject,
            "detail": json.loads(e.detail_json or "{}"),
        }
        for e in store.audit_log([course_id])
    ]
