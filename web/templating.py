"""The Jinja2 environment of the web pages (autoescaped; templates in ``web/templates``)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from grader.reports.marks import format_points, verdict_label, verdict_mark, verdict_tone

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
"""Shared templates object; every ``.html`` template is autoescaped."""

templates.env.globals.update(
    verdict_mark=verdict_mark,
    verdict_tone=verdict_tone,
    verdict_label=verdict_label,
    format_points=format_points,
)
