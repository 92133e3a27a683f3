"""The JSON API (``/api/...`` and ``/healthz``); documented by the app's OpenAPI schema."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from grader.check import check_target
from grader.reports.mathml import latex_to_mathml
from grader.rubric import rubrics
from web.deps import QueueDep, SettingsDep, StoreDep, get_submission, load_report, summary, summary_fields
from web.errors import NotFoundError
from web.exports import gradebook_csv, gradescope_results, gradescope_zip
from web.schemas import (
    CheckRequest,
    CheckResponse,
    ErrorBody,
    ErrorDetail,
    GradeAccepted,
    Health,
    SubmissionDetail,
    SubmissionSummary,
    TargetInfo,
)
from web.store import NewUpload, Store, error_data, report_data
from web.uploads import check_content, check_homework, read_capped, safe_filename

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": what}
    for code, what in (
        (404, "Unknown submission or target"),
        (413, "Upload over the size cap"),
        (415, "Binary file or unknown transcript format"),
        (422, "Invalid input (empty file, unknown homework, bad field)"),
    )
}

router = APIRouter(responses=ERRORS)


@router.get("/healthz", response_model=Health, tags=["meta"])
def healthz(store: StoreDep, queue: QueueDep) -> Health:
    """Liveness: the database answers and how many grading jobs are pending."""
    with store.sessions() as session:
        session.execute(text("SELECT 1"))
    return Health(status="ok", database="ok", pending=queue.pending())


def store_upload(store: Store, queue: Any, upload: NewUpload) -> tuple[Any, bool]:
    """Store a checked upload and queue it for grading; returns ``(row, created)``."""
    row, created = store.create(upload)
    if created:
        queue.submit(row.id)
    return row, created


@router.post("/api/grade", response_model=GradeAccepted, status_code=202, tags=["grading"])
async def api_grade(
    settings: SettingsDep,
    store: StoreDep,
    queue: QueueDep,
    file: Annotated[UploadFile, File(description="A transcript (Markdown, text write-up...).")],
    homework: Annotated[str | None, Form(description="Homework id; empty or 'auto' to detect.")] = None,
) -> Response:
    """Upload one transcript: it is stored, then graded in the background.

    Answers 202 with the new submission (status ``queued``), or 200 with the existing one when
    identical bytes were already uploaded for the same homework choice.
    """
    name = safe_filename(file.filename)
    data = await read_capped(file, settings.max_upload_bytes)
    chosen = check_homework(homework)
    check_content(data, name, settings.max_upload_bytes)
    row, created = store_upload(store, queue, NewUpload(name, data, chosen, settings.default_owner))
    body = GradeAccepted(**summary_fields(row), duplicate=not created)
    return JSONResponse(body.model_dump(mode="json"), status_code=202 if created else 200)


@router.get("/api/submissions", response_model=list[SubmissionSummary], tags=["grading"])
def api_submissions(
    store: StoreDep,
    status: Literal["queued", "running", "done", "failed"] | None = None,
    homework: str | None = None,
    model: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[SubmissionSummary]:
    """Submissions, newest first."""
    return [summary(r) for r in store.search(status=status, homework=homework, model=model, limit=limit)]


@router.get("/api/submissions/{submission_id}", response_model=SubmissionDetail, tags=["grading"])
def api_submission(store: StoreDep, submission_id: str, transcript: bool = False) -> SubmissionDetail:
    """One submission: its status, and its report when done or its error when failed."""
    row = get_submission(store, submission_id)
    report = report_data(row)
    if report is not None and not transcript:
        report.pop("transcript", None)
    error = error_data(row)
    return SubmissionDetail(
        **summary_fields(row), report=report, error=ErrorDetail(**error) if error is not None else None
    )


def _done_reports(store: Store, homework: str | None, model: str | None) -> list[tuple[str, str, Any]]:
    items = []
    for row in reversed(
        store.search(status="done", homework=homework, model=model, limit=100_000, with_report=True)
    ):
        report = load_report(row)
        if report is not None:
            items.append((row.id, row.owner, report))
    return items


@router.get("/api/submissions/{submission_id}/results.json", tags=["exports"])
def api_gradescope_one(store: StoreDep, submission_id: str) -> dict[str, Any]:
    """Gradescope autograder ``results.json`` of one graded submission."""
    row = get_submission(store, submission_id)
    report = load_report(row)
    if report is None:
        raise NotFoundError(f"submission is {row.status}, not graded", where=submission_id)
    return gradescope_results(report)


@router.get("/api/export/gradebook.csv", tags=["exports"], response_class=Response)
def api_gradebook(
    store: StoreDep,
    homework: str | None = None,
    model: str | None = None,
    layout: Literal["long", "wide"] = "long",
) -> Response:
    """The gradebook of graded submissions as CSV (long: one row per submission × part)."""
    body = gradebook_csv(_done_reports(store, homework, model), layout)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="gradebook-{layout}.csv"'},
    )


@router.get("/api/export/gradescope.zip", tags=["exports"], response_class=Response)
def api_gradescope_zip(store: StoreDep, homework: str | None = None, model: str | None = None) -> Response:
    """Gradescope ``results.json`` of every graded submission, one folder each, zipped."""
    return Response(
        gradescope_zip(_done_reports(store, homework, model)),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="gradescope-results.zip"'},
    )


@router.get("/api/targets", response_model=list[TargetInfo], tags=["self-check"])
def api_targets() -> list[TargetInfo]:
    """Every checkable target ``homework.part.answer``."""
    return [
        TargetInfo(
            target=f"{r.id}.{p.id}.{a.id}",
            homework=r.id,
            part=p.id,
            answer=a.id,
            kind=a.kind,
            prompt=(a.label or p.label or p.title or "").strip(),
        )
        for r in rubrics().values()
        for p in r.parts
        for a in p.answers
    ]


@router.post("/api/check", response_model=CheckResponse, tags=["self-check"])
def api_check(request: CheckRequest) -> CheckResponse:
    """Check one answer against a target: how it was read, the verdict and the evidence."""
    target, result = check_target(request.target.strip(), request.answer)
    data = result.to_dict()
    evidence = json.loads(json.dumps(data.get("evidence") or {}, default=str))
    return CheckResponse(
        target=target,
        verdict=data["verdict"],
        interpreted=data["interpreted"],
        explanation=data["explanation"],
        reference=data["reference"],
        evidence=evidence,
        interpreted_mathml=latex_to_mathml(data["interpreted"]) if data["interpreted"] else None,
        reference_mathml=latex_to_mathml(data["reference"]) if data["reference"] else None,
        course_notes=evidence.get("slide_note"),
    )
