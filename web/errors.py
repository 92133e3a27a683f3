"""One way to report errors: a JSON body for the API, a clear HTML page for browsers.

Every error becomes ``{"error": {"status", "message", "where"}}`` (API) or the ``error.html``
page (browsers), with the HTTP status of the exception (``GraderError.status_code``). A browser
that needs to log in is sent to the login page instead of a 401 page.

The web app's own errors extend the grader's one tree::

    GraderError
    ├── NotFoundError          no such submission, course or page (or not yours)   404
    ├── LoginRequiredError     no valid session cookie or bearer token              401
    ├── ForbiddenError         logged in, but the role does not allow it            403
    │   └── CsrfError          a cookie-authenticated request without its token     403
    ├── RateLimitedError       too many requests of one kind; says when to retry   429
    └── AccountError           bad e-mail, short password, unknown role or course   422
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from grader.errors import GraderError, HomeworkError
from web.templating import templates

log = logging.getLogger(__name__)

_REASONS = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Upload too large",
    415: "Unsupported file",
    422: "Cannot process this input",
    429: "Too many requests",
    500: "Internal error",
}


class NotFoundError(GraderError):
    """A submission, course or page that does not exist, or that the user may not know of."""

    status_code = 404


class LoginRequiredError(GraderError):
    """The request carries no valid session cookie or bearer token."""

    status_code = 401


class ForbiddenError(GraderError):
    """The user is known, but the role does not allow the action."""

    status_code = 403


class CsrfError(ForbiddenError):
    """A cookie-authenticated state change without the page's CSRF token, or from another origin."""


class RateLimitedError(GraderError):
    """Too many requests of one kind; ``retry_after`` says how many seconds to wait."""

    status_code = 429

    def __init__(self, message: str, where: str = "", retry_after: int = 60) -> None:
        super().__init__(message, where)
        self.retry_after = retry_after


class AccountError(GraderError):
    """An account or course cannot be created as asked (what is wrong, and which field)."""

    status_code = 422


def wants_json(request: Request) -> bool:
    """True for API paths and for clients that do not ask for HTML."""
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz":
        return True
    return "text/html" not in request.headers.get("accept", "")


def error_body(status: int, message: str, where: str = "") -> dict[str, dict[str, object]]:
    """The JSON error body."""
    return {"error": {"status": status, "message": message, "where": where}}


def for_browser(message: str) -> str:
    """A grader message rewritten for someone using the web pages instead of the command line.

    >>> for_browser("cannot tell which homework this transcript answers; pass --homework")
    'cannot tell which homework this transcript answers; choose the homework on the upload form'
    """
    return message.replace("pass --homework", "choose the homework on the upload form")


def error_response(
    request: Request, status: int, message: str, where: str = "", headers: dict[str, str] | None = None
) -> Response:
    """The error as JSON or as an HTML page, whichever the client wants."""
    if wants_json(request):
        return JSONResponse(error_body(status, message, where), status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "status": status,
            "title": _REASONS.get(status, "Error"),
            "message": for_browser(message),
            "where": where,
            "nav": "",
        },
        status_code=status,
        headers=headers,
    )


async def _grader_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraderError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
    if isinstance(exc, LoginRequiredError):
        headers = {"WWW-Authenticate": "Bearer"}
    message = exc.message
    if isinstance(exc, HomeworkError) and not wants_json(request):
        message = for_browser(message)
    return error_response(request, exc.status_code, message, exc.where, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else _REASONS.get(exc.status_code, "error")
    if exc.status_code == 404 and message == "Not Found":
        message = f"no page at {request.url.path}"
    return error_response(request, exc.status_code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"msg": "invalid request", "loc": ()}
    where = ".".join(str(x) for x in first.get("loc", ()))
    return error_response(request, 422, str(first.get("msg", "invalid request")), where)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, f"internal error: {type(exc).__name__}; see the server log")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(GraderError, _grader_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)
