"""The Jinja2 environment of the web pages (autoescaped; templates in ``web/templates``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import Response

from grader.reports.marks import format_points, verdict_label, verdict_mark, verdict_tone
from web.blobs import human_size

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
"""Shared templates object; every ``.html`` template is autoescaped."""

templates.env.globals.update(
    verdict_mark=verdict_mark,
    verdict_tone=verdict_tone,
    verdict_label=verdict_label,
    format_points=format_points,
    human_size=human_size,
)


def render(
    request: Request, name: str, context: dict[str, Any], principal: Any = None, status_code: int = 200
) -> Response:
    """A page with the user's menu and CSRF token (``principal`` is a :class:`web.auth.Principal` or None)."""
    full = {
        "user": principal,
        "csrf_token": principal.csrf if principal is not None and principal.csrf else "",
        "is_staff": bool(principal is not None and principal.is_any_staff),
        "nav": "",
        **context,
    }
    return templates.TemplateResponse(request, name, full, status_code=status_code)
