"""Who is asking: the session cookie or the bearer token of a request, and what their roles allow.

Every page and API route accepts either credential. State-changing requests authenticated by
the cookie must also carry the session's CSRF token (header ``X-CSRF-Token``, or the form field
``csrf_token``); bearer tokens are not sent by browsers on their own, so they need none.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends, Request

from web.db import STAFF_ROLES, User
from web.errors import CsrfError, ForbiddenError, LoginRequiredError
from web.signing import SESSION_COOKIE, Signer, password_fingerprint

CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STREAMED_FORMS = re.compile(r"/api/grade|/upload|/api/courses/[^/]+/questions|/courses/[^/]+/questions")
"""Routes that parse their multipart body themselves and check the CSRF field as it streams."""


@dataclass
class Principal:
    """A logged-in user and their role in each course."""

    user: User
    roles: dict[str, str]
    via: Literal["cookie", "bearer"]
    csrf: str | None = None
    """The session's CSRF token (cookie sessions only)."""
    checked_csrf: bool = field(default=False)

    @property
    def email(self) -> str:
        """The login name."""
        return self.user.email

    def role(self, course_id: str | None) -> str | None:
        """The role in a course, or None."""
        return self.roles.get(course_id) if course_id else None

    def is_staff(self, course_id: str | None) -> bool:
        """Instructor or TA of the course."""
        return self.role(course_id) in STAFF_ROLES

    @property
    def staff_courses(self) -> list[str]:
        """Courses where the user is an instructor or a TA."""
        return sorted(c for c, r in self.roles.items() if r in STAFF_ROLES)

    @property
    def courses(self) -> list[str]:
        """Every course of the user."""
        return sorted(self.roles)

    @property
    def is_any_staff(self) -> bool:
        """Staff of at least one course (sees the staff pages)."""
        return bool(self.staff_courses)

    def require_staff(self, course_id: str | None) -> None:
        """ForbiddenError unless the user is staff of the course."""
        if not self.is_staff(course_id):
            raise ForbiddenError("only the course's instructors and TAs may do this", course_id or "")

    def require_instructor(self, course_id: str) -> None:
        """ForbiddenError unless the user is an instructor of the course."""
        if self.role(course_id) != "instructor":
            raise ForbiddenError("only the course's instructors may do this", course_id)


def _signer(request: Request) -> Signer:
    return request.app.state.signer  # type: ignore[no-any-return]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def resolve_principal(request: Request) -> Principal | None:
    """The request's user from a bearer token, else from the session cookie; None when neither is valid."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    signer = _signer(request)
    accounts = request.app.state.accounts
    principal: Principal | None = None
    token = _bearer(request)
    if token is not None:
        found = signer.read_token(token)
        if found is None:
            raise LoginRequiredError("the bearer token is invalid or expired; get a new one at /api/token")
        user = accounts.user(found[0])
        if user is None or not user.active or password_fingerprint(user) != found[1]:
            raise LoginRequiredError("the bearer token is no longer valid; get a new one at /api/token")
        principal = Principal(user, accounts.roles(user.id), "bearer")
    else:
        session = signer.read_session(request.cookies.get(SESSION_COOKIE))
        if session is not None:
            user = accounts.user(session.user_id)
            if user is not None and user.active and password_fingerprint(user) == session.fingerprint:
                principal = Principal(user, accounts.roles(user.id), "cookie", csrf=session.csrf)
    request.state.principal = principal
    return principal


def check_csrf(principal: Principal, submitted: str | None) -> None:
    """CsrfError when a cookie-authenticated request does not carry its session's token."""
    if principal.via != "cookie":
        return
    if not submitted or not principal.csrf or not secrets.compare_digest(submitted, principal.csrf):
        raise CsrfError("missing or wrong CSRF token; reload the page and try again", CSRF_FIELD)
    principal.checked_csrf = True


async def current_principal(request: Request) -> Principal:
    """Dependency: the logged-in user (401, or the login page for browsers, otherwise).

    For a state-changing request authenticated by the cookie, the CSRF token is checked here when
    it comes as a header or as a URL-encoded form field; multipart forms are checked by
    :mod:`web.multipart` as they stream (the token field comes before the files).
    """
    principal = resolve_principal(request)
    if principal is None:
        raise LoginRequiredError("log in first (session cookie or bearer token)")
    if request.method not in SAFE_METHODS and principal.via == "cookie":
        submitted = request.headers.get(CSRF_HEADER)
        content_type = request.headers.get("content-type", "")
        if submitted is None and content_type.startswith("application/x-www-form-urlencoded"):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
        streamed = content_type.startswith("multipart/form-data") and STREAMED_FORMS.fullmatch(
            request.url.path
        )
        if submitted is not None or not streamed:
            check_csrf(principal, submitted)
    return principal


async def optional_principal(request: Request) -> Principal | None:
    """Dependency: the logged-in user, or None (for the login page and the home page)."""
    try:
        return resolve_principal(request)
    except LoginRequiredError:
        return None


PrincipalDep = Annotated[Principal, Depends(current_principal)]
OptionalPrincipalDep = Annotated[Principal | None, Depends(optional_principal)]
