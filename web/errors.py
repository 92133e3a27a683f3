"""One way to report errors: a JSON body for the API, a clear HTML page for browsers.

Every error becomes ``{"error": {"status", "message", "where"}}`` (API) or the ``error.html``
page (browsers), with the HTTP status of the exception (``GraderError.status_code``).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from grader.errors import GraderError
from web.templating import templates

log = logging.getLogger(__name__)

_REASONS = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Upload too large",
    415: "Unsupported file",
    422: "Cannot process this input",
    500: "Internal error",
}


class NotFoundError(GraderError):
    """A submission (or page) that does not exist."""

    status_code = 404


def wants_json(request: Request) -> bool:
    """True for API paths and for clients that do not ask for HTML."""
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz":
        return True
    return "text/html" not in request.headers.get("accept", "")


def error_body(status: int, message: str, where: str = "") -> dict[str, dict[str, object]]:
    """The JSON error body."""
    return {"error": {"status": status, "message": message, "where": where}}


def error_response(request: Request, status: int, message: str, where: str = "") -> Response:
    """The error as JSON or as an HTML page, whichever the client wants."""
    if wants_json(request):
        return JSONResponse(error_body(status, message, where), status_code=status)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": _REASONS.get(status, "Error"), "message": message, "where": where},
        status_code=status,
    )


async def _grader_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraderError)
    return error_response(request, exc.status_code, exc.message, exc.where)


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
