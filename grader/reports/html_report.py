"""The HTML report: one self-contained file (inline CSS, no JS, no external resources).

Layout: a header (source, format, model, homework, score, warnings), the per-part table,
the student annotations with their audit, then the transcript turn by turn with a note in
the right margin beside every checked claim.
"""

from __future__ import annotations

from markupsafe import Markup

from grader.models import Report
from grader.reports.attention import attention_summary, fold_turns
from grader.reports.html_blocks import render_block_html
from grader.reports.layout import iter_claims, layout_transcript
from grader.reports.templating import environment


def report_warnings(report: Report) -> list[str]:
    """The report's warnings followed by the transcript's own, without duplicates."""
    seen: list[str] = []
    extra = report.transcript.warnings if report.transcript is not None else []
    for warning in [*report.warnings, *extra]:
        if warning not in seen:
            seen.append(warning)
    return seen


def report_css() -> str:
    """The report's stylesheet (inlined by default; the web app serves it as a file for its CSP)."""
    return environment().get_template("_style.css.j2").render()


def render_html(
    report: Report, *, stylesheets: list[str] | None = None, preamble: Markup | None = None
) -> str:
    """Render a report as one self-contained, print-friendly HTML page.

    Every claim of the report appears exactly once as an element carrying
    ``data-claim="<part>/<attempt>/<claim>"``; transcript text is always escaped.
    ``stylesheets`` links these URLs instead of inlining the CSS; ``preamble`` is trusted HTML
    put first in the body (the web app's menu).
    """
    template = environment().get_template("report.html.j2")
    view = layout_transcript(report)
    return template.render(
        report=report,
        view=view,
        summary=attention_summary(report),
        sections=fold_turns(view),
        warnings=report_warnings(report),
        claim_count=sum(1 for _ in iter_claims(report)),
        block_html=render_block_html,
        stylesheets=stylesheets or [],
        preamble=preamble,
    )
