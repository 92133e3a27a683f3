"""The jinja2 environment of the HTML reports (autoescaping on, strict undefined)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from grader.reports import marks
from grader.reports.html_blocks import render_formula_html, render_text_with_math

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment: templates from ``grader/reports/templates``, everything escaped.

    Autoescaping is forced on for ``.j2`` files too, so a template cannot forget to escape
    transcript text; only values already wrapped in ``Markup`` by ``html_blocks`` pass as is.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        mark=marks.verdict_mark,
        tone=marks.verdict_tone,
        verdict_label=marks.verdict_label,
        points=lambda pair: marks.format_points(*pair),
        value=marks.format_value,
        one_line=marks.one_line,
        audit=marks.audit_label,
        role_label=marks.role_label,
        tex=_tex,
        with_math=_with_math,
    )
    return env


def _tex(latex: object) -> Markup:
    """A formula of a note (interpreted answer, reference): math as MathML, prose as text."""
    return render_formula_html("" if latex is None else str(latex))


def _with_math(text: object) -> Markup:
    """A sentence of the grader's (explanation, reason) with its ``$…$`` formulas rendered."""
    return render_text_with_math("" if text is None else str(text))
