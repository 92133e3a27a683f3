"""The HTML pages of submissions: upload, list, one submission, its reports, re-grade and delete."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from grader.reports import render_html
from grader.rubric import rubrics
from web.api import visible_submissions
from web.auth import PrincipalDep
from web.deps import AccountsDep, QueueDep, SettingsDep, StoreDep, get_submission, load_report
from web.errors import NotFoundError, for_browser
from web.intake import accept_upload, read_form
from web.store import error_data
from web.templating import render, templates
from web.uploads import check_homework

router = APIRouter(include_in_schema=False)

REPORT_CSS_URL = "/assets/report.css"


def homework_choices(homeworks: list[str]) -> list[tuple[str, str]]:
    """``(id, title)`` of the given homeworks that have a rubric."""
    known = rubrics()
    return [(h, known[h].title) for h in homeworks if h in known]


@router.get("/", response_class=HTMLResponse)
def upload_page(
    request: Request, principal: PrincipalDep, settings: SettingsDep, accounts: AccountsDep
) -> Response:
    """The upload form: files or pasted text; staff may upload on behalf of a student."""
    homeworks: list[str] = []
    for c in principal.courses:
        course = accounts.course(c)
        homeworks += [h for h in (course.homeworks if course else []) if h not in homeworks]
    students = sorted({e for c in principal.staff_courses for e, r in accounts.members(c) if r == "student"})
    context = {
        "courses": principal.courses,
        "staff_courses": principal.staff_courses,
        "students": students,
        "homeworks": homework_choices(homeworks),
        "cap": settings.max_upload_bytes,
        "max_files": settings.max_files,
        "nav": "upload",
    }
    return render(request, "upload.html", context, principal)


@router.post("/upload", response_class=HTMLResponse)
async def upload_form(
    request: Request,
    principal: PrincipalDep,
    settings: SettingsDep,
    store: StoreDep,
    queue: QueueDep,
    accounts: AccountsDep,
) -> Response:
    """Store the form's files as one submission, queue it, and go to its page."""
    form = await read_form(request, principal, settings)
    accepted = await accept_upload(form, principal, accounts, store, queue)
    return RedirectResponse(f"/submissions/{accepted.row.id}", status_code=303)


@router.get("/submissions", response_class=HTMLResponse)
def submissions_page(
    request: Request,
    principal: PrincipalDep,
    store: StoreDep,
    course: str | None = None,
    status: str | None = None,
    homework: str | None = None,
    model: str | None = None,
) -> Response:
    """The submissions the user may see, newest first, with status and score."""
    rows = visible_submissions(
        principal,
        store,
        course or None,
        status=status or None,
        homework=homework or None,
        model=model or None,
    )
    context: dict[str, Any] = {
        "rows": rows,
        "courses": principal.courses,
        "export_courses": [c for c in principal.staff_courses if not course or c == course],
        "filters": {
            "course": course or "",
            "status": status or "",
            "homework": homework or "",
            "model": model or "",
        },
        "models": store.distinct("model", principal.courses),
        "homeworks": store.distinct("homework", principal.courses),
        "nav": "submissions",
    }
    return render(request, "submissions.html", context, principal)


def _browser_error(error: dict[str, Any] | None) -> dict[str, Any] | None:
    return {**error, "message": for_browser(str(error.get("message", "")))} if error else None


def _results(store: Any, submission_id: str) -> list[dict[str, Any]]:
    return [
        {
            "position": r.position,
            "source": r.source,
            "status": r.status,
            "homework": r.homework,
            "model": r.model,
            "score": r.score,
            "max_score": r.max_score,
            "error": _browser_error(error_data(r)),
        }
        for r in store.reports(submission_id, with_json=False)
    ]


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def submission_page(
    request: Request, principal: PrincipalDep, store: StoreDep, accounts: AccountsDep, submission_id: str
) -> Response:
    """The report when the submission holds one graded transcript; else its status and transcripts."""
    row = get_submission(store, principal, submission_id)
    results = _results(store, row.id)
    if row.status == "done" and len(results) == 1:
        return report_page(request, principal, store, accounts, submission_id, 0)
    return render(
        request, "submission.html", _submission_context(principal, accounts, row, results), principal
    )


def _submission_context(
    principal: Any, accounts: Any, row: Any, results: list[dict[str, Any]]
) -> dict[str, Any]:
    course = accounts.course(row.course_id) if row.course_id else None
    return {
        "row": row,
        "error": _browser_error(error_data(row)),
        "results": results,
        "staff": principal.is_staff(row.course_id),
        "course_homeworks": course.homeworks if course else [],
        "nav": "submissions",
    }


@router.get("/submissions/{submission_id}/reports/{position}", response_class=HTMLResponse)
def report_page(
    request: Request,
    principal: PrincipalDep,
    store: StoreDep,
    accounts: AccountsDep,
    submission_id: str,
    position: int,
) -> Response:
    """One transcript's HTML report, under the app's menu (and the staff's actions)."""
    row = get_submission(store, principal, submission_id)
    reports = store.reports(row.id)
    chosen = next((r for r in reports if r.position == position), None)
    report = load_report(chosen) if chosen is not None else None
    if report is None:
        raise NotFoundError("no graded report at this position", f"{submission_id}/reports/{position}")
    context = _submission_context(principal, accounts, row, [])
    context.update(
        user=principal,
        csrf_token=principal.csrf or "",
        is_staff=principal.is_any_staff,
        siblings=[(r.position, r.source, r.status) for r in reports],
        position=position,
    )
    preamble = Markup(templates.get_template("_report_header.html").render(context))
    return HTMLResponse(
        render_html(report, stylesheets=[REPORT_CSS_URL, "/static/report-page.css"], preamble=preamble)
    )


@router.post("/submissions/{submission_id}/regrade")
def regrade_form(
    principal: PrincipalDep,
    store: StoreDep,
    queue: QueueDep,
    accounts: AccountsDep,
    submission_id: str,
    homework: Annotated[str, Form()] = "",
) -> Response:
    """Grade the submission again (staff only), then show its page."""
    row = get_submission(store, principal, submission_id)
    principal.require_staff(row.course_id)
    chosen = check_homework(homework, accounts.course(row.course_id) if row.course_id else None)
    store.regrade(row.id, principal.email, chosen)
    queue.submit(row.id)
    return RedirectResponse(f"/submissions/{row.id}", status_code=303)


@router.post("/submissions/{submission_id}/delete")
async def delete_form(principal: PrincipalDep, store: StoreDep, submission_id: str) -> Response:
    """Delete the submission (staff only; audited), then show the list."""
    row = get_submission(store, principal, submission_id)
    principal.require_staff(row.course_id)
    await anyio.to_thread.run_sync(store.delete, row.id, principal.email)
    return RedirectResponse("/submissions", status_code=303)
