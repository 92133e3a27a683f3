"""The HTML pages of accounts and courses: log in and out, courses, the dashboard, the self-check, /docs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grader.reports import report_css
from grader.rubric import rubrics
from web.api_accounts import login, member_course, store_question_pdfs
from web.auth import OptionalPrincipalDep, PrincipalDep
from web.dashboard import build_dashboard
from web.deps import AccountsDep, SettingsDep, StoreDep
from web.errors import CsrfError, GraderError
from web.intake import read_form
from web.selfcheck import user_homeworks
from web.signing import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from web.templating import render
from web.uploads import choose_course

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """A local path to go to after logging in (never another site).

    >>> safe_next("/submissions?x=1"), safe_next("//evil.com"), safe_next("https://evil.com"), safe_next(None)
    ('/submissions?x=1', '/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(
    request: Request,
    settings: Any,
    message: str = "",
    next_url: str = "/",
    username: str = "",
    status: int = 200,
) -> Response:
    cookie, token = request.app.state.signer.login_csrf()
    context = {
        "login_csrf": token,
        "next": safe_next(next_url),
        "message": message,
        "username": username,
        "first_run": request.app.state.accounts.count_users() == 0,
    }
    response = render(request, "login.html", context, None, status_code=status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        cookie,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, principal: OptionalPrincipalDep, settings: SettingsDep, next: str = "/"
) -> Response:  # noqa: A002
    """The login form (or straight on, when already logged in)."""
    if principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, settings, next_url=next)


@router.post("/login")
def login_submit(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    """Check the credentials, start a session (signed HttpOnly SameSite cookie), go on to ``next``."""
    signer = request.app.state.signer
    if not signer.check_login_csrf(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise CsrfError(
            "the login form expired or came from another site; reload it and try again", "csrf_token"
        )
    try:
        user = login(request, accounts, username, password)
    except GraderError as exc:
        return _login_page(request, settings, exc.message, next, username, status=exc.status_code)
    cookie, _csrf = signer.session_cookie(user)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=settings.session_max_age_s,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(principal: PrincipalDep, settings: SettingsDep) -> Response:
    """End the session (the CSRF token is checked like any other state change)."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response


@router.get("/courses", response_class=HTMLResponse)
def courses_page(request: Request, principal: PrincipalDep, accounts: AccountsDep) -> Response:
    """The user's courses and roles (straight to the course when there is one)."""
    if len(principal.courses) == 1:
        return RedirectResponse(f"/courses/{principal.courses[0]}", status_code=303)
    courses = [(member_course(principal, accounts, c), principal.role(c)) for c in principal.courses]
    return render(request, "courses.html", {"courses": courses, "nav": "courses"}, principal)


@router.get("/courses/{course_id}", response_class=HTMLResponse)
def course_page(
    request: Request, principal: PrincipalDep, accounts: AccountsDep, store: StoreDep, course_id: str
) -> Response:
    """A course: its homeworks and reference setting; for staff its question PDFs, members and audit log."""
    course = member_course(principal, accounts, course_id)
    staff = principal.is_staff(course_id)
    context = {
        "course": course,
        "role": principal.role(course_id),
        "staff": staff,
        "all_homeworks": [(r.id, r.title) for r in rubrics().values()],
        "members": accounts.members(course_id) if staff else [],
        "audit": store.audit_log([course_id], limit=50) if staff else [],
        "nav": "courses",
    }
    return render(request, "course.html", context, principal)


@router.post("/courses/{course_id}/settings")
async def course_settings(
    request: Request, principal: PrincipalDep, accounts: AccountsDep, course_id: str
) -> Response:
    """Save a course's homeworks and reference setting (instructors only)."""
    member_course(principal, accounts, course_id)
    principal.require_instructor(course_id)
    form = await request.form()
    homeworks = [str(h) for h in form.getlist("homeworks")]
    accounts.update_course(
        course_id, homeworks=homeworks, allow_reference=form.get("allow_reference") == "yes"
    )
    return RedirectResponse(f"/courses/{course_id}", status_code=303)


@router.post("/courses/{course_id}/questions")
async def course_questions(
    request: Request, principal: PrincipalDep, settings: SettingsDep, accounts: AccountsDep, course_id: str
) -> Response:
    """Store a question PDF with the course (staff only)."""
    member_course(principal, accounts, course_id)
    principal.require_staff(course_id)
    form = await read_form(request, principal, settings)
    store_question_pdfs(principal, accounts, course_id, form)
    return RedirectResponse(f"/courses/{course_id}#questions", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    principal: PrincipalDep,
    store: StoreDep,
    course: str | None = None,
    homework: str | None = None,
    model: str | None = None,
) -> Response:
    """The course dashboard (staff only): homework × part × model, and each model's weakest parts."""
    course_id = choose_course(
        principal, course or (principal.staff_courses[0] if principal.staff_courses else None), staff=True
    )
    items = store.graded_reports([course_id], homework=homework or None, model=model or None)
    context: dict[str, Any] = {
        "board": build_dashboard(items),
        "course": course_id,
        "courses": principal.staff_courses,
        "filters": {"homework": homework or "", "model": model or ""},
        "models": store.distinct("model", [course_id]),
        "homeworks": store.distinct("homework", [course_id]),
        "nav": "dashboard",
    }
    return render(request, "dashboard.html", context, principal)


@router.get("/check", response_class=HTMLResponse)
def check_page(
    request: Request, principal: PrincipalDep, accounts: AccountsDep, target: str | None = None
) -> Response:
    """The self-check page: choose a target of your courses, type an answer, see the verdict as you type."""
    mine = user_homeworks(principal, accounts)
    groups = [
        (r.id, [(f"{r.id}.{p.id}.{a.id}", f"{p.id} · {a.id} ({a.kind})") for p in r.parts for a in p.answers])
        for r in rubrics().values()
        if r.id in mine
    ]
    context = {
        "groups": groups,
        "selected": target or "",
        "reference_shown_any": any(mine.values()),
        "nav": "check",
    }
    return render(request, "check.html", context, principal)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> Response:
    """Swagger UI from the vendored assets (works offline)."""
    return render(request, "docs.html", {}, None)


@router.get("/assets/report.css")
def report_stylesheet() -> Response:
    """The report's stylesheet (the pages link it, so the CSP needs no inline style)."""
    return Response(report_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})
