"""The HTML pages: upload, submissions, report, self-check and the course dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from grader.errors import GraderError
from grader.reports import render_html
from grader.rubric import rubrics
from web.api import store_upload
from web.dashboard import build_dashboard
from web.deps import QueueDep, SettingsDep, StoreDep, get_submission, load_report
from web.errors import error_response
from web.store import NewUpload, error_data
from web.templating import templates
from web.uploads import PASTED_NAME, check_content, check_homework, read_capped, safe_filename

router = APIRouter(include_in_schema=False)

NAV_BAR = (
    '<nav style="font:14px system-ui,sans-serif;padding:6px 12px;background:#1f3a5f;">'
    '<a href="/submissions" style="color:#fff;margin-right:16px">← Submissions</a>'
    '<a href="/dashboard" style="color:#fff;margin-right:16px">Dashboard</a>'
    '<a href="/check" style="color:#fff">Self-check</a></nav>'
)


@dataclass
class UploadOutcome:
    """What happened to one file of an upload form."""

    filename: str
    id: str | None = None
    duplicate: bool = False
    status: int = 202
    message: str = ""


def _homeworks() -> list[tuple[str, str]]:
    return [(r.id, r.title) for r in rubrics().values()]


@router.get("/", response_class=HTMLResponse)
def upload_page(request: Request, settings: SettingsDep) -> Response:
    """The upload form: files or pasted text, homework auto-detected or chosen."""
    return templates.TemplateResponse(
        request,
        "upload.html",
        {"homeworks": _homeworks(), "cap_mb": settings.max_upload_bytes / (1024 * 1024), "nav": "upload"},
    )


@router.post("/upload", response_class=HTMLResponse)
async def upload_form(request: Request, settings: SettingsDep, store: StoreDep, queue: QueueDep) -> Response:
    """Store every file of the form (and the pasted text), queue them, show what happened to each."""
    form = await request.form(
        max_files=settings.max_files, max_fields=20, max_part_size=settings.max_upload_bytes + 1
    )
    homework = check_homework(str(form.get("homework") or ""))
    sources: list[tuple[str, UploadFile | bytes]] = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            sources.append((safe_filename(item.filename), item))
    pasted = str(form.get("text") or "")
    if pasted.strip():
        sources.append((PASTED_NAME, pasted.encode("utf-8")))
    if not sources:
        return error_response(request, 422, "choose at least one file or paste a transcript", "files")
    outcomes: list[UploadOutcome] = []
    for name, source in sources:
        try:
            data = (
                source if isinstance(source, bytes) else await read_capped(source, settings.max_upload_bytes)
            )
            check_content(data, name, settings.max_upload_bytes)
            row, created = store_upload(store, queue, NewUpload(name, data, homework, settings.default_owner))
            outcomes.append(UploadOutcome(name, row.id, duplicate=not created))
        except GraderError as exc:
            outcomes.append(UploadOutcome(name, status=exc.status_code, message=exc.message))
    if len(outcomes) == 1 and outcomes[0].id is None:
        only = outcomes[0]
        return error_response(request, only.status, only.message, only.filename)
    if len(outcomes) == 1:
        return Response(status_code=303, headers={"Location": f"/submissions/{outcomes[0].id}"})
    return templates.TemplateResponse(request, "uploaded.html", {"outcomes": outcomes, "nav": "upload"})


@router.get("/submissions", response_class=HTMLResponse)
def submissions_page(
    request: Request,
    store: StoreDep,
    status: str | None = None,
    homework: str | None = None,
    model: str | None = None,
) -> Response:
    """All submissions, newest first, with their status and score."""
    rows = store.search(status=status or None, homework=homework or None, model=model or None)
    context: dict[str, Any] = {
        "rows": rows,
        "filters": {"status": status or "", "homework": homework or "", "model": model or ""},
        "models": store.distinct("model"),
        "homeworks": [h for h, _ in _homeworks()],
        "nav": "submissions",
    }
    return templates.TemplateResponse(request, "submissions.html", context)


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def report_page(request: Request, store: StoreDep, submission_id: str) -> Response:
    """The HTML report when graded; a waiting page (auto-refreshing) or the error otherwise."""
    row = get_submission(store, submission_id)
    report = load_report(row) if row.status == "done" else None
    if report is not None:
        html = render_html(report)
        head, sep, tail = html.partition("<body>")
        page = head + sep + NAV_BAR + tail if sep else NAV_BAR + html
        return HTMLResponse(page)
    return templates.TemplateResponse(
        request, "submission.html", {"row": row, "error": error_data(row), "nav": "submissions"}
    )


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request, target: str | None = None) -> Response:
    """The self-check page: choose a target, type an answer, see the verdict as you type."""
    groups = [
        (r.id, [(f"{r.id}.{p.id}.{a.id}", f"{p.id} · {a.id} ({a.kind})") for p in r.parts for a in p.answers])
        for r in rubrics().values()
    ]
    return templates.TemplateResponse(
        request, "check.html", {"groups": groups, "selected": target or "", "nav": "check"}
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request, store: StoreDep, homework: str | None = None, model: str | None = None
) -> Response:
    """Course dashboard: verdict matrix per homework and per-part accuracy by model."""
    rows = store.search(status="done", homework=homework or None, model=model or None, limit=100_000)
    context: dict[str, Any] = {
        "matrices": build_dashboard(rows),
        "filters": {"homework": homework or "", "model": model or ""},
        "models": store.distinct("model"),
        "homeworks": store.distinct("homework"),
        "nav": "dashboard",
    }
    return templates.TemplateResponse(request, "dashboard.html", context)
