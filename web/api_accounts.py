"""The JSON API of accounts and courses: bearer tokens, who am I, courses and their question PDFs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from grader.errors import InputError
from web.accounts import Accounts, CourseInfo
from web.api import ERRORS, multipart_body, oauth2_scheme
from web.auth import Principal, PrincipalDep
from web.db import User
from web.deps import AccountsDep, SettingsDep
from web.errors import LoginRequiredError, NotFoundError, RateLimitedError
from web.intake import read_form
from web.multipart import UploadForm
from web.schemas import CourseDetail, Me, QuestionPdfInfo, Token
from web.uploads import choose_course, safe_filename

router = APIRouter(responses=ERRORS, tags=["accounts"])
secured = APIRouter(responses=ERRORS, tags=["accounts"], dependencies=[Depends(oauth2_scheme)])


def login_allowed(request: Request, email: str) -> None:
    """RateLimitedError when the account has had too many failed logins in the last minute."""
    wait = request.app.state.login_limiter.retry_after(email.strip().lower())
    if wait:
        raise RateLimitedError(f"too many failed logins; try again in {wait} s", "username", retry_after=wait)


def login(request: Request, accounts: Accounts, email: str, password: str) -> User:
    """The user for these credentials; failed attempts count against the account's rate limit."""
    login_allowed(request, email)
    user = accounts.authenticate(email, password)
    key = email.strip().lower()
    if user is None:
        request.app.state.login_limiter.hit(key)
        raise LoginRequiredError("wrong e-mail or password", "username")
    request.app.state.login_limiter.reset(key)
    return user


@router.post("/api/token", response_model=Token)
def api_token(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    username: Annotated[str, Form(description="Your e-mail address.")],
    password: Annotated[str, Form()],
) -> Token:
    """OAuth2 password flow: trade an e-mail and password for a bearer token.

    Send it as ``Authorization: Bearer <access_token>`` to every other route.
    """
    user = login(request, accounts, username, password)
    return Token(access_token=request.app.state.signer.token(user), expires_in=settings.token_max_age_s)


@secured.get("/api/me", response_model=Me)
def api_me(principal: PrincipalDep) -> Me:
    """The logged-in user and their role in each course."""
    return Me(email=principal.email, roles=principal.roles)


def course_detail(principal: Principal, course: CourseInfo) -> CourseDetail:
    """A course as the user may see it (question PDFs for staff only)."""
    staff = principal.is_staff(course.id)
    return CourseDetail(
        id=course.id,
        title=course.title,
        role=principal.role(course.id) or "",
        homeworks=course.homeworks,
        allow_reference=course.allow_reference,
        question_pdfs=[
            QuestionPdfInfo(
                id=p.id, homework=p.homework, filename=p.filename, size=p.size, content_hash=p.content_hash
            )
            for p in course.question_pdfs
        ]
        if staff
        else [],
    )


def member_course(principal: Principal, accounts: Accounts, course_id: str) -> CourseInfo:
    """A course of the user's (404 for any other, existing or not)."""
    course = accounts.course(choose_course(principal, course_id))
    if course is None:
        raise NotFoundError("no such course", course_id)
    return course


@secured.get("/api/courses", response_model=list[CourseDetail])
def api_courses(principal: PrincipalDep, accounts: AccountsDep) -> list[CourseDetail]:
    """Your courses."""
    return [course_detail(principal, member_course(principal, accounts, c)) for c in principal.courses]


@secured.get("/api/courses/{course_id}", response_model=CourseDetail)
def api_course(principal: PrincipalDep, accounts: AccountsDep, course_id: str) -> CourseDetail:
    """One of your courses."""
    return course_detail(principal, member_course(principal, accounts, course_id))


@secured.post(
    "/api/courses/{course_id}/questions",
    response_model=QuestionPdfInfo,
    status_code=201,
    openapi_extra=multipart_body(
        {"homework": "The homework (rubric id) the PDF is the question sheet of."},
        {"file": "The question PDF."},
    ),
)
async def api_add_question_pdf(
    request: Request, principal: PrincipalDep, settings: SettingsDep, accounts: AccountsDep, course_id: str
) -> QuestionPdfInfo:
    """Store a question PDF with the course (staff only): ``multipart/form-data`` with ``file`` and
    ``homework`` (the rubric id it is the question sheet of). Grading reads it at run time."""
    member_course(principal, accounts, course_id)
    principal.require_staff(course_id)
    form = await read_form(request, principal, settings)
    return store_question_pdfs(principal, accounts, course_id, form)[0]


def store_question_pdfs(
    principal: Principal, accounts: Accounts, course_id: str, form: object
) -> list[QuestionPdfInfo]:
    """Store every PDF of a question form; returns what was stored."""

    assert isinstance(form, UploadForm)
    homework = (form.get("homework") or "").strip() or None
    if not form.files:
        raise InputError("choose a PDF file", "file")
    stored = []
    for f in form.files:
        pdf = accounts.add_question_pdf(
            course_id, safe_filename(f.filename), f.data, homework, principal.user.id
        )
        stored.append(
            QuestionPdfInfo(
                id=pdf.id,
                homework=pdf.homework,
                filename=pdf.filename,
                size=pdf.size,
                content_hash=pdf.content_hash,
            )
        )
    return stored


@secured.get("/api/courses/{course_id}/questions/{pdf_id}", response_class=Response)
def api_question_pdf(principal: PrincipalDep, accounts: AccountsDep, course_id: str, pdf_id: str) -> Response:
    """The bytes of a question PDF (staff only)."""
    member_course(principal, accounts, course_id)
    principal.require_staff(course_id)
    row = accounts.question_pdf_row(pdf_id)
    if row is None or row.course_id != course_id:
        raise NotFoundError("no such question PDF", pdf_id)
    return Response(
        accounts.question_pdf_bytes(pdf_id),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{safe_filename(row.filename, "questions.pdf")}"'
        },
    )


@secured.delete("/api/courses/{course_id}/questions/{pdf_id}", status_code=204)
def api_delete_question_pdf(
    principal: PrincipalDep, accounts: AccountsDep, course_id: str, pdf_id: str
) -> Response:
    """Remove a question PDF from the course (staff only)."""
    member_course(principal, accounts, course_id)
    principal.require_staff(course_id)
    row = accounts.question_pdf_row(pdf_id)
    if row is None or row.course_id != course_id:
        raise NotFoundError("no such question PDF", pdf_id)
    accounts.delete_question_pdf(pdf_id)
    return Response(status_code=204)
